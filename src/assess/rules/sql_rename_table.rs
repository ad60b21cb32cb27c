//! Rule RB107 `rename-table`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;
use crate::evidence::sql::verdict::RebuildIndex;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects renaming a table.
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code still uses the old name and fails the moment the rename commits; rollback must
    /// rename it back before the old code runs.
    ///
    /// ## Use instead
    ///
    /// Create the new table or a compatibility view, sync both, switch code, then drop the old name
    /// later.
    pub static RENAME_TABLE = { code: "RB107", name: "rename-table", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    // Indexed once per migration: thousands of renames in one file stay linear.
    let mut rebuilds: Option<(usize, RebuildIndex)> = None;
    for s in up_sites(ctx.migrations) {
        let Op::RenameTable { from, to } = s.op else {
            continue;
        };
        if rebuilds.as_ref().is_none_or(|(mi, _)| *mi != s.mi) {
            rebuilds = Some((s.mi, RebuildIndex::new(&s.m.up)));
        }
        // The rebuild (how SQLite changes a table): the old table renamed away, a new one created
        // and filled from it under the old name. Old code still finds its table and rows.
        let rebuilt = rebuilds.as_ref().is_some_and(|(_, ix)| ix.replaced(from));
        if !ctx.fresh(s.mi, s.si, from) && !rebuilt {
            out.push(rule.finding(RenameTable { from, to }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// An existing table renamed.
struct RenameTable<'a> { from: &'a str, to: &'a str }

impl crate::assess::Violation for RenameTable<'_> {
    fn message(&self) -> String {
        let Self { from, to } = self;
        format!("Renames table `{from}` to `{to}`: old code breaks at once; rollback must run the reverse rename (metadata only) together with the code rollback.")
    }
}
