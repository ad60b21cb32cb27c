//! Rule RB113 `unique-or-primary-key-change`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{ConstraintKind, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects adding a UNIQUE or PRIMARY KEY constraint (or dropping a primary key) on an existing
    /// table.
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code writing duplicates fails; the unique index is built while the table is locked; a
    /// primary key change breaks dependent foreign keys and ORM identity.
    ///
    /// ## Use instead
    ///
    /// `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT ... USING INDEX`; swap a primary
    /// key in one short transaction.
    pub static UNIQUE_OR_PRIMARY_KEY_CHANGE = { code: "RB113", name: "unique-or-primary-key-change", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        let (table, pk) = match s.op {
            Op::AddConstraint { table, kind: ConstraintKind::Unique, not_valid: false, .. } => (table, false),
            Op::AddConstraint { table, kind: ConstraintKind::PrimaryKey, not_valid: false, .. } => (table, true),
            Op::DropConstraint { table, name } if name == "primary" || name.ends_with("_pkey") => (table, true),
            _ => continue,
        };
        if ctx.fresh(s.mi, s.si, table) {
            continue;
        }
        // Dropping the old key to attach one built beforehand (`PRIMARY KEY USING INDEX`) is the
        // safe swap: no build under the lock.
        let swapped_in = s.m.up_ops().any(|(_, o)| matches!(o, Op::AddConstraint { table: t, kind: ConstraintKind::PrimaryKey, not_valid: true, .. } if t == table));
        if pk && swapped_in {
            continue;
        }
        let (msg, level) = if pk {
            (UniqueOrPrimaryKeyChange { table, primary_key: true }, Level::Complex)
        } else {
            (UniqueOrPrimaryKeyChange { table, primary_key: false }, Level::Fast)
        };
        out.push(rule.finding(msg, s.stmt.evidence.clone()).level(level).change(s.m.change));
    }
}

/// A primary key changed, or a unique constraint added.
struct UniqueOrPrimaryKeyChange<'a> {
    table: &'a str,
    primary_key: bool,
}

impl crate::assess::Violation for UniqueOrPrimaryKeyChange<'_> {
    fn message(&self) -> String {
        let table = self.table;
        if self.primary_key {
            format!("Changes the primary key of `{table}`: the index is rebuilt under a long lock and dependent keys break; rollback rebuilds it again.")
        } else {
            format!("Adds a unique constraint to `{table}`: old code writing duplicates fails and the index is built under a lock; the reverse (drop constraint) is metadata only.")
        }
    }
}
