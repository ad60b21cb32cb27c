//! Rule RB111 `set-not-null`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects SET NOT NULL on an existing column, unless a validated `CHECK (col IS NOT NULL)`
    /// already proves it (PostgreSQL 12+, or version not given).
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code that writes NULL fails; on PostgreSQL the table is scanned under an ACCESS
    /// EXCLUSIVE lock.
    ///
    /// ## Use instead
    ///
    /// Add `CHECK (col IS NOT NULL) NOT VALID`, VALIDATE it, then SET NOT NULL (PostgreSQL 12+
    /// skips the scan).
    pub static SET_NOT_NULL = { code: "RB111", name: "set-not-null", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::SetNotNull { table, column } = s.op
            && !ctx.fresh(s.mi, s.si, table)
            && !ctx.history().column_is_new((s.mi, s.si), table, column)
        {
            // A validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan: old code
            // writing NULL already fails on the CHECK, so nothing changes for it either.
            if s.m.dialect == Dialect::Postgres
                && ctx.history().proven_not_null((s.mi, s.si), table, column)
                && pg_version(ctx.spec, s.m.change).is_none_or(|v| v >= 12)
            {
                continue;
            }
            out.push(rule.finding(SetNotNull { table, column }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// SET NOT NULL on a column of an existing table.
struct SetNotNull<'a> { table: &'a str, column: &'a str }

impl crate::assess::Violation for SetNotNull<'_> {
    fn message(&self) -> String {
        let Self { table, column } = self;
        format!("Sets {table}.{column} NOT NULL: old code writing NULL fails; the reverse (DROP NOT NULL) is metadata only.")
    }
}
