//! Rule RB114 `index-without-concurrently`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects CREATE INDEX or DROP INDEX without CONCURRENTLY on an existing PostgreSQL table.
    ///
    /// Why it matters for rollback: writes to the table are blocked for the whole build (or while the drop waits for its lock), during deploy and during any rollback that rebuilds it.
    ///
    /// Safe alternative: CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY, outside a transaction; check for leftover INVALID indexes.
    pub static INDEX_WITHOUT_CONCURRENTLY = { code: "RB114", name: "index-without-concurrently", severity: Warning, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::CreateIndex { table, concurrently: false, .. } = s.op
            && s.m.dialect == Dialect::Postgres && !s.fresh(ctx.migrations, table)
        {
            out.push(rule.finding(format!("Builds an index on {table} without CONCURRENTLY: writes to {table} are blocked for the whole build."), s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}
