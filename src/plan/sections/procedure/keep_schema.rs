//! An additive migration the previous version runs on stays: its down would drop data written
//! since the deploy.

use super::prelude::*;

pub(super) fn run(_ctx: &mut Ctx, b: &mut Build, i: usize) {
    let keep = b.facts(i).is_some_and(|m| {
        !super::runs_before_code(m)
            && !m.is_destructive()
            && (m.additive || m.backward_compatible == Some(true))
    });
    if !keep {
        return;
    }
    let label = b.spec.deployment.changes[i].label(i);
    b.ordering.push(format!(
        "Migration `{label}` is additive and the previous version runs on it: leave it in place; do not run its down migration (it would drop data written since the deploy)."
    ));
}
