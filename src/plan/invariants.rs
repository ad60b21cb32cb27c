//! Invariants every plan keeps, whatever its input: a plan never contradicts itself, its platform
//! or its evidence. Public so the tests and the spec generator check every plan they build.
//!
//! Each invariant has a stable id (`INV-…`) so a failure names the rule it broke.

use super::model::{Plan, Step};
use crate::assess::Level;
use crate::model::{ChangeKind, Engine, Spec};

/// One broken invariant: its id and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub invariant: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.invariant, self.detail)
    }
}

/// The invariants, by id, with what each one asserts (for reports and the README).
pub const INVARIANTS: &[(&str, &str)] = &[
    (
        "INV-XREF",
        "every cross-reference (\"Step N\", \"next step\", \"previous step\", \"the undo below\", \"the backup below\", \"the code rollback step that follows\") resolves to a step or section that exists",
    ),
    (
        "INV-RECORDED",
        "every placeholder recorded before the deploy is named by a Go / No-Go check and used by a later section",
    ),
    (
        "INV-PLATFORM-ID",
        "every platform identifier a rollback command takes is a recorded placeholder, never the release label `previous_version`",
    ),
    (
        "INV-ENGINE",
        "engine-specific text (PostgreSQL, psql, pg_dump; MySQL, mysqldump) matches the engines of the plan's data stores",
    ),
    (
        "INV-BACKUP-FIRST",
        "a destructive step is preceded by a backup step, or says why no backup is possible",
    ),
    (
        "INV-BAND",
        "the estimate is the sum of the steps and lies inside the band of the class",
    ),
    (
        "INV-NOT-REVERTED",
        "\"not reverted\" never claims a schema stays that a step reverses",
    ),
    (
        "INV-RECORD-STEP",
        "a data check comparing with a value recorded before the deploy has the Go / No-Go check that records it",
    ),
    (
        "INV-EVIDENCE-CLASS",
        "a migration the previous version cannot run on makes the class at least complex, gets a redeploy step after its reverse migration, and the outage window between them is stated",
    ),
    (
        "INV-FLAG-SHARE",
        "a flag bump rolls out between its previous and new share, and an abort returns it to its previous share or turns it off",
    ),
];

/// Checks every invariant of a plan built from `spec`.
pub fn check(plan: &Plan, spec: &Spec) -> Vec<Violation> {
    let mut out = Vec::new();
    xrefs(plan, &mut out);
    recorded(plan, &mut out);
    platform_ids(plan, spec, &mut out);
    engines(plan, spec, &mut out);
    backup_first(plan, &mut out);
    band(plan, &mut out);
    not_reverted(plan, &mut out);
    record_step(plan, &mut out);
    evidence_class(plan, spec, &mut out);
    flag_share(plan, spec, &mut out);
    out
}

fn v(out: &mut Vec<Violation>, invariant: &'static str, detail: String) {
    out.push(Violation { invariant, detail });
}

/// Every text of the plan outside its commands, with where it is.
fn texts(plan: &Plan) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = Vec::new();
    for c in &plan.go_no_go.checks {
        t.push(("go/no-go".into(), c.title.clone()));
        t.push(("go/no-go".into(), c.expect.clone()));
    }
    for a in &plan.go_no_go.approvals {
        t.push(("approvals".into(), a.clone()));
    }
    for n in &plan.go_no_go.no_go_triggers {
        t.push(("no-go".into(), n.clone()));
    }
    for d in &plan.triggers.data_checks {
        t.push(("data checks".into(), d.expect.clone()));
    }
    for o in &plan.procedure.ordering {
        t.push(("ordering".into(), o.clone()));
    }
    for s in &plan.procedure.steps {
        let at = format!("step {}", s.number);
        t.push((at.clone(), s.title.clone()));
        t.push((at.clone(), s.success.clone()));
        for n in &s.notes {
            t.push((at.clone(), n.clone()));
        }
    }
    for n in &plan.procedure.not_reverted {
        t.push(("not reverted".into(), n.clone()));
    }
    t.push(("data recovery".into(), plan.data_recovery.summary.clone()));
    for s in &plan.data_recovery.stores {
        t.push(("data recovery".into(), s.writes_after_deploy.clone()));
        t.extend(
            s.migrations
                .iter()
                .map(|m| ("data recovery".into(), m.clone())),
        );
    }
    for f in &plan.rollout.flags {
        t.push(("rollout".into(), f.clone()));
    }
    t
}

fn step_numbers_in(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("step ") {
        let after = &rest[i + 5..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
        rest = after;
    }
    out
}

fn xrefs(plan: &Plan, out: &mut Vec<Violation>) {
    let steps = &plan.procedure.steps;
    let n = steps.len() as u32;
    for (at, text) in texts(plan) {
        for k in step_numbers_in(&text) {
            if k == 0 || k > n {
                v(
                    out,
                    "INV-XREF",
                    format!("{at}: \"{text}\" names Step {k}, the procedure has {n}"),
                );
            }
        }
        if text.contains("the backup below") && !has_backup(plan, None) {
            v(
                out,
                "INV-XREF",
                format!("{at}: \"{text}\" but no backup command exists"),
            );
        }
    }
    for o in &plan.procedure.ordering {
        if o.contains("before the code") && !steps.iter().any(is_code_rollback) {
            v(
                out,
                "INV-XREF",
                format!("ordering: \"{o}\" but no step rolls the code back"),
            );
        }
    }
    for (i, s) in steps.iter().enumerate() {
        for note in &s.notes {
            let l = note.to_lowercase();
            if l.contains("(previous step)") && i == 0 {
                v(
                    out,
                    "INV-XREF",
                    format!("step {}: \"{note}\" but it is the first step", s.number),
                );
            }
            if l.contains("(next step)") && i + 1 >= steps.len() {
                v(
                    out,
                    "INV-XREF",
                    format!("step {}: \"{note}\" but it is the last step", s.number),
                );
            }
            if l.contains("auto-sync off first")
                && !steps[..i].iter().any(|p| p.title.contains("auto-sync"))
            {
                v(
                    out,
                    "INV-XREF",
                    format!(
                        "step {}: needs auto-sync off first, and no earlier step turns it off",
                        s.number
                    ),
                );
            }
            if l.contains("the undo below")
                && !steps[i + 1..].iter().any(|t| t.title.starts_with("Undo"))
            {
                v(
                    out,
                    "INV-XREF",
                    format!("step {}: \"{note}\" with no undo step after it", s.number),
                );
            }
            if l.contains("code rollback step that follows")
                && !steps[i + 1..].iter().any(is_code_rollback)
            {
                v(
                    out,
                    "INV-XREF",
                    format!(
                        "step {}: \"{note}\" with no code rollback after it",
                        s.number
                    ),
                );
            }
            if l.contains("restart command of this step") && s.commands.len() < 2 {
                v(
                    out,
                    "INV-XREF",
                    format!(
                        "step {}: \"{note}\" but it has no restart command",
                        s.number
                    ),
                );
            }
        }
    }
}

/// A step that puts the previous version of a service back (redeploy or traffic switch).
fn is_code_rollback(s: &Step) -> bool {
    let t = s.title.as_str();
    [
        "Roll back ",
        "Redeploy the previous",
        "Point alias",
        "Send all traffic",
        "Switch ",
        "Abort the rollout",
        "Undo the Rollout",
        "Stop the CodeDeploy",
        "Only if the CodeDeploy",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

fn has_backup(plan: &Plan, before: Option<usize>) -> bool {
    let steps = &plan.procedure.steps[..before.unwrap_or(plan.procedure.steps.len())];
    steps.iter().any(is_backup)
        || (before.is_none()
            && plan
                .data_recovery
                .stores
                .iter()
                .any(|s| !s.backup_before_rollback.is_empty()))
}

fn is_backup(s: &Step) -> bool {
    let t = s.title.to_lowercase();
    t.contains("backup") || t.contains("back up") || t.contains("snapshot") || t.contains("dump")
}

fn placeholder_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<'
            && let Some(len) = super::placeholders::token_len(&text[i..])
        {
            out.push(text[i..i + len].to_string());
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

fn go_no_go_text(plan: &Plan) -> String {
    let mut s = String::new();
    for c in &plan.go_no_go.checks {
        s.push_str(&c.title);
        s.push('\n');
        s.push_str(&c.expect);
        s.push('\n');
        for cmd in &c.commands {
            s.push_str(&cmd.render());
            s.push('\n');
        }
    }
    s
}

/// Everything after Go / No-Go that can use a recorded value.
fn later_text(plan: &Plan) -> String {
    let mut s = String::new();
    for n in &plan.go_no_go.no_go_triggers {
        s.push_str(n);
        s.push('\n');
    }
    for st in &plan.procedure.steps {
        for c in st.commands.iter().chain(&st.verify) {
            s.push_str(&c.render());
            s.push('\n');
        }
        s.push_str(&st.success);
        s.push('\n');
        for n in &st.notes {
            s.push_str(n);
            s.push('\n');
        }
    }
    for m in &plan.rollout.mechanism {
        s.push_str(&m.snippet);
        s.push('\n');
    }
    for st in &plan.data_recovery.stores {
        for c in st.backup_before_rollback.iter().chain(&st.restore) {
            s.push_str(&c.render());
            s.push('\n');
        }
    }
    s
}

fn recorded(plan: &Plan, out: &mut Vec<Violation>) {
    let gng = go_no_go_text(plan);
    let later = later_text(plan);
    for p in plan
        .placeholders
        .iter()
        .filter(|p| p.when == "before-deploy")
    {
        if !gng.contains(&p.token) {
            v(
                out,
                "INV-RECORDED",
                format!(
                    "{} is recorded before the deploy but no Go / No-Go check names it",
                    p.token
                ),
            );
        }
        if !later.contains(&p.token) {
            v(
                out,
                "INV-RECORDED",
                format!(
                    "{} is recorded by Go / No-Go but no later section uses it",
                    p.token
                ),
            );
        }
    }
}

/// Suffixes of the placeholders that stand for a platform's own rollback identifier.
const PLATFORM_ID_SUFFIXES: &[&str] = &[
    "_REVISION>",
    "_PREVIOUS_LAMBDA_VERSION>",
    "_PREVIOUS_RELEASE>",
    "_PREVIOUS_TASK_DEF_ARN>",
    "_ARGOCD_HISTORY_ID>",
    "_HISTORY_ID>",
];

fn platform_ids(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
    let recorded: Vec<&str> = plan
        .placeholders
        .iter()
        .filter(|p| p.when == "before-deploy")
        .map(|p| p.token.as_str())
        .collect();
    let prev = spec
        .deployment
        .previous_version
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    // The rollback steps, the mid-rollout aborts and the platform's rollout snippets.
    let rollback_cmds = plan
        .procedure
        .steps
        .iter()
        .filter(|s| is_code_rollback(s))
        .flat_map(|s| s.commands.iter())
        .map(|c| c.render())
        .chain(
            plan.go_no_go
                .no_go_triggers
                .iter()
                .filter(|t| t.starts_with("To abort"))
                .filter_map(|t| t.split('`').nth(3).map(String::from)),
        )
        .chain(
            plan.rollout
                .mechanism
                .iter()
                .flat_map(|m| m.snippet.lines().map(String::from))
                .filter(|l| !l.trim_start().starts_with('#')),
        );
    for cmd in rollback_cmds {
        for t in placeholder_tokens(&cmd) {
            let is_id = PLATFORM_ID_SUFFIXES.iter().any(|s| t.ends_with(s))
                && !t.ends_with("_NEW_REVISION>");
            if is_id && !recorded.contains(&t.as_str()) {
                v(
                    out,
                    "INV-PLATFORM-ID",
                    format!("`{cmd}` takes {t}, which no Go / No-Go check records"),
                );
            }
        }
        if let Some(p) = prev
            && cmd
                .split(|c: char| c.is_whitespace() || matches!(c, '=' | ',' | '\'' | '"' | '/'))
                .any(|w| w == p)
        {
            v(
                out,
                "INV-PLATFORM-ID",
                format!("`{cmd}` uses previous_version `{p}` as a platform identifier"),
            );
        }
    }
}

fn engines(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
    let used: Vec<Engine> = spec
        .architecture
        .data_stores
        .iter()
        .map(|d| d.engine)
        .collect();
    let pg = used.contains(&Engine::Postgres);
    let my = used.iter().any(|e| e.is_mysql_family());
    let mut all = texts(plan);
    for s in &plan.procedure.steps {
        for c in s.commands.iter().chain(&s.verify) {
            all.push((format!("step {}", s.number), c.render()));
        }
    }
    for (at, t) in all {
        let l = t.to_lowercase();
        if !pg && (l.contains("postgresql") || l.contains("psql ") || l.contains("pg_dump")) {
            v(
                out,
                "INV-ENGINE",
                format!("{at}: PostgreSQL text in a plan without PostgreSQL: \"{t}\""),
            );
        }
        if !my
            && !used.is_empty()
            && (l.contains("mysqldump") || l.starts_with("mysql ") || l.contains("on mysql"))
        {
            v(
                out,
                "INV-ENGINE",
                format!("{at}: MySQL text in a plan without MySQL: \"{t}\""),
            );
        }
    }
}

fn backup_first(plan: &Plan, out: &mut Vec<Violation>) {
    for (i, s) in plan.procedure.steps.iter().enumerate() {
        if !s.destructive || is_backup(s) {
            continue;
        }
        let reason = s.notes.iter().any(|n| {
            let l = n.to_lowercase();
            l.contains("no backup")
                || l.contains("cannot be backed up")
                || l.contains("snapshot of every")
        });
        let restore = s.title.to_lowercase().contains("restore");
        if !reason && !restore && !has_backup(plan, Some(i)) {
            v(
                out,
                "INV-BACKUP-FIRST",
                format!(
                    "step {} \"{}\" is destructive with no backup before it and no reason",
                    s.number, s.title
                ),
            );
        }
    }
}

fn band(plan: &Plan, out: &mut Vec<Violation>) {
    let c = &plan.classification;
    let sum: u32 = plan
        .procedure
        .steps
        .iter()
        .map(|s| s.estimate_minutes)
        .sum();
    if sum != c.estimated_minutes {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min but the steps add up to {sum}",
                c.estimated_minutes
            ),
        );
    }
    let (low, high) = c.level.band();
    if c.estimated_minutes < low || high.is_some_and(|h| c.estimated_minutes > h) {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min outside the {} band {low}..{high:?}",
                c.estimated_minutes,
                c.level.as_str()
            ),
        );
    }
    // Outside the band its title names, the plan must say so.
    let (low, high) = c.level.nominal_band();
    let outside = c.estimated_minutes < low || high.is_some_and(|h| c.estimated_minutes > h);
    if outside && c.band_note.is_none() {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min outside the {} title's band {low}..{high:?} with no note saying so",
                c.estimated_minutes,
                c.level.as_str()
            ),
        );
    }
}

fn not_reverted(plan: &Plan, out: &mut Vec<Violation>) {
    let reversed: Vec<&Step> = plan
        .procedure
        .steps
        .iter()
        .filter(|s| s.title.contains("down migration") || s.title.starts_with("Reverse "))
        .collect();
    for n in &plan.procedure.not_reverted {
        let l = n.to_lowercase();
        if l.contains("the database: schema changes") && !reversed.is_empty() {
            v(
                out,
                "INV-NOT-REVERTED",
                format!(
                    "\"{n}\" while step {} reverses the schema",
                    reversed[0].number
                ),
            );
        }
        for s in &reversed {
            let label = s
                .title
                .trim_start_matches("Run the down migration of ")
                .trim_start_matches("Reverse ")
                .split(' ')
                .next()
                .unwrap_or("");
            if !label.is_empty() && n.contains(&format!("`{label}`")) && l.contains("schema") {
                v(
                    out,
                    "INV-NOT-REVERTED",
                    format!("\"{n}\" while step {} reverses it", s.number),
                );
            }
        }
    }
}

fn record_step(plan: &Plan, out: &mut Vec<Violation>) {
    let mark = crate::plan::sections::triggers::RECORDED_MARK;
    let title = crate::plan::sections::triggers::RECORD_COUNTS_TITLE;
    let compares = plan
        .triggers
        .data_checks
        .iter()
        .any(|d| d.expect.contains(mark));
    if compares && !plan.go_no_go.checks.iter().any(|c| c.title == title) {
        v(out, "INV-RECORD-STEP", "a data check compares with a value recorded before the deploy, and no Go / No-Go check records it".to_string());
    }
}

fn evidence_class(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
    let steps = &plan.procedure.steps;
    let reverse = steps
        .iter()
        .position(|s| s.title.contains("down migration") || s.title.starts_with("Reverse "));
    let declared_breaking = spec.deployment.changes.iter().any(|c| {
        c.as_migration()
            .is_some_and(|m| m.backward_compatible == Some(false))
    });
    let before_code = plan
        .procedure
        .ordering
        .iter()
        .any(|o| o.contains("before the code: the previous version does not run"));
    if (declared_breaking || before_code) && plan.classification.level < Level::Complex {
        v(
            out,
            "INV-EVIDENCE-CLASS",
            format!(
                "a migration the previous version cannot run on, classed {}",
                plan.classification.level.as_str()
            ),
        );
    }
    if before_code && let Some(r) = reverse {
        if !steps[r + 1..].iter().any(is_code_rollback) {
            v(
                out,
                "INV-EVIDENCE-CLASS",
                format!(
                    "step {} reverses a breaking migration and no redeploy of the previous version follows",
                    r + 1
                ),
            );
        } else if !plan
            .procedure
            .ordering
            .iter()
            .any(|o| o.starts_with("Outage window"))
        {
            v(
                out,
                "INV-EVIDENCE-CLASS",
                "the outage window between the reverse migration and the old code is not stated"
                    .to_string(),
            );
        }
    }
}

fn flag_share(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
    let flags: Vec<_> = spec
        .deployment
        .changes
        .iter()
        .filter_map(|c| c.flag())
        .collect();
    let flag_only = spec
        .deployment
        .changes
        .iter()
        .all(|c| c.kind() == ChangeKind::FeatureFlag || c.gated_by_flag().is_some());
    for f in &flags {
        let from = f.from_percent.filter(|p| *p > 0.0);
        if let Some(p) = from
            && let Some(line) = plan
                .rollout
                .flags
                .iter()
                .find(|l| l.contains(&format!("`{}`", f.key)))
            && !(line.contains("return it to its previous")
                || line.contains("set it back to its previous"))
        {
            v(
                out,
                "INV-FLAG-SHARE",
                format!(
                    "flag `{}` was at {p}% before: an abort must return it there, the rollout says \"{line}\"",
                    f.key
                ),
            );
        }
    }
    if flag_only && flags.len() == 1 && !plan.rollout.stages.is_empty() {
        let f = flags[0];
        let from = f.from_percent.unwrap_or(0.0);
        let to = f.to_percent.unwrap_or(100.0);
        let mut last = from;
        for st in &plan.rollout.stages {
            if st.traffic_percent + 1e-9 < last || st.traffic_percent > to + 1e-9 {
                v(
                    out,
                    "INV-FLAG-SHARE",
                    format!(
                        "flag `{}` from {from}% to {to}%: stage `{}` at {}%",
                        f.key, st.name, st.traffic_percent
                    ),
                );
            }
            last = st.traffic_percent;
        }
    }
}
