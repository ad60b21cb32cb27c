//! Helpers the `sql_*` rules share: walking statements with their indexes, the data store version.

use super::{Migration, Op, Statement};
use crate::spec::model::Spec;

/// One op of one statement of one migration.
pub struct Site<'a> {
    /// Index of the migration in `ctx.migrations`.
    pub mi: usize,
    pub m: &'a Migration,
    /// Index of the statement in `m.up` (or `m.down`).
    pub si: usize,
    pub stmt: &'a Statement,
    pub op: &'a Op,
}

/// Every op of every up.
pub fn up_sites(migrations: &[Migration]) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for (mi, m) in migrations.iter().enumerate() {
        for (si, stmt) in m.up.iter().enumerate() {
            for op in &stmt.ops {
                out.push(Site {
                    mi,
                    m,
                    si,
                    stmt,
                    op,
                });
            }
        }
    }
    out
}

impl Site<'_> {
    /// Was `table` created earlier in this deployment? Dropping or rewriting it is harmless.
    pub fn fresh(&self, migrations: &[Migration], table: &str) -> bool {
        super::verdict::fresh_table(migrations, self.mi, self.si, table)
    }
}

/// Major PostgreSQL version of a change's data store, from `architecture.data_stores[].version`.
pub fn pg_version(spec: &Spec, change: usize) -> Option<u32> {
    let db = spec.deployment.changes.get(change)?.database.as_ref()?;
    let store = spec
        .architecture
        .data_stores
        .iter()
        .find(|s| &s.name == db)?;
    super::verdict::major(store.version.as_deref()?)
}
