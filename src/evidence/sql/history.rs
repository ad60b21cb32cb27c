//! The schema history of an ordered list of migrations: which tables, columns (with type and
//! nullability), indexes and constraints each statement finds, built by every statement before it.
//!
//! Built once in one pass (linear in the number of ops); each question is a binary search in the
//! events of one name. A migration belongs to a deployment: objects created in the same deployment
//! carry no data and no traffic yet, so dropping or rewriting them is harmless; objects created by
//! an earlier deployment are live.

use super::{ConstraintKind, Dialect, Migration, Op};
use std::collections::HashMap;

/// Position of a statement: (migration index, statement index in its up).
pub type Pos = (usize, usize);

#[derive(Debug, Clone)]
enum TableEvent {
    /// Created by this migration (`None`: a live table renamed into this name).
    Created(Option<usize>),
    /// Renamed into this name from a table created by this migration (`None`: a live table).
    Renamed(Option<usize>),
    /// Dropped (or renamed away).
    Gone,
}

#[derive(Debug, Clone)]
enum ColumnEvent {
    /// `origin`: the migration that added the column (`None`: it existed before the history);
    /// a column that moves with a renamed table or under a new name keeps it.
    Added {
        data_type: String,
        not_null: bool,
        origin: Option<usize>,
        /// In the primary key.
        key: bool,
    },
    Typed(String),
    NotNull(bool),
    Gone,
}

/// A constraint's kind, and whether it is still NOT VALID.
type ConstraintState = (ConstraintKind, bool);

/// What the statements before a position built.
#[derive(Debug, Default)]
pub struct History {
    /// Deployment of each migration; empty: all migrations are one deployment.
    deployment: Vec<usize>,
    /// Dialect of each migration: each dialect's files build their own schema (a multi-dialect
    /// tree holds one history per database).
    dialect: Vec<Dialect>,
    tables: HashMap<(Dialect, String), Vec<(Pos, TableEvent)>>,
    columns: HashMap<(Dialect, String, String), Vec<(Pos, ColumnEvent)>>,
    /// Index name → (position of its CREATE INDEX, table).
    indexes: HashMap<(Dialect, String), Vec<(Pos, String)>>,
    /// (table, constraint name) → (position, kind, not valid).
    constraints: HashMap<(Dialect, String, String), Vec<(Pos, ConstraintState)>>,
    /// (table, column) → names of `CHECK (column IS NOT NULL)` constraints.
    not_null_checks: HashMap<(Dialect, String, String), Vec<String>>,
}

/// The column of a `CHECK (col IS NOT NULL)` in a statement's text.
fn not_null_check(text: &str) -> Option<String> {
    let t = text.to_lowercase();
    let body = t.split("check").nth(1)?.trim_start().strip_prefix('(')?;
    let (col, rest) = body.trim_start().split_once(char::is_whitespace)?;
    let col = col.trim_matches('(');
    rest.trim_start()
        .starts_with("is not null")
        .then(|| super::text::ident(col))
}

/// A column's state while its events are read: type, nullability, origin, whether it was added.
#[derive(Default)]
struct Carried {
    data_type: Option<String>,
    not_null: Option<bool>,
    origin: Option<usize>,
    added: bool,
    key: bool,
}

/// Room for one event: most names see one in a whole history (a push would make room for four,
/// and a repository's history holds tens of thousands of columns).
fn one<T>() -> Vec<T> {
    Vec::with_capacity(1)
}

/// What a column is after `events` (its type, nullability and origin), to be carried to the name
/// it is renamed to (or its table's new name); `None` when it no longer exists or is unknown.
fn carried(events: &[(Pos, ColumnEvent)]) -> Option<ColumnEvent> {
    let mut state: Option<Carried> = None;
    for (_, e) in events {
        match e {
            ColumnEvent::Added {
                data_type,
                not_null,
                origin,
                key,
            } => {
                state = Some(Carried {
                    data_type: Some(data_type.clone()),
                    not_null: Some(*not_null),
                    origin: *origin,
                    added: true,
                    key: *key,
                })
            }
            ColumnEvent::Typed(t) => state.get_or_insert_default().data_type = Some(t.clone()),
            ColumnEvent::NotNull(b) => state.get_or_insert_default().not_null = Some(*b),
            ColumnEvent::Gone => state = None,
        }
    }
    match state? {
        Carried {
            data_type: Some(data_type),
            not_null: Some(not_null),
            origin,
            added: true,
            key,
        } => Some(ColumnEvent::Added {
            data_type,
            not_null,
            origin,
            key,
        }),
        Carried {
            data_type: Some(t), ..
        } => Some(ColumnEvent::Typed(t)),
        _ => None,
    }
}

fn last_before<T>(events: Option<&Vec<(Pos, T)>>, at: Pos) -> Option<&(Pos, T)> {
    let ev = events?;
    let i = ev.partition_point(|(p, _)| *p < at);
    i.checked_sub(1).and_then(|i| ev.get(i))
}

impl History {
    fn d(&self, mi: usize) -> Dialect {
        self.dialect.get(mi).copied().unwrap_or(Dialect::Postgres)
    }
    fn t(&self, mi: usize, table: &str) -> (Dialect, String) {
        (self.d(mi), table.to_string())
    }
    fn key(&self, mi: usize, a: &str, b: &str) -> (Dialect, String, String) {
        (self.d(mi), a.to_string(), b.to_string())
    }

    /// The history of `migrations` in order. `deployment[i]` names the deployment of migration `i`
    /// (equal numbers: one deployment); an empty slice makes them all one deployment.
    pub fn build(migrations: &[Migration], deployment: &[usize]) -> Self {
        let mut h = History {
            deployment: deployment.to_vec(),
            dialect: migrations.iter().map(|m| m.dialect).collect(),
            ..History::default()
        };
        for (mi, m) in migrations.iter().enumerate() {
            for (si, s) in m.up.iter().enumerate() {
                for op in &s.ops {
                    h.record((mi, si), op);
                    if let Op::AddConstraint {
                        table,
                        kind: ConstraintKind::Check,
                        name: Some(n),
                        ..
                    } = op
                        && let Some(col) = s.evidence.excerpt.as_deref().and_then(not_null_check)
                    {
                        let k = h.key(mi, table, &col);
                        h.not_null_checks.entry(k).or_default().push(n.clone());
                    }
                }
            }
        }
        h
    }

    fn record(&mut self, at: Pos, op: &Op) {
        let table = |h: &mut Self, t: &str, e: TableEvent| {
            let k = h.t(at.0, t);
            h.tables.entry(k).or_insert_with(one).push((at, e));
        };
        match op {
            Op::CreateTable { table: t } => table(self, t, TableEvent::Created(Some(at.0))),
            Op::TableColumns { table, columns } => {
                for c in columns {
                    self.column(
                        at,
                        table,
                        &c.name,
                        ColumnEvent::Added {
                            data_type: c.data_type.clone(),
                            not_null: c.not_null,
                            origin: Some(at.0),
                            key: c.key,
                        },
                    );
                }
            }
            Op::DropTable { tables, .. } => {
                for t in tables {
                    table(self, t, TableEvent::Gone);
                }
            }
            Op::RenameTable { from, to } => {
                // The renamed table keeps its origin: a live table stays live under its new name.
                let origin = match last_before(self.tables.get(&self.t(at.0, from)), at) {
                    Some((_, TableEvent::Created(o) | TableEvent::Renamed(o))) => *o,
                    _ => None,
                };
                table(self, from, TableEvent::Gone);
                table(self, to, TableEvent::Renamed(origin));
                // The columns move with the table (a scan of the catalogue: renames are rare).
                let d = self.d(at.0);
                let moved: Vec<(String, ColumnEvent)> = self
                    .columns
                    .iter()
                    .filter(|((cd, t, _), _)| *cd == d && t == from)
                    .filter_map(|((_, _, c), ev)| Some((c.clone(), carried(ev)?)))
                    .collect();
                for (c, e) in moved {
                    self.column(at, to, &c, e);
                }
            }
            Op::AddColumn {
                table,
                column,
                data_type,
                not_null,
                ..
            } => self.column(
                at,
                table,
                column,
                ColumnEvent::Added {
                    data_type: data_type.clone(),
                    not_null: *not_null,
                    origin: Some(at.0),
                    key: false,
                },
            ),
            Op::AlterColumnType {
                table,
                column,
                to_type,
            } => self.column(at, table, column, ColumnEvent::Typed(to_type.clone())),
            Op::SetNotNull { table, column } => {
                self.column(at, table, column, ColumnEvent::NotNull(true))
            }
            Op::DropNotNull { table, column } => {
                self.column(at, table, column, ColumnEvent::NotNull(false))
            }
            Op::RestateNullability {
                table,
                column,
                not_null,
            } => self.column(at, table, column, ColumnEvent::NotNull(*not_null)),
            Op::DropColumn { table, column } => self.column(at, table, column, ColumnEvent::Gone),
            Op::RenameColumn { table, from, to } => {
                let moved = self
                    .columns
                    .get(&self.key(at.0, table, from))
                    .and_then(|ev| carried(ev));
                self.column(at, table, from, ColumnEvent::Gone);
                if let Some(e) = moved {
                    self.column(at, table, to, e);
                }
            }
            Op::CreateIndex {
                table,
                name: Some(n),
                ..
            } => {
                let k = self.t(at.0, n);
                self.indexes
                    .entry(k)
                    .or_insert_with(one)
                    .push((at, table.clone()))
            }
            Op::AddConstraint {
                table,
                kind,
                not_valid,
                name: Some(n),
            } => {
                let k = self.key(at.0, table, n);
                self.constraints
                    .entry(k)
                    .or_default()
                    .push((at, (*kind, *not_valid)))
            }
            Op::ValidateConstraint { table, name } => {
                let k = self.key(at.0, table, name);
                if let Some(kind) = last_before(self.constraints.get(&k), at).map(|(_, (k, _))| *k)
                {
                    self.constraints
                        .entry(k)
                        .or_default()
                        .push((at, (kind, false)));
                }
            }
            _ => {}
        }
    }

    fn column(&mut self, at: Pos, table: &str, column: &str, e: ColumnEvent) {
        let k = self.key(at.0, table, column);
        self.columns.entry(k).or_insert_with(one).push((at, e));
    }

    fn same_deployment(&self, a: usize, b: usize) -> bool {
        self.deployment.is_empty() || self.deployment.get(a) == self.deployment.get(b)
    }

    /// Was `table` created (or renamed into being) earlier in the deployment of migration `at.0`,
    /// and still there at `at`? Such a table holds no live data.
    pub fn table_is_new(&self, at: Pos, table: &str) -> bool {
        match last_before(self.tables.get(&self.t(at.0, table)), at) {
            Some((_, TableEvent::Created(Some(origin)) | TableEvent::Renamed(Some(origin)))) => {
                self.same_deployment(*origin, at.0)
            }
            _ => false,
        }
    }

    /// Is `table`, dropped at `at`, replaced later in the same deployment by a table that
    /// deployment created and renamed into its name (the table-rebuild pattern, even when a tool
    /// splits it over several files)?
    pub fn rebuilt_later(&self, at: Pos, table: &str) -> bool {
        let Some(ev) = self.tables.get(&self.t(at.0, table)) else {
            return false;
        };
        let next = ev.partition_point(|(p, _)| *p <= at);
        ev.get(next..)
            .unwrap_or_default()
            .iter()
            .find(|(_, e)| !matches!(e, TableEvent::Gone))
            .is_some_and(|(p, e)| {
                matches!(e, TableEvent::Renamed(Some(o)) if self.same_deployment(*o, at.0))
                    && self.same_deployment(p.0, at.0)
            })
    }

    /// Was `table.column` added earlier in the deployment of migration `at.0`?
    pub fn column_is_new(&self, at: Pos, table: &str, column: &str) -> bool {
        let events = self.columns.get(&self.key(at.0, table, column));
        match last_before(events, at) {
            Some((_, ColumnEvent::Added { origin, .. })) => {
                origin.is_some_and(|o| self.same_deployment(o, at.0))
            }
            // Retyped or made NOT NULL after being added in this deployment: still new.
            Some((_, ColumnEvent::Typed(_) | ColumnEvent::NotNull(_))) => {
                let ev = events.map(Vec::as_slice).unwrap_or_default();
                let upto = ev.partition_point(|(p, _)| *p < at);
                ev.get(..upto)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .find(|(_, e)| matches!(e, ColumnEvent::Added { .. } | ColumnEvent::Gone))
                    .is_some_and(|(_, e)| {
                        matches!(e, ColumnEvent::Added { origin: Some(o), .. } if self.same_deployment(*o, at.0))
                    })
            }
            _ => self.table_is_new(at, table),
        }
    }

    /// The type `table.column` has before `at`, if its history says.
    pub fn column_type(&self, at: Pos, table: &str, column: &str) -> Option<String> {
        let ev = self.columns.get(&self.key(at.0, table, column))?;
        let upto = ev.partition_point(|(p, _)| *p < at);
        ev.get(..upto)?
            .iter()
            .rev()
            .find_map(|(_, e)| match e {
                ColumnEvent::Added { data_type, .. } => Some(data_type.clone()),
                ColumnEvent::Typed(t) => Some(t.clone()),
                ColumnEvent::Gone => Some(String::new()),
                ColumnEvent::NotNull(_) => None,
            })
            .filter(|t| !t.is_empty())
    }

    /// Is `table.column` NOT NULL before `at`? `None`: the history does not say.
    pub fn column_not_null(&self, at: Pos, table: &str, column: &str) -> Option<bool> {
        let ev = self.columns.get(&self.key(at.0, table, column))?;
        let upto = ev.partition_point(|(p, _)| *p < at);
        ev.get(..upto)?.iter().rev().find_map(|(_, e)| match e {
            ColumnEvent::Added { not_null, .. } => Some(*not_null),
            ColumnEvent::NotNull(b) => Some(*b),
            _ => None,
        })
    }

    /// Was `table.column` declared in its table's primary key (the latest declaration before
    /// `at`)? MySQL keeps such a column NOT NULL whatever a redefinition leaves out.
    pub fn column_is_key(&self, at: Pos, table: &str, column: &str) -> bool {
        let Some(ev) = self.columns.get(&self.key(at.0, table, column)) else {
            return false;
        };
        let upto = ev.partition_point(|(p, _)| *p < at);
        ev[..upto].iter().rev().find_map(|(_, e)| match e {
            ColumnEvent::Added { key, .. } => Some(*key),
            ColumnEvent::Gone => Some(false),
            _ => None,
        }) == Some(true)
    }

    /// The table of index `name` as created before `at`, with where it was created.
    pub fn index_table(&self, at: Pos, name: &str) -> Option<(Pos, &str)> {
        last_before(self.indexes.get(&self.t(at.0, name)), at).map(|(p, t)| (*p, t.as_str()))
    }

    /// Was constraint `name` on `table` added `NOT VALID` earlier in the same migration as `at`
    /// (and not validated since)?
    pub fn constraint_not_valid_here(&self, at: Pos, table: &str, name: &str) -> bool {
        matches!(
            last_before(self.constraints.get(&self.key(at.0, table, name)), at),
            Some((p, (_, true))) if p.0 == at.0
        )
    }

    /// Is `table.column` proven NOT NULL before `at` by a validated `CHECK (column IS NOT NULL)`?
    /// PostgreSQL 12+ then skips the scan of SET NOT NULL.
    pub fn proven_not_null(&self, at: Pos, table: &str, column: &str) -> bool {
        self.not_null_checks
            .get(&self.key(at.0, table, column))
            .is_some_and(|names| {
                names
                    .iter()
                    .any(|n| self.validated_check_named(at, table, n))
            })
    }

    /// Is there a validated CHECK constraint on `table` before `at`? (A `CHECK (col IS NOT NULL)`
    /// lets PostgreSQL 12+ skip the scan of SET NOT NULL.)
    pub fn validated_check_named(&self, at: Pos, table: &str, name: &str) -> bool {
        matches!(
            last_before(self.constraints.get(&self.key(at.0, table, name)), at),
            Some((_, (ConstraintKind::Check, false)))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::sql::layout::parse;
    use crate::evidence::sql::text::Origin;
    use crate::evidence::sql::{Dialect, Migration};

    fn mig(sql: &str) -> Migration {
        let o = Origin::file("m.sql");
        Migration {
            change: 0,
            dialect: Dialect::Postgres,
            up_source: o.source(),
            up: parse(sql, Dialect::Postgres, &o),
            down_source: None,
            down: Vec::new(),
            tool_transaction: None,
        }
    }

    #[test]
    fn a_table_from_an_earlier_deployment_is_live() {
        let ms = [mig("CREATE TABLE t (id int);"), mig("DROP TABLE t;")];
        let one = History::build(&ms, &[]);
        assert!(one.table_is_new((1, 0), "t"));
        let each = History::build(&ms, &[0, 1]);
        assert!(!each.table_is_new((1, 0), "t"));
        assert!(each.table_is_new((0, 1), "t"));
    }

    #[test]
    fn column_types_follow_the_history() {
        let ms = [
            mig("ALTER TABLE t ADD COLUMN c varchar(10);"),
            mig(
                "ALTER TABLE t ALTER COLUMN c TYPE varchar(20);\nALTER TABLE t RENAME COLUMN c TO d;",
            ),
        ];
        let h = History::build(&ms, &[0, 1]);
        assert_eq!(
            h.column_type((1, 0), "t", "c").as_deref(),
            Some("varchar(10)")
        );
        assert_eq!(
            h.column_type((1, 1), "t", "c").as_deref(),
            Some("varchar(20)")
        );
        assert_eq!(
            h.column_type((2, 0), "t", "d").as_deref(),
            Some("varchar(20)")
        );
        assert_eq!(h.column_type((2, 0), "t", "c"), None);
        assert!(!h.column_is_new((1, 0), "t", "c"));
        assert!(h.column_is_new((0, 1), "t", "c"));
        // Columns move with a renamed table.
        let ms = [
            mig("CREATE TABLE a (c char(36) NOT NULL);"),
            mig("ALTER TABLE a RENAME TO b;"),
        ];
        let h = History::build(&ms, &[0, 1]);
        assert_eq!(h.column_type((2, 0), "b", "c").as_deref(), Some("char(36)"));
    }
}
