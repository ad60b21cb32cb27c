//! A database operation's fields as a sentence gives them (the kind is found by its triggers in
//! `generic.rs`).

use super::infer::Ctx;
use super::text::negated;
use crate::model::*;

/// The fields of a database operation the sentence gives: the operation (from the trigger that
/// fired), what drives it, and whether it removes data on a host.
pub(super) fn database_operation(
    cx: &mut Ctx,
    s: &str,
    base: usize,
    i: usize,
    trigger: &str,
    h: (usize, usize),
) {
    let op = DatabaseOperationKind::from_trigger(trigger);
    let lower = s.to_lowercase();
    let manager = if lower.contains("patroni") {
        Some(DatabaseManager::Patroni)
    } else if lower.contains("orchestrator") {
        Some(DatabaseManager::Orchestrator)
    } else {
        None
    };
    use super::generic::{DB_FROM_TO, DB_PARAMETER_GROUP, DB_RESTART};
    let from_to = DB_FROM_TO.captures(s).and_then(|c| {
        let all = c.get(0)?;
        Some((
            all.start(),
            all.as_str().to_string(),
            c.get(1)?.as_str().trim_end_matches('.').to_string(),
            c.get(2)?.as_str().trim_end_matches('.').to_string(),
        ))
    });
    let group = DB_PARAMETER_GROUP
        .captures(s)
        .and_then(|c| c.get(1))
        .map(|x| x.as_str().to_string());
    // The parameter is the trigger's own word when it names one (`max_connections`).
    let trigger_words = s.get(h.0..h.1).unwrap_or("");
    let parameter = (trigger == "parameter change"
        && trigger_words.contains('_')
        && trigger_words
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then(|| trigger_words.to_lowercase());
    let restart = DB_RESTART.captures(s).map(|c| c.get(1).is_some());
    let removes = super::generic::DB_DATA_REMOVED
        .find(s)
        .filter(|m| !negated(s, m.start(), m.end()));
    let mut new_notes = Vec::new();
    if let Some(d) = cx
        .spec
        .deployment
        .changes
        .get_mut(i)
        .and_then(Change::as_database_operation_mut)
    {
        if d.operation.is_none()
            && let Some(op) = op
        {
            d.operation = Some(op);
            new_notes.push((
                h.0,
                s.get(h.0..h.1).unwrap_or("").to_string(),
                format!("operation: {}", op.describe()),
            ));
        }
        if d.manager.is_none() && manager.is_some() {
            d.manager = manager;
        }
        let op = d.operation;
        if let Some((at, words, f, t)) = from_to
            && d.from.is_none()
            && d.host.is_none()
        {
            match op {
                Some(DatabaseOperationKind::Switchover) | Some(DatabaseOperationKind::Failover) => {
                    new_notes.push((at, words, format!("from host `{f}` to `{t}`")));
                    d.host = Some(f);
                    d.candidate = Some(t);
                }
                Some(DatabaseOperationKind::ParameterChange)
                | Some(DatabaseOperationKind::MajorUpgrade) => {
                    new_notes.push((at, words, format!("from `{f}` to `{t}`")));
                    d.from = Some(f);
                    d.to = Some(t);
                }
                _ => {}
            }
        }
        if op == Some(DatabaseOperationKind::ParameterChange) {
            if d.parameter.is_none() && parameter.is_some() {
                d.parameter = parameter;
            }
            if d.parameter_group.is_none() && group.is_some() {
                d.parameter_group = group;
            }
            if d.requires_restart.is_none() {
                d.requires_restart = restart;
            }
        }
    }
    if let Some(m) = removes
        && let Some(c) = cx.spec.deployment.changes.get_mut(i)
        && c.destructive().is_none()
    {
        *c.destructive_mut() = Some(true);
        new_notes.push((
            m.start(),
            m.as_str().to_string(),
            "removes data on a host: destructive".to_string(),
        ));
    }
    for (at, w, t) in new_notes {
        cx.note(base + at, &w, t);
    }
}
