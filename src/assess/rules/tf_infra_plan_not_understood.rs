//! Rule RB307 `infra-plan-not-understood`.

use crate::assess::{Context, Finding, Level, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Parts of a plan JSON rollbook could not read: an unknown `format_version`, state JSON
    /// instead of a plan, or resource actions it does not know.
    ///
    /// ## Why it matters for rollback
    ///
    /// What was not read was not judged; a destroyed database in it would go unnoticed.
    ///
    /// ## Use instead
    ///
    /// Give the output of `terraform show -json plan.out` (or `tofu show -json`) of a saved plan,
    /// format 1.x, and read the unreadable parts by hand.
    pub static INFRA_PLAN_NOT_UNDERSTOOD = { code: "RB307", name: "infra-plan-not-understood", family: Terraform, severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for p in ctx.plans {
        for problem in &p.problems {
            out.push(
                rule.finding(InfraPlanNotUnderstood { problem }, p.evidence.clone())
                    .level(Level::Complex)
                    .change(p.change),
            );
        }
    }
}

/// A part of a plan that was not understood; the reader says what.
struct InfraPlanNotUnderstood<'a> {
    problem: &'a str,
}

impl crate::assess::Violation for InfraPlanNotUnderstood<'_> {
    fn message(&self) -> String {
        self.problem.to_string()
    }
}
