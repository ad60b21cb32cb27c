//! Rule RB105 `delete-without-where`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects DELETE without a WHERE clause.
    ///
    /// ## Why it matters for rollback
    ///
    /// Every row of the table is removed; no down can know what they were.
    ///
    /// ## Use instead
    ///
    /// Copy the rows to a backup table first, and delete in batches with an explicit condition.
    pub static DELETE_WITHOUT_WHERE = { code: "RB105", name: "delete-without-where", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::Delete { table, has_where: false } = s.op
            && !ctx.fresh(s.mi, s.si, table)
        {
            out.push(rule.finding(DeleteWithoutWhere { table }, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// A DELETE with no WHERE clause.
struct DeleteWithoutWhere<'a> { table: &'a str }

impl crate::assess::Violation for DeleteWithoutWhere<'_> {
    fn message(&self) -> String {
        let Self { table } = self;
        format!("Deletes every row of `{table}`: rollback needs a restore or a backup table made before the deploy.")
    }
}
