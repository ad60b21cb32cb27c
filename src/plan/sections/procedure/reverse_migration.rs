use super::prelude::*;

/// Before the code: the previous version does not run on the new schema.
pub(super) fn run_before_code(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let Some(m) = b.facts(i).filter(|m| super::runs_before_code(m)).cloned() else {
        return;
    };
    let label = b.spec.deployment.changes[i].label(i);
    push_reverse_migration(ctx, &mut b.actions, &m);
    b.first_reverse.get_or_insert(b.actions.len() - 1);
    b.ordering.push(format!(
        "Reverse migration `{label}` before the code: the previous version does not run on the new schema."
    ));
}

/// After the code: nothing says the old code needs it first, nothing was destroyed, and the
/// migration is not one the previous version runs on (those are kept).
pub(super) fn run_after_code(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let Some(m) = b
        .facts(i)
        .filter(|m| !super::runs_before_code(m) && !m.is_destructive())
        .filter(|m| !(m.additive || m.backward_compatible == Some(true)))
        .cloned()
    else {
        return;
    };
    let label = b.spec.deployment.changes[i].label(i);
    push_reverse_migration(ctx, &mut b.actions, &m);
    b.ordering.push(format!(
        "Reverse migration `{label}` after the code: nothing says the old code needs it first; if the old code fails on the new schema, run it before the code instead."
    ));
}

fn push_reverse_migration(ctx: &mut Ctx, actions: &mut Vec<Action>, m: &MigrationFacts) {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[m.index];
    let store = store_for(&spec, c).cloned();
    let drops_new_data = !m.creates.is_empty();
    if drops_new_data && let Some(s) = &store {
        let mut b =
            datastores::backup_now(s, &format!("before-down-{}", c.label(m.index)), &mut ctx.ph);
        b.notes.push(format!(
            "The down migration drops {}: data written there since the deploy is kept only in this backup.",
            m.creates.join(", ")
        ));
        actions.push(b);
    }
    let mut a = migrations::down(tool_of(c), c, store.as_ref(), &mut ctx.ph);
    a.destructive = drops_new_data;
    if !m.has_down && migrations::has_down(tool_of(c)) {
        a.notes.push(
            "No down migration was found for this change: write and test it before the deploy."
                .to_string(),
        );
    }
    actions.push(a);
}
