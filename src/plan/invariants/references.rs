//! References and recorded values: INV-XREF, INV-RECORDED, INV-PLATFORM-ID.

use super::super::model::Plan;
use super::steps::{CodeRollbacks, has_backup, placeholder_tokens, texts};
use super::{Violation, v};
use crate::model::Spec;

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

pub(super) fn xrefs(plan: &Plan, code: &CodeRollbacks, out: &mut Vec<Violation>) {
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
        if o.contains("before the code") && !steps.iter().any(|s| code.contains(s)) {
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
                && !steps[i + 1..].iter().any(|s| code.contains(s))
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

pub(super) fn recorded(plan: &Plan, out: &mut Vec<Violation>) {
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

pub(super) fn platform_ids(
    plan: &Plan,
    spec: &Spec,
    code: &CodeRollbacks,
    out: &mut Vec<Violation>,
) {
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
        .filter(|s| code.contains(s))
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
