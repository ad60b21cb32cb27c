//! Entity Framework Core: `database update` to the previous migration.

use super::{Down, MigrationToolUnit};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct EfCore;

impl MigrationToolUnit for EfCore {
    fn tool(&self) -> MigrationTool {
        MigrationTool::EfCore
    }

    fn words(&self) -> &'static [&'static str] {
        &["ef core"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let target = ph.val_or(
            d.prev,
            &format!("{}_PREVIOUS_MIGRATION", slug(&d.label)),
            "EF Core migration to return to",
            "deployment.changes[].previous_migration",
        );
        d.notes.push("Uses the connection string from the application's configuration; pass --connection to override.".into());
        vec![Cmd::new("dotnet ef database update").word(target)]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, _ph: &mut Placeholders) -> Cmd {
        Cmd::new("dotnet ef migrations list")
    }
}
