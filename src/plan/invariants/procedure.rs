//! The procedure's own shape: INV-BACKUP-FIRST, INV-BAND.

use super::super::model::Plan;
use super::steps::{has_backup, is_backup};
use super::{Violation, v};

pub(super) fn backup_first(plan: &Plan, out: &mut Vec<Violation>) {
    for (i, s) in plan.procedure.steps.iter().enumerate() {
        if !s.destructive || is_backup(s) {
            continue;
        }
        let reason = s.notes.iter().any(|n| {
            let l = n.to_lowercase();
            l.contains("no backup")
                || l.contains("cannot be backed up")
                || l.contains("snapshot of every")
        });
        let restore = s.title.to_lowercase().contains("restore");
        if !reason && !restore && !has_backup(plan, Some(i)) {
            v(
                out,
                "INV-BACKUP-FIRST",
                format!(
                    "step {} \"{}\" is destructive with no backup before it and no reason",
                    s.number, s.title
                ),
            );
        }
    }
}

pub(super) fn band(plan: &Plan, out: &mut Vec<Violation>) {
    let c = &plan.classification;
    let sum: u32 = plan
        .procedure
        .steps
        .iter()
        .map(|s| s.estimate_minutes)
        .sum();
    if sum != c.estimated_minutes {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min but the steps add up to {sum}",
                c.estimated_minutes
            ),
        );
    }
    let (low, high) = c.level.band();
    if c.estimated_minutes < low || high.is_some_and(|h| c.estimated_minutes > h) {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min outside the {} band {low}..{high:?}",
                c.estimated_minutes,
                c.level.as_str()
            ),
        );
    }
    // Outside the band its title names, the plan must say so.
    let (low, high) = c.level.nominal_band();
    let outside = c.estimated_minutes < low || high.is_some_and(|h| c.estimated_minutes > h);
    if outside && c.band_note.is_none() {
        v(
            out,
            "INV-BAND",
            format!(
                "estimate {} min outside the {} title's band {low}..{high:?} with no note saying so",
                c.estimated_minutes,
                c.level.as_str()
            ),
        );
    }
}
