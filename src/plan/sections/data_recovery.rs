//! Data Recovery Strategy: per data store touched, what happens to data written between deploy and
//! rollback, whether each migration reverses without loss, what needs manual correction, the
//! backup before rollback, and how long a full restore takes.

use super::super::Ctx;
use super::super::model::{DataCheck, DataRecovery, StoreRecovery};
use super::facts::{self, MigrationFacts};
use super::store_for;
use super::triggers::ident;
use crate::model::{DataOperationKind, DataStore};
use crate::platforms::datastores;

/// Kinds whose own data recovery is written when no data store is changed.
const OWN_RECOVERY: &[crate::model::ChangeKind] = &[
    crate::model::ChangeKind::StreamQueue,
    crate::model::ChangeKind::IndexCache,
    crate::model::ChangeKind::AccessChange,
];

pub fn build(ctx: &mut Ctx) -> DataRecovery {
    let spec = ctx.input.spec.clone();
    let mfacts = facts::migrations(ctx);
    let mut external = Vec::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if let Some(e) = c.as_side_effect() {
            let what = e.effect.map(|e| e.describe()).unwrap_or("side effects");
            let to = e
                .recipients
                .as_deref()
                .map(|r| format!(" to {r}"))
                .unwrap_or_default();
            external.push(format!(
                "`{}`: {what}{to} cannot be recalled. Export the list of what was sent between the deploy and the stop (ids, recipients, amounts, timestamps) from the sender's log before anything else, so the correction reaches exactly those.",
                c.label(i)
            ));
        }
    }

    // An output collected from outside at a set time leaves the system when it is collected.
    for st in &spec.statements {
        if st.kind == crate::model::StatementKind::ExternalPickup {
            external.push(format!(
                "\u{201c}{}\u{201d}: what was collected cannot be recalled. Before the pickup, hold or replace a bad output with one from the previous version; after it, tell the collector which output to discard and send the corrected one.",
                st.words
            ));
        }
    }

    // Stores touched, in spec order of the stores.
    let touching: Vec<(usize, &crate::model::Change)> = spec
        .deployment
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.declaration().changes_data_store)
        .collect();
    if touching.is_empty() {
        // A stream, index, cache or access change keeps no rows of a database, yet can delete
        // messages, drop an index or lock clients out: its kind says what comes back and how.
        let own: Vec<String> = spec
            .deployment
            .changes
            .iter()
            .enumerate()
            .filter(|(_, c)| OWN_RECOVERY.contains(&c.kind()))
            .map(|(i, c)| format!("`{}`: {}.", c.label(i), c.declaration().data_recovery))
            .collect();
        let summary = if !own.is_empty() {
            format!("No database schema or rows are changed. {}", own.join(" "))
        } else if external.is_empty() {
            "No data store is changed by this deployment: nothing to recover. Data written by the new version is read by the previous one as before.".to_string()
        } else {
            "No data store schema or data operation is changed; what left the system is below."
                .to_string()
        };
        return DataRecovery {
            summary,
            stores: Vec::new(),
            external,
        };
    }

    let mut stores: Vec<StoreRecovery> = Vec::new();
    let mut unknown_store = false;
    let mut by_store: Vec<(DataStore, Vec<usize>)> = Vec::new();
    for (i, c) in &touching {
        match store_for(&spec, c) {
            Some(s) => match by_store.iter_mut().find(|(st, _)| st.name == s.name) {
                Some((_, v)) => v.push(*i),
                None => by_store.push((s.clone(), vec![*i])),
            },
            None => unknown_store = true,
        }
    }
    for (store, idxs) in by_store {
        let facts_here: Vec<&MigrationFacts> =
            mfacts.iter().filter(|m| idxs.contains(&m.index)).collect();
        let mut migrations = Vec::new();
        let mut manual = Vec::new();
        let mut writes: Vec<String> = Vec::new();
        for m in &facts_here {
            let c = &spec.deployment.changes[m.index];
            let label = c.label(m.index);
            let line = if m.is_destructive() {
                let lost: Vec<String> = m
                    .destroys
                    .iter()
                    .map(|(w, e)| format!("{w} ({})", e.cite()))
                    .collect();
                format!(
                    "`{label}` destroys {}: its down migration cannot bring that data back; only a backup can.",
                    super::summarised(&lost, ", ")
                )
            } else if m.additive {
                format!(
                    "`{label}` is additive: leave it in place after a rollback; running its down would drop {} and the data written there since the deploy.",
                    if m.creates.is_empty() {
                        "what it created".to_string()
                    } else {
                        super::summarised(&m.creates, ", ")
                    }
                )
            } else if m.has_down {
                format!(
                    "`{label}` reverses with its down migration{}.",
                    if m.creates.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", which drops {} and loses the values written there",
                            super::summarised(&m.creates, ", ")
                        )
                    }
                )
            } else {
                format!(
                    "`{label}` has no down migration on record: write and rehearse the reverse before the deploy."
                )
            };
            migrations.push(line);
            for (t, col) in &m.added_columns {
                let sql = format!(
                    "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
                    ident(store.engine, t),
                    ident(store.engine, col)
                );
                manual.push(DataCheck {
                    title: format!("Values written in {t}.{col} since the deploy"),
                    query: datastores::query(&store, &sql, &mut ctx.ph).render(),
                    expect: "export these before any down migration drops the column".to_string(),
                });
            }
            if m.is_destructive() {
                writes.push(format!(
                    "`{label}`: everything written since the deploy exists only in the live database; a restore over it would lose it, so restore into a separate instance and copy back."
                ));
            } else if m.renames_only {
                writes.push(format!(
                    "`{label}`: only renames; rows keep their values, and the reverse rename gives the previous version back the names it reads. Nothing to convert."
                ));
            } else if m.backward_compatible == Some(false) {
                writes.push(format!(
                    "`{label}`: rows written by the new version in the new shape must be converted back before the previous version reads them."
                ));
            }
        }
        for i in &idxs {
            let c = &spec.deployment.changes[*i];
            if let Some(d) = c.as_data_operation() {
                let table = d
                    .table
                    .clone()
                    .unwrap_or_else(|| "the touched table".to_string());
                let label = c.label(*i);
                migrations.push(match d.operation {
                    Some(DataOperationKind::Backfill) if c.destructive() != Some(true) => format!(
                        "`{label}` (backfill) on {table}: the values it wrote stay after a rollback and the previous version ignores them; nothing to restore once it is stopped."
                    ),
                    op => format!(
                        "`{label}` ({}) on {table}: a code rollback leaves the rows as it left them; before it runs, copy the rows it touches to a backup table (e.g. `CREATE TABLE {table}_before_{} AS SELECT ...`) so they can be copied back.",
                        op.map(|o| format!("{o:?}").to_lowercase()).unwrap_or_else(|| "data operation".to_string()),
                        super::super::placeholders::slug(&label).to_lowercase()
                    ),
                });
            }
        }
        if writes.is_empty() {
            writes.push("Rows written by the new version stay after the rollback and the previous version reads them as before, as long as the schema it needs is still there.".to_string());
        }
        let backup = datastores::backup_now(&store, "before-rollback", &mut ctx.ph);
        let restore = datastores::restore(&store, &mut ctx.ph);
        let (mins, basis) = datastores::restore_estimate(&store);
        let restore_estimate = match mins {
            Some(m) => format!("about {m} min for a full restore ({basis})"),
            None => format!("unknown: {basis}"),
        };
        let backups_location = match store.backup.as_ref().and_then(|b| b.location.clone()) {
            Some(l) => l,
            None => ctx.ph.text(
                &format!(
                    "{}_BACKUP_LOCATION",
                    super::super::placeholders::slug(&store.name)
                ),
                &format!("where the backups of `{}` are", store.name),
                "architecture.data_stores[].backup.location",
            ),
        };
        stores.push(StoreRecovery {
            store: store.name.clone(),
            engine: format!(
                "{:?}{}",
                store.engine,
                store
                    .version
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default()
            )
            .to_lowercase(),
            writes_after_deploy: writes.join(" "),
            migrations,
            manual_correction: manual,
            backup_before_rollback: backup.commands,
            restore: restore.commands,
            restore_estimate,
            backups_location,
        });
    }
    // A data change whose store is not named still changes data: the summary must not read as if
    // nothing were changed.
    let mut summary = if unknown_store && stores.is_empty() {
        "Data is changed in a data store the input does not name: set `database:` on the data changes (and declare the store) so their recovery commands can be written; until then, recovery is from the backup or copy the Go / No-Go asks for.".to_string()
    } else {
        format!("{} data store(s) changed.", stores.len())
    };
    if unknown_store && !stores.is_empty() {
        summary.push_str(" Some data changes name no declared data store: set `database:` on them so their recovery commands can be written.");
    }
    if stores.iter().any(|s| !s.backup_before_rollback.is_empty()) {
        summary.push_str(" Take the backup below before any rollback step that changes data; it keeps what was written since the deploy.");
    }
    DataRecovery {
        summary,
        stores,
        external,
    }
}
