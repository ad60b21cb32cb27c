use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;
use crate::model::Strategy;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A blue-green or canary service: the rollback is a traffic switch, not a redeploy.
    ///
    /// ## Why it matters for rollback
    ///
    /// While the old version still runs, sending traffic back to it takes a minute; a redeploy
    /// takes as long as a deploy. The procedure switches traffic first and redeploys only to make
    /// the switch permanent.
    ///
    /// ## Use instead
    ///
    /// Keep the old version running (scale-down delay) for at least the bake time after promotion.
    pub static TRAFFIC_SWITCH = { code: "RB014", name: "traffic-switch", family: Spec, severity: Info, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, s) in ctx.spec.architecture.services.iter().enumerate() {
        if matches!(s.strategy, Some(Strategy::BlueGreen) | Some(Strategy::Canary)) {
            out.push(rule.finding(
                TrafficSwitch { service: &s.name },
                Evidence::field(ctx.spec_file, format!("architecture.services[{i}].strategy")),
            ));
        }
    }
}

/// A blue-green or canary service.
struct TrafficSwitch<'a> {
    service: &'a str,
}

impl crate::assess::Violation for TrafficSwitch<'_> {
    fn message(&self) -> String {
        format!("service `{}` rolls back by switching traffic to the old version while it still runs", self.service)
    }
}
