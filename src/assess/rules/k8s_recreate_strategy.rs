//! Rule RB203 `recreate-strategy`.

use crate::assess::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A Deployment manifest with `strategy.type: Recreate`.
    ///
    /// ## Why it matters for rollback
    ///
    /// Recreate stops every old pod before starting new ones, in both directions, so the rollback
    /// is an outage until the previous version is ready.
    ///
    /// ## Use instead
    ///
    /// Use `RollingUpdate` (with a readiness probe), or a blue-green Rollout; keep Recreate only
    /// where two versions must never run at once, and plan the downtime.
    pub static RECREATE_STRATEGY = { code: "RB203", name: "recreate-strategy", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects.iter().filter(|o| o.kind == "Deployment") {
        if o.str_at("/spec/strategy/type") == Some("Recreate") {
            out.push(rule.finding(
                RecreateStrategy { workload: o.label() },
                o.evidence_at("type", Some("Recreate")),
            ));
        }
    }
}

/// A Deployment with the Recreate strategy.
struct RecreateStrategy {
    workload: String,
}

impl crate::assess::Violation for RecreateStrategy {
    fn message(&self) -> String {
        format!("{} uses the Recreate strategy: the rollback stops every pod before the previous version starts.", self.workload)
    }
}
