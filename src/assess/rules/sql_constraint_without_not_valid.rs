//! Rule RB112 `constraint-without-not-valid`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{ConstraintKind, Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a CHECK or FOREIGN KEY constraint added to an existing PostgreSQL table without NOT
    /// VALID.
    ///
    /// ## Why it matters for rollback
    ///
    /// The whole table is scanned while writes are blocked; a slow forward step delays both the
    /// deploy and any rollback.
    ///
    /// ## Use instead
    ///
    /// Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction.
    pub static CONSTRAINT_WITHOUT_NOT_VALID = { code: "RB112", name: "constraint-without-not-valid", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::AddConstraint { table, kind: ConstraintKind::Check | ConstraintKind::ForeignKey, not_valid: false, .. } = s.op
            && s.m.dialect == Dialect::Postgres && !ctx.fresh(s.mi, s.si, table)
        {
            out.push(rule.finding(ConstraintWithoutNotValid { table }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// A CHECK or FOREIGN KEY added without NOT VALID.
struct ConstraintWithoutNotValid<'a> { table: &'a str }

impl crate::assess::Violation for ConstraintWithoutNotValid<'_> {
    fn message(&self) -> String {
        let Self { table } = self;
        format!("Adds a constraint to {table} without NOT VALID: the table is scanned while writes are blocked; old code violating it fails.")
    }
}
