//! What the invariants read from a plan: its texts and which steps are which.

use super::super::model::{Plan, Step};

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

/// A step that puts the previous version of a service back (redeploy or traffic switch).
pub(super) fn is_code_rollback(s: &Step) -> bool {
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
