use super::prelude::*;
use crate::model::ConfigStore;

/// Config kept outside the artifact is reverted before the code: a code rollback does not revert
/// it, and restarted instances must read the old values. Bundled config reverts with the code.
pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let store = c
        .as_config()
        .and_then(|k| k.location.as_ref())
        .map(|l| l.store);
    if store == Some(ConfigStore::Bundled) {
        return;
    }
    if b.services.is_empty() && b.config_services.is_empty() {
        // Config alone: the platform preconditions (Argo CD auto-sync) still apply.
        b.config_services = b.spec.architecture.services.clone();
        for svc in &b.config_services {
            b.actions.extend(deploy::pre_rollback(svc, &mut ctx.ph));
        }
    }
    let mut a = config_revert(ctx, i);
    if b.services.is_empty() {
        // No code rollback follows to restart the instances that read config at start.
        for svc in &b.config_services {
            if let Some(r) = deploy::restart(svc, &mut ctx.ph) {
                a.commands.push(r);
            }
        }
    }
    b.actions.push(a);
    b.ordering.push(if b.services.is_empty() {
        format!(
            "Config `{}`: no code is rolled back, so this step reverts it and restarts the instances that read it at start.",
            c.label(i)
        )
    } else {
        format!(
            "Config `{}` before the code: a code rollback does not revert it, and restarted instances must read the old values.",
            c.label(i)
        )
    });
}

fn config_revert(ctx: &mut Ctx, i: usize) -> Action {
    let change = ctx.input.spec.deployment.changes[i].clone();
    let label = change.label(i);
    let mut c = change.as_config().cloned().unwrap_or_default();
    // Keys diffed from `before_path`/`after_path` stand in for `keys` when the spec gives none.
    let diffed: Vec<crate::evidence::config::ConfigKeyDiff> = ctx
        .evidence
        .configs
        .iter()
        .filter(|d| d.change == i)
        .cloned()
        .collect();
    let from_diff = c.keys.is_empty() && !diffed.is_empty();
    if from_diff {
        c.keys = diffed
            .iter()
            .map(|d| crate::model::ConfigKey {
                key: d.key.clone(),
                before: d.before.clone(),
                after: d.after.clone(),
                secret: d.secret,
            })
            .collect();
    }
    let loc = c.location.clone();
    let store = loc.as_ref().map(|l| l.store);
    let name_field = format!("deployment.changes[{i}].location.name");
    let mut commands = Vec::new();
    let mut verify = Vec::new();
    let ns_svc = c
        .services
        .first()
        .and_then(|n| {
            ctx.input
                .spec
                .architecture
                .services
                .iter()
                .find(|s| &s.name == n)
        })
        .cloned();
    let ns = ns_svc.as_ref().and_then(|s| s.namespace.clone());
    match store {
        Some(ConfigStore::Configmap) | Some(ConfigStore::Secret) => {
            let kind = if store == Some(ConfigStore::Secret) {
                "secret"
            } else {
                "configmap"
            };
            let name = ctx.ph.val_or(
                loc.as_ref().and_then(|l| l.name.as_deref()),
                &format!("{}_NAME", crate::plan::placeholders::slug(&label)),
                &format!("name of the {kind} of `{label}`"),
                &name_field,
            );
            let ns_word = ctx.ph.val_or(
                ns.as_deref(),
                "NAMESPACE",
                "Kubernetes namespace",
                "architecture.services[].namespace",
            );
            let mut patch = serde_json::Map::new();
            let mut secret_keys = Vec::new();
            for k in &c.keys {
                if k.secret {
                    secret_keys.push(k.key.clone());
                    continue;
                }
                patch.insert(
                    k.key.clone(),
                    match &k.before {
                        Some(v) => serde_json::Value::String(v.clone()),
                        None => serde_json::Value::Null,
                    },
                );
            }
            if !patch.is_empty() {
                let body = serde_json::json!({ "data": patch }).to_string();
                commands.push(
                    Cmd::new("kubectl patch")
                        .lit(kind)
                        .word(name.clone())
                        .opt("-n", ns_word.clone())
                        .lit("--type merge -p")
                        .val(body),
                );
            }
            if !secret_keys.is_empty() {
                let hole = ctx.ph.hole(
                    "SECRET_RESTORE_COMMAND",
                    "command that puts back the previous secret values (from your secret manager)",
                    "secret values are never written into a plan",
                );
                commands.push(Cmd::default().word(hole));
            }
            verify.push(
                Cmd::new("kubectl get")
                    .lit(kind)
                    .word(name)
                    .opt("-n", ns_word)
                    .lit("-o yaml"),
            );
        }
        Some(ConfigStore::Ssm) => {
            for k in &c.keys {
                let param = format!(
                    "{}{}",
                    loc.as_ref()
                        .and_then(|l| l.name.clone())
                        .unwrap_or_default(),
                    k.key
                );
                match (&k.before, k.secret) {
                    (Some(v), false) => commands.push(
                        Cmd::new("aws ssm put-parameter --name")
                            .val(param.clone())
                            .lit("--value")
                            .val(v.clone())
                            .lit("--overwrite"),
                    ),
                    _ => {
                        let hole = ctx.ph.hole(
                            &format!("{}_PREVIOUS_VALUE", crate::plan::placeholders::slug(&k.key)),
                            &format!("previous value of `{}`", k.key),
                            &format!("deployment.changes[{i}].keys[].before"),
                        );
                        commands.push(
                            Cmd::new("aws ssm put-parameter --name")
                                .val(param.clone())
                                .lit("--value")
                                .word(hole)
                                .lit("--overwrite"),
                        );
                    }
                }
                verify.push(
                    Cmd::new("aws ssm get-parameter --name")
                        .val(param)
                        .lit("--query Parameter.Version"),
                );
            }
        }
        _ => {
            let hole = ctx.ph.hole(
                &format!("{}_REVERT_COMMAND", crate::plan::placeholders::slug(&label)),
                &format!("command that restores the previous values of config `{label}`"),
                &format!("deployment.changes[{i}].location"),
            );
            commands.push(Cmd::default().word(hole));
        }
    }
    let keys: Vec<String> = c
        .keys
        .iter()
        .map(|k| match (&k.before, k.secret) {
            (_, true) => format!("{} (secret)", k.key),
            (Some(v), false) => format!("{} = {v}", k.key),
            (None, false) => format!("{} (added by the deploy: remove)", k.key),
        })
        .collect();
    Action {
        title: format!("Restore the previous values of config `{label}`"),
        component: label,
        commands,
        verify,
        success: if keys.is_empty() {
            "the config shows the pre-deploy values".to_string()
        } else {
            format!("the config shows: {}", keys.join(", "))
        },
        minutes: 3,
        destructive: false,
        notes: {
            let mut notes = vec![restart_note(ctx)];
            if from_diff {
                for d in &diffed {
                    let at = d.before_evidence.as_ref().map(|e| e.cite());
                    notes.push(match (d.status.as_str(), d.secret, &d.before) {
                        ("added", _, _) => format!("`{}` was added by the deploy ({}): remove it.", d.key, d.evidence.cite()),
                        (_, true, _) => {
                            let hole = ctx.ph.text(
                                &format!("{}_PREVIOUS_VALUE", crate::plan::placeholders::slug(&d.key)),
                                &format!("previous value of secret `{}`", d.key),
                                &format!(
                                    "{} (the file before the deploy), or the previous version in your secret manager",
                                    at.clone().unwrap_or_else(|| format!("deployment.changes[{i}].before_path"))
                                ),
                            );
                            format!(
                                "`{}` is a secret: set it back to {hole}, the value at {} (never copied into this plan).",
                                d.key,
                                at.unwrap_or_else(|| format!("deployment.changes[{i}].before_path"))
                            )
                        }
                        (_, false, Some(v)) => format!(
                            "`{}`: back to `{v}` ({}).",
                            d.key,
                            at.unwrap_or_else(|| d.evidence.cite())
                        ),
                        _ => format!("`{}`: back to its value before the deploy.", d.key),
                    });
                }
            }
            notes
        },
    }
}

/// Who restarts the instances after a config revert: the code rollback when one follows,
/// else the operator, with the platform's restart command.
fn restart_note(ctx: &mut Ctx) -> String {
    let spec = ctx.input.spec.clone();
    let code_follows = !crate::plan::sections::rolled_back_services(ctx)
        .0
        .is_empty();
    if code_follows {
        return "Instances read config at start: the code rollback step that follows restarts them.".to_string();
    }
    let restartable = spec
        .architecture
        .services
        .iter()
        .any(|svc| deploy::restart(svc, &mut ctx.ph).is_some());
    if restartable {
        "Instances read config at start and no code rollback follows: the restart command of this step makes them read the old values.".to_string()
    } else {
        "Instances that read config only at start keep the new values until restarted: restart them after this step (no code rollback follows to do it).".to_string()
    }
}
