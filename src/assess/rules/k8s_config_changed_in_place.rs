//! Rule RB204 `config-changed-in-place`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::k8s::{config_refs, same_namespace};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A ConfigMap or Secret read by a workload whose name carries no version or content hash, so a
    /// deploy changes it in place.
    ///
    /// ## Why it matters for rollback
    ///
    /// `kubectl rollout undo` (and `kubectl argo rollouts undo`) reverts the pod template only; the
    /// ConfigMap or Secret keeps the new contents, so the old pods start with the new
    /// configuration. It must be re-applied from the previous release and the pods restarted.
    ///
    /// ## Use instead
    ///
    /// Give each version its own name (kustomize `configMapGenerator` hash suffix, `-v2`, or a Helm
    /// checksum in the name) and point the pod template at it; or mark it `immutable: true` and
    /// version it.
    pub static CONFIG_CHANGED_IN_PLACE = { code: "RB204", name: "config-changed-in-place", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

/// `-v3`, `-3`, `-1.2.0`, a hex hash of 7+ characters, or kustomize's 10-character hash.
fn versioned(name: &str) -> bool {
    let Some((_, suffix)) = name.rsplit_once(['-', '.']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let version = |s: &str| s.split('.').all(digits);
    version(suffix)
        || suffix.strip_prefix('v').is_some_and(version)
        || (suffix.len() >= 7 && suffix.chars().all(|c| c.is_ascii_hexdigit()) && suffix.chars().any(|c| c.is_ascii_digit()))
        || (suffix.len() == 10
            && suffix.chars().all(|c| "2456789bcdfghkmt".contains(c))
            && suffix.chars().any(|c| c.is_ascii_digit()))
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for c in ctx
        .objects
        .iter()
        .filter(|o| matches!(o.kind.as_str(), "ConfigMap" | "Secret"))
    {
        if c.get("/immutable").and_then(Value::as_bool) == Some(true) || versioned(&c.name) {
            continue;
        }
        let readers: Vec<String> = ctx
            .objects
            .iter()
            .filter(|w| w.is_workload() && same_namespace(w, c))
            .filter(|w| config_refs(w).iter().any(|(k, n)| *k == c.kind && *n == c.name))
            .map(|w| w.label())
            .collect();
        if readers.is_empty() {
            continue;
        }
        out.push(
            rule.finding(
                ConfigChangedInPlace { config: c.label(), readers: &readers },
                c.evidence.clone(),
            )
            .level(Level::Fast),
        );
    }
}

/// A ConfigMap or Secret with a fixed name, read by workloads.
struct ConfigChangedInPlace<'a> {
    config: String,
    readers: &'a [String],
}

impl crate::assess::Violation for ConfigChangedInPlace<'_> {
    fn message(&self) -> String {
        format!("{} is read by {} and changes in place: `rollout undo` does not revert it; re-apply the previous version and restart the pods.", self.config, self.readers.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::versioned;

    #[test]
    fn version_and_hash_suffixes() {
        for n in ["app-config-v2", "app-config-3", "app-config-1.2.0", "app-config-5f7d9c2a", "app-config-6ct58987ht", "app.v2"] {
            assert!(versioned(n), "{n}");
        }
        for n in ["app-config", "settings", "redis-cart", "app-config-prod"] {
            assert!(!versioned(n), "{n}");
        }
    }
}
