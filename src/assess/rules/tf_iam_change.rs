//! Rule RB303 `iam-change`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::terraform::Reach;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A plan changes, replaces or destroys IAM resources; the message names who they reach.
    ///
    /// ## Why it matters for rollback
    ///
    /// Who can do what changes at apply time, and a revert does not undo what was done with the
    /// access meanwhile.
    ///
    /// ## Use instead
    ///
    /// Grant the new permissions beside the old ones first, and remove the old ones in a later
    /// release.
    pub static IAM_CHANGE = { code: "RB303", name: "iam-change", family: Terraform, severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    super::tf_reach::findings(rule, ctx, out, Reach::Iam, "IAM");
}
