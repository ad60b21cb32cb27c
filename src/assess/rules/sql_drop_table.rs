//! Rule RB101 `drop-table`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects DROP TABLE of a table that existed before this deployment.
    ///
    /// ## Why it matters for rollback
    ///
    /// The rows are gone; old code fails on the missing table and no down brings the data back,
    /// only a backup or point-in-time restore.
    ///
    /// ## Use instead
    ///
    /// Rename the table to `<name>_deprecated`, back it up, and drop it in a later release.
    pub static DROP_TABLE = { code: "RB101", name: "drop-table", family: Sql, severity: Error, check: check, fixtures: [".yaml", ".sql"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::DropTable { tables, .. } = s.op
            && tables.iter().any(|t| !ctx.fresh(s.mi, s.si, t) && !crate::evidence::sql::verdict::rebuilt(&s.m.up, s.si, t, None) && !ctx.history().rebuilt_later((s.mi, s.si), t))
        {
            out.push(rule.finding(DropTable { tables }, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// Tables that existed before this deployment dropped.
struct DropTable<'a> {
    tables: &'a [String],
}

impl crate::assess::Violation for DropTable<'_> {
    fn message(&self) -> String {
        format!("Drops table {}: data is destroyed and old code breaks; rollback needs a restore from backup.", crate::assess::code_list(self.tables))
    }
}
