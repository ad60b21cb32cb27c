//! Rule RB305 `dns-change`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::terraform::Reach;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A plan changes, replaces or destroys DNS resources; the message names who they reach.
    ///
    /// ## Why it matters for rollback
    ///
    /// Resolvers cache the old answer for the record's TTL, so both the change and its revert reach
    /// clients only as caches expire.
    ///
    /// ## Use instead
    ///
    /// Lower the TTL a TTL ahead of the change, and keep the old target serving until the old TTL
    /// has passed.
    pub static DNS_CHANGE = { code: "RB305", name: "dns-change", family: Terraform, severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    super::tf_reach::findings(rule, ctx, out, Reach::Dns, "DNS");
}
