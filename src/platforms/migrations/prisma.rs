//! Prisma Migrate: no down migrations, so the route is a diff to the previous schema.

use super::{Down, MigrationToolUnit, db_url};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Prisma;

impl MigrationToolUnit for Prisma {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Prisma
    }

    fn words(&self) -> &'static [&'static str] {
        &["prisma"]
    }

    // Prisma has no down migrations.
    fn has_down(&self) -> bool {
        false
    }

    fn reads_migration_files(&self) -> bool {
        false
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        d.title = Some(format!(
            "Roll {} forward to the previous schema (Prisma has no down)",
            d.label
        ));
        let schema = ph.hole(
            &format!("{}_PREVIOUS_SCHEMA", slug(&d.label)),
            "schema.prisma of the previous release",
            "check it out from the previous release",
        );
        d.notes.push("Prisma has no down migrations: generate the reverse SQL from the live database to the previous schema, review it, and run it.".into());
        d.notes.push("`prisma migrate resolve --rolled-back NAME` only applies to a failed migration; for an applied one, commit down.sql as a new migration so migration history matches.".into());
        vec![
            Cmd::new("npx prisma migrate diff")
                .opt("--from-url", db_url())
                .opt("--to-schema-datamodel", schema)
                .lit("--script --output down.sql"),
            Cmd::new("npx prisma db execute")
                .opt("--url", db_url())
                .lit("--file down.sql"),
        ]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, _ph: &mut Placeholders) -> Cmd {
        Cmd::new("npx prisma migrate status")
    }
}
