//! Rule RB111 `set-not-null`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects SET NOT NULL on an existing column, unless a validated `CHECK (col IS NOT NULL)`
    /// already proves it (PostgreSQL 12+, or version not given); on MySQL, a `MODIFY` or
    /// `CHANGE` that declares NOT NULL a column the migrations before it left nullable.
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
        let (table, column) = match s.op {
            Op::SetNotNull { table, column } => (table, column),
            // A MySQL MODIFY that says NOT NULL of a column the history knows as nullable.
            Op::RestateNullability {
                table,
                column,
                not_null: true,
            } if ctx.history().column_not_null((s.mi, s.si), table, column) == Some(false) => {
                (table, column)
            }
            _ => continue,
        };
        if !ctx.fresh(s.mi, s.si, table)
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
            let mysql = s.m.dialect == Dialect::Mysql;
            out.push(rule.finding(SetNotNull { table, column, mysql }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// SET NOT NULL on a column of an existing table; on MySQL both ways rebuild the table.
struct SetNotNull<'a> { table: &'a str, column: &'a str, mysql: bool }

impl crate::assess::Violation for SetNotNull<'_> {
    fn message(&self) -> String {
        let Self { table, column, mysql } = self;
        if *mysql {
            format!("Sets `{table}.{column}` NOT NULL: the ALTER fails on any NULL already there (without strict mode, turns it into an empty value) and rebuilds {table}; old code writing NULL fails; the reverse (a MODIFY without NOT NULL) rebuilds it again.")
        } else {
            format!("Sets `{table}.{column}` NOT NULL: old code writing NULL fails; the reverse (DROP NOT NULL) is metadata only.")
        }
    }
}
