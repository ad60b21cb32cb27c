//! Rule RB121 `mysql-copy-alter`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a MySQL ALTER that copies the table: ALGORITHM=COPY, a primary key change,
    /// `CONVERT TO CHARACTER SET`, and a `MODIFY` / `CHANGE` of a column's type from the type the
    /// migrations before it gave the column (MySQL's online DDL changes a type only by copying,
    /// except a VARCHAR made longer within the same length prefix: up to 255 bytes, or from 256,
    /// at every character width from one to four bytes; and members added at the end of an ENUM
    /// or SET).
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
        let (table, retyped) = match s.op {
            Op::MysqlCopyAlter { table } => (table, None),
            Op::AlterColumnType {
                table,
                column,
                to_type,
            } if s.m.dialect == Dialect::Mysql => {
                let Some(from) = ctx.history().column_type((s.mi, s.si), table, column) else {
                    continue;
                };
                if !copies(&from, to_type) || ctx.history().column_is_new((s.mi, s.si), table, column) {
                    continue;
                }
                (table, Some((column.as_str(), from, to_type.as_str())))
            }
            _ => continue,
        };
        if !ctx.fresh(s.mi, s.si, table) {
            out.push(rule.finding(MysqlCopyAlter { table, retyped }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// Whether MySQL changes a column from type `from` to `to` by copying the table: any change of
/// type but a VARCHAR made longer without its byte length crossing 255 (the length prefix grows
/// from one byte to two). The character set is unknown here: a change that crosses 255 bytes at
/// one, two, three or four bytes per character (latin1 to utf8mb4) is taken to copy.
fn copies(from: &str, to: &str) -> bool {
    let varchar = |t: &str| {
        t.strip_prefix("varchar(")
            .and_then(|n| n.strip_suffix(')'))
            .and_then(|n| n.trim().parse::<u64>().ok())
    };
    match (varchar(from), varchar(to)) {
        (Some(a), Some(b)) => b < a || (1..=4).any(|bytes| a * bytes <= 255 && b * bytes > 255),
        _ => from != to && !crate::evidence::sql::support::members_appended(from, to),
    }
}

/// A MySQL ALTER that copies the table; the column whose type change makes it copy, with the
/// type it had and the one it gets.
struct MysqlCopyAlter<'a> { table: &'a str, retyped: Option<(&'a str, String, &'a str)> }

impl crate::assess::Violation for MysqlCopyAlter<'_> {
    fn message(&self) -> String {
        let Self { table, retyped } = self;
        let why = match retyped {
            Some((column, from, to)) => format!(" (changing `{table}.{column}` from {from} to {to})"),
            None => String::new(),
        };
        format!("ALTER copies table `{table}`{why}: writes are blocked during the copy, and again during a reverse ALTER.")
    }
}
