//! Rule RB304 `network-change`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::terraform::Reach;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A plan changes, replaces or destroys network resources; the message names who they reach.
    ///
    /// ## Why it matters for rollback
    ///
    /// A wrong rule cuts traffic for everything behind it at once, and a replaced load balancer or
    /// subnet changes addresses clients hold.
    ///
    /// ## Use instead
    ///
    /// Add the new path beside the old one (new rule, new listener, weighted routes) and remove the
    /// old one once traffic has moved.
    pub static NETWORK_CHANGE = { code: "RB304", name: "network-change", family: Terraform, severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    super::tf_reach::findings(rule, ctx, out, Reach::Network, "network");
}
