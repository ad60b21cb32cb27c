//! Rule RB305 `dns-change`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::terraform::{Reach, reach};

crate::declare_rule! {
    /// A plan changes, replaces or destroys DNS resources; the message names who they reach.
    ///
    /// Why it matters for rollback: resolvers cache the old answer for the record's TTL, so both the change and its revert reach clients only as caches expire.
    ///
    /// Safe alternative: lower the TTL a TTL ahead of the change, and keep the old target serving until the old TTL has passed.
    pub static DNS_CHANGE = { code: "RB305", name: "dns-change", severity: Warning, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        if r.mode == "data" || !r.action.touches_existing() {
            continue;
        }
        let Some((Reach::Dns, who)) = reach(&r.resource_type) else { continue };
        let attrs = if r.changed_attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", r.changed_attributes.join(", "))
        };
        out.push(
            rule.finding(
                format!("DNS: `{}` {}{attrs}: reaches {who}", r.address, r.action.as_str()),
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}
