//! Rule RB401 `config-secret-changed`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::model::ConfigStore;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A config value that is a secret (by its key's name or by its value: a password in a URL, a
    /// long random token) changes: a rotation.
    ///
    /// ## Why it matters for rollback
    ///
    /// The previous version of the code works only with the previous secret. If the old credential
    /// is revoked at the provider, or its value not kept, the rollback brings back code that cannot
    /// authenticate. Values are never printed, only keys.
    ///
    /// ## Use instead
    ///
    /// Keep the old secret valid and retrievable (a previous version in the secret manager) until
    /// the rollback window closes; revoke it in a later step.
    pub static CONFIG_SECRET_CHANGED = { code: "RB401", name: "config-secret-changed", family: Config, severity: Warning, check: check, fixtures: [".yaml", "-before.env", "-after.env"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for d in ctx.configs {
        if !d.secret || d.status != "changed" {
            continue;
        }
        let Some(c) = ctx.spec.deployment.changes.get(d.change) else { continue };
        let loc = c.as_config().and_then(|k| k.location.as_ref());
        let name = loc.and_then(|l| l.name.clone());
        out.push(
            rule.finding(
                ConfigSecretChanged { diff: d, store: loc.map(|l| l.store), name },
                d.evidence.clone(),
            )
            .level(Level::Fast)
            .change(d.change),
        );
    }
}

/// A secret whose value the deploy changes.
struct ConfigSecretChanged<'a> {
    diff: &'a crate::evidence::config::ConfigKeyDiff,
    store: Option<ConfigStore>,
    /// The Secret, parameter path or AppConfig profile that holds it.
    name: Option<String>,
}

impl crate::assess::Violation for ConfigSecretChanged<'_> {
    fn message(&self) -> String {
        let d = self.diff;
        let keep = match (self.store, &self.name) {
            (Some(ConfigStore::Secret), Some(n)) => format!("keep a copy of Secret `{n}` as it is now (`kubectl get secret {n} -o yaml`) in your secret manager"),
            (Some(ConfigStore::Ssm), Some(n)) => format!("SSM keeps parameter history: note the current version of `{n}{}` so it can be read back", d.key),
            (Some(ConfigStore::Appconfig), Some(n)) => format!("keep the current version of AppConfig profile `{n}` deployed-able"),
            _ => "keep the old value in your secret manager".to_string(),
        };
        let from = d
            .before_evidence
            .as_ref()
            .map(|e| format!(" (it is at {} now)", e.cite()))
            .unwrap_or_default();
        format!(
            "secret `{}` changes: {keep}{from}, and do not revoke the old credential until the rollback window closes",
            d.key
        )
    }
}
