//! Amazon RDS instance (PostgreSQL or MySQL): snapshots, point-in-time restore to a new instance.
//! https://docs.aws.amazon.com/cli/latest/reference/rds/restore-db-instance-to-point-in-time.html

use super::{StoreUnit, aws, ident, restore_time, snapshot_id, suffixed};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{BackupMethod, DataStore, Hosting};
use crate::platforms::Action;

pub struct Rds;

impl StoreUnit for Rds {
    fn serves(&self, store: &DataStore) -> bool {
        store.engine.is_sql() && store.hosting == Some(Hosting::Rds)
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
        let snap = snapshot_id(label);
        a.cmd(aws(
            Cmd::new("aws rds create-db-snapshot")
                .opt("--db-instance-identifier", ident(store, ph))
                .opt("--db-snapshot-identifier", Word::val(snap.clone())),
            store,
            ph,
        ))
        .verify(aws(
            Cmd::new("aws rds wait db-snapshot-available")
                .opt("--db-snapshot-identifier", Word::val(snap)),
            store,
            ph,
        ))
        .success("the waiter returns: the snapshot is available")
        .minutes(10)
        .note("Snapshots are incremental after the first; a large first snapshot takes longer.")
    }

    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action {
        let p = slug(&store.name);
        let method = store.backup.as_ref().and_then(|b| b.method);
        let target = suffixed(store, "-restore", ph);
        let c = if method == Some(BackupMethod::Snapshot) {
            let snap = ph.hole(
                &format!("{p}_SNAPSHOT_ID"),
                "Snapshot taken before the deploy",
                "the pre-deploy backup step",
            );
            Cmd::new("aws rds restore-db-instance-from-db-snapshot")
                .opt("--db-instance-identifier", target.clone())
                .opt("--db-snapshot-identifier", snap)
        } else {
            let t = restore_time(store, ph);
            Cmd::new("aws rds restore-db-instance-to-point-in-time")
                .opt("--source-db-instance-identifier", ident(store, ph))
                .opt("--target-db-instance-identifier", target.clone())
                .opt("--restore-time", t)
        };
        a.cmd(aws(c, store, ph))
            .verify(aws(Cmd::new("aws rds wait db-instance-available").opt("--db-instance-identifier", target), store, ph))
            .success("the new instance is available; its data ends at the restore point")
            .note("This creates a new instance with default parameter and security groups unless given: attach the production ones, then repoint the application (endpoint or DNS) to it.")
            .note("Blocks load lazily from S3: the first queries on the restored instance are slow.")
    }

    fn verify_backup(&self, store: &DataStore, ph: &mut Placeholders) -> (Vec<Cmd>, &'static str) {
        (
            vec![
                aws(Cmd::new("aws rds describe-db-snapshots")
                    .opt("--db-instance-identifier", ident(store, ph))
                    .opt("--query", Word::val("max_by(DBSnapshots, &SnapshotCreateTime).[DBSnapshotIdentifier,SnapshotCreateTime,Status]"))
                    .lit("--output text"), store, ph),
                aws(Cmd::new("aws rds describe-db-instances")
                    .opt("--db-instance-identifier", ident(store, ph))
                    .opt("--query", Word::val("DBInstances[0].[BackupRetentionPeriod,LatestRestorableTime]"))
                    .lit("--output text"), store, ph),
            ],
            "the newest snapshot is `available` and recent enough, and LatestRestorableTime is minutes old (retention > 0)",
        )
    }
}
