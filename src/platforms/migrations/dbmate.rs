//! dbmate: rolls back the latest migration.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Dbmate;

impl MigrationToolUnit for Dbmate {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Dbmate
    }

    fn words(&self) -> &'static [&'static str] {
        &["dbmate"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        if d.prev.is_some() {
            d.notes.push("dbmate rolls back the latest migration only: repeat until status shows the target as the newest applied.".into());
        }
        vec![
            Cmd::new("dbmate")
                .opt("--url", db_url())
                .opt("--migrations-dir", dir(d.change, ph))
                .lit("rollback"),
        ]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("dbmate")
            .opt("--url", db_url())
            .opt("--migrations-dir", dir(change, ph))
            .lit("status")
    }
}
