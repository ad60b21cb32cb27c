//! Sequelize CLI: `db:migrate:undo` reverts the latest migration.

use super::{Down, MigrationToolUnit, env_name};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Sequelize;

impl MigrationToolUnit for Sequelize {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Sequelize
    }

    fn words(&self) -> &'static [&'static str] {
        &["sequelize"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        // `db:migrate:undo:all --to X` reverts X too, so a target would go one step too far.
        if d.prev.is_some() {
            d.notes.push("db:migrate:undo reverts the latest migration: repeat until db:migrate:status shows the target as the newest up.".into());
        }
        // https://sequelize.org/docs/v6/other-topics/migrations/ (--env picks the config entry)
        vec![Cmd::new("npx sequelize-cli db:migrate:undo").opt("--env", env_name(ph))]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("npx sequelize-cli db:migrate:status").opt("--env", env_name(ph))
    }
}
