//! Rule RB100 `not-understood-statement`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects a migration statement rollbook could not parse or does not analyse (such as a DO block).
    ///
    /// Why it matters for rollback: a statement nobody has judged may drop, rewrite or lock anything; the plan cannot vouch for it.
    ///
    /// Safe alternative: review the statement by hand and record its effect in the spec (`reversible`, `destructive`).
    pub static NOT_UNDERSTOOD_STATEMENT = { code: "RB100", name: "not-understood-statement", severity: Warning, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::NotUnderstood { error } = s.op
            && true
        {
            out.push(rule.finding(format!("Statement not understood ({error}): review it by hand before trusting this plan's rollback class."), s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}
