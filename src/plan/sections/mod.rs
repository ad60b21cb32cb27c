//! One builder per section. `assemble` runs them in dependency order (the classification needs the
//! procedure's time estimate) and returns the plan in section order.

pub mod classification;
pub mod communication;
pub mod communication_customers;
pub mod data_recovery;
pub mod facts;
pub mod go_no_go;
pub mod network_checks;
pub mod procedure;
pub mod rehearsed;
pub mod risks;
pub mod rollout;
pub mod rollout_units;
pub mod triggers;

use super::Ctx;
use super::model::{DeploymentInfo, Plan, SECTION_TITLES, SectionRef};
use crate::assess::Level;
use crate::evidence::Artifact;
use crate::model::kinds::MechanismId;
use crate::model::{Change, ChangeKind, DataStore, FlagChange, MigrationTool, Service, Spec};

pub fn assemble(ctx: &mut Ctx, mut artifacts: Vec<Artifact>) -> Plan {
    // The class from the evidence: findings, and migrations the previous version cannot run on.
    let level = classification::level(ctx.findings)
        .max(classification::level_of_facts(&facts::migrations(ctx)));
    let mut procedure = procedure::build(ctx, level);
    // Before the classification: its total and the messages quote the calibrated estimates.
    if let Some(c) = &ctx.options.calibration {
        c.apply(&mut procedure.steps);
    }
    let rehearsed = ctx.options.rehearsal.clone();
    if let Some(rh) = &rehearsed {
        rehearsed::procedure(ctx, rh, &mut procedure.steps);
    }
    // A class whose band the procedure's own estimate exceeds is the next class.
    let total: u32 = procedure.steps.iter().map(|s| s.estimate_minutes).sum();
    let mut level = level.max(Level::for_minutes(total));
    if let Some(rh) = &rehearsed {
        level = level.max(rehearsed::class_floor(rh));
    }
    let mut classification = classification::build(ctx, level, &procedure);
    let triggers = triggers::build(ctx);
    let mut go_no_go = go_no_go::build(ctx, level, &triggers, &procedure);
    let mut data_recovery = data_recovery::build(ctx);
    if let Some(rh) = &rehearsed {
        let (c, g, d) = (&mut classification, &mut go_no_go, &mut data_recovery);
        rehearsed::sections(ctx, rh, c, g, d);
    }
    let rollout = rollout::build(ctx, level, &triggers, &procedure);
    let communication = communication::build(ctx, &classification, &triggers, &procedure);
    let deployment = deployment_info(ctx);

    artifacts.sort_by(|a, b| (&a.path, &a.kind).cmp(&(&b.path, &b.kind)));
    artifacts.dedup_by(|a, b| a.path == b.path);
    for a in &mut artifacts {
        a.findings = ctx
            .findings
            .iter()
            .filter(|f| f.evidence.file == a.path)
            .count();
    }
    let placeholders = std::mem::take(&mut ctx.ph).into_vec();

    let mut plan = Plan {
        format_version: 1,
        deployment,
        sections: SECTION_TITLES
            .iter()
            .map(|(id, title)| SectionRef { id, title })
            .collect(),
        classification,
        go_no_go,
        triggers,
        procedure,
        data_recovery,
        rollout,
        communication,
        assumptions: ctx.input.assumptions.clone(),
        placeholders,
        findings: ctx.findings.to_vec(),
        artifacts,
        ignored: Vec::new(),
    };
    list_invalid_values(&mut plan);
    plan.placeholders.sort_by(|a, b| a.token.cmp(&b.token));
    plan
}

/// A value that cannot be quoted safely (control or bidi characters) becomes `<INVALID_VALUE>` in
/// commands (see `shell::quote`); like every other unknown it is listed among the placeholders.
fn list_invalid_values(plan: &mut Plan) {
    const TOKEN: &str = "<INVALID_VALUE>";
    if plan.placeholders.iter().any(|p| p.token == TOKEN) {
        return;
    }
    let mut sink = FindToken {
        token: memchr::memmem::Finder::new(TOKEN),
        found: false,
    };
    if serde_json::to_writer(&mut sink, &plan).is_ok() && sink.found {
        let mut ph = crate::plan::placeholders::Placeholders::default();
        ph.text(
            "INVALID_VALUE",
            "an input value held control or bidirectional characters, which no shell quoting makes safe to paste; the command shows this instead of the value",
            "the intended value, typed by hand after checking the input it came from",
        );
        plan.placeholders.extend(ph.into_vec());
    }
}

/// A writer that keeps nothing and notes whether `token` passed through it: the JSON of a
/// plan need not be held to be searched. serde_json writes a string's text between its escapes
/// in one call, and the token has none, so it never straddles two writes.
struct FindToken<'a> {
    token: memchr::memmem::Finder<'a>,
    found: bool,
}

impl std::io::Write for FindToken<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.found = self.found || self.token.find(buf).is_some();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn deployment_info(ctx: &mut Ctx) -> DeploymentInfo {
    let d = &ctx.input.spec.deployment;
    DeploymentInfo {
        name: d.name.clone(),
        version: version(ctx),
        previous_version: previous_version(ctx),
        summary: d.summary.clone(),
        planned_start: planned_start(ctx),
        ticket: d.ticket.clone(),
        source: ctx.input.path.clone(),
    }
}

/// The version being deployed, or its placeholder.
pub fn version(ctx: &mut Ctx) -> String {
    let v = ctx.input.spec.deployment.version.clone();
    ctx.ph.text_or(
        v.as_deref(),
        "VERSION",
        "the version being deployed",
        "deployment.version",
    )
}

/// The rollback target, or its placeholder.
pub fn previous_version(ctx: &mut Ctx) -> String {
    let v = ctx.input.spec.deployment.previous_version.clone();
    ctx.ph.text_or(
        v.as_deref(),
        "PREVIOUS_VERSION",
        "the previous known-good version (the rollback target)",
        "deployment.previous_version",
    )
}

/// The planned start: `--at` wins over the spec.
pub fn planned_start(ctx: &Ctx) -> Option<String> {
    ctx.options
        .at
        .clone()
        .or_else(|| ctx.input.spec.deployment.planned_start.clone())
}

/// The decision-maker, or its placeholder.
pub fn decision_maker(ctx: &mut Ctx) -> String {
    let v = ctx.input.spec.people.decision_maker.clone();
    ctx.ph.text_or(
        v.as_deref(),
        "DECISION_MAKER",
        "who decides a rollback (name or role)",
        "people.decision_maker",
    )
}

/// A channel, or its placeholder.
pub fn channel(ctx: &mut Ctx, which: &str) -> String {
    let c = &ctx.input.spec.people.channels;
    let v = match which {
        "deploy" => c.deploy.clone(),
        "incident" => c.incident.clone(),
        _ => c.support.clone(),
    };
    let name = format!("{}_CHANNEL", which.to_uppercase());
    ctx.ph.text_or(
        v.as_deref(),
        &name,
        &format!("the {which} chat channel"),
        &format!("people.channels.{which}"),
    )
}

/// Changes that ship in the deployed artifact and need a redeploy to undo.
fn ships_code(c: &Change) -> bool {
    c.declaration().declares(MechanismId::Redeploy)
        || (c.kind() == ChangeKind::Config
            && c.as_config()
                .and_then(|k| k.location.as_ref())
                .map(|l| l.store)
                == Some(crate::model::ConfigStore::Bundled))
}

/// Whether the whole deployment rolls back by flags alone: every change is a flag change or gated
/// by a flag, and nothing else needs undoing.
pub fn flag_only(spec: &Spec) -> bool {
    let changes = &spec.deployment.changes;
    !changes.is_empty()
        && changes.iter().all(|c| {
            c.kind() == ChangeKind::FeatureFlag
                || (c.gated_by_flag().is_some() && c.declaration().declares(MechanismId::Redeploy))
        })
}

/// Services the code rollback acts on, in rollback order: a service that depends on another
/// deployed service goes first (consumers before providers), otherwise spec order.
/// The services the procedure rolls back, and whether they were added because a migration breaks
/// the previous version while no code change was declared (the code running then was built for
/// the new schema, so it must be replaced after the reverse migration).
pub fn rolled_back_services(ctx: &Ctx) -> (Vec<Service>, bool) {
    let spec = &ctx.input.spec;
    if flag_only(spec) {
        return (Vec::new(), false);
    }
    let services = deployed_services(spec);
    if !services.is_empty() {
        return (services, false);
    }
    let breaking = facts::migrations(ctx)
        .iter()
        .any(|m| m.backward_compatible == Some(false) && !m.is_destructive());
    if !breaking {
        return (services, false);
    }
    if spec.architecture.services.is_empty() {
        (vec![Service::named(&spec.deployment.name)], true)
    } else {
        (spec.architecture.services.clone(), true)
    }
}

/// The number of the first procedure step whose title mentions `needle`, for cross-references
/// that must name a step that exists.
pub fn step_mentioning(procedure: &super::model::Procedure, needle: &str) -> Option<u32> {
    procedure
        .steps
        .iter()
        .find(|s| s.title.contains(needle))
        .map(|s| s.number)
}

pub fn deployed_services(spec: &Spec) -> Vec<Service> {
    let services = &spec.architecture.services;
    let changes = &spec.deployment.changes;
    let code: Vec<&Change> = changes.iter().filter(|c| ships_code(c)).collect();
    if code.is_empty() {
        return Vec::new();
    }
    let all = code.iter().any(|c| c.services().is_empty());
    let mut picked: Vec<&Service> = services
        .iter()
        .filter(|s| {
            all || code
                .iter()
                .any(|c| c.services().iter().any(|n| n == &s.name))
        })
        .collect();
    if picked.is_empty() {
        // No architecture given: one unnamed service standing for the deployment.
        return vec![Service::named(&spec.deployment.name)];
    }
    // Stable topological order: repeatedly take the first service no remaining service depends on.
    let mut ordered = Vec::with_capacity(picked.len());
    while !picked.is_empty() {
        let idx = picked
            .iter()
            .position(|s| {
                !picked
                    .iter()
                    .any(|o| o.name != s.name && o.dependencies.contains(&s.name))
            })
            .unwrap_or(0);
        ordered.push(picked.remove(idx).clone());
    }
    ordered
}

/// The data store a change runs on: named, else the only SQL store.
pub fn store_for<'a>(spec: &'a Spec, change: &Change) -> Option<&'a DataStore> {
    let stores = &spec.architecture.data_stores;
    match &change.database() {
        Some(name) => stores.iter().find(|s| &s.name == name),
        None => {
            let mut sql = stores.iter().filter(|s| s.engine.is_sql());
            match (sql.next(), sql.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
    }
}

/// Every flag involved, by key, in spec order: flag changes and flags that gate changes.
pub fn flags(spec: &Spec) -> Vec<FlagChange> {
    let mut out: Vec<FlagChange> = Vec::new();
    for c in &spec.deployment.changes {
        if let Some(f) = c.flag()
            && !out.iter().any(|o| o.key == f.key)
        {
            out.push(f.clone());
        }
    }
    for c in &spec.deployment.changes {
        if let Some(key) = c.gated_by_flag()
            && !out.iter().any(|o| o.key == key)
        {
            out.push(FlagChange {
                key: key.to_string(),
                provider: None,
                default: None,
                from_percent: None,
                to_percent: None,
                rollout: Vec::new(),
                provider_id: None,
            });
        }
    }
    out
}

/// The migration tool of a change: declared, else plain SQL.
pub fn tool_of(c: &Change) -> MigrationTool {
    c.as_migration()
        .and_then(|m| m.tool)
        .unwrap_or(MigrationTool::Sql)
}

/// Level as used by several sections: is data involved?
pub fn involves_data(level: Level) -> bool {
    level >= Level::Complex
}

/// `n` formatted as a percentage with at most two decimals, trailing zeros trimmed.
/// Most items a plan lists inline before it summarises the rest: a migration of 5,000 statements
/// must not make a 5,000-line step.
pub const LIST_MAX: usize = 20;

/// `items` joined by `sep`; past [`LIST_MAX`], the first ones and a count of the rest.
pub fn summarised(items: &[String], sep: &str) -> String {
    if items.len() <= LIST_MAX {
        return items.join(sep);
    }
    format!(
        "{}{sep}… and {} more",
        items[..LIST_MAX].join(sep),
        items.len() - LIST_MAX
    )
}

pub fn pct(n: f64) -> String {
    let s = format!("{n:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}
