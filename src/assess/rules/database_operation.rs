use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::DatabaseOperationKind as Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A database operation: a switchover or failover, a parameter change, a major version
    /// upgrade, a restore, a reindex, a replication change. Classes it by its own way back.
    ///
    /// ## Why it matters for rollback
    ///
    /// Redeploying the previous version does not undo work on the database server. A switchover
    /// goes back with a second switchover and a parameter with its previous value (fast), but only
    /// once lag is 0. A failover leaves the writes the old primary had not replicated, which
    /// must be reconciled (GitHub 2018). A major upgrade has no downgrade: back is the old cluster
    /// kept aside, or a restore that loses every write since. A command that removes data on the
    /// wrong host is undone only by a backup that was proven to restore (GitLab 2017).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// - kind: database_operation
    ///   operation: major_upgrade
    ///   database: catalog-db
    ///   from: "13.14"
    ///   to: "16.4"
    /// ```
    ///
    /// ## Use instead
    ///
    /// Keep the old cluster or a replica on the old version until the new one has proved itself,
    /// take a snapshot right before, check the host and its role before any destructive command,
    /// and pause automated failover around maintenance.
    pub static DATABASE_OPERATION = { code: "RB018", name: "database-operation", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(d) = c.as_database_operation() else {
            continue;
        };
        let destructive = c.destructive() == Some(true);
        let kept = d.old_kept == Some(true);
        let (level, v) = match d.operation {
            Some(Op::Switchover) => (Level::Fast, DatabaseOperation::SwitchBack),
            Some(Op::ParameterChange) => (Level::Fast, DatabaseOperation::PreviousValue),
            Some(Op::Reindex) => (Level::Fast, DatabaseOperation::Reindex),
            Some(Op::Failover) => (Level::Complex, DatabaseOperation::Failover),
            Some(Op::MajorUpgrade) if kept => (Level::Complex, DatabaseOperation::UpgradeOldKept),
            Some(Op::MajorUpgrade) => (Level::Irreversible, DatabaseOperation::NoDowngrade),
            Some(Op::Restore) | Some(Op::ReplicationChange) if destructive => {
                (Level::Irreversible, DatabaseOperation::Destroys)
            }
            Some(Op::Restore) => (Level::Complex, DatabaseOperation::Restore),
            Some(Op::ReplicationChange) => (Level::Complex, DatabaseOperation::Replication),
            None => (Level::Complex, DatabaseOperation::Unknown),
        };
        let field = if d.operation.is_some() { "operation" } else { "kind" };
        let mut f = rule
            .finding(
                v,
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{field}")),
            )
            .level(level);
        if level == Level::Irreversible {
            f = f.severity(crate::assess::Severity::Error);
        }
        out.push(f.change(i));
    }
}

/// A database operation, by its way back.
enum DatabaseOperation {
    SwitchBack,
    PreviousValue,
    Reindex,
    Failover,
    UpgradeOldKept,
    NoDowngrade,
    Destroys,
    Restore,
    Replication,
    Unknown,
}

impl crate::assess::Violation for DatabaseOperation {
    fn message(&self) -> String {
        match self {
            Self::SwitchBack => "switchover: a second switchover to the former leader goes back in minutes; commits not yet replicated when it runs are lost, so it waits for lag 0",
            Self::PreviousValue => "parameter change: set the previous value and reload, or reboot when the parameter is static",
            Self::Reindex => "reindex: cancel it and drop the invalid index it leaves; the old index serves until the swap",
            Self::Failover => "failover: the old primary holds the writes it had not replicated; going back means saving them, rejoining it as a replica and reconciling by hand",
            Self::UpgradeOldKept => "major upgrade with the old cluster kept: fail back to it, losing or copying the writes taken on the new major",
            Self::NoDowngrade => "major upgrade: no downgrade exists; back is a restore of the snapshot taken before, losing every write since",
            Self::Destroys => "the operation removes data on a host: undone only by a backup proven to restore, losing writes since",
            Self::Restore => "restore: back is the database it replaced, if it was kept",
            Self::Replication => "replication change: point the replica back at its previous source; a rebuilt replica is re-seeded from the primary",
            Self::Unknown => "database operation of unknown type: classed for the worst case it cannot exclude (at least complex): name the operation",
        }
        .to_string()
    }
}
