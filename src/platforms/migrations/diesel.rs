//! Diesel: `migration revert`, one migration per run.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Diesel;

impl MigrationToolUnit for Diesel {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Diesel
    }

    fn words(&self) -> &'static [&'static str] {
        &["diesel"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        if d.prev.is_some() {
            d.notes.push("diesel reverts one migration per run: repeat until `diesel migration list` shows the target as the newest applied.".into());
        }
        vec![
            Cmd::new("diesel migration revert")
                .opt("--migration-dir", dir(d.change, ph))
                .opt("--database-url", db_url()),
        ]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("diesel migration list")
            .opt("--migration-dir", dir(change, ph))
            .opt("--database-url", db_url())
    }
}
