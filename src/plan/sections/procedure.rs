//! Step-by-Step Rollback Procedure. The order across components is reasoned:
//! 1. stop what cannot be recalled (side effects), then flags that disable the change: seconds;
//! 2. platform preconditions (Argo CD auto-sync off);
//! 3. config kept outside the artifact, before the code, so restarted instances read the old values;
//! 4. reverse migrations the old code cannot run without, before the code (with a backup first);
//! 5. the code, service by service, consumers before providers; traffic switches before redeploys;
//! 6. reverse migrations the old code does not need, after the code (or left in place);
//! 7. data repairs and infrastructure, after the code;
//! 8. one verification of the whole.

use super::super::Ctx;
use super::super::model::{Procedure, Step};
use super::facts::{self, MigrationFacts};
use super::{flag_only, flags, store_for, tool_of};
use crate::assess::Level;
use crate::base::shell::Cmd;
use crate::model::{ChangeKind, ConfigStore, DataOperationKind, InfraTool};
use crate::platforms::{Action, datastores, deploy, flags as flag_cmds, metrics, migrations};

pub fn build(ctx: &mut Ctx, level: Level) -> Procedure {
    let spec = ctx.input.spec.clone();
    let mut actions: Vec<Action> = Vec::new();
    let mut ordering: Vec<String> = Vec::new();
    let provider = spec.architecture.flag_provider.clone();
    let migration_facts = facts::migrations(ctx);

    // 1. Side effects: stop further sends first.
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::ExternalSideEffect || c.gated_by_flag().is_some() {
            continue;
        }
        let what = c
            .as_side_effect()
            .and_then(|e| e.effect)
            .map(|e| e.describe())
            .unwrap_or("side effects");
        let name = format!(
            "{}_STOP_COMMAND",
            super::super::placeholders::slug(&c.label(i))
        );
        let hole = ctx.ph.hole(
            &name,
            &format!(
                "command that pauses the sender of {what} (queue consumer, cron, worker scale-down)"
            ),
            &format!("deployment.changes[{i}].gated_by_flag (a flag makes this a kill switch)"),
        );
        actions.push(Action {
            title: format!("Stop further {what}"),
            component: c.label(i),
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: format!("no new {what} leave the system (sender's log or provider dashboard is quiet)"),
            minutes: 2,
            destructive: false,
            notes: vec![format!("What was already sent cannot be recalled; see the mitigation in Rollback Classification.")],
        });
        ordering.push(format!(
            "Stop `{}` first: every minute sends more {what} that cannot be recalled.",
            c.label(i)
        ));
    }

    // 1b. The brief's own backout: the mechanism its author named, quoted.
    brief_backout(ctx, &mut actions, &mut ordering);

    // 1a. Data operations still running keep writing while everything else is rolled back.
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::DataOperation {
            continue;
        }
        let label = c.label(i);
        let hole = ctx.ph.hole(
            &format!("{}_STOP_COMMAND", super::super::placeholders::slug(&label)),
            &format!("command that stops or pauses `{label}` (job, script or worker)"),
            &format!("deployment.changes[{i}].script (say how it runs)"),
        );
        actions.push(Action {
            title: format!("Stop `{label}` if it is still running"),
            component: label.clone(),
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the job reports stopped and the row count of its table no longer changes".to_string(),
            minutes: 2,
            destructive: false,
            notes: vec![if c.as_data_operation().and_then(|d| d.batched) == Some(true) {
                "It runs in batches: stopping between batches leaves the rows consistent.".to_string()
            } else {
                "It is not declared batched: stopping it midway may leave a partial state; check the data check in Rollback Trigger Criteria.".to_string()
            }],
        });
        ordering.push(format!(
            "Stop data operation `{label}` first: it keeps writing while everything else is rolled back."
        ));
    }

    // 1b. Flags: the kill switch comes first when it disables the change.
    let all_flags = flags(&spec);
    for f in &all_flags {
        let back_to = f.from_percent.filter(|p| *p > 0.0);
        let mut returned = false;
        if let Some(p) = back_to
            && let Some(cmd) = flag_cmds::set_percent(provider.as_ref(), f, p, &mut ctx.ph)
        {
            actions.push(Action {
                title: format!("Return flag `{}` to {}", f.key, super::pct(p)),
                component: format!("flag {}", f.key),
                commands: vec![cmd],
                verify: vec![flag_cmds::read_state(provider.as_ref(), f, &mut ctx.ph)],
                success: format!(
                    "the flag serves the new variation to {} again",
                    super::pct(p)
                ),
                minutes: 2,
                destructive: false,
                notes: vec![
                    "If the failure persists at the old share, turn the flag off (next step)."
                        .to_string(),
                ],
            });
            returned = true;
        }
        let mut a = flag_cmds::turn_off(provider.as_ref(), f, &mut ctx.ph);
        if let Some(p) = back_to
            && !returned
        {
            a.notes.push(format!(
                "Off is the safe worst case. To return to {} instead, set the percentage rollout back in the provider (its API needs variation ids rollbook does not know).",
                super::pct(p)
            ));
        }
        actions.push(a);
    }
    if !all_flags.is_empty() {
        let keys: Vec<String> = all_flags.iter().map(|f| format!("`{}`", f.key)).collect();
        ordering.push(format!(
            "Flags first ({}): turning a flag off takes effect in seconds and needs no redeploy.",
            keys.join(", ")
        ));
    }
    let only_flags = flag_only(&spec);
    let gated = spec
        .deployment
        .changes
        .iter()
        .any(|c| c.gated_by_flag().is_some());
    if gated && !only_flags {
        ordering.push(
            "If turning the flag off brings the metrics back, the failure is contained: the remaining steps can then run calmly, in daylight, with the decision-maker.".to_string(),
        );
    }
    if only_flags {
        ordering.push(
            "Every change is a flag or gated by one: the code stays deployed and inert with the flag off; redeploy the previous version only if the flag does not stop the failure.".to_string(),
        );
    }

    // 2-5. Code, with what must precede it.
    let (services, undeclared_code) = super::rolled_back_services(ctx);
    if undeclared_code {
        let breaking: Vec<String> = migration_facts
            .iter()
            .filter(|m| m.backward_compatible == Some(false) && !m.is_destructive())
            .map(|m| format!("`{}`", spec.deployment.changes[m.index].label(m.index)))
            .collect();
        ordering.push(format!(
            "No code change was declared or inferred, yet migration {} breaks the previous version: the code running now was built for the new schema, so the procedure redeploys the previous version after the reverse migration. Declare the code change (kind: code) to confirm which services.",
            breaking.join(", ")
        ));
    }
    for svc in &services {
        actions.extend(deploy::pre_rollback(svc, &mut ctx.ph));
    }

    // 3. Config kept outside the artifact.
    let mut config_services: Vec<crate::model::Service> = Vec::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::Config {
            continue;
        }
        let store = c
            .as_config()
            .and_then(|k| k.location.as_ref())
            .map(|l| l.store);
        if store == Some(ConfigStore::Bundled) {
            continue;
        }
        if services.is_empty() && config_services.is_empty() {
            // Config alone: the platform preconditions (Argo CD auto-sync) still apply.
            config_services = spec.architecture.services.clone();
            for svc in &config_services {
                actions.extend(deploy::pre_rollback(svc, &mut ctx.ph));
            }
        }
        let mut a = config_revert(ctx, i);
        if services.is_empty() {
            // No code rollback follows to restart the instances that read config at start.
            for svc in &config_services {
                if let Some(r) = deploy::restart(svc, &mut ctx.ph) {
                    a.commands.push(r);
                }
            }
        }
        actions.push(a);
        ordering.push(if services.is_empty() {
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

    // 4. Reverse migrations the old code needs, before the code.
    let (before, after): (Vec<&MigrationFacts>, Vec<&MigrationFacts>) = migration_facts
        .iter()
        .partition(|m| m.backward_compatible == Some(false) && !m.is_destructive());
    let mut first_reverse: Option<usize> = None;
    for m in &before {
        let label = spec.deployment.changes[m.index].label(m.index);
        push_reverse_migration(ctx, &mut actions, m);
        first_reverse.get_or_insert(actions.len() - 1);
        ordering.push(format!(
            "Reverse migration `{label}` before the code: the previous version does not run on the new schema."
        ));
    }

    // 5. Code.
    for svc in &services {
        let mut rb = deploy::rollback(svc, &mut ctx.ph);
        if undeclared_code {
            for a in &mut rb {
                a.notes.push("No code change of this service is declared: check which version runs before the reverse migration, and skip this step only if it already is the previous version.".to_string());
            }
        }
        actions.extend(rb);
    }
    if let Some(first) = first_reverse
        && actions.len() > first + 1
    {
        // Between the reverse migration and the old code serving, the new code meets the old
        // schema: that stretch is an outage of whatever reads the changed tables.
        let last_code = actions.len();
        let minutes: u32 = actions[first..last_code].iter().map(|a| a.minutes).sum();
        ordering.push(format!(
            "Outage window: from Step {} (reverse migration) until Step {} finishes (previous version serving), about {minutes} min, the running new code meets the old schema and fails on what the migration changed. Keep the steps back to back; turning the flags off first (when they gate the change) shortens the impact.",
            first + 1,
            last_code
        ));
    }
    if services.len() > 1 {
        let names: Vec<String> = services.iter().map(|s| format!("`{}`", s.name)).collect();
        ordering.push(format!(
            "Services in this order: {} (a service that calls another deployed service goes first, so nothing calls an API that is already gone).",
            names.join(", ")
        ));
    }
    if services.iter().any(|s| {
        matches!(
            s.strategy,
            Some(crate::model::Strategy::BlueGreen | crate::model::Strategy::Canary)
        )
    }) {
        ordering.push("Traffic switch before redeploy: sending traffic back to the old version that still runs takes a minute; the redeploy only makes it permanent.".to_string());
    }

    // 6. Migrations after the code, or left in place.
    for m in &after {
        let c = &spec.deployment.changes[m.index];
        let label = c.label(m.index);
        if m.is_destructive() {
            push_restore(ctx, &mut actions, m);
            ordering.push(format!(
                "Migration `{label}` destroyed data: its down cannot bring it back; restore from backup into a separate instance after the code is back, then copy the lost data over."
            ));
        } else if m.additive || m.backward_compatible == Some(true) {
            ordering.push(format!(
                "Migration `{label}` is additive and the previous version runs on it: leave it in place; do not run its down migration (it would drop data written since the deploy)."
            ));
        } else {
            push_reverse_migration(ctx, &mut actions, m);
            ordering.push(format!(
                "Reverse migration `{label}` after the code: nothing says the old code needs it first; if the old code fails on the new schema, run it before the code instead."
            ));
        }
    }

    // 7. Data operations and infrastructure.
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        match c.kind() {
            ChangeKind::DataOperation => {
                if let Some(a) = data_repair(ctx, i) {
                    // A backup before any destructive step.
                    if let Some(store) = store_for(&spec, &spec.deployment.changes[i]) {
                        let mut b = datastores::backup_now(
                            store,
                            &format!("before-repair-{}", spec.deployment.changes[i].label(i)),
                            &mut ctx.ph,
                        );
                        b.notes.push(
                            "Keeps the rows as they are now, before the repair overwrites them."
                                .to_string(),
                        );
                        actions.push(b);
                    }
                    actions.push(a);
                }
            }
            ChangeKind::Infrastructure => {
                actions.push(infra_revert(ctx, i));
                if !services.is_empty() {
                    ordering.push(format!(
                        "Infrastructure `{}` after the code: the new code may need it while it still runs.",
                        c.label(i)
                    ));
                }
            }
            _ => {}
        }
    }

    for svc in services.iter().chain(&config_services) {
        actions.extend(deploy::post_rollback(svc, &mut ctx.ph));
    }

    // 7a. Work rollbook could not map, and a plan with no action at all: a placeholder to write.
    unmapped_undo(ctx, &mut actions);

    // 8. One verification of the whole.
    actions.push(final_verification(ctx, &services));

    let mut not_reverted: Vec<String> = Vec::new();
    for svc in &services {
        for n in deploy::not_reverted(svc) {
            let line = format!("{}: {n}", svc.name);
            if !not_reverted.contains(&line) {
                not_reverted.push(line);
            }
        }
    }
    // What the database keeps follows from the steps above, not from the platform.
    let kept: Vec<String> = after
        .iter()
        .filter(|m| !m.is_destructive() && (m.additive || m.backward_compatible == Some(true)))
        .map(|m| format!("`{}`", spec.deployment.changes[m.index].label(m.index)))
        .collect();
    if !kept.is_empty() {
        not_reverted.push(format!(
            "The schema changes of {} (left in place on purpose: the previous version runs on them).",
            kept.join(", ")
        ));
    }
    // Only where there is a database to hold them: a stateless plan says no data store changes.
    if !spec.architecture.data_stores.is_empty() || !migration_facts.is_empty() {
        not_reverted.push(
            "Rows written since the deploy: they stay in the database (see Data Recovery Strategy)."
                .to_string(),
        );
    }
    if level >= Level::Irreversible
        && spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::ExternalSideEffect)
    {
        not_reverted.push(
            "Anything already sent outside the system (see Rollback Classification: mitigation)."
                .to_string(),
        );
    }
    for c in spec
        .deployment
        .changes
        .iter()
        .filter_map(|c| c.as_infrastructure())
        .filter(|c| {
            c.no_downgrade_path == Some(true) || c.apply == Some(InfraTool::PlatformUpgrade)
        })
    {
        let target = c
            .target
            .clone()
            .unwrap_or_else(|| "the infrastructure change".to_string());
        not_reverted.push(format!(
            "{target}: the upgrade itself (no downgrade exists)."
        ));
    }

    let steps = actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| Step {
            number: i as u32 + 1,
            title: a.title,
            component: a.component,
            commands: a.commands,
            verify: a.verify,
            success: a.success,
            estimate_minutes: a.minutes,
            estimate_source: Default::default(),
            destructive: a.destructive,
            notes: a.notes,
        })
        .collect();
    Procedure {
        ordering,
        steps,
        not_reverted,
    }
}

fn push_reverse_migration(ctx: &mut Ctx, actions: &mut Vec<Action>, m: &MigrationFacts) {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[m.index];
    let store = store_for(&spec, c).cloned();
    let drops_new_data = !m.creates.is_empty();
    if drops_new_data && let Some(s) = &store {
        let mut b =
            datastores::backup_now(s, &format!("before-down-{}", c.label(m.index)), &mut ctx.ph);
        b.notes.push(format!(
            "The down migration drops {}: data written there since the deploy is kept only in this backup.",
            m.creates.join(", ")
        ));
        actions.push(b);
    }
    let mut a = migrations::down(tool_of(c), c, store.as_ref(), &mut ctx.ph);
    a.destructive = drops_new_data;
    if !m.has_down && migrations::has_down(tool_of(c)) {
        a.notes.push(
            "No down migration was found for this change: write and test it before the deploy."
                .to_string(),
        );
    }
    actions.push(a);
}

fn push_restore(ctx: &mut Ctx, actions: &mut Vec<Action>, m: &MigrationFacts) {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[m.index];
    let lost: Vec<String> = m
        .destroys
        .iter()
        .map(|(w, e)| format!("{w} ({})", e.cite()))
        .collect();
    match store_for(&spec, c).cloned() {
        Some(s) => {
            let mut b = datastores::backup_now(
                &s,
                &format!("before-restore-{}", c.label(m.index)),
                &mut ctx.ph,
            );
            b.notes.push(
                "Keeps what was written since the deploy before anything is restored.".to_string(),
            );
            actions.push(b);
            let mut r = datastores::restore(&s, &mut ctx.ph);
            r.notes.push(format!(
                "Lost by the migration: {}.",
                super::summarised(&lost, "; ")
            ));
            r.notes.push(
                "Restore into a separate instance and copy the lost data back; never restore over the live database unless the decision-maker accepts losing everything written since the backup.".to_string(),
            );
            actions.push(r);
            if m.has_down {
                let mut d = migrations::down(tool_of(c), c, Some(&s), &mut ctx.ph);
                d.title = format!(
                    "Re-create the schema `{}` dropped (its down migration)",
                    c.label(m.index)
                );
                d.notes.push(
                    "The down re-creates empty tables and columns; the next step fills them from the restored copy.".to_string(),
                );
                actions.push(d);
            }
            actions.push(copy_back(ctx, &s, m, &c.label(m.index)));
        }
        None => {
            let hole = ctx.ph.hole(
                "RESTORE_COMMAND",
                "the command that restores the pre-deploy backup into a separate instance",
                "architecture.data_stores (declare the store and its backup)",
            );
            actions.push(Action {
                title: format!(
                    "Restore the data destroyed by `{}` from backup",
                    c.label(m.index)
                ),
                component: c.label(m.index),
                commands: vec![Cmd::default().word(hole)],
                verify: Vec::new(),
                success: "the lost data is readable in the restored copy".to_string(),
                minutes: 30,
                destructive: true,
                notes: vec![format!(
                    "Lost by the migration: {}.",
                    super::summarised(&lost, "; ")
                )],
            });
        }
    }
}

/// Copies what the migration destroyed from the restored copy back into the live database.
fn copy_back(
    ctx: &mut Ctx,
    store: &crate::model::DataStore,
    m: &MigrationFacts,
    label: &str,
) -> Action {
    let mut commands = Vec::new();
    let mut manual = Vec::new();
    for (what, _) in &m.destroys {
        if let Some(table) = what.strip_prefix("table ") {
            let cmd = if store.engine.is_mysql_family() {
                let db = ctx.ph.val_or(
                    store.database.as_deref(),
                    "DATABASE_NAME",
                    "database name inside the server",
                    "architecture.data_stores[].database",
                );
                Cmd::new("mysqldump --defaults-extra-file=\"$RESTORED_MYSQL_DEFAULTS_FILE\" --no-create-info --single-transaction")
                    .word(db.clone())
                    .val(table)
                    .lit("| mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\"")
                    .word(db)
            } else {
                Cmd::new("pg_dump \"$RESTORED_DATABASE_URL\" --data-only")
                    .word(crate::base::shell::Word::lit("--table=").then(
                        crate::base::shell::Word::val(super::triggers::ident(store.engine, table)),
                    ))
                    .lit("| psql \"$DATABASE_URL\" -X -1 -v ON_ERROR_STOP=1")
            };
            commands.push(cmd);
        } else {
            manual.push(what.clone());
        }
    }
    // One placeholder per table whose columns were dropped, not one per column: a migration
    // dropping thousands of columns still gets a step a person can read.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for what in &manual {
        let key = what
            .strip_prefix("column ")
            .and_then(|tc| tc.rsplit_once('.'))
            .map_or_else(|| what.clone(), |(t, _)| t.to_string());
        match index.get(&key) {
            Some(&g) => groups[g].1.push(what.clone()),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![what.clone()]));
            }
        }
    }
    for (table, items) in &groups {
        let columns_of_one_table =
            items.len() > 1 && items.iter().all(|w| w.starts_with("column "));
        let (name, what) = if columns_of_one_table {
            let columns: Vec<String> = items
                .iter()
                .map(|w| {
                    w.rsplit_once('.')
                        .map_or(w.as_str(), |(_, c)| c)
                        .to_string()
                })
                .collect();
            (
                format!(
                    "TABLE_{}_COLUMNS_COPY_BACK",
                    super::super::placeholders::slug(table)
                ),
                format!(
                    "the {} columns of table {table} ({})",
                    items.len(),
                    super::summarised(&columns, ", ")
                ),
            )
        } else {
            let joined = items.join(", ");
            (
                format!("{}_COPY_BACK", super::super::placeholders::slug(&joined)),
                joined,
            )
        };
        let hole = ctx.ph.hole(
            &name,
            &format!("commands that copy {what} from the restored copy into the live database, keyed by primary key"),
            "write them now, and rehearse them on a copy",
        );
        commands.push(Cmd::default().word(hole));
    }
    Action {
        title: format!("Copy the data `{label}` destroyed back from the restored copy"),
        component: store.name.clone(),
        commands,
        verify: Vec::new(),
        success: "row counts of the copied tables match the restored copy; spot checks of copied values match".to_string(),
        minutes: 15,
        destructive: false,
        notes: vec![
            "`$RESTORED_DATABASE_URL` points at the instance restored in the step before; `$DATABASE_URL` at the live database.".to_string(),
            "Rows deleted by users since the deploy come back too: reconcile with the export of writes since the deploy.".to_string(),
        ],
    }
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
                &format!("{}_NAME", super::super::placeholders::slug(&label)),
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
                            &format!(
                                "{}_PREVIOUS_VALUE",
                                super::super::placeholders::slug(&k.key)
                            ),
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
                &format!(
                    "{}_REVERT_COMMAND",
                    super::super::placeholders::slug(&label)
                ),
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
                                &format!("{}_PREVIOUS_VALUE", super::super::placeholders::slug(&d.key)),
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
    let code_follows = !super::rolled_back_services(ctx).0.is_empty();
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

fn data_repair(ctx: &mut Ctx, i: usize) -> Option<Action> {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[i];
    let label = c.label(i);
    let d = c.as_data_operation()?;
    let op = d.operation;
    if op == Some(DataOperationKind::Backfill) && c.destructive() != Some(true) {
        // A backfill into new columns can stay; the data check in the triggers watches it.
        return None;
    }
    let table = d.table.clone();
    let store = store_for(&spec, c).cloned();
    let hole = ctx.ph.hole(
        &format!("{}_REPAIR_SQL", super::super::placeholders::slug(&label)),
        &format!("SQL that copies the rows touched by `{label}` back from the backup table or restored copy"),
        &format!("deployment.changes[{i}]"),
    );
    let commands = match &store {
        Some(s) => {
            let q = datastores::query(s, "", &mut ctx.ph);
            // Replace the empty query with the placeholder: the repair SQL is the operator's.
            let mut q = q;
            if let Some(last) = q.words.last_mut() {
                *last = hole;
            }
            vec![q]
        }
        None => vec![Cmd::default().word(hole)],
    };
    Some(Action {
        title: format!(
            "Repair the rows changed by `{label}`{}",
            table
                .as_deref()
                .map(|t| format!(" in {t}"))
                .unwrap_or_default()
        ),
        component: label,
        commands,
        verify: Vec::new(),
        success: "the repaired rows match the backup (row counts and spot checks)".to_string(),
        minutes: 20,
        destructive: true,
        notes: vec![
            "Run only after the code rollback, so nothing overwrites the repaired rows."
                .to_string(),
        ],
    })
}

fn infra_revert(ctx: &mut Ctx, i: usize) -> Action {
    let change = ctx.input.spec.deployment.changes[i].clone();
    let label = change.label(i);
    let c = change.as_infrastructure().cloned().unwrap_or_default();
    let commit = ctx.ph.hole(
        &format!("{}_COMMIT", super::super::placeholders::slug(&label)),
        &format!("the commit that introduced `{label}`"),
        &format!("deployment.changes[{i}]"),
    );
    let dir = c.workdir.clone();
    let chdir = |cmd: Cmd| match &dir {
        Some(d) => Cmd::new("cd")
            .val(d.clone())
            .lit("&&")
            .word(crate::base::shell::Word::lit(cmd.render())),
        None => cmd,
    };
    let (commands, verify, minutes) = match c.apply {
        Some(InfraTool::Terraform) | Some(InfraTool::Opentofu) => {
            let bin = if c.apply == Some(InfraTool::Opentofu) {
                "tofu"
            } else {
                "terraform"
            };
            (
                vec![
                    Cmd::new("git revert --no-edit").word(commit),
                    chdir(Cmd::new(bin).lit("plan -out=rollback.tfplan")),
                    chdir(Cmd::new(bin).lit("apply rollback.tfplan")),
                ],
                vec![chdir(Cmd::new(bin).lit("plan -detailed-exitcode"))],
                20,
            )
        }
        Some(InfraTool::Cloudformation) => {
            let stack = ctx.ph.val_or(
                c.target.as_deref(),
                "STACK_NAME",
                "CloudFormation stack name",
                &format!("deployment.changes[{i}].target"),
            );
            (
                vec![
                    Cmd::new("git revert --no-edit").word(commit),
                    Cmd::new("aws cloudformation deploy --stack-name")
                        .word(stack.clone())
                        .lit("--template-file")
                        .word(ctx.ph.hole(
                            "TEMPLATE_FILE",
                            "the stack's template file",
                            "deployment.changes[].workdir",
                        )),
                ],
                vec![
                    Cmd::new("aws cloudformation describe-stacks --stack-name")
                        .word(stack)
                        .lit("--query Stacks[0].StackStatus"),
                ],
                20,
            )
        }
        _ => {
            let hole = ctx.ph.hole(
                &format!(
                    "{}_REVERT_COMMAND",
                    super::super::placeholders::slug(&label)
                ),
                &format!("how `{label}` is reverted"),
                &format!("deployment.changes[{i}].apply"),
            );
            (vec![Cmd::default().word(hole)], Vec::new(), 30)
        }
    };
    let no_downgrade =
        c.no_downgrade_path == Some(true) || c.apply == Some(InfraTool::PlatformUpgrade);
    // What the revert does to each resource the forward plan touched: it destroys what the deploy
    // created, replaces again what it replaced, and re-creates empty what it destroyed.
    use crate::evidence::terraform::Action as Tf;
    let mut destroys = Vec::new();
    let mut replaces = Vec::new();
    let mut recreates = Vec::new();
    let mut stateful_lost = false;
    for r in ctx
        .evidence
        .resources
        .iter()
        .filter(|r| r.change == i && r.mode != "data")
    {
        let what = r.stateful();
        let item = format!(
            "`{}` ({}{})",
            r.address,
            what.map(|w| format!("{w}, ")).unwrap_or_default(),
            r.evidence.cite()
        );
        match r.action {
            Tf::Create => destroys.push(item),
            Tf::ReplaceDeleteFirst | Tf::ReplaceCreateFirst => replaces.push(item),
            Tf::Delete => {
                recreates.push(item);
                continue;
            }
            _ => continue,
        }
        // Destroyed or replaced by the revert: its data since the deploy is lost.
        stateful_lost |= what.is_some();
    }
    let mut notes = vec![
        "Read the plan before applying: a resource the revert would replace or destroy does not come back with its data.".to_string(),
    ];
    if !destroys.is_empty() {
        notes.push(format!(
            "The revert destroys what the deploy created: {}.",
            destroys.join("; ")
        ));
    }
    if !replaces.is_empty() {
        notes.push(format!(
            "The revert replaces again what the deploy replaced (the attributes that forced it change back): {}.",
            replaces.join("; ")
        ));
    }
    if !recreates.is_empty() {
        notes.push(format!(
            "The revert re-creates, empty, what the deploy destroyed: {}; its data comes back only from a backup.",
            recreates.join("; ")
        ));
    }
    if stateful_lost {
        notes.push(
            "Take a snapshot of every stateful resource above before applying the revert."
                .to_string(),
        );
    }
    if no_downgrade {
        // Nothing downgrades it: the step is containment, and says so.
        let target = c.target.clone().unwrap_or_else(|| label.clone());
        let hole = ctx.ph.hole(
            &format!("{}_MITIGATION_COMMAND", super::super::placeholders::slug(&label)),
            &format!("how traffic leaves `{target}` (failover to an environment still on the old version) or the fix forward"),
            "write it now and rehearse it",
        );
        return Action {
            title: format!("Mitigate `{label}`: {target} has no downgrade"),
            component: label,
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the workloads that failed on the new version are healthy again (rolled back or fixed forward), or traffic runs on an environment still on the previous version".to_string(),
            minutes,
            destructive: false,
            notes: vec![
                format!("No command downgrades {target}. Roll back the workloads that fail on it first; if {target} itself is broken, move traffic to a standby on the previous version, or rebuild one and restore its state from backups."),
            ],
        };
    }
    Action {
        title: format!("Revert infrastructure `{label}`"),
        component: label,
        commands,
        verify,
        success: "the plan shows no remaining changes; dependent services stay healthy".to_string(),
        minutes,
        destructive: stateful_lost,
        notes,
    }
}

/// The brief's statements of one kind, each with its evidence.
fn statements_of(
    ctx: &Ctx,
    kind: crate::model::StatementKind,
) -> Vec<(crate::model::BriefStatement, crate::evidence::Evidence)> {
    let spec = &ctx.input.spec;
    spec.statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == kind)
        .map(|(i, s)| (s.clone(), s.evidence(&ctx.input.path, i)))
        .collect()
}

/// Steps from the brief's own backout words (a backout section, a kill switch, a saved config).
fn brief_backout(ctx: &mut Ctx, actions: &mut Vec<Action>, ordering: &mut Vec<String>) {
    use crate::model::StatementKind;
    let said = statements_of(ctx, StatementKind::Backout);
    for (n, (st, evidence)) in said.iter().enumerate() {
        let words = &st.words;
        let cite = evidence.cite();
        let hole = ctx.ph.hole(
            &format!("BACKOUT_COMMAND_{}", n + 1),
            &format!("the exact command for the brief's backout \u{201c}{words}\u{201d}"),
            &cite,
        );
        actions.push(Action {
            title: format!("Back out as the brief says: \u{201c}{words}\u{201d}"),
            component: ctx.input.spec.deployment.name.clone(),
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the state the brief's backout returns to is back (check it the way the brief's backout says)".to_string(),
            minutes: 5,
            destructive: false,
            notes: vec![format!("From the brief, {cite}.")],
        });
    }
    if !said.is_empty() {
        ordering.push(
            "The brief's own backout first: its author named the mechanism; the steps after it cover what rollbook recognised.".to_string(),
        );
    }
}

/// A step per piece of work rollbook could not map, and one for a plan with no action at all, each
/// with a `<ROLLBACK_COMMAND_FOR_…>` placeholder counted in the placeholder list.
fn unmapped_undo(ctx: &mut Ctx, actions: &mut Vec<Action>) {
    use crate::model::StatementKind;
    let unmapped = statements_of(ctx, StatementKind::UnmappedAction);
    for (n, (st, evidence)) in unmapped.iter().enumerate() {
        let words = &st.words;
        let cite = evidence.cite();
        let hole = ctx.ph.hole(
            &format!("ROLLBACK_COMMAND_FOR_UNMAPPED_{}", n + 1),
            &format!("how to undo \u{201c}{words}\u{201d}: rollbook could not tell"),
            &cite,
        );
        actions.push(Action {
            title: format!("Undo what rollbook could not map: \u{201c}{words}\u{201d}"),
            component: ctx.input.spec.deployment.name.clone(),
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the state before this work is back, checked the way the work's owner checks it".to_string(),
            minutes: 15,
            destructive: st.destructive,
            notes: vec![format!("rollbook could not tell how to undo this ({cite}): write the command before the deploy.")],
        });
    }
    if actions.is_empty() {
        let name = ctx.input.spec.deployment.name.clone();
        let token = format!(
            "ROLLBACK_COMMAND_FOR_{}",
            super::super::placeholders::slug(&name)
        );
        let hole = ctx.ph.hole(
            &token,
            &format!("the command that returns `{name}` to its state before the deploy"),
            "deployment.changes (say what the deployment changes and how it is undone)",
        );
        actions.push(Action {
            title: format!("Roll back `{name}`"),
            component: name,
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the state before the deploy is back".to_string(),
            minutes: 10,
            destructive: false,
            notes: vec!["rollbook found no rollback mechanism for this deployment: write the command before the deploy.".to_string()],
        });
    }
}

fn final_verification(ctx: &mut Ctx, services: &[crate::model::Service]) -> Action {
    let obs = ctx.input.spec.architecture.observability.clone();
    let mut verify = Vec::new();
    let mut commands = Vec::new();
    let targets: Vec<crate::model::Service> = if services.is_empty() {
        ctx.input.spec.architecture.services.clone()
    } else {
        services.to_vec()
    };
    for s in &targets {
        commands.push(deploy::health_check(s, &mut ctx.ph));
    }
    let mut queries = Vec::new();
    for s in &targets {
        queries.push(format!(
            "{}: `{}`",
            s.name,
            metrics::error_ratio(obs.as_ref(), s, "5m")
        ));
    }
    if commands.is_empty() {
        let hole = ctx.ph.hole(
            "SMOKE_TEST_COMMAND",
            "a smoke test of the critical flow",
            "architecture.services[].health_endpoint",
        );
        commands.push(Cmd::default().word(hole));
    }
    verify.append(&mut commands);
    let prev = super::previous_version(ctx);
    let state = if super::flag_only(&ctx.input.spec) {
        "the flags show their pre-deploy state".to_string()
    } else if services.is_empty() {
        "every step above reports its success".to_string()
    } else {
        format!("{prev} is what runs")
    };
    Action {
        title: "Confirm recovery".to_string(),
        component: "all".to_string(),
        commands: Vec::new(),
        verify,
        success: format!(
            "health checks pass, error ratio and p99 are back at the pre-deploy baseline for 10 minutes, and {state}"
        ),
        minutes: 5,
        destructive: false,
        notes: queries.into_iter().map(|q| format!("Watch: {q}")).collect(),
    }
}
