//! Liquibase: rollback to a tag, or by count.

use super::{Down, MigrationToolUnit, config_file};
use crate::base::placeholders::Placeholders;
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Liquibase;

impl MigrationToolUnit for Liquibase {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Liquibase
    }

    fn words(&self) -> &'static [&'static str] {
        &["liquibase"]
    }

    fn config(&self) -> (&'static str, &'static str) {
        (
            "LIQUIBASE_DEFAULTS_FILE",
            "liquibase.properties of the production database",
        )
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        d.notes.push("Preview the SQL first with `liquibase rollback-count-sql --count=1` (or `rollback-sql --tag=...`). Formatted-SQL changesets need a `--rollback` block.".into());
        // https://docs.liquibase.com/parameters/defaults-file.html
        let base = Cmd::new("liquibase").opt_eq("--defaults-file", config_file(self, ph));
        vec![match d.prev {
            Some(p) => base.lit("rollback").opt_eq("--tag", Word::val(p)),
            None => base.lit("rollback-count --count=1"),
        }]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("liquibase")
            .opt_eq("--defaults-file", config_file(self, ph))
            .lit("history")
    }
}
