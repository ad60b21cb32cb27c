//! Stop the sender of what leaves the system: every minute sends more that cannot be recalled.
//! A change gated by a flag is stopped by the flag instead, in the Flags phase.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    if c.gated_by_flag().is_some() {
        return;
    }
    let what = c
        .as_side_effect()
        .and_then(|e| e.effect)
        .map(|e| e.describe())
        .unwrap_or("side effects");
    let name = format!(
        "{}_STOP_COMMAND",
        crate::plan::placeholders::slug(&c.label(i))
    );
    let hole = ctx.ph.hole(
        &name,
        &format!(
            "command that pauses the sender of {what} (queue consumer, cron, worker scale-down)"
        ),
        &format!("deployment.changes[{i}].gated_by_flag (a flag makes this a kill switch)"),
    );
    b.actions.push(Action {
        title: format!("Stop further {what}"),
        component: c.label(i),
        commands: vec![Cmd::default().word(hole)],
        verify: Vec::new(),
        success: format!("no new {what} leave the system (sender's log or provider dashboard is quiet)"),
        minutes: 2,
        destructive: false,
        notes: vec![format!("What was already sent cannot be recalled; see the mitigation in Rollback Classification.")],
    });
    b.ordering.push(format!(
        "Stop `{}` first: every minute sends more {what} that cannot be recalled.",
        c.label(i)
    ));
}
