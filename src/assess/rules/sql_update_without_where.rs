//! Rule RB106 `update-without-where`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects UPDATE without a WHERE clause.
    ///
    /// Why it matters for rollback: every row's previous values are overwritten; no down can know what they were.
    ///
    /// Safe alternative: copy the affected columns to a backup table first; update in batches with an explicit condition.
    pub static UPDATE_WITHOUT_WHERE = { code: "RB106", name: "update-without-where", severity: Error, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        // Filling only columns added in this deployment overwrites nothing anyone wrote.
        if let Op::Update { table, has_where: false, columns } = s.op
            && !ctx.fresh(s.mi, s.si, table)
            && (columns.is_empty() || !columns.iter().all(|c| ctx.history().column_is_new((s.mi, s.si), table, c)))
        {
            out.push(rule.finding(format!("Overwrites every row of {table}: the old values are lost unless backed up before the deploy."), s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}
