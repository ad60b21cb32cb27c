//! Self-hosted PostgreSQL: pg_dump before, pg_restore into a separate database.
//! https://www.postgresql.org/docs/current/app-pgrestore.html

use super::{StoreUnit, db_url, dump_file, dump_minutes};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{DataStore, Engine, Hosting};
use crate::platforms::Action;

pub struct SelfPostgres;

impl StoreUnit for SelfPostgres {
    fn serves(&self, store: &DataStore) -> bool {
        store.engine == Engine::Postgres
            && matches!(store.hosting, Some(Hosting::SelfHosted) | None)
    }

    // https://www.postgresql.org/docs/current/app-pgdump.html
    fn backup_now(
        &self,
        store: &DataStore,
        label: &str,
        a: Action,
        _ph: &mut Placeholders,
    ) -> Action {
        let file = dump_file(store, label, "dump");
        a.cmd(
            Cmd::new("pg_dump")
                .word(db_url())
                .lit("-Fc")
                .opt("-f", Word::val(file.clone())),
        )
        .verify(Cmd::new("pg_restore --list").val(file.clone()))
        .verify(Cmd::new("ls -l").val(file))
        .success("pg_dump exits 0 and pg_restore --list prints the archive's table of contents")
        .minutes(dump_minutes(store))
    }

    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action {
        let file = ph.hole(
            &format!("{}_DUMP_FILE", slug(&store.name)),
            "Dump file taken before the deploy (pg_dump -Fc)",
            "the pre-deploy backup step",
        );
        // Into a separate, empty database, as the managed engines restore into a new
        // instance: the live database keeps what was written since the dump.
        // https://www.postgresql.org/docs/current/app-pgrestore.html
        a.cmd(Cmd::new("pg_restore --exit-on-error --no-owner -j 4 -d").word(Word::lit("\"$RESTORED_DATABASE_URL\"")).word(file))
            .verify(Cmd::new("psql").word(Word::lit("\"$RESTORED_DATABASE_URL\"")).lit("-X -At -c").val("SELECT now()"))
            .success("pg_restore exits 0 and the restored copy answers queries")
            .note("`$RESTORED_DATABASE_URL` names a separate, empty database (`createdb` it first, on another server when the live one is short of disk); the live database is not touched. For point-in-time recovery from WAL archives, restore a base backup with recovery_target_time into that separate server instead.")
    }
}
