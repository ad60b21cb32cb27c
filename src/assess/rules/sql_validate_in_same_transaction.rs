//! Rule RB131 `validate-in-same-transaction`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects VALIDATE CONSTRAINT in the same migration (one transaction) as the NOT VALID add of
    /// that constraint.
    ///
    /// ## Why it matters for rollback
    ///
    /// The ADD CONSTRAINT's lock is held until the transaction ends, so the validating scan runs
    /// while writes to the table are blocked: NOT VALID buys nothing.
    ///
    /// ## Example
    ///
    /// `ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id) NOT VALID; ALTER
    /// TABLE o VALIDATE CONSTRAINT fk;`
    ///
    /// ## Use instead
    ///
    /// Validate in a separate migration (or after a COMMIT in a file its tool does not wrap in a
    /// transaction).
    pub static VALIDATE_IN_SAME_TRANSACTION = { code: "RB131", name: "validate-in-same-transaction", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if s.m.dialect != Dialect::Postgres {
            continue;
        }
        let Op::ValidateConstraint { table, name } = s.op else { continue };
        if !ctx.history().constraint_not_valid_here((s.mi, s.si), table, name) || ctx.fresh(s.mi, s.si, table) {
            continue;
        }
        // A COMMIT between the add and the validate (in a file the tool does not wrap) releases the lock.
        let committed = s.m.tool_transaction != Some(true)
            && s.m.up.iter().take(s.si).rev().take_while(|st| !st.ops.iter().any(|o| matches!(o, Op::AddConstraint { name: Some(n), .. } if n == name))).any(|st| st.ops.iter().any(|o| matches!(o, Op::Commit)));
        if !committed {
            out.push(rule.finding(ValidateInSameTransaction { name, table }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// A VALIDATE CONSTRAINT in the transaction of its NOT VALID add.
struct ValidateInSameTransaction<'a> { name: &'a str, table: &'a str }

impl crate::assess::Violation for ValidateInSameTransaction<'_> {
    fn message(&self) -> String {
        let Self { name, table } = self;
        format!("Validates {name} in the same transaction that added it NOT VALID: the lock of the add is still held, so {table} stays blocked for the whole scan.")
    }
}
