//! Knex: `migrate:down` undoes the latest migration.

use super::{Down, MigrationToolUnit, env_name};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Knex;

impl MigrationToolUnit for Knex {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Knex
    }

    fn words(&self) -> &'static [&'static str] {
        &["knex"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        if d.prev.is_some() {
            d.notes.push("knex migrate:down undoes the latest migration: repeat until migrate:list shows the target as the newest completed.".into());
        }
        // Without --env knex uses the knexfile's `development` entry.
        // https://knexjs.org/guide/migrations (Migration CLI: --env, default NODE_ENV || development)
        vec![Cmd::new("npx knex migrate:down").opt("--env", env_name(ph))]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("npx knex migrate:list").opt("--env", env_name(ph))
    }
}
