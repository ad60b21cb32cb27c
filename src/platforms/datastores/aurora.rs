//! Amazon Aurora cluster (PostgreSQL or MySQL): cluster snapshots, point-in-time restore to a new
//! cluster plus its writer instance.
//! https://docs.aws.amazon.com/cli/latest/reference/rds/restore-db-cluster-to-point-in-time.html

use super::{StoreUnit, aws, ident, restore_time, snapshot_id, suffixed};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{DataStore, Engine, Hosting};
use crate::platforms::Action;

pub struct Aurora;

impl StoreUnit for Aurora {
    fn serves(&self, store: &DataStore) -> bool {
        store.engine.is_sql() && store.hosting == Some(Hosting::Aurora)
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
            Cmd::new("aws rds create-db-cluster-snapshot")
                .opt("--db-cluster-identifier", ident(store, ph))
                .opt("--db-cluster-snapshot-identifier", Word::val(snap.clone())),
            store,
            ph,
        ))
        .verify(aws(
            Cmd::new("aws rds wait db-cluster-snapshot-available")
                .opt("--db-cluster-snapshot-identifier", Word::val(snap)),
            store,
            ph,
        ))
        .success("the waiter returns: the cluster snapshot is available")
        .minutes(10)
    }

    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action {
        let p = slug(&store.name);
        let target = suffixed(store, "-restore", ph);
        let inst = suffixed(store, "-restore-1", ph);
        let t = restore_time(store, ph);
        let class = ph.hole(
            &format!("{p}_INSTANCE_CLASS"),
            "Instance class for the restored cluster's writer",
            "the production writer's class",
        );
        let engine = if store.engine == Engine::Postgres {
            "aurora-postgresql"
        } else {
            "aurora-mysql"
        };
        a.cmd(aws(Cmd::new("aws rds restore-db-cluster-to-point-in-time")
            .opt("--source-db-cluster-identifier", ident(store, ph))
            .opt("--db-cluster-identifier", target.clone())
            .opt("--restore-to-time", t), store, ph))
            .cmd(aws(Cmd::new("aws rds create-db-instance")
                .opt("--db-instance-identifier", inst.clone())
                .opt("--db-cluster-identifier", target.clone())
                .opt("--db-instance-class", class)
                .opt("--engine", Word::lit(engine)), store, ph))
            .verify(aws(Cmd::new("aws rds wait db-cluster-available").opt("--db-cluster-identifier", target), store, ph))
            .verify(aws(Cmd::new("aws rds wait db-instance-available").opt("--db-instance-identifier", inst), store, ph))
            .success("the new cluster and its writer are available; data ends at the restore point")
            .note("A cluster restore creates no instances: the create-db-instance step adds the writer. Repoint the application to the new cluster endpoint.")
            .note(if store.engine.is_mysql_family() {
                "Aurora MySQL with backtracking enabled can rewind the cluster in place in minutes instead: aws rds backtrack-db-cluster --db-cluster-identifier ID --backtrack-to TIME (whole cluster, window up to 72 h)."
            } else {
                "Aurora PostgreSQL has no backtrack: point-in-time restore to a new cluster is the route."
            })
    }

    fn verify_backup(&self, store: &DataStore, ph: &mut Placeholders) -> (Vec<Cmd>, &'static str) {
        (
            vec![aws(Cmd::new("aws rds describe-db-cluster-snapshots")
                .opt("--db-cluster-identifier", ident(store, ph))
                .opt("--query", Word::val("max_by(DBClusterSnapshots, &SnapshotCreateTime).[DBClusterSnapshotIdentifier,SnapshotCreateTime,Status]"))
                .lit("--output text"), store, ph)],
            "the newest cluster snapshot is `available` and recent enough",
        )
    }
}
