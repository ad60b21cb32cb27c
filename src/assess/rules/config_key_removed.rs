//! Rule RB400 `config-key-removed`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::model::ConfigStore;

crate::declare_rule! {
    /// A config key present before the deploy is gone after it, in config kept outside the
    /// artifact (or where the spec does not say).
    ///
    /// Why it matters for rollback: the previous version of the code may read the key; after a
    /// code rollback it starts without it, falls back to a default or fails to start.
    ///
    /// Safe alternative: stop reading the key in one release and remove it in the next; until
    /// then, write its old value into the plan (rollbook does, unless it is a secret).
    pub static CONFIG_KEY_REMOVED = { code: "RB400", name: "config-key-removed", severity: Warning, check: check }
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
        let restore = match (&d.before, d.secret) {
            (Some(v), false) => format!("put it back as `{}={v}`", d.key),
            _ => format!(
                "put its old value back from {} (a secret: not shown)",
                d.before_evidence.as_ref().map(|e| e.cite()).unwrap_or_else(|| "the previous version".to_string())
            ),
        };
        out.push(
            rule.finding(
                format!("`{}` is removed: the previous version may read it; before the code rollback, {restore}", d.key),
                d.evidence.clone(),
            )
            .level(Level::Fast)
            .change(d.change),
        );
    }
}
