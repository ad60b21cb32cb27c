//! Laravel: `migrate:rollback` by step count.

use super::{Down, MigrationToolUnit, env_name};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Laravel;

impl MigrationToolUnit for Laravel {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Laravel
    }

    fn words(&self) -> &'static [&'static str] {
        &["laravel"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        if d.prev.is_some() {
            d.notes.push(
                "Laravel rolls back by step count: --step=1 undoes the latest migration.".into(),
            );
        }
        // https://laravel.com/docs/migrations#rolling-back-migrations (--env picks the .env file)
        vec![
            Cmd::new("php artisan migrate:rollback --step=1 --force").opt_eq("--env", env_name(ph)),
        ]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("php artisan migrate:status").opt_eq("--env", env_name(ph))
    }
}
