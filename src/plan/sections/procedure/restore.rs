use super::prelude::*;

/// A migration that destroyed data: its down cannot bring it back; restore from backup into a
/// separate instance after the code is back, then copy the lost data over.
pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let Some(m) = b
        .facts(i)
        .filter(|m| !super::runs_before_code(m) && m.is_destructive())
        .cloned()
    else {
        return;
    };
    let label = b.spec.deployment.changes[i].label(i);
    push_restore(ctx, &mut b.actions, &m);
    b.ordering.push(format!(
        "Migration `{label}` destroyed data: its down cannot bring it back; restore from backup into a separate instance after the code is back, then copy the lost data over."
    ));
}

fn push_restore(ctx: &mut Ctx, actions: &mut Vec<Action>, m: &MigrationFacts) {
    let spec = ctx.input.spec.clone();
    let c = &spec.deployment.changes[m.index];
    let lost: Vec<String> = m
        .destroys
        .iter()
        .map(|(w, e)| format!("{w} ({})", e.cite()))
        .collect();
    match store_for(&spec, c).cloned() {
        Some(s) => {
            let mut b = datastores::backup_now(
                &s,
                &format!("before-restore-{}", c.label(m.index)),
                &mut ctx.ph,
            );
            b.notes.push(
                "Keeps what was written since the deploy before anything is restored.".to_string(),
            );
            actions.push(b);
            let mut r = datastores::restore(&s, &mut ctx.ph);
            r.notes.push(format!(
                "Lost by the migration: {}.",
                crate::plan::sections::summarised(&lost, "; ")
            ));
            r.notes.push(
                "Restore into a separate instance and copy the lost data back; never restore over the live database unless the decision-maker accepts losing everything written since the backup.".to_string(),
            );
            actions.push(r);
            if m.has_down {
                let mut d = migrations::down(tool_of(c), c, Some(&s), &mut ctx.ph);
                d.title = format!(
                    "Re-create the schema `{}` dropped (its down migration)",
                    c.label(m.index)
                );
                d.notes.push(
                    "The down re-creates empty tables and columns; the next step fills them from the restored copy.".to_string(),
                );
                actions.push(d);
            }
            actions.push(copy_back(ctx, &s, m, &c.label(m.index)));
        }
        None => {
            let hole = ctx.ph.hole(
                "RESTORE_COMMAND",
                "the command that restores the pre-deploy backup into a separate instance",
                "architecture.data_stores (declare the store and its backup)",
            );
            actions.push(Action {
                title: format!(
                    "Restore the data destroyed by `{}` from backup",
                    c.label(m.index)
                ),
                component: c.label(m.index),
                commands: vec![Cmd::default().word(hole)],
                verify: Vec::new(),
                success: "the lost data is readable in the restored copy".to_string(),
                minutes: 30,
                destructive: true,
                notes: vec![format!(
                    "Lost by the migration: {}.",
                    crate::plan::sections::summarised(&lost, "; ")
                )],
            });
        }
    }
}

/// Copies what the migration destroyed from the restored copy back into the live database.
fn copy_back(
    ctx: &mut Ctx,
    store: &crate::model::DataStore,
    m: &MigrationFacts,
    label: &str,
) -> Action {
    let mut commands = Vec::new();
    let mut manual = Vec::new();
    for (what, _) in &m.destroys {
        if let Some(table) = what.strip_prefix("table ") {
            let cmd = if store.engine.is_mysql_family() {
                let db = ctx.ph.val_or(
                    store.database.as_deref(),
                    "DATABASE_NAME",
                    "database name inside the server",
                    "architecture.data_stores[].database",
                );
                Cmd::new("mysqldump --defaults-extra-file=\"$RESTORED_MYSQL_DEFAULTS_FILE\" --no-create-info --single-transaction")
                    .word(db.clone())
                    .val(table)
                    .lit("| mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\"")
                    .word(db)
            } else {
                Cmd::new("pg_dump \"$RESTORED_DATABASE_URL\" --data-only")
                    .word(crate::base::shell::Word::lit("--table=").then(
                        crate::base::shell::Word::val(crate::plan::sections::triggers::ident(
                            store.engine,
                            table,
                        )),
                    ))
                    .lit("| psql \"$DATABASE_URL\" -X -1 -v ON_ERROR_STOP=1")
            };
            commands.push(cmd);
        } else {
            manual.push(what.clone());
        }
    }
    // One placeholder per table whose columns were dropped, not one per column: a migration
    // dropping thousands of columns still gets a step a person can read.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for what in &manual {
        let key = what
            .strip_prefix("column ")
            .and_then(|tc| tc.rsplit_once('.'))
            .map_or_else(|| what.clone(), |(t, _)| t.to_string());
        match index.get(&key) {
            Some(&g) => groups[g].1.push(what.clone()),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![what.clone()]));
            }
        }
    }
    for (table, items) in &groups {
        let columns_of_one_table =
            items.len() > 1 && items.iter().all(|w| w.starts_with("column "));
        let (name, what) = if columns_of_one_table {
            let columns: Vec<String> = items
                .iter()
                .map(|w| {
                    w.rsplit_once('.')
                        .map_or(w.as_str(), |(_, c)| c)
                        .to_string()
                })
                .collect();
            (
                format!(
                    "TABLE_{}_COLUMNS_COPY_BACK",
                    crate::plan::placeholders::slug(table)
                ),
                format!(
                    "the {} columns of table {table} ({})",
                    items.len(),
                    crate::plan::sections::summarised(&columns, ", ")
                ),
            )
        } else {
            let joined = items.join(", ");
            (
                format!("{}_COPY_BACK", crate::plan::placeholders::slug(&joined)),
                joined,
            )
        };
        let hole = ctx.ph.hole(
            &name,
            &format!("commands that copy {what} from the restored copy into the live database, keyed by primary key"),
            "write them now, and rehearse them on a copy",
        );
        commands.push(Cmd::default().word(hole));
    }
    Action {
        title: format!("Copy the data `{label}` destroyed back from the restored copy"),
        component: store.name.clone(),
        commands,
        verify: Vec::new(),
        success: "row counts of the copied tables match the restored copy; spot checks of copied values match".to_string(),
        minutes: 15,
        destructive: false,
        notes: vec![
            "`$RESTORED_DATABASE_URL` points at the instance restored in the step before; `$DATABASE_URL` at the live database.".to_string(),
            "Rows deleted by users since the deploy come back too: reconcile with the export of writes since the deploy.".to_string(),
        ],
    }
}
