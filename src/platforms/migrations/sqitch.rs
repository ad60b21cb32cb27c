//! Sqitch: `revert` to a change, or to `@HEAD^`.

use super::{Down, MigrationToolUnit, config_file, target_or};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Sqitch;

impl MigrationToolUnit for Sqitch {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Sqitch
    }

    fn words(&self) -> &'static [&'static str] {
        &["sqitch"]
    }

    fn config(&self) -> (&'static str, &'static str) {
        (
            "SQITCH_TARGET",
            "Sqitch target (name or URI) of the production database",
        )
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        // https://sqitch.org/docs/manual/sqitch-revert/ (--target selects the database)
        vec![
            Cmd::new("sqitch revert -y")
                .opt("--target", config_file(self, ph))
                .opt("--to", target_or(d.prev, "@HEAD^")),
        ]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("sqitch status").opt("--target", config_file(self, ph))
    }
}
