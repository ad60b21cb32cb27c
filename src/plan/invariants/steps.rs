//! What the invariants read from a plan: its texts and which steps are which.

use super::super::model::{Plan, Step};
use crate::base::placeholders::Placeholders;
use crate::model::{Service, Spec};
use crate::platforms::deploy;

/// Every text of the plan outside its commands, with where it is.
pub(super) fn texts(plan: &Plan) -> Vec<(String, String)> {
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

/// The steps that put the previous version of a service back (redeploy or traffic switch): the
/// actions the service's deploy platform unit writes for its rollback, known by service and
/// title. Taken from the units themselves, so a platform added to the registry is recognised
/// without a list here to keep up.
pub(super) struct CodeRollbacks(Vec<(String, String)>);

impl CodeRollbacks {
    /// The rollback actions of every service the plan can roll back: the declared ones, and the
    /// deployment itself standing for its service when none is declared.
    pub(super) fn of(spec: &Spec) -> Self {
        let mut ph = Placeholders::default();
        let services = spec
            .architecture
            .services
            .iter()
            .cloned()
            .chain(std::iter::once(Service::named(&spec.deployment.name)));
        CodeRollbacks(
            services
                .flat_map(|svc| deploy::rollback(&svc, &mut ph))
                .map(|a| (a.component, a.title))
                .collect(),
        )
    }

    /// Whether `s` is one of those steps.
    pub(super) fn contains(&self, s: &Step) -> bool {
        self.0
            .iter()
            .any(|(component, title)| *component == s.component && *title == s.title)
    }
}

pub(super) fn has_backup(plan: &Plan, before: Option<usize>) -> bool {
    let steps = &plan.procedure.steps[..before.unwrap_or(plan.procedure.steps.len())];
    steps.iter().any(is_backup)
        || (before.is_none()
            && plan
                .data_recovery
                .stores
                .iter()
                .any(|s| !s.backup_before_rollback.is_empty()))
}

pub(super) fn is_backup(s: &Step) -> bool {
    let t = s.title.to_lowercase();
    t.contains("backup") || t.contains("back up") || t.contains("snapshot") || t.contains("dump")
}

pub(super) fn placeholder_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<'
            && let Some(len) = crate::plan::placeholders::token_len(&text[i..])
        {
            out.push(text[i..i + len].to_string());
            i += len;
            continue;
        }
        i += 1;
    }
    out
}
