//! Rule RB303 `iam-change`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::terraform::{Reach, reach};

crate::declare_rule! {
    /// A plan changes, replaces or destroys IAM resources; the message names who they reach.
    ///
    /// Why it matters for rollback: who can do what changes at apply time, and a revert does not undo what was done with the access meanwhile.
    ///
    /// Safe alternative: grant the new permissions beside the old ones first, and remove the old ones in a later release.
    pub static IAM_CHANGE = { code: "RB303", name: "iam-change", severity: Warning, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        if r.mode == "data" || !r.action.touches_existing() {
            continue;
        }
        let Some((Reach::Iam, who)) = reach(&r.resource_type) else { continue };
        let attrs = if r.changed_attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", r.changed_attributes.join(", "))
        };
        out.push(
            rule.finding(
                format!("IAM: `{}` {}{attrs}: reaches {who}", r.address, r.action.as_str()),
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}
