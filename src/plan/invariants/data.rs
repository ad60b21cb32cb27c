//! Agreement with the spec's data and changes: INV-ENGINE, INV-NOT-REVERTED, INV-RECORD-STEP,
//! INV-EVIDENCE-CLASS, INV-FLAG-SHARE.

use super::super::model::{Plan, Step};
use super::steps::{CodeRollbacks, texts};
use super::{Violation, v};
use crate::assess::Level;
use crate::model::{ChangeKind, Engine, Spec};

pub(super) fn engines(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
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

pub(super) fn not_reverted(plan: &Plan, out: &mut Vec<Violation>) {
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

pub(super) fn record_step(plan: &Plan, out: &mut Vec<Violation>) {
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

pub(super) fn evidence_class(
    plan: &Plan,
    spec: &Spec,
    code: &CodeRollbacks,
    out: &mut Vec<Violation>,
) {
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
        if !steps[r + 1..].iter().any(|s| code.contains(s)) {
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

pub(super) fn flag_share(plan: &Plan, spec: &Spec, out: &mut Vec<Violation>) {
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
