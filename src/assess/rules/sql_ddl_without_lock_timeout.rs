//! Rule RB122 `ddl-without-lock-timeout`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects PostgreSQL DDL on an existing table with no `SET lock_timeout` before it.
    ///
    /// Why it matters for rollback: a DDL queued behind a long transaction blocks every query on the table; during an incident the same happens to the reverse migration.
    ///
    /// Safe alternative: `SET lock_timeout = '2s';` at the top of the migration, and retry on timeout.
    pub static DDL_WITHOUT_LOCK_TIMEOUT = { code: "RB122", name: "ddl-without-lock-timeout", severity: Info, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (mi, m) in ctx.migrations.iter().enumerate() {
        if m.dialect != Dialect::Postgres {
            continue;
        }
        let mut timeout = false;
        'stmts: for (si, stmt) in m.up.iter().enumerate() {
            for op in &stmt.ops {
                if matches!(op, Op::SetLockTimeout) {
                    timeout = true;
                }
                let table = match op {
                    Op::AddColumn { table, .. } | Op::DropColumn { table, .. } | Op::AlterColumnType { table, .. } | Op::SetNotNull { table, .. } | Op::AddConstraint { table, .. } | Op::RenameColumn { table, .. } | Op::RenameTable { from: table, .. } => table,
                    _ => continue,
                };
                if !timeout && !ctx.fresh(mi, si, table) {
                    out.push(rule.finding(format!("DDL on {table} without lock_timeout: if it waits for a lock, all traffic to {table} queues behind it."), stmt.evidence.clone()).change(m.change));
                    break 'stmts;
                }
            }
        }
    }
}
