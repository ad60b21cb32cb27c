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
        out.push(
            rule.finding(
                ReachChange {
                    label,
                    address: &r.address,
                    action: r.action.as_str(),
                    changed: &r.changed_attributes,
                    who,
                },
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}

/// A resource of wide reach (IAM, network, DNS) that a plan changes.
struct ReachChange<'a> {
    /// "IAM", "network", "DNS".
    label: &'a str,
    address: &'a str,
    action: &'a str,
    /// Top-level attributes the plan changes.
    changed: &'a [String],
    /// Whom the resource reaches.
    who: &'a str,
}

impl crate::assess::Violation for ReachChange<'_> {
    fn message(&self) -> String {
        let Self {
            label,
            address,
            action,
            changed,
            who,
        } = self;
        let attrs = if changed.is_empty() {
            String::new()
        } else {
            format!(" [{}]", changed.join(", "))
        };
        format!("{label}: `{address}` {action}{attrs}: reaches {who}")
    }
}
