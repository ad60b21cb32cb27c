//! TypeORM: `migration:revert` undoes the latest migration.

use super::{Down, MigrationToolUnit};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Typeorm;

impl MigrationToolUnit for Typeorm {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Typeorm
    }

    fn words(&self) -> &'static [&'static str] {
        &["typeorm"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        if d.prev.is_some() {
            d.notes.push("migration:revert undoes the latest migration: repeat until migration:show marks the target as the newest applied.".into());
        }
        vec![Cmd::new("npx typeorm migration:revert").opt("-d", data_source(d.change, ph))]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("npx typeorm migration:show").opt("-d", data_source(change, ph))
    }
}

fn data_source(change: &Change, ph: &mut Placeholders) -> Word {
    let label = change.id().unwrap_or("migration").to_string();
    ph.hole(
        &format!("{}_TYPEORM_DATA_SOURCE", slug(&label)),
        "Path of the TypeORM data source file (e.g. dist/data-source.js)",
        "the project's TypeORM setup",
    )
}
