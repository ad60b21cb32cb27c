//! Rule RB129 `drop-not-null`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::Op;
use crate::evidence::sql::support::up_sites;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects ALTER COLUMN ... DROP NOT NULL on a table that existed before this deployment; on
    /// MySQL, a `MODIFY` or `CHANGE` that leaves out the NOT NULL of a column the migrations
    /// before it declared NOT NULL (a redefinition without it makes the column nullable).
    ///
    /// ## Why it matters for rollback
    ///
    /// The change is instant, but as soon as new code writes a NULL the reverse (SET NOT NULL)
    /// fails, so the rollback needs a data fix first, and old code may not expect NULLs.
    ///
    /// ## Example
    ///
    /// `ALTER TABLE users ALTER COLUMN email DROP NOT NULL;`
    ///
    /// ## Use instead
    ///
    /// Keep the column NOT NULL with a default or sentinel value; if NULLs are really needed, plan
    /// the backfill that the rollback will need before re-adding the constraint.
    pub static DROP_NOT_NULL = { code: "RB129", name: "drop-not-null", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        let (table, column) = match s.op {
            Op::DropNotNull { table, column } => (table, column),
            // A MySQL MODIFY that leaves out the NOT NULL the history knows the column had.
            Op::RestateNullability {
                table,
                column,
                not_null: false,
            } if ctx.history().column_not_null((s.mi, s.si), table, column) == Some(true)
                && !ctx.history().column_is_key((s.mi, s.si), table, column) =>
            {
                (table, column)
            }
            _ => continue,
        };
        if !ctx.fresh(s.mi, s.si, table)
            && !ctx.history().column_is_new((s.mi, s.si), table, column)
        {
            out.push(rule.finding(DropNotNull { table, column }, s.stmt.evidence.clone()).level(Level::Complex).change(s.m.change));
        }
    }
}

/// NOT NULL dropped from a column of an existing table.
struct DropNotNull<'a> { table: &'a str, column: &'a str }

impl crate::assess::Violation for DropNotNull<'_> {
    fn message(&self) -> String {
        let Self { table, column } = self;
        format!("Drops NOT NULL on `{table}.{column}`: once NULLs are written, the reverse (SET NOT NULL) fails until they are fixed, and old code may not expect them.")
    }
}
