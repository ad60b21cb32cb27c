//! Helpers the `sql_*` rules share: walking statements with their indexes, the data store version.

use super::{Migration, Op, Statement};
use crate::model::Spec;

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
    let db = spec.deployment.changes.get(change)?.database()?;
    let store = spec
        .architecture
        .data_stores
        .iter()
        .find(|s| s.name == db)?;
    super::verdict::major(store.version.as_deref()?)
}

/// How a type change relates old and new type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeChange {
    /// Binary-coercible: no rewrite, no loss.
    Widening,
    /// Values may be cut or rejected.
    Narrowing,
    Other,
}

fn len_arg(t: &str, base: &[&str]) -> Option<Option<u32>> {
    let (name, rest) = t
        .split_once('(')
        .map(|(a, b)| (a.trim(), Some(b)))
        .unwrap_or((t.trim(), None));
    if !base.contains(&name) {
        return None;
    }
    Some(
        rest.and_then(|r| r.split([',', ')']).next())
            .and_then(|n| n.trim().parse().ok()),
    )
}

/// Classifies a type change from `from` to `to` (both normalised, lower-case).
pub fn type_change(from: &str, to: &str) -> TypeChange {
    const VARCHAR: &[&str] = &["varchar", "character varying"];
    const NUMERIC: &[&str] = &["numeric", "decimal"];
    if let (Some(f), Some(t)) = (len_arg(from, VARCHAR), len_arg(to, VARCHAR)) {
        return match (f, t) {
            (_, None) => TypeChange::Widening,
            (Some(a), Some(b)) if b >= a => TypeChange::Widening,
            _ => TypeChange::Narrowing,
        };
    }
    if len_arg(from, VARCHAR).is_some() && to == "text" {
        return TypeChange::Widening;
    }
    if members_appended(from, to) {
        return TypeChange::Widening;
    }
    if from == "text" && len_arg(to, VARCHAR).is_some_and(|n| n.is_some()) {
        return TypeChange::Narrowing;
    }
    if let (Some(f), Some(t)) = (len_arg(from, NUMERIC), len_arg(to, NUMERIC)) {
        return match (f, t) {
            (_, None) => TypeChange::Widening,
            (Some(a), Some(b)) if b >= a => TypeChange::Widening,
            _ => TypeChange::Narrowing,
        };
    }
    let rank = |t: &str| match t {
        "smallint" | "int2" => Some(1),
        "int" | "integer" | "int4" => Some(2),
        "bigint" | "int8" => Some(3),
        _ => None,
    };
    if let (Some(a), Some(b)) = (rank(from), rank(to))
        && b < a
    {
        return TypeChange::Narrowing;
    }
    TypeChange::Other
}

/// A MySQL ENUM or SET given new members at the end of its list (`enum('a', 'b')` to
/// `enum('a', 'b', 'c')`): every value stays valid, and MySQL changes the column in place.
pub fn members_appended(from: &str, to: &str) -> bool {
    ["enum(", "set("].iter().any(|kind| {
        from.starts_with(kind)
            && from
                .strip_suffix(')')
                .and_then(|head| to.strip_prefix(head))
                .is_some_and(|rest| rest.starts_with(','))
    })
}

/// The column's type before migration `mi` as its own down sets it back (callers ask the
/// history first).
pub fn previous_type(
    migrations: &[Migration],
    mi: usize,
    table: &str,
    column: &str,
) -> Option<String> {
    let m = migrations.get(mi)?;
    m.down.iter().flat_map(|s| &s.ops).find_map(|o| match o {
        Op::AlterColumnType {
            table: t,
            column: c,
            to_type,
        } if t == table && c == column => Some(to_type.clone()),
        _ => None,
    })
}
