//! Shared by the blast-radius rules (IAM, network, DNS): one finding per resource of that reach
//! that a plan changes, replaces or destroys.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::terraform::{Reach, reach};

pub(super) fn findings(
    rule: &Rule,
    ctx: &Context,
    out: &mut Vec<Finding>,
    kind: Reach,
    label: &str,
) {
    for r in ctx.resources {
        if r.mode == "data" || !r.action.touches_existing() {
            continue;
        }
        let Some((found, who)) = reach(&r.resource_type) else {
            continue;
        };
        if found != kind {
            continue;
        }
        let attrs = if r.changed_attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", r.changed_attributes.join(", "))
        };
        out.push(
            rule.finding(
                format!(
                    "{label}: `{}` {}{attrs}: reaches {who}",
                    r.address,
                    r.action.as_str()
                ),
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}
