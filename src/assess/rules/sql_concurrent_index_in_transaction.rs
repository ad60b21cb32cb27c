//! Rule RB115 `concurrent-index-in-transaction`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects CREATE/DROP INDEX CONCURRENTLY inside an explicit transaction block, or in a file
    /// its migration tool runs inside a transaction (goose, dbmate, diesel, Flyway without their
    /// opt-out).
    ///
    /// ## Why it matters for rollback
    ///
    /// PostgreSQL refuses it inside a transaction, so the migration fails half-way; a failed
    /// concurrent build leaves an INVALID index behind.
    ///
    /// ## Use instead
    ///
    /// Run the concurrent index statement alone, outside BEGIN/COMMIT (most tools have a
    /// no-transaction flag).
    pub static CONCURRENT_INDEX_IN_TRANSACTION = { code: "RB115", name: "concurrent-index-in-transaction", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        let wrapped = m.tool_transaction == Some(true);
        let mut open = false;
        for stmt in &m.up {
            for op in &stmt.ops {
                match op {
                    Op::Begin => open = true,
                    Op::Commit => open = false,
                    Op::CreateIndex { concurrently: true, .. } | Op::DropIndex { concurrently: true, .. } if open => {
                        out.push(rule.finding(ConcurrentIndexInTransaction::InsideBegin, stmt.evidence.clone()).change(m.change));
                    }
                    Op::CreateIndex { concurrently: true, .. } | Op::DropIndex { concurrently: true, .. } if wrapped && m.dialect == Dialect::Postgres => {
                        out.push(rule.finding(ConcurrentIndexInTransaction::ToolTransaction, stmt.evidence.clone()).change(m.change));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// CONCURRENTLY where PostgreSQL rejects it: inside a transaction.
enum ConcurrentIndexInTransaction {
    /// Inside the file's own BEGIN ... COMMIT.
    InsideBegin,
    /// In a file the migration tool wraps in a transaction.
    ToolTransaction,
}

impl crate::assess::Violation for ConcurrentIndexInTransaction {
    fn message(&self) -> String {
        match self {
            Self::InsideBegin => "CONCURRENTLY inside BEGIN/COMMIT: PostgreSQL rejects it and the migration fails half-applied; move it out of the transaction.",
            Self::ToolTransaction => "CONCURRENTLY in a file its migration tool runs inside a transaction: PostgreSQL rejects it; use the tool's no-transaction option for this file (goose `-- +goose NO TRANSACTION`, dbmate `transaction:false`, diesel `run_in_transaction = false`).",
        }
        .to_string()
    }
}
