//! Rule RB207 `bluegreen-without-scale-down-delay`.

use crate::assess::{Context, Finding, Level, Rule};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// An Argo Rollouts blue-green Rollout whose old ReplicaSet is scaled down before a 10-minute
    /// bake ends (`scaleDownDelaySeconds` absent, so 30 s, or under 600).
    ///
    /// ## Why it matters for rollback
    ///
    /// The instant rollback of blue-green is switching the active Service back to the old
    /// ReplicaSet; once it is scaled down, rolling back means starting new pods, which takes
    /// minutes.
    ///
    /// ## Use instead
    ///
    /// Set `scaleDownDelaySeconds` to at least the bake time after promotion (600 or more), or
    /// disable auto-promotion and promote by hand after the bake.
    pub static BLUEGREEN_WITHOUT_SCALE_DOWN_DELAY = { code: "RB207", name: "bluegreen-without-scale-down-delay", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

/// The shortest bake after promotion during which the old version must stay up.
pub const MIN_BAKE_SECONDS: u64 = 600;
/// Argo Rollouts' default `scaleDownDelaySeconds`.
const DEFAULT_DELAY: u64 = 30;

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects.iter().filter(|o| o.is_rollout()) {
        let Some(bg) = o.get("/spec/strategy/blueGreen") else {
            continue;
        };
        let declared = bg.get("scaleDownDelaySeconds").and_then(Value::as_u64);
        let delay = declared.unwrap_or(DEFAULT_DELAY);
        if delay >= MIN_BAKE_SECONDS {
            continue;
        }
        let evidence = match declared {
            Some(d) => o.evidence_at("scaleDownDelaySeconds", Some(&d.to_string())),
            None => o.evidence_at("blueGreen", None),
        };
        out.push(
            rule.finding(
                BluegreenWithoutScaleDownDelay { rollout: o.label(), declared },
                evidence,
            )
            .level(Level::Fast),
        );
    }
}

/// A blue-green Rollout that scales the old ReplicaSet down before the bake ends.
struct BluegreenWithoutScaleDownDelay {
    rollout: String,
    /// `scaleDownDelaySeconds` as written; `None` when the default applies.
    declared: Option<u64>,
}

impl crate::assess::Violation for BluegreenWithoutScaleDownDelay {
    fn message(&self) -> String {
        let how = match self.declared {
            Some(d) => format!("scaleDownDelaySeconds is {d}"),
            None => format!("no scaleDownDelaySeconds (default {DEFAULT_DELAY} s)"),
        };
        format!("Blue-green {} has {how}: the old ReplicaSet is gone before a {}-minute bake ends, and rollback then means starting new pods.", self.rollout, MIN_BAKE_SECONDS / 60)
    }
}
