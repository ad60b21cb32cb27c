//! Plain SQL run by hand or by a custom runner: the down file (or inline SQL) through the
//! engine's own client.

use super::{Down, MigrationToolUnit, db_url};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};
use crate::platforms::known;

pub struct Sql;

impl MigrationToolUnit for Sql {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Sql
    }

    /// None: "SQL" in a brief names the language of a migration, not a tool.
    fn words(&self) -> &'static [&'static str] {
        &[]
    }

    fn reads_migration_files(&self) -> bool {
        false
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        vec![sql_down(d.change, d.store, &d.label, ph)]
    }

    fn status(&self, change: &Change, store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        let label = change.id().unwrap_or("migration").to_string();
        let q = ph.hole(
            &format!("{}_SCHEMA_CHECK_SQL", slug(&label)),
            "Query that shows whether the change is applied (e.g. a column lookup in information_schema)",
            "write it before the deploy",
        );
        match store.map(|s| s.engine) {
            Some(e) if e.is_mysql_family() => Cmd::new("mysql")
                .word(Word::lit("--defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\""))
                .lit("--batch")
                .word(store_db(store, ph))
                .opt("-e", q),
            _ => Cmd::new("psql").word(db_url()).lit("-X -A -t -c").word(q),
        }
    }
}

fn sql_down(change: &Change, store: Option<&DataStore>, label: &str, ph: &mut Placeholders) -> Cmd {
    let mysql = store.is_some_and(|s| s.engine.is_mysql_family());
    let file = known(change.as_migration().and_then(|m| m.down_path.as_deref()));
    let inline = known(change.as_migration().and_then(|m| m.down_sql.as_deref()));
    if store.is_none() && file.is_none() && inline.is_none() {
        // No engine, no tool, no SQL: a client named here would be invented.
        return Cmd::default().word(ph.hole(
            &format!("{}_DOWN_COMMAND", slug(label)),
            "the command that reverses this change: rollbook knows neither its data store nor its tool",
            "deployment.changes[].tool, architecture.data_stores",
        ));
    }
    if mysql {
        let base = Cmd::new("mysql")
            .word(Word::lit("--defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\""))
            .word(store_db(store, ph));
        match (file, inline) {
            (Some(f), _) => base.lit("<").val(f),
            (None, Some(sql)) => base.opt("-e", Word::val(sql)),
            (None, None) => base.lit("<").word(down_hole(label, ph)),
        }
    } else {
        let base = Cmd::new("psql")
            .word(db_url())
            .lit("-X -v ON_ERROR_STOP=1 --single-transaction");
        match (file, inline) {
            (Some(f), _) => base.opt("-f", Word::val(f)),
            (None, Some(sql)) => base.opt("-c", Word::val(sql)),
            (None, None) => base.opt("-f", down_hole(label, ph)),
        }
    }
}

fn down_hole(label: &str, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_DOWN_SQL_FILE", slug(label)),
        "File holding the down SQL of the change",
        "deployment.changes[].down_path",
    )
}

fn store_db(store: Option<&DataStore>, ph: &mut Placeholders) -> Word {
    let name = store.map(|s| s.name.as_str()).unwrap_or("database");
    ph.val_or(
        store.and_then(|s| s.database.as_deref()),
        &format!("{}_DATABASE", slug(name)),
        &format!("Database name inside {name}"),
        "architecture.data_stores[].database",
    )
}
