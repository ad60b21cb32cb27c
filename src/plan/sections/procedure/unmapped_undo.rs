use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    unmapped_undo(ctx, &mut b.actions);
}

/// A step per piece of work rollbook could not map, and one for a plan with no action at all, each
/// with a `<ROLLBACK_COMMAND_FOR_…>` placeholder counted in the placeholder list.
fn unmapped_undo(ctx: &mut Ctx, actions: &mut Vec<Action>) {
    use crate::model::StatementKind;
    let unmapped = super::brief_backout::statements_of(ctx, StatementKind::UnmappedAction);
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
            crate::plan::placeholders::slug(&name)
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
