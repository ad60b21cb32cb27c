//! Self-hosted MySQL or MariaDB: mysqldump before, a restore into a separate server.
//! https://dev.mysql.com/doc/refman/8.0/en/mysqldump.html

use super::{StoreUnit, database, dump_file, dump_minutes, mysql_base};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{DataStore, Hosting};
use crate::platforms::Action;

pub struct SelfMysql;

impl StoreUnit for SelfMysql {
    fn serves(&self, store: &DataStore) -> bool {
        store.engine.is_mysql_family() && matches!(store.hosting, Some(Hosting::SelfHosted) | None)
    }

    fn backup_now(
        &self,
        store: &DataStore,
        label: &str,
        a: Action,
        ph: &mut Placeholders,
    ) -> Action {
        let file = dump_file(store, label, "sql");
        a.cmd(
            mysql_base("mysqldump")
                .lit("--single-transaction --routines --triggers")
                .word(Word::lit("--result-file=").then(Word::val(file.clone())))
                .word(database(store, ph)),
        )
        .verify(Cmd::new("ls -l").val(file.clone()))
        .verify(Cmd::new("tail -n 1").val(file))
        .success("mysqldump exits 0 and the file ends with `-- Dump completed`")
        .minutes(dump_minutes(store))
        .note("--single-transaction gives a consistent dump of InnoDB tables only.")
    }

    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action {
        let file = ph.hole(
            &format!("{}_DUMP_FILE", slug(&store.name)),
            "Dump file taken before the deploy (mysqldump)",
            "the pre-deploy backup step",
        );
        // Into a separate server, as the managed engines restore into a new instance.
        a.cmd(Cmd::new("mysql").word(Word::lit("--defaults-extra-file=\"$RESTORED_MYSQL_DEFAULTS_FILE\"")).word(database(store, ph)).lit("<").word(file))
            .success("mysql exits 0 and the restored copy holds the dumped tables")
            .note("`$RESTORED_MYSQL_DEFAULTS_FILE` names an option file for a separate server (create the database there first); the live database is not touched. Binlogs can replay later transactions up to a point (mysqlbinlog --stop-datetime).")
    }
}
