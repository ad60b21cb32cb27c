//! Rule RB122 `ddl-without-lock-timeout`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects PostgreSQL DDL or maintenance on an existing table (ALTER TABLE, CREATE/DROP INDEX,
    /// DROP TABLE, TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, LOCK, ALTER TYPE, ALTER DOMAIN) with no
    /// `SET lock_timeout` before it; the message also says when a long-running statement has no
    /// `statement_timeout`.
    ///
    /// ## Why it matters for rollback
    ///
    /// A DDL queued behind a long transaction blocks every query on the table; during an incident
    /// the same happens to the reverse migration.
    ///
    /// ## Use instead
    ///
    /// `SET lock_timeout = '2s';` at the top of the migration, and retry on timeout.
    pub static DDL_WITHOUT_LOCK_TIMEOUT = { code: "RB122", name: "ddl-without-lock-timeout", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (mi, m) in ctx.migrations.iter().enumerate() {
        if m.dialect != Dialect::Postgres {
            continue;
        }
        let (mut lock_timeout, mut statement_timeout) = (false, false);
        'stmts: for (si, stmt) in m.up.iter().enumerate() {
            for op in &stmt.ops {
                match op {
                    Op::SetLockTimeout => lock_timeout = true,
                    Op::SetStatementTimeout => statement_timeout = true,
                    _ => {}
                }
                let (table, long) = match op {
                    Op::AddColumn { table, .. } | Op::DropColumn { table, .. } | Op::DropNotNull { table, .. } | Op::RenameColumn { table, .. } | Op::RenameTable { from: table, .. } | Op::DropConstraint { table, .. } | Op::SetDefault { table, .. } | Op::DropDefault { table, .. } | Op::LockTable { table } => (table, false),
                    Op::AddConstraint { table, not_valid, .. } => (table, !*not_valid),
                    Op::AlterColumnType { table, .. } | Op::SetNotNull { table, .. } | Op::CreateIndex { table, concurrently: false, .. } => (table, true),
                    Op::DropTable { tables, .. } | Op::Truncate { tables, .. } => match tables.first() { Some(t) => (t, false), None => continue },
                    Op::Maintenance { target, concurrently: false, .. } => (target, true),
                    Op::AddEnumValue { type_name, .. } => (type_name, false),
                    Op::AlterDomainAddConstraint { domain, .. } => (domain, true),
                    _ => continue,
                };
                if !lock_timeout && !ctx.fresh(mi, si, table) {
                    let also = if long && !statement_timeout { ", and no statement_timeout bounds how long it then holds the lock" } else { "" };
                    out.push(rule.finding(DdlWithoutLockTimeout { table, also }, stmt.evidence.clone()).change(m.change));
                    break 'stmts;
                }
            }
        }
    }
}

/// DDL on an existing table with no lock_timeout set before it.
struct DdlWithoutLockTimeout<'a> {
    table: &'a str,
    /// What else is missing (no statement_timeout on a long lock), or empty.
    also: &'a str,
}

impl crate::assess::Violation for DdlWithoutLockTimeout<'_> {
    fn message(&self) -> String {
        let Self { table, also } = self;
        format!("Locks {table} without lock_timeout: if it waits for a lock, all traffic to {table} queues behind it{also}.")
    }
}
