//! Go / No-Go Criteria: what must be true before the deploy starts (with the commands that prove
//! it), approvals scaled to the class, the planned start against the policy's windows, and the
//! triggers that abort a rollout midway.

use super::super::Ctx;
use super::super::model::{Check, GoNoGo, Triggers, WindowVerdict};
use super::facts;
use super::{flags, planned_start, previous_version, store_for, version};
use crate::assess::Level;
use crate::base::shell::Cmd;
use crate::model::{ChangeKind, Policy, Weekday};
use crate::platforms::{datastores, deploy, flags as flag_cmds};
use jiff::civil::Date;

pub fn build(
    ctx: &mut Ctx,
    level: Level,
    triggers: &Triggers,
    procedure: &super::super::model::Procedure,
) -> GoNoGo {
    let spec = ctx.input.spec.clone();
    let ver = version(ctx);
    let prev = previous_version(ctx);
    let mut checks = Vec::new();
    // A flag-only change ships no build: no CI, staging or revision to check. Nor does a
    // deployment of network changes only: its checks are the network's own (network_checks).
    let network_only = !spec.deployment.changes.is_empty()
        && spec
            .deployment
            .changes
            .iter()
            .all(|c| c.kind() == ChangeKind::NetworkChange);
    let ships_build = !super::flag_only(&spec) && !network_only;

    if ships_build {
        checks.push(Check {
            queries: Vec::new(),
            title: format!("CI is green for {ver}: unit, integration and migration tests"),
            commands: Vec::new(),
            expect: "every required check passed on the exact commit being deployed".to_string(),
        });
        // An HTTP smoke test only for services that serve HTTP; anything else (or an unknown
        // target) gets its own smoke test to fill, never a curl it cannot answer.
        let services = &spec.architecture.services;
        let http = !services.is_empty()
            && services
                .iter()
                .all(|s| s.protocol() == crate::model::Protocol::Http);
        let (command, expect) = if http {
            let staging = ctx.ph.hole(
                "STAGING_HEALTH_URL",
                "health URL of the staging deployment",
                "not in the spec: fill by hand",
            );
            (
                Cmd::new("curl -fsS --max-time 5").word(staging),
                "HTTP 200 from staging, and the critical flows exercised there",
            )
        } else {
            let smoke = ctx.ph.hole(
                "STAGING_SMOKE_TEST",
                "command that exercises the change in staging (an RPC call, a message through the queue, a job run, a reachability probe)",
                "not in the spec: fill by hand",
            );
            (
                Cmd::default().word(smoke),
                "the smoke test passes in staging, and the critical flows exercised there",
            )
        };
        checks.push(Check {
            queries: Vec::new(),
            title: format!("Staging runs {ver} and its smoke test passes"),
            commands: vec![command],
            expect: expect.to_string(),
        });
    }

    // Record the rollback target with the platform's own command.
    let (services, _) = super::rolled_back_services(ctx);
    for svc in &services {
        let mut c = deploy::record_current(svc, &mut ctx.ph);
        c.title = format!(
            "Record the running revision of `{}` (the rollback target, expected {prev})",
            svc.name
        );
        checks.push(c);
    }

    // Baselines.
    let obs = spec.architecture.observability.clone();
    for svc in spec.architecture.services.iter().take(6) {
        checks.push(Check {
            title: format!(
                "Capture the baseline of `{}` (last 1h) and paste it into the ticket",
                svc.name
            ),
            queries: super::triggers::baseline_queries(obs.as_ref(), svc),
            commands: Vec::new(),
            expect: match svc.protocol() {
                crate::model::Protocol::Http => "error ratio, p99 latency and request rate written down: the thresholds compare against them",
                crate::model::Protocol::Grpc => "gRPC error ratio and p99 latency written down: the thresholds compare against them",
                crate::model::Protocol::QueueConsumer => "consumer lag, processing errors and dead-letter rate written down: the thresholds compare against them",
                crate::model::Protocol::Batch => "failed runs, run duration and rows processed written down: the thresholds compare against them",
                crate::model::Protocol::Other => "its error and throughput signals written down: the thresholds compare against them",
            }
            .to_string(),
        });
    }

    // Values the data checks compare with: recorded here, before anything changes.
    let recorded: Vec<Cmd> = triggers
        .data_checks
        .iter()
        .filter(|d| d.expect.contains(super::triggers::RECORDED_MARK))
        .map(|d| Cmd::default().word(crate::base::shell::Word::lit(d.query.clone())))
        .collect();
    if !recorded.is_empty() {
        checks.push(Check {
            queries: Vec::new(),
            title: super::triggers::RECORD_COUNTS_TITLE.to_string(),
            commands: recorded,
            expect: "each count written into the ticket: the data checks in Rollback Trigger Criteria compare with them".to_string(),
        });
    }

    // Flags.
    let provider = spec.architecture.flag_provider.clone();
    for f in flags(&spec) {
        let cmd = flag_cmds::read_state(provider.as_ref(), &f, &mut ctx.ph);
        let from = f
            .from_percent
            .map(|p| format!(" and serving {}", super::pct(p)))
            .unwrap_or_default();
        checks.push(Check {
            queries: Vec::new(),
            title: format!("Flag `{}` is in its expected starting state", f.key),
            commands: vec![cmd],
            expect: format!(
                "the flag exists in production{from}; its default (served when the provider is unreachable) is {}",
                match f.default {
                    Some(true) => "ON: check this is intended".to_string(),
                    Some(false) => "off".to_string(),
                    None => "not stated: confirm it is off".to_string(),
                }
            ),
        });
    }

    // Backups for stores touched by data changes.
    if level >= Level::Complex {
        let max_age = spec.policy.backup_max_age_days.unwrap_or(7);
        let mut seen: Vec<String> = Vec::new();
        for c in spec
            .deployment
            .changes
            .iter()
            .filter(|c| c.declaration().changes_data_store)
        {
            if let Some(store) = store_for(&spec, c).cloned()
                && !seen.contains(&store.name)
            {
                seen.push(store.name.clone());
                let mut chk = datastores::verify_backup(&store, &mut ctx.ph);
                let tested = store
                    .backup
                    .as_ref()
                    .and_then(|b| b.last_tested_restore.clone());
                chk.expect = format!(
                    "{}; a backup younger than {max_age} days exists and a restore was tested ({})",
                    chk.expect,
                    tested.map(|d| format!("last tested {d}")).unwrap_or_else(|| "no tested restore on record: NO-GO until one is done or the risk is accepted in writing".to_string())
                );
                checks.push(chk);
            }
        }
    }

    // What each kind declares must hold before a change of it (KindDecl::prevention): one check
    // per kind that declares it, in the order the changes are declared.
    let mut kinds_seen: Vec<ChangeKind> = Vec::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        let d = c.declaration();
        if kinds_seen.contains(&d.kind)
            || d.prevention.is_empty()
            || !PREVENTION_RENDERED.contains(&d.kind)
        {
            continue;
        }
        kinds_seen.push(d.kind);
        for p in d.prevention {
            let mut title = p.to_string();
            if let Some(first) = title.get(..1) {
                title = format!("{}{}", first.to_uppercase(), title.get(1..).unwrap_or(""));
            }
            checks.push(Check {
                queries: Vec::new(),
                title,
                commands: Vec::new(),
                expect: format!(
                    "checked right before `{}` and written into the ticket; missing is a no-go",
                    c.label(i)
                ),
            });
        }
    }

    // Network changes: the previous state recorded, the TTL lowered, out-of-band access.
    checks.extend(super::network_checks::checks(ctx, &spec));

    // Migrations: a dry run on a production-sized copy for anything not purely additive.
    for m in facts::migrations(ctx) {
        if m.additive {
            continue;
        }
        let c = &spec.deployment.changes[m.index];
        checks.push(Check {
            queries: Vec::new(),
            title: format!("Migration `{}` and its down ran on a production-sized copy", c.label(m.index)),
            commands: Vec::new(),
            expect: "both finish within the maintenance budget without lock waits; the down leaves the old code working".to_string(),
        });
    }

    // Declared risks, each turned into what it asks for before the start.
    checks.extend(super::risks::checks(ctx));

    let approvals = approvals(ctx, level, kill_switch(procedure), network_only);
    let window = window(
        ctx,
        level,
        &spec.policy,
        spec.deployment.timezone.as_deref(),
    );
    let mut no_go_triggers = vec![
        "Any fast-burn threshold in Rollback Trigger Criteria fires during a canary stage or the first 30 minutes: abort the rollout and roll back.".to_string(),
    ];
    if ships_build {
        no_go_triggers.push(
            "The health check fails 3 times in a row (30 s apart) on any new instance.".to_string(),
        );
        no_go_triggers.push(
            "New instances crash-loop or fail readiness for longer than 5 minutes.".to_string(),
        );
    } else if network_only {
        no_go_triggers.push(
            "An external probe fails, or a BGP session or DNS answer changes, after the first device, PoP or region: roll that one back before touching the next.".to_string(),
        );
    } else {
        no_go_triggers.push(
            "The health check fails 3 times in a row (30 s apart) after a flag step.".to_string(),
        );
    }
    for svc in &services {
        if let Some(cmd) = deploy::abort_rollout(svc, &mut ctx.ph) {
            no_go_triggers.push(format!(
                "To abort `{}` midway: `{}`",
                svc.name,
                cmd.render()
            ));
        }
    }
    if spec
        .deployment
        .changes
        .iter()
        .any(|c| c.kind() == ChangeKind::Migration)
    {
        no_go_triggers.push(format!(
            "A migration waits on a lock or runs past twice its rehearsed time: cancel it {} and stop.",
            migration_cancel_note(&spec)
        ));
    }
    if spec
        .deployment
        .changes
        .iter()
        .any(|c| c.kind() == ChangeKind::ExternalSideEffect)
    {
        no_go_triggers.push("Any side effect reaches a recipient it should not (wrong audience, duplicate, wrong amount): stop the sender first, then decide.".to_string());
    }
    if !triggers.data_checks.is_empty() {
        no_go_triggers.push(
            "A data check in Rollback Trigger Criteria diverges from its expected value."
                .to_string(),
        );
    }
    // A point of no return the brief names is a decision of its own, never a step of this run.
    for st in spec
        .statements
        .iter()
        .filter(|st| st.kind == crate::model::StatementKind::PointOfNoReturn)
    {
        no_go_triggers.push(format!(
            "Do not pass the point of no return the brief names (\u{201c}{}\u{201d}) until its own Go / No-Go: both sides reconciled, no rollback trigger fired since the cutover, and the decision maker agrees. Until then, every step of the rollback procedure stays possible.",
            st.words
        ));
    }
    GoNoGo {
        checks,
        approvals,
        window,
        no_go_triggers,
    }
}

/// The kinds whose declared prevention is written as a Go / No-Go check. The others' checks are
/// still written by hand above (backups, migration dry runs), so listing them here is a change of
/// every plan that holds them, to be made kind by kind.
const PREVENTION_RENDERED: &[ChangeKind] = &[
    ChangeKind::DataOperation,
    ChangeKind::DatabaseOperation,
    ChangeKind::FleetPush,
    ChangeKind::StreamQueue,
    ChangeKind::IndexCache,
    ChangeKind::AccessChange,
    ChangeKind::PlatformUpgrade,
    ChangeKind::Cutover,
    ChangeKind::NetworkChange,
    ChangeKind::ClientRelease,
    ChangeKind::MlModel,
];

/// The first step that disables the change in seconds (a flag or a config revert), if any.
fn kill_switch(procedure: &super::super::model::Procedure) -> Option<u32> {
    procedure
        .steps
        .iter()
        .find(|s| {
            s.title.starts_with("Turn off feature flag")
                || s.title.starts_with("Return flag")
                || s.title.starts_with("Restore the previous values of config")
        })
        .map(|s| s.number)
}

fn approvals(
    ctx: &mut Ctx,
    level: Level,
    kill_switch_step: Option<u32>,
    network_only: bool,
) -> Vec<String> {
    let spec = ctx.input.spec.clone();
    let approvers = if spec.people.approvers.is_empty() {
        ctx.ph
            .text("APPROVERS", "who approves the deploy", "people.approvers")
    } else {
        spec.people.approvers.join(", ")
    };
    let dm = super::decision_maker(ctx);
    match level {
        Level::Instant => vec![format!("One reviewer of the change ({approvers}).")],
        Level::Fast => vec![
            format!("One reviewer of the change ({approvers})."),
            match kill_switch_step {
                Some(n) => format!("The person running the deploy has the kill switch or config revert at hand (Step {n} of the procedure)."),
                None => "The person running the deploy has the procedure's commands at hand, with the access they need.".to_string(),
            },
        ],
        // A network change touches no data store and has no migration to rehearse: its owners
        // approve, and its rollback is walked through on one device or in the lab.
        Level::Complex if network_only => vec![
            format!("Approval by {approvers}, including the owner of each changed device, zone or edge service."),
            format!("{dm} is reachable for the whole change and bake, and has read this plan."),
            "The rollback, the out-of-band path included, was walked through on one device or in the lab.".to_string(),
        ],
        Level::Complex => vec![
            format!("Approval by {approvers}, including the owner of each data store touched."),
            format!("{dm} is reachable for the whole deploy and bake, and has read this plan."),
            "The reverse migration and restore were rehearsed on a copy.".to_string(),
        ],
        Level::Irreversible => vec![
            format!("Approval by {approvers}, including the owner of each data store touched."),
            format!("{dm} acknowledges in writing, in the change ticket, that parts of this deploy cannot be rolled back, and accepts the mitigation in Rollback Classification."),
            "Correction messages and compensation steps are written and approved before the deploy.".to_string(),
        ],
    }
}

fn weekday(w: Weekday) -> jiff::civil::Weekday {
    use jiff::civil::Weekday as J;
    match w {
        Weekday::Monday => J::Monday,
        Weekday::Tuesday => J::Tuesday,
        Weekday::Wednesday => J::Wednesday,
        Weekday::Thursday => J::Thursday,
        Weekday::Friday => J::Friday,
        Weekday::Saturday => J::Saturday,
        Weekday::Sunday => J::Sunday,
    }
}

fn minutes_of(hhmm: &str) -> Option<i32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Checks the planned start against the policy. Only complex and irreversible deploys are blocked.
fn window(ctx: &Ctx, level: Level, policy: &Policy, tz: Option<&str>) -> WindowVerdict {
    let Some(start) = planned_start(ctx) else {
        return WindowVerdict {
            planned_start: None,
            verdict: "unknown".to_string(),
            detail: "No planned start (set `deployment.planned_start` or pass `--at`): check the time against the deploy windows by hand.".to_string(),
        };
    };
    let (local, day, minute, date) = match crate::spec::time::parse_planned_start(&start, tz) {
        Ok(z) => (
            format!(
                "{} {}",
                z.strftime("%A %Y-%m-%d %H:%M"),
                z.time_zone().iana_name().unwrap_or("(offset)")
            ),
            z.weekday(),
            z.hour() as i32 * 60 + z.minute() as i32,
            Some(z.date()),
        ),
        Err(e) => match crate::spec::time::parse_weekly_start(&start) {
            Some(w) => (
                format!(
                    "{:?} {:02}:{:02} {} (no date)",
                    w.weekday, w.hour, w.minute, w.zone
                ),
                w.weekday,
                w.hour as i32 * 60 + w.minute as i32,
                None,
            ),
            None => {
                return WindowVerdict {
                    planned_start: Some(start),
                    verdict: "unknown".to_string(),
                    detail: format!("The planned start could not be read: {e}."),
                };
            }
        },
    };
    let mut blocked: Vec<String> = Vec::new();
    if policy.blocked_windows.is_empty() {
        if day == jiff::civil::Weekday::Friday && minute >= 12 * 60 {
            blocked.push("Friday afternoon (default policy)".to_string());
        }
        if matches!(
            day,
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            blocked.push("weekend (default policy)".to_string());
        }
    }
    for w in &policy.blocked_windows {
        let from = w.from.as_deref().and_then(minutes_of).unwrap_or(0);
        let to = w.to.as_deref().and_then(minutes_of).unwrap_or(24 * 60);
        if w.days.iter().any(|d| weekday(*d) == day) && minute >= from && minute < to {
            blocked.push(format!(
                "{:?} {}-{}{}",
                day,
                w.from.as_deref().unwrap_or("00:00"),
                w.to.as_deref().unwrap_or("24:00"),
                w.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ));
        }
    }
    // Holidays and freezes need the date; a weekly start leaves them to be checked by hand.
    let undated = date.is_none() && (!policy.holidays.is_empty() || !policy.freezes.is_empty());
    let date = date.unwrap_or(Date::MIN);
    for h in &policy.holidays {
        if let Ok(hd) = h.parse::<Date>() {
            if hd == date {
                blocked.push(format!("holiday {h}"));
            } else if hd.yesterday().ok() == Some(date) {
                blocked.push(format!("eve of holiday {h}"));
            }
        }
    }
    for f in &policy.freezes {
        if let (Ok(a), Ok(b)) = (f.from.parse::<Date>(), f.to.parse::<Date>())
            && a <= date
            && date <= b
        {
            blocked.push(format!(
                "freeze {}..{}{}",
                f.from,
                f.to,
                f.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ));
        }
    }
    // A freeze that starts soon after: the bake, and any rollback, must end before it.
    let mut soon: Vec<String> = Vec::new();
    for f in &policy.freezes {
        if let Ok(a) = f.from.parse::<Date>()
            && !undated
            && a > date
            && let Ok(span) = date.until(a)
            && span.get_days() <= FREEZE_SOON_DAYS
        {
            soon.push(format!(
                " The freeze {}..{}{} starts {} later: finish the bake and decide on any rollback before it; after it starts, a rollback or a fix needs the freeze owner's exception.",
                f.from,
                f.to,
                f.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                match span.get_days() {
                    1 => "1 day".to_string(),
                    n => format!("{n} days"),
                }
            ));
        }
    }
    let risky = level >= Level::Complex;
    let (verdict, mut detail) = match (blocked.is_empty(), risky) {
        (true, _) => (
            "ok".to_string(),
            format!("{local} is outside every blocked window."),
        ),
        (false, true) => (
            "blocked".to_string(),
            format!(
                "NO-GO: {local} falls in {}; a deploy classified {} needs a start outside it.",
                blocked.join(", "),
                level.as_str()
            ),
        ),
        (false, false) => (
            "ok".to_string(),
            format!(
                "{local} falls in {}, which blocks only complex and irreversible deploys; this one is {}.",
                blocked.join(", "),
                level.as_str()
            ),
        ),
    };
    for s in soon {
        detail.push_str(&s);
    }
    if undated {
        detail.push_str(" The start has no date: check it against the holidays and freezes of the policy by hand.");
    }
    WindowVerdict {
        planned_start: Some(start),
        verdict,
        detail,
    }
}

/// How close a freeze may start after the planned start before the window check warns: a week
/// covers the bake and the days in which slow failures (data, batch jobs) show.
const FREEZE_SOON_DAYS: i32 = 7;

/// What cancelling a running migration leaves behind, for the engines the migrations run on.
fn migration_cancel_note(spec: &crate::model::Spec) -> &'static str {
    let engines: Vec<crate::model::Engine> = spec
        .deployment
        .changes
        .iter()
        .filter(|c| c.kind() == ChangeKind::Migration)
        .filter_map(|c| super::store_for(spec, c).map(|s| s.engine))
        .collect();
    let pg = engines.contains(&crate::model::Engine::Postgres);
    let my = engines.iter().any(|e| e.is_mysql_family());
    match (pg, my) {
        (true, false) => {
            "(PostgreSQL runs DDL in a transaction: a cancelled migration leaves nothing applied)"
        }
        (false, true) => {
            "(MySQL commits each DDL statement on its own: check which statements applied before deciding)"
        }
        (true, true) => {
            "(on PostgreSQL DDL is transactional; on MySQL each DDL statement commits on its own: check which applied)"
        }
        _ => "(then check which of its statements applied before deciding)",
    }
}
