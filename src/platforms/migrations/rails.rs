//! Rails (Active Record): migrate to a version, or roll back one step.

use super::{Down, MigrationToolUnit, env_prefix};
use crate::base::placeholders::Placeholders;
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Rails;

impl MigrationToolUnit for Rails {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Rails
    }

    fn words(&self) -> &'static [&'static str] {
        &["rails"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        // https://guides.rubyonrails.org/active_record_migrations.html (RAILS_ENV)
        vec![match d.prev {
            Some(p) => env_prefix("RAILS_ENV", ph)
                .lit("bin/rails db:migrate")
                .word(Word::lit("VERSION=").then(Word::val(p))),
            None => env_prefix("RAILS_ENV", ph).lit("bin/rails db:rollback STEP=1"),
        }]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        env_prefix("RAILS_ENV", ph).lit("bin/rails db:migrate:status")
    }
}
