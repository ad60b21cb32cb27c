//! golang-migrate: `goto` a version, or `down 1`.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct GolangMigrate;

impl MigrationToolUnit for GolangMigrate {
    fn tool(&self) -> MigrationTool {
        MigrationTool::GolangMigrate
    }

    fn words(&self) -> &'static [&'static str] {
        &["golang-migrate"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let c = Cmd::new("migrate")
            .opt("-path", dir(d.change, ph))
            .opt("-database", db_url());
        d.notes.push("If the down fails midway the version is marked dirty: fix the schema by hand, then run `migrate force` with the last version that applied cleanly.".into());
        vec![match d.prev {
            Some(p) => c.lit("goto").val(p),
            None => c.lit("down 1"),
        }]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("migrate")
            .opt("-path", dir(change, ph))
            .opt("-database", db_url())
            .lit("version")
    }
}
