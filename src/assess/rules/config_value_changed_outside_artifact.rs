//! Rule RB402 `config-value-changed-outside-artifact`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::model::ConfigStore;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A config key is changed or added (per key, from the diff of `before_path` and `after_path`)
    /// in config kept outside the artifact.
    ///
    /// ## Why it matters for rollback
    ///
    /// RB004 says the change as a whole does not revert with the code; this rule names each key
    /// with its file and line and the exact value to put back, so the restore step is not guessed
    /// at 3 a.m. Removed keys are RB400's and secrets RB401's.
    ///
    /// ## Use instead
    ///
    /// Bundle the file with the artifact, or version the store per release.
    pub static CONFIG_VALUE_CHANGED_OUTSIDE_ARTIFACT = { code: "RB402", name: "config-value-changed-outside-artifact", family: Config, severity: Info, check: check, fixtures: [".yaml", "-before.yaml", "-after.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for d in ctx.configs {
        if d.secret || d.status == "removed" {
            continue;
        }
        let Some(c) = ctx.spec.deployment.changes.get(d.change) else { continue };
        let Some(loc) = c.as_config().and_then(|k| k.location.as_ref()) else { continue };
        if loc.store == ConfigStore::Bundled {
            continue;
        }
        out.push(
            rule.finding(
                ConfigValueChangedOutsideArtifact { diff: d, store: loc.store },
                d.evidence.clone(),
            )
            .level(Level::Fast)
            .change(d.change),
        );
    }
}

/// A config value changed in a store a code rollback does not touch.
struct ConfigValueChangedOutsideArtifact<'a> {
    diff: &'a crate::evidence::config::ConfigKeyDiff,
    store: ConfigStore,
}

impl crate::assess::Violation for ConfigValueChangedOutsideArtifact<'_> {
    fn message(&self) -> String {
        let d = self.diff;
        let store = format!("{:?}", self.store).to_lowercase();
        let back = match (&d.before, d.status.as_str()) {
            (Some(v), _) => format!("set it back to `{v}`"),
            (None, "added") => "remove it (added by the deploy)".to_string(),
            _ => "set it back to its old value".to_string(),
        };
        format!("`{}` {} in the {store} store: a code rollback leaves it; {back}", d.key, d.status)
    }
}
