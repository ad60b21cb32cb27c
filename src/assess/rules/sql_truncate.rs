//! Rule RB104 `truncate`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects TRUNCATE of a table that existed before this deployment.
    ///
    /// ## Why it matters for rollback
    ///
    /// Every row is removed and TRUNCATE cannot be undone by a down; only a restore brings the rows
    /// back.
    ///
    /// ## Use instead
    ///
    /// Copy the rows to an archive table first, then delete in batches.
    pub static TRUNCATE = { code: "RB104", name: "truncate", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::Truncate { tables, .. } = s.op
            && tables.iter().any(|t| !ctx.fresh(s.mi, s.si, t))
        {
            out.push(rule.finding(Truncate { tables }, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// Tables that existed before this deployment truncated.
struct Truncate<'a> {
    tables: &'a [String],
}

impl crate::assess::Violation for Truncate<'_> {
    fn message(&self) -> String {
        format!("Truncates {}: all rows are destroyed; rollback needs a restore from backup.", crate::assess::code_list(self.tables))
    }
}
