//! Rule RB400 `config-key-removed`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::model::ConfigStore;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A config key present before the deploy is gone after it, in config kept outside the artifact
    /// (or where the spec does not say).
    ///
    /// ## Why it matters for rollback
    ///
    /// The previous version of the code may read the key; after a code rollback it starts without
    /// it, falls back to a default or fails to start.
    ///
    /// ## Use instead
    ///
    /// Stop reading the key in one release and remove it in the next; until then, write its old
    /// value into the plan (rollbook does, unless it is a secret).
    pub static CONFIG_KEY_REMOVED = { code: "RB400", name: "config-key-removed", family: Config, severity: Warning, check: check, fixtures: [".yaml", "-before.env", "-after.env"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for d in ctx.configs {
        if d.status != "removed" {
            continue;
        }
        let Some(c) = ctx.spec.deployment.changes.get(d.change) else { continue };
        if c.as_config().and_then(|k| k.location.as_ref()).map(|l| l.store) == Some(ConfigStore::Bundled) {
            continue;
        }
        out.push(
            rule.finding(
                ConfigKeyRemoved { diff: d },
                d.evidence.clone(),
            )
            .level(Level::Fast)
            .change(d.change),
        );
    }
}

/// A config key the deploy removes.
struct ConfigKeyRemoved<'a> {
    diff: &'a crate::evidence::config::ConfigKeyDiff,
}

impl crate::assess::Violation for ConfigKeyRemoved<'_> {
    fn message(&self) -> String {
        let d = self.diff;
        let restore = match (&d.before, d.secret) {
            (Some(v), false) => format!("put it back as `{}={v}`", d.key),
            _ => format!(
                "put its old value back from {} (a secret: not shown)",
                d.before_evidence.as_ref().map(|e| e.cite()).unwrap_or_else(|| "the previous version".to_string())
            ),
        };
        format!("`{}` is removed: the previous version may read it; before the code rollback, {restore}", d.key)
    }
}
