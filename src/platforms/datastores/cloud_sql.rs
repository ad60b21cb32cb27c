//! Google Cloud SQL instance: on-demand backups, point-in-time clone or backup restore.
//! https://cloud.google.com/sdk/gcloud/reference/sql/instances/clone

use super::{StoreUnit, ident, restore_time, suffixed};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{BackupMethod, DataStore, Hosting};
use crate::platforms::Action;

pub struct CloudSql;

impl StoreUnit for CloudSql {
    fn serves(&self, store: &DataStore) -> bool {
        store.engine.is_sql() && store.hosting == Some(Hosting::CloudSql)
    }

    fn managed(&self) -> bool {
        true
    }

    fn backup_now(
        &self,
        store: &DataStore,
        label: &str,
        a: Action,
        ph: &mut Placeholders,
    ) -> Action {
        a.cmd(
            Cmd::new("gcloud sql backups create")
                .opt_eq("--instance", ident(store, ph))
                .opt_eq("--description", Word::val(label)),
        )
        .verify(
            Cmd::new("gcloud sql backups list")
                .opt_eq("--instance", ident(store, ph))
                .lit("--limit=1"),
        )
        .success("the newest backup has status SUCCESSFUL and this description")
        .minutes(10)
    }

    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action {
        let p = slug(&store.name);
        let method = store.backup.as_ref().and_then(|b| b.method);
        if method == Some(BackupMethod::Pitr) {
            let target = suffixed(store, "-restore", ph);
            let t = restore_time(store, ph);
            a.cmd(
                Cmd::new("gcloud sql instances clone")
                    .word(ident(store, ph))
                    .word(target.clone())
                    .opt_eq("--point-in-time", t),
            )
            .verify(
                Cmd::new("gcloud sql instances describe")
                    .word(target)
                    .opt_eq("--format", Word::val("value(state)")),
            )
            .success("the clone's state is RUNNABLE")
            .note("The clone is a new instance: repoint the application to it.")
        } else {
            let backup = ph.hole(
                &format!("{p}_BACKUP_ID"),
                "Cloud SQL backup id taken before the deploy",
                "gcloud sql backups list",
            );
            let mut a = a.cmd(Cmd::new("gcloud sql backups restore").word(backup).opt_eq("--restore-instance", ident(store, ph)))
                .verify(Cmd::new("gcloud sql operations list").opt_eq("--instance", ident(store, ph)).lit("--limit=1"))
                .success("the restore operation is DONE")
                .note("Restoring a backup overwrites the instance's data in place: everything written since the backup is lost.");
            a.destructive = true;
            a
        }
    }

    fn verify_backup(&self, store: &DataStore, ph: &mut Placeholders) -> (Vec<Cmd>, &'static str) {
        (
            vec![
                Cmd::new("gcloud sql backups list")
                    .opt_eq("--instance", ident(store, ph))
                    .lit("--limit=5"),
            ],
            "the newest backup is SUCCESSFUL and recent enough",
        )
    }
}
