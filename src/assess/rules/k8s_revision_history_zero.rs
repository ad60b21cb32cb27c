//! Rule RB201 `revision-history-zero`.

use crate::assess::{Context, Finding, Level, Rule};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A workload with `revisionHistoryLimit: 0`.
    ///
    /// ## Why it matters for rollback
    ///
    /// Kubernetes keeps no old ReplicaSet (or revision), so `kubectl rollout undo` and `kubectl
    /// argo rollouts undo` have nothing to go back to; the rollback must re-apply the previous
    /// manifests from version control.
    ///
    /// ## Use instead
    ///
    /// Leave `revisionHistoryLimit` at its default (10), or at least 2.
    pub static REVISION_HISTORY_ZERO = { code: "RB201", name: "revision-history-zero", family: Kubernetes, severity: Error, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects.iter().filter(|o| o.is_workload()) {
        if o.get("/spec/revisionHistoryLimit").and_then(Value::as_u64) == Some(0) {
            out.push(
                rule.finding(
                    RevisionHistoryZero { workload: o.label() },
                    o.evidence_at("revisionHistoryLimit", Some("0")),
                )
                .level(Level::Fast),
            );
        }
    }
}

/// A workload that keeps no old ReplicaSets.
struct RevisionHistoryZero {
    workload: String,
}

impl crate::assess::Violation for RevisionHistoryZero {
    fn message(&self) -> String {
        format!("{} keeps no revision history: `rollout undo` has nothing to return to; the rollback re-applies the previous manifests.", self.workload)
    }
}
