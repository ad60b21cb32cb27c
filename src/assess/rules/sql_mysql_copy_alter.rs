//! Rule RB121 `mysql-copy-alter`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a MySQL ALTER that copies the table (ALGORITHM=COPY, primary key changes).
    ///
    /// ## Why it matters for rollback
    ///
    /// The copy blocks writes for a time that grows with the table, and the reverse ALTER copies it
    /// again.
    ///
    /// ## Use instead
    ///
    /// Use ALGORITHM=INPLACE or INSTANT where the change allows it, or an online schema change
    /// tool.
    pub static MYSQL_COPY_ALTER = { code: "RB121", name: "mysql-copy-alter", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::MysqlCopyAlter { table } = s.op
            && !ctx.fresh(s.mi, s.si, table)
        {
            out.push(rule.finding(MysqlCopyAlter { table }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// A MySQL ALTER that copies the table.
struct MysqlCopyAlter<'a> { table: &'a str }

impl crate::assess::Violation for MysqlCopyAlter<'_> {
    fn message(&self) -> String {
        let Self { table } = self;
        format!("ALTER copies table {table}: writes are blocked during the copy, and again during a reverse ALTER.")
    }
}
