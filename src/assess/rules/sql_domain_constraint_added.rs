//! Rule RB132 `domain-constraint-added`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID (PostgreSQL).
    ///
    /// ## Why it matters for rollback
    ///
    /// Every column of every table using the domain is scanned under lock; old code writing values
    /// the new check rejects fails.
    ///
    /// ## Example
    ///
    /// `ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');`
    ///
    /// ## Use instead
    ///
    /// `ADD CONSTRAINT ... NOT VALID`, then `ALTER DOMAIN ... VALIDATE CONSTRAINT` in a later
    /// migration.
    pub static DOMAIN_CONSTRAINT_ADDED = { code: "RB132", name: "domain-constraint-added", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if s.m.dialect != Dialect::Postgres {
            continue;
        }
        if let Op::AlterDomainAddConstraint { domain, not_valid: false } = s.op {
            out.push(rule.finding(DomainConstraintAdded { domain }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// A domain constraint added without NOT VALID.
struct DomainConstraintAdded<'a> { domain: &'a str }

impl crate::assess::Violation for DomainConstraintAdded<'_> {
    fn message(&self) -> String {
        let Self { domain } = self;
        format!("Adds a constraint to domain {domain} without NOT VALID: every column of type {domain} is scanned under lock, and old code writing values it rejects fails.")
    }
}
