//! Stop a data operation still running: it keeps writing while everything else is rolled back.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let hole = ctx.ph.hole(
        &format!("{}_STOP_COMMAND", crate::plan::placeholders::slug(&label)),
        &format!("command that stops or pauses `{label}` (job, script or worker)"),
        &format!("deployment.changes[{i}].script (say how it runs)"),
    );
    b.actions.push(Action {
        title: format!("Stop `{label}` if it is still running"),
        component: label.clone(),
        commands: vec![Cmd::default().word(hole)],
        verify: Vec::new(),
        success: "the job reports stopped and the row count of its table no longer changes".to_string(),
        minutes: 2,
        destructive: false,
        notes: vec![if c.as_data_operation().and_then(|d| d.batched) == Some(true) {
            "It runs in batches: stopping between batches leaves the rows consistent.".to_string()
        } else {
            "It is not declared batched: stopping it midway may leave a partial state; check the data check in Rollback Trigger Criteria.".to_string()
        }],
    });
    b.ordering.push(format!(
        "Stop data operation `{label}` first: it keeps writing while everything else is rolled back."
    ));
}
