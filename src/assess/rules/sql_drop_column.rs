//! Rule RB102 `drop-column`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects DROP COLUMN on a table that existed before this deployment.
    ///
    /// Why it matters for rollback: the column's values are destroyed; a down can re-add the column but only empty, and old code reading it breaks at once.
    ///
    /// Safe alternative: stop reading the column first, wait a release, archive its values, then drop it.
    pub static DROP_COLUMN = { code: "RB102", name: "drop-column", severity: Error, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::DropColumn { table, column } = s.op
            && !ctx.fresh(s.mi, s.si, table)
            && !ctx.history().column_is_new((s.mi, s.si), table, column)
            && !crate::evidence::sql::verdict::rebuilt(&s.m.up, s.si, table, Some(column))
        {
            out.push(rule.finding(format!("Drops column {table}.{column}: its values are destroyed and old code reading it breaks; rollback needs a restore."), s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}
