//! Rule RB128 `transaction-control`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects transaction control that does not match how the migration runs: BEGIN without
    /// COMMIT, a nested BEGIN, or BEGIN/COMMIT in a file its migration tool already runs inside a
    /// transaction (goose, dbmate, diesel, Flyway on PostgreSQL).
    ///
    /// ## Why it matters for rollback
    ///
    /// A COMMIT inside the tool's transaction ends it early, so the statements after it and the
    /// tool's own version record run outside it; a failure then leaves the migration half-applied
    /// and the tool's "down" no longer matches the database.
    ///
    /// ## Example
    ///
    /// `BEGIN; ALTER TABLE t ADD COLUMN c int; COMMIT;` in a goose migration.
    ///
    /// ## Use instead
    ///
    /// Let the tool own the transaction (drop BEGIN/COMMIT), or use its no-transaction option and
    /// keep one balanced BEGIN ... COMMIT.
    pub static TRANSACTION_CONTROL = { code: "RB128", name: "transaction-control", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        if m.dialect != Dialect::Postgres {
            continue;
        }
        let wrapped = m.tool_transaction == Some(true);
        let mut open: Option<&crate::evidence::Evidence> = None;
        for stmt in &m.up {
            for op in &stmt.ops {
                let problem = match op {
                    Op::Begin if open.is_some() => Some(TransactionControl::NestedBegin),
                    Op::Begin if wrapped => Some(TransactionControl::BeginInToolTransaction),
                    Op::Commit if wrapped => Some(TransactionControl::CommitInToolTransaction),
                    _ => None,
                };
                if let Some(msg) = problem {
                    out.push(rule.finding(msg, stmt.evidence.clone()).change(m.change));
                }
                match op {
                    Op::Begin => open = Some(&stmt.evidence),
                    Op::Commit => open = None,
                    _ => {}
                }
            }
        }
        if let Some(ev) = open {
            out.push(rule.finding(TransactionControl::BeginWithoutCommit, ev.clone()).change(m.change));
        }
    }
}

/// Transaction control that does not match how the migration runs.
enum TransactionControl {
    NestedBegin,
    BeginInToolTransaction,
    CommitInToolTransaction,
    BeginWithoutCommit,
}

impl crate::assess::Violation for TransactionControl {
    fn message(&self) -> String {
        match self {
            Self::NestedBegin => "BEGIN inside an open transaction: PostgreSQL ignores it with a warning, and the first COMMIT ends both.",
            Self::BeginInToolTransaction => "BEGIN in a file its migration tool already runs inside a transaction: the COMMIT that follows ends the tool's transaction early.",
            Self::CommitInToolTransaction => "COMMIT in a file its migration tool runs inside a transaction: what follows, and the tool's version record, run outside it; a failure leaves the migration half-applied.",
            Self::BeginWithoutCommit => "BEGIN without COMMIT: the transaction stays open to the end of the file; whether it commits depends on the tool, and a failure rolls back more than this file shows.",
        }
        .to_string()
    }
}
