use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    brief_backout(ctx, &mut b.actions, &mut b.ordering);
}

/// The brief's statements of one kind, each with its evidence.
pub(super) fn statements_of(
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
    // With every piece of work recognised, the author's backout is the same work as the steps
    // after it, said in their words: reading and starting it is counted here, doing it there.
    let covered = !ctx.input.spec.deployment.changes.is_empty()
        && statements_of(ctx, StatementKind::UnmappedAction).is_empty();
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
            minutes: if covered { 2 } else { 5 },
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
