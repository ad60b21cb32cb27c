use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::{ChangeKind, ConfigStore};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A config change that lives outside the deployed artifact.
    ///
    /// ## Why it matters for rollback
    ///
    /// Redeploying the previous version does not revert it: `kubectl rollout undo` leaves
    /// ConfigMaps and Secrets as they are, and ECS or Lambda rollbacks leave SSM parameters and
    /// AppConfig alone. The old values must be put back by hand, and usually before the code, so
    /// restarted pods read the old config.
    ///
    /// ## Use instead
    ///
    /// Version config with the code (a new ConfigMap name per release, or config bundled into the
    /// artifact), and write the old values into the plan.
    pub static CONFIG_OUTSIDE_ARTIFACT = { code: "RB004", name: "config-outside-artifact", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::Config {
            continue;
        }
        let store = c.as_config().and_then(|k| k.location.as_ref()).map(|l| l.store);
        if store == Some(ConfigStore::Bundled) {
            continue;
        }
        let missing_before = c.as_config().map_or(&[][..], |k| &k.keys).iter().filter(|k| k.before.is_none() && !k.secret).count();
        let msg = ConfigOutsideArtifact { change: c.label(i), store, missing_before };
        out.push(
            rule.finding(msg, Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].location")))
                .level(Level::Fast)
                .change(i),
        );
    }
}

/// A config change that a code rollback does not revert.
struct ConfigOutsideArtifact {
    change: String,
    store: Option<ConfigStore>,
    /// Keys, not secret, with no recorded `before` value.
    missing_before: usize,
}

impl crate::assess::Violation for ConfigOutsideArtifact {
    fn message(&self) -> String {
        let where_ = match self.store {
            Some(s) => format!("{s:?}").to_lowercase(),
            None => "an unstated store".to_string(),
        };
        let mut msg = format!(
            "config `{}` lives in {where_}: a code rollback does not revert it; restore the old values first",
            self.change
        );
        if self.missing_before > 0 {
            msg.push_str(&format!(" ({} key(s) without a recorded `before` value)", self.missing_before));
        }
        msg
    }
}
