//! Rule RB208 `canary-without-analysis`.

use crate::assess::{Context, Finding, Rule};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// An Argo Rollouts canary with no analysis: no `analysis` step, no background analysis and no
    /// experiment with analyses.
    ///
    /// ## Why it matters for rollback
    ///
    /// Nothing measures the canary, so a bad version is promoted step by step on a timer and the
    /// rollback waits for a human to notice.
    ///
    /// ## Use instead
    ///
    /// Add an AnalysisTemplate (error rate and latency from your metrics) as a background analysis
    /// (`strategy.canary.analysis`) or as steps, so a failed check aborts the rollout and returns
    /// traffic to the stable version.
    pub static CANARY_WITHOUT_ANALYSIS = { code: "RB208", name: "canary-without-analysis", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects.iter().filter(|o| o.is_rollout()) {
        let Some(canary) = o.get("/spec/strategy/canary") else {
            continue;
        };
        let background = canary.get("analysis").is_some();
        let steps = canary
            .get("steps")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or_default();
        let in_steps = steps.iter().any(|s| {
            s.get("analysis").is_some()
                || s.pointer("/experiment/analyses")
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
        });
        if background || in_steps {
            continue;
        }
        out.push(rule.finding(
            CanaryWithoutAnalysis { rollout: o.label() },
            o.evidence_at("canary", None),
        ));
    }
}

/// A canary Rollout with no analysis.
struct CanaryWithoutAnalysis {
    rollout: String,
}

impl crate::assess::Violation for CanaryWithoutAnalysis {
    fn message(&self) -> String {
        format!("Canary {} has no analysis: it promotes on a timer, and only a human watching can trigger the rollback.", self.rollout)
    }
}
