//! A cutover undone before its point of no return: reads and writes switched back to the old
//! system, still authoritative, then the writes made only in the new system copied back and the
//! two systems reconciled. After the point of no return the same step is mitigation, said so.
//! The switch and the reconciliation are the team's own commands: placeholders, never invented.

use super::prelude::*;
use crate::model::{ChangeKind, StatementKind};
use crate::plan::placeholders::slug;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let cut = c.as_cutover().cloned().unwrap_or_default();
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    let old = cut.from.clone().unwrap_or_else(|| "the old system".into());
    let new = cut.to.clone().unwrap_or_else(|| "the new system".into());
    let pnr = cut.point_of_no_return.clone().or_else(|| {
        b.spec
            .statements
            .iter()
            .find(|s| {
                matches!(
                    s.kind,
                    StatementKind::PointOfNoReturn | StatementKind::NoWayBack
                )
            })
            .map(|s| s.words.clone())
    });
    let pnr_note = match &pnr {
        Some(w) => format!(
            "The point of no return: \u{201c}{}\u{201d}. Before it this is the backout; after it, it is mitigation only: fix forward on {new} and reconcile against the last state of {old}.",
            w.trim_end_matches('.')
        ),
        None => format!(
            "No point of no return is written down: name the step after which {old} can no longer take over (the first write only in {new}, {old} decommissioned), and decide before the deploy who may pass it."
        ),
    };
    // A flag flipped back (Flags phase) already switches reads and writes: no second switch.
    let flag_switch = c.gated_by_flag().is_some()
        || b.spec
            .deployment
            .changes
            .iter()
            .any(|x| x.kind() == ChangeKind::FeatureFlag);
    let s = slug(&label);
    if !flag_switch {
        let switch = ctx.ph.hole(
            &format!("{s}_SWITCH_BACK_COMMAND"),
            &format!(
                "how reads and writes are pointed back at {old} ({})",
                cut.switch
                    .as_deref()
                    .unwrap_or("the router, config value, DNS record or connection string that chose the new system")
            ),
            &field("switch"),
        );
        b.actions.push(
            Action::new(
                format!("Before the point of no return: switch reads and writes back to {old}"),
                label.clone(),
            )
            .cmd(Cmd::default().word(switch))
            .success(format!(
                "{old} takes every read and write again; {new} takes none"
            ))
            .minutes(10)
            .note(pnr_note.clone()),
        );
    }
    let reconcile = ctx.ph.hole(
        &format!("{s}_RECONCILIATION_COMMAND"),
        &format!(
            "the reconciliation of {old} against {new}: {}",
            cut.reconciliation
                .as_deref()
                .unwrap_or("counts and checksums per table, account or day")
        ),
        &field("reconciliation"),
    );
    let copy_back = if cut.reverse_sync == Some(true) {
        format!(
            "The reverse sync copies writes made in {new} back to {old}: wait for its lag to reach 0 before reconciling."
        )
    } else if cut.dual_writes == Some(true) {
        format!(
            "Dual writes kept {old} current: reconcile for the writes that reached only one side (a failed dual write)."
        )
    } else {
        format!(
            "Nothing keeps {old} current: export the writes made only in {new} since the cutover (by their creation or update time) and replay them into {old}, or accept losing them, before {old} takes writes again."
        )
    };
    let kept_current = cut.reverse_sync == Some(true) || cut.dual_writes == Some(true);
    let title = if kept_current {
        format!("Reconcile {old} and {new}")
    } else {
        format!("Copy back the writes made only in {new}, then reconcile {old} and {new}")
    };
    let mut a = Action::new(title, label)
    .cmd(Cmd::default().word(reconcile))
    .success(format!("the reconciliation reports no mismatch between {old} and {new} beyond the last run before the cutover"))
    .minutes(30)
    .note(copy_back);
    if flag_switch {
        a = a.note(pnr_note);
    }
    b.actions.push(a);
}
