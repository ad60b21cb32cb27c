//! Data stores: backups, restores, restore-time estimates, and running a check query.

use super::Action;
use crate::plan::model::Check;
use crate::plan::placeholders::Placeholders;
use crate::shell::Cmd;
use crate::spec::model::DataStore;

/// Takes a backup right now (before a destructive rollback step). `label` names it.
pub fn backup_now(store: &DataStore, label: &str, ph: &mut Placeholders) -> Action {
    let _ = (store, label, ph);
    todo!()
}

/// Restores the store to a point before the deploy (PITR, snapshot or dump, per its backup method).
pub fn restore(store: &DataStore, ph: &mut Placeholders) -> Action {
    let _ = (store, ph);
    todo!()
}

/// Proves a recent backup exists (for go/no-go).
pub fn verify_backup(store: &DataStore, ph: &mut Placeholders) -> Check {
    let _ = (store, ph);
    todo!()
}

/// Estimated minutes for a full restore and the basis of the figure; `None` minutes when the size is unknown.
pub fn restore_estimate(store: &DataStore) -> (Option<u32>, String) {
    let _ = store;
    todo!()
}

/// A command that runs one SQL query against the store (psql / mysql), read-only.
pub fn query(store: &DataStore, sql: &str, ph: &mut Placeholders) -> Cmd {
    let _ = (store, sql, ph);
    todo!()
}
