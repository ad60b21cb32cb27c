//! Rule RB108 `rename-column`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects renaming a column.
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code still uses the old column name and fails at once; rollback must rename it back.
    ///
    /// ## Use instead
    ///
    /// Add the new column, write both, backfill, switch reads, drop the old column in a later
    /// release.
    pub static RENAME_COLUMN = { code: "RB108", name: "rename-column", family: Sql, severity: Error, check: check, fixtures: [".yaml", ".sql"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        // Renaming a column added in this deployment (the last step of a rebuild) breaks no old code.
        if let Op::RenameColumn { table, from, to } = s.op
            && !ctx.fresh(s.mi, s.si, table)
            && !ctx.history().column_is_new((s.mi, s.si), table, from)
            && !readded(&s, table, from)
        {
            out.push(rule.finding(RenameColumn { table, from, to }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// A column renamed away and added back under its name later in the same migration (a rebuild):
/// old code finds its column when the migration ends.
fn readded(s: &crate::evidence::sql::support::Site, table: &str, column: &str) -> bool {
    s.m.up.iter().skip(s.si + 1).flat_map(|st| &st.ops).any(|o| matches!(o, Op::AddColumn { table: t, column: c, .. } if t == table && c == column))
}

/// A column of an existing table renamed.
struct RenameColumn<'a> { table: &'a str, from: &'a str, to: &'a str }

impl crate::assess::Violation for RenameColumn<'_> {
    fn message(&self) -> String {
        let Self { table, from, to } = self;
        format!("Renames column `{table}.{from}` to `{to}`: old code breaks at once; rollback must run the reverse rename (metadata only).")
    }
}
