//! Rule RB303 `iam-change`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::terraform::Reach;

crate::declare_rule! {
    /// A plan changes, replaces or destroys IAM resources; the message names who they reach.
    ///
    /// Why it matters for rollback: who can do what changes at apply time, and a revert does not undo what was done with the access meanwhile.
    ///
    /// Safe alternative: grant the new permissions beside the old ones first, and remove the old ones in a later release.
    pub static IAM_CHANGE = { code: "RB303", name: "iam-change", severity: Warning, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    super::tf_reach::findings(rule, ctx, out, Reach::Iam, "IAM");
}
