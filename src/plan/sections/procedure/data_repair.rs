use super::prelude::*;
use crate::model::DataOperationKind;

/// Repairs the rows a data operation changed, after a backup of their current state.
pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let Some(a) = data_repair(ctx, i) else {
        return;
    };
    // A backup before any destructive step.
    if let Some(store) = store_for(&b.spec, &b.spec.deployment.changes[i]) {
        let mut backup = datastores::backup_now(
            store,
            &format!("before-repair-{}", b.spec.deployment.changes[i].label(i)),
            &mut ctx.ph,
        );
        backup
            .notes
            .push("Keeps the rows as they are now, before the repair overwrites them.".to_string());
        b.actions.push(backup);
    }
    b.actions.push(a);
}

fn data_repair(ctx: &mut Ctx, i: usize) -> Option<Action> {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[i];
    let label = c.label(i);
    let d = c.as_data_operation()?;
    let op = d.operation;
    if op == Some(DataOperationKind::Backfill) && c.destructive() != Some(true) {
        // A backfill into new columns can stay; the data check in the triggers watches it.
        return None;
    }
    let table = d.table.clone();
    let store = store_for(&spec, c).cloned();
    let hole = ctx.ph.hole(
        &format!("{}_REPAIR_SQL", crate::plan::placeholders::slug(&label)),
        &format!("SQL that copies the rows touched by `{label}` back from the backup table or restored copy"),
        &format!("deployment.changes[{i}]"),
    );
    let commands = match &store {
        Some(s) => {
            let q = datastores::query(s, "", &mut ctx.ph);
            // Replace the empty query with the placeholder: the repair SQL is the operator's.
            let mut q = q;
            if let Some(last) = q.words.last_mut() {
                *last = hole;
            }
            vec![q]
        }
        None => vec![Cmd::default().word(hole)],
    };
    Some(Action {
        title: format!(
            "Repair the rows changed by `{label}`{}",
            table
                .as_deref()
                .map(|t| format!(" in {t}"))
                .unwrap_or_default()
        ),
        component: label,
        commands,
        verify: Vec::new(),
        success: "the repaired rows match the backup (row counts and spot checks)".to_string(),
        minutes: 20,
        destructive: true,
        notes: vec![
            "Run only after the code rollback, so nothing overwrites the repaired rows."
                .to_string(),
        ],
    })
}
