//! Rule RB200 `missing-readiness-probe`.

use crate::assess::{Context, Finding, Rule};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A Deployment, StatefulSet, DaemonSet or Rollout container with no readiness probe.
    ///
    /// ## Why it matters for rollback
    ///
    /// Without a readiness probe a pod takes traffic as soon as it starts, so a broken version
    /// looks healthy to the rollout, and the rollback's own pods take traffic before they can
    /// serve; `kubectl rollout status` proves nothing.
    ///
    /// ## Use instead
    ///
    /// Give every serving container a `readinessProbe` that checks what the container needs to
    /// serve (an HTTP health path or a TCP port).
    pub static MISSING_READINESS_PROBE = { code: "RB200", name: "missing-readiness-probe", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects.iter().filter(|o| o.is_workload()) {
        for (init, c) in o.containers() {
            if init || c.get("readinessProbe").is_some() {
                continue;
            }
            let name = c.get("name").and_then(Value::as_str).unwrap_or("?");
            let image = c.get("image").and_then(Value::as_str);
            out.push(rule.finding(
                MissingReadinessProbe { container: name, workload: o.label() },
                o.evidence_at("image", image),
            ));
        }
    }
}

/// A serving container with no readiness probe.
struct MissingReadinessProbe<'a> {
    container: &'a str,
    workload: String,
}

impl crate::assess::Violation for MissingReadinessProbe<'_> {
    fn message(&self) -> String {
        let Self { container, workload } = self;
        format!("Container `{container}` of {workload} has no readinessProbe: a broken version (or the rollback's pods) takes traffic before it can serve, and rollout status cannot tell.")
    }
}
