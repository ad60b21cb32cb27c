//! Rule RB106 `update-without-where`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects UPDATE without a WHERE clause.
    ///
    /// ## Why it matters for rollback
    ///
    /// Every row's previous values are overwritten; no down can know what they were.
    ///
    /// ## Use instead
    ///
    /// Copy the affected columns to a backup table first; update in batches with an explicit
    /// condition.
    pub static UPDATE_WITHOUT_WHERE = { code: "RB106", name: "update-without-where", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        // Filling only columns added in this deployment overwrites nothing anyone wrote.
        if let Op::Update { table, has_where: false, columns } = s.op
            && !ctx.fresh(s.mi, s.si, table)
            && (columns.is_empty() || !columns.iter().all(|c| ctx.history().column_is_new((s.mi, s.si), table, c)))
        {
            out.push(rule.finding(UpdateWithoutWhere { table }, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// An UPDATE with no WHERE clause.
struct UpdateWithoutWhere<'a> { table: &'a str }

impl crate::assess::Violation for UpdateWithoutWhere<'_> {
    fn message(&self) -> String {
        let Self { table } = self;
        format!("Overwrites every row of `{table}`: the old values are lost unless backed up before the deploy.")
    }
}
