use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::{ChangeKind, ConfigStore};

crate::declare_rule! {
    /// A config change that lives outside the deployed artifact.
    ///
    /// Why it matters for rollback: redeploying the previous version does not revert it:
    /// `kubectl rollout undo` leaves ConfigMaps and Secrets as they are, and ECS or Lambda
    /// rollbacks leave SSM parameters and AppConfig alone. The old values must be put back by
    /// hand, and usually before the code, so restarted pods read the old config.
    ///
    /// Safe alternative: version config with the code (a new ConfigMap name per release, or
    /// config bundled into the artifact), and write the old values into the plan.
    pub static CONFIG_OUTSIDE_ARTIFACT = { code: "RB004", name: "config-outside-artifact", severity: Warning, check: check }
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
        let where_ = match store {
            Some(s) => format!("{s:?}").to_lowercase(),
            None => "an unstated store".to_string(),
        };
        let missing_before = c.as_config().map_or(&[][..], |k| &k.keys).iter().filter(|k| k.before.is_none() && !k.secret).count();
        let mut msg = format!(
            "config `{}` lives in {where_}: a code rollback does not revert it; restore the old values first",
            c.label(i)
        );
        if missing_before > 0 {
            msg.push_str(&format!(" ({missing_before} key(s) without a recorded `before` value)"));
        }
        out.push(
            rule.finding(msg, Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].location")))
                .level(Level::Fast)
                .change(i),
        );
    }
}
