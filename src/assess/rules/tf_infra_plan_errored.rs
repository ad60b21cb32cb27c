//! Rule RB306 `infra-plan-errored`.

use crate::assess::{Context, Finding, Level, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// The plan JSON says the plan stopped on an error (`errored: true`).
    ///
    /// ## Why it matters for rollback
    ///
    /// An errored plan lists only part of what would change (often nothing), so no judgement about
    /// destroyed or replaced resources can be made from it; a `prevent_destroy` guard that blocks a
    /// destroy also shows up this way.
    ///
    /// ## Use instead
    ///
    /// Fix the error, save the plan again (`terraform plan -out=plan.out`) and point `plan:` at
    /// `terraform show -json plan.out`.
    pub static INFRA_PLAN_ERRORED = { code: "RB306", name: "infra-plan-errored", family: Terraform, severity: Error, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for p in ctx.plans {
        if !p.errored {
            continue;
        }
        out.push(
            rule.finding(
                InfraPlanErrored {
                    resources: p.resources.len(),
                },
                p.evidence.clone(),
            )
            .level(Level::Complex)
            .change(p.change),
        );
    }
}

/// A plan that stopped on an error.
struct InfraPlanErrored {
    /// How many resource changes it holds all the same.
    resources: usize,
}

impl crate::assess::Violation for InfraPlanErrored {
    fn message(&self) -> String {
        format!(
            "the plan stopped on an error: its {} resource change(s) are not the whole change; plan again before judging the rollback",
            self.resources
        )
    }
}
