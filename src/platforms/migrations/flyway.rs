//! Flyway: Community has no undo, so the route is a new forward migration.

use super::{Down, MigrationToolUnit, config_file};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Flyway;

impl MigrationToolUnit for Flyway {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Flyway
    }

    fn words(&self) -> &'static [&'static str] {
        &["flyway"]
    }

    // Flyway undo exists only in the paid editions.
    fn has_down(&self) -> bool {
        false
    }

    fn reads_migration_files(&self) -> bool {
        false
    }

    fn config(&self) -> (&'static str, &'static str) {
        (
            "FLYWAY_CONFIG_FILE",
            "Flyway config file of the production database",
        )
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        d.title = Some(format!(
            "Reverse {} with a new forward migration (Flyway Community)",
            d.label
        ));
        let v = ph.text(
            &format!("{}_REVERT_SCRIPT", slug(&d.label)),
            "New versioned script V<next>__revert_<name>.sql holding the reverse SQL",
            "write it before the deploy",
        );
        d.notes.push(format!(
            "Before running: add {v} to the migrations location, reviewed and tested."
        ));
        d.notes.push("`flyway undo` (U-scripts) exists only in Flyway's paid editions: with Community, ship a new V-script that reverses the change and run migrate.".into());
        if let Some(p) = d.prev {
            d.notes
                .push(format!("Paid editions: flyway undo -target={p}"));
        }
        // -configFiles: https://flywaydb.org/documentation/commandline/#configFile
        vec![
            Cmd::new("flyway")
                .opt_eq("-configFiles", config_file(self, ph))
                .lit("migrate"),
        ]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("flyway")
            .opt_eq("-configFiles", config_file(self, ph))
            .lit("info")
    }
}
