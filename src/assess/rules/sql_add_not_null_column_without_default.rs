//! Rule RB110 `add-not-null-column-without-default`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects adding a NOT NULL column without a default to an existing table.
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code does not write the column, so its inserts fail; on a non-empty table the migration
    /// itself fails.
    ///
    /// ## Use instead
    ///
    /// Add the column nullable (or with a constant default), backfill, then add the constraint.
    pub static ADD_NOT_NULL_COLUMN_WITHOUT_DEFAULT = { code: "RB110", name: "add-not-null-column-without-default", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::AddColumn { table, column, not_null: true, default: None, .. } = s.op
            && !ctx.fresh(s.mi, s.si, table)
        {
            out.push(rule.finding(AddNotNullColumnWithoutDefault { table, column }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// A NOT NULL column added without a default to an existing table.
struct AddNotNullColumnWithoutDefault<'a> { table: &'a str, column: &'a str }

impl crate::assess::Violation for AddNotNullColumnWithoutDefault<'_> {
    fn message(&self) -> String {
        let Self { table, column } = self;
        format!("Adds NOT NULL column {table}.{column} without a default: old code's inserts fail; rollback must drop the column (loses values written since).")
    }
}
