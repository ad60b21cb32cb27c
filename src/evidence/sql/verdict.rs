//! What a migration means for rollback: is it additive, does old code keep working, what does it
//! destroy, is its down honest, what does it lock. Plan builders and rules share this.

use super::{ConstraintKind, DefaultKind, Dialect, Migration, Op, Statement};
use serde::Serialize;

/// The honesty of a migration's down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "items", rename_all = "snake_case")]
pub enum DownVerdict {
    /// No down at all.
    Missing,
    /// A down that does nothing (blank or comment-only).
    Empty,
    /// Undoes the up without losing data.
    Lossless,
    /// Drops what the up created: data written since the deploy is lost.
    LosesDataWrittenSinceDeploy(Vec<String>),
    /// The up destroyed data; the down recreates only the schema.
    SchemaOnly,
    /// A down statement was not understood.
    NotUnderstood,
}

/// Rollback facts of one migration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Only creates/adds (nullable or defaulted columns, indexes, tables, types): leave it in place
    /// on rollback, do not run the down.
    pub additive_only: bool,
    /// Does the previous code keep working on the new schema? `None`: cannot tell.
    pub backward_compatible: Option<bool>,
    /// What the up destroys, e.g. `table users`, `column orders.legacy_note`.
    pub destroys: Vec<String>,
    pub down: DownVerdict,
    /// Plain-language lock notes.
    pub locks: Vec<String>,
    /// Rolling back needs the schema reversed (old code does not work on the new schema).
    pub needs_reverse: bool,
}

/// Major version from a version string like `15.4` or `9.6`.
pub fn major(version: &str) -> Option<u32> {
    version
        .trim()
        .trim_start_matches(['v', 'V'])
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|s| s.parse().ok())
}

fn is_noop(op: &Op) -> bool {
    matches!(
        op,
        Op::Begin | Op::Commit | Op::SetLockTimeout | Op::SetStatementTimeout
    )
}

/// Was `table` created by this migration before statement `upto`?
pub fn created_here(stmts: &[Statement], upto: usize, table: &str) -> bool {
    stmts
        .iter()
        .take(upto)
        .flat_map(|s| &s.ops)
        .any(|o| matches!(o, Op::CreateTable { table: t } if t == table))
}

/// What one migration creates, fills and renames, indexed once so that asking [`rebuilt`] for each
/// of thousands of drops stays linear.
#[derive(Debug, Default)]
pub struct RebuildIndex<'a> {
    created: std::collections::HashSet<&'a str>,
    inserted: std::collections::HashSet<&'a str>,
    added: std::collections::HashSet<(&'a str, &'a str)>,
    updated: std::collections::HashSet<(&'a str, &'a str)>,
    /// `to` table → statements renaming a table into it, with the old name.
    table_renames: std::collections::HashMap<&'a str, Vec<(usize, &'a str)>>,
    /// (table, `to` column) → statements renaming a column into it, with the old name.
    column_renames: std::collections::HashMap<(&'a str, &'a str), Vec<(usize, &'a str)>>,
}

impl<'a> RebuildIndex<'a> {
    pub fn new(stmts: &'a [Statement]) -> Self {
        let mut ix = RebuildIndex::default();
        for (si, s) in stmts.iter().enumerate() {
            for op in &s.ops {
                match op {
                    Op::CreateTable { table } => {
                        ix.created.insert(table);
                    }
                    Op::Insert { table } => {
                        ix.inserted.insert(table);
                    }
                    Op::AddColumn { table, column, .. } => {
                        ix.added.insert((table, column));
                    }
                    Op::Update { table, columns, .. } => {
                        for c in columns {
                            ix.updated.insert((table, c));
                        }
                    }
                    Op::RenameTable { from, to } => {
                        ix.table_renames.entry(to).or_default().push((si, from));
                    }
                    Op::RenameColumn { table, from, to } => {
                        ix.column_renames
                            .entry((table, to))
                            .or_default()
                            .push((si, from));
                    }
                    _ => {}
                }
            }
        }
        ix
    }

    /// Is a table of this name created and filled in this migration (after the old one was renamed
    /// away: the rebuild's other order)? Old code still finds a table under the name, with its rows.
    pub fn replaced(&self, table: &str) -> bool {
        self.created.contains(table) && self.inserted.contains(table)
    }

    fn filled(&self, table: &str, column: &str) -> bool {
        self.added.contains(&(table, column)) && self.updated.contains(&(table, column))
    }

    /// The rebuild pattern (how SQLite alters tables and columns): statement `si` drops `table`
    /// (or `table.column`) and a later statement of the same migration renames a table (column)
    /// this migration created and filled into the dropped name. The rows (values) were copied.
    pub fn rebuilt(&self, si: usize, table: &str, column: Option<&str>) -> bool {
        match column {
            // Either order: a table created and filled here is renamed into the dropped name
            // later, or the old table was renamed away earlier, a new one created and filled
            // under its name, and the renamed old one is what is dropped.
            None => self.table_renames.get(table).is_some_and(|rs| {
                rs.iter().any(|(at, from)| {
                    *at != si && self.created.contains(from) && self.inserted.contains(from)
                })
            }),
            Some(c) => {
                let renames = self.column_renames.get(&(table, c));
                // The other order: the old column was renamed away, a new one added under its
                // name, filled, and the renamed old one dropped.
                let renamed_away = renames.is_some_and(|rs| {
                    rs.iter()
                        .any(|(at, from)| *at < si && self.filled(table, from))
                });
                renamed_away
                    || renames.is_some_and(|rs| {
                        rs.iter()
                            .any(|(at, from)| *at > si && self.filled(table, from))
                    })
            }
        }
    }
}

/// [`RebuildIndex::rebuilt`] for one question; index the migration once when asking many.
pub fn rebuilt(stmts: &[Statement], si: usize, table: &str, column: Option<&str>) -> bool {
    RebuildIndex::new(stmts).rebuilt(si, table, column)
}

/// Was `table` created earlier in this deployment (an earlier migration, or earlier in this one)?
pub fn fresh_table(migrations: &[Migration], mi: usize, si: usize, table: &str) -> bool {
    migrations
        .iter()
        .take(mi)
        .any(|m| created_here(&m.up, m.up.len(), table))
        || migrations
            .get(mi)
            .is_some_and(|m| created_here(&m.up, si, table))
}

fn additive(op: &Op) -> bool {
    match op {
        Op::AddColumn {
            not_null, default, ..
        } => !*not_null || default.is_some(),
        Op::CreateTable { .. }
        | Op::TableColumns { .. }
        | Op::CreateIndex { .. }
        | Op::CreateType { .. }
        | Op::CreateExtension { .. }
        | Op::CreateFunctionOrTrigger { .. }
        | Op::Insert { .. }
        | Op::SetLockTimeout
        | Op::SetStatementTimeout
        | Op::Maintenance { .. }
        | Op::LockTable { .. }
        | Op::Begin
        | Op::Commit
        | Op::Other { .. } => true,
        _ => false,
    }
}

/// What an op destroys (tables created in the same migration excluded by the caller).
pub fn destroys(op: &Op) -> Vec<String> {
    match op {
        Op::DropTable { tables, .. } => tables.iter().map(|t| format!("table {t}")).collect(),
        Op::DropColumn { table, column } => vec![format!("column {table}.{column}")],
        Op::Truncate { tables, .. } => tables
            .iter()
            .map(|t| format!("rows of table {t}"))
            .collect(),
        Op::Delete {
            table,
            has_where: false,
        } => vec![format!("rows of table {table}")],
        Op::Update {
            table,
            has_where: false,
            ..
        } => vec![format!("previous values in table {table}")],
        Op::DropSchema { names, .. } => names.iter().map(|n| format!("schema {n}")).collect(),
        Op::DropDatabase { name } => vec![format!("database {name}")],
        Op::DropExtension {
            names,
            cascade: true,
        } => names
            .iter()
            .map(|n| format!("objects depending on extension {n}"))
            .collect(),
        _ => Vec::new(),
    }
}

fn op_table(op: &Op) -> Option<&str> {
    match op {
        Op::DropColumn { table, .. }
        | Op::Delete { table, .. }
        | Op::Update { table, .. }
        | Op::AlterColumnType { table, .. }
        | Op::SetNotNull { table, .. }
        | Op::AddConstraint { table, .. }
        | Op::CreateIndex { table, .. }
        | Op::AddColumn { table, .. } => Some(table),
        _ => None,
    }
}

/// A plain-language lock note for an op, if it takes a notable lock.
pub fn lock_note(op: &Op, dialect: Dialect, pg_version: Option<u32>) -> Option<String> {
    let pg = dialect == Dialect::Postgres;
    Some(match op {
        Op::CreateIndex {
            table,
            concurrently: false,
            ..
        } if pg => format!("CREATE INDEX blocks writes to {table} for the whole build"),
        Op::AlterColumnType { table, .. } if pg => {
            format!("ALTER COLUMN TYPE may rewrite {table} under an ACCESS EXCLUSIVE lock")
        }
        Op::AlterColumnType { table, .. } => {
            format!("MODIFY/CHANGE COLUMN copies {table} and blocks writes")
        }
        Op::AddColumn {
            table,
            default: Some(DefaultKind::Volatile),
            ..
        } => format!("the volatile default rewrites {table} under an ACCESS EXCLUSIVE lock"),
        Op::AddColumn {
            table,
            default: Some(DefaultKind::Constant),
            ..
        } if pg && pg_version.is_some_and(|v| v < 11) => {
            format!("before PostgreSQL 11 a column default rewrites {table}")
        }
        Op::SetNotNull { table, .. } if pg => {
            format!("SET NOT NULL scans {table} under an ACCESS EXCLUSIVE lock")
        }
        Op::AddConstraint {
            table,
            kind: ConstraintKind::Check | ConstraintKind::ForeignKey,
            not_valid: false,
            ..
        } if pg => format!("the constraint is validated by a scan of {table} while it is locked"),
        Op::AddConstraint {
            table,
            kind: ConstraintKind::Unique | ConstraintKind::PrimaryKey,
            not_valid: false,
            ..
        } => format!("the unique index on {table} is built while the table is locked"),
        Op::MysqlCopyAlter { table } => format!("the ALTER copies {table} and blocks writes"),
        Op::DropIndex {
            concurrently: false,
            ..
        } if pg => "DROP INDEX takes an ACCESS EXCLUSIVE lock on its table".into(),
        _ => return None,
    })
}

/// The rollback verdict of one migration. `pg_version`: major version of the data store.
pub fn verdict(m: &Migration, pg_version: Option<u32>) -> Verdict {
    let mut destroyed = Vec::new();
    let mut locks = Vec::new();
    let mut additive_only = true;
    let mut any = false;
    let mut breaks = false;
    let mut unknown = false;
    // Tables created by earlier statements, kept as we go: asking `created_here` per statement
    // is quadratic, minutes on a 100,000-statement file.
    let mut created: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    // Columns added by earlier statements: filling them overwrites nothing.
    let mut added: std::collections::BTreeSet<(&str, &str)> = std::collections::BTreeSet::new();
    let rebuilds = RebuildIndex::new(&m.up);
    for (si, s) in m.up.iter().enumerate() {
        for op in &s.ops {
            any |= !is_noop(op);
            let fresh = op_table(op).is_some_and(|t| created.contains(t))
                || matches!(op, Op::DropTable { tables, .. } if tables.iter().all(|t| created.contains(t.as_str()) || rebuilds.rebuilt(si, t, None)))
                || matches!(op, Op::DropColumn { table, column } if rebuilds.rebuilt(si, table, Some(column)))
                || matches!(op, Op::Update { table, columns, .. } if !columns.is_empty() && columns.iter().all(|c| added.contains(&(table.as_str(), c.as_str()))));
            if let Op::AddColumn { table, column, .. } = op {
                added.insert((table, column));
            }
            if !fresh {
                destroyed.extend(destroys(op));
                if let Some(l) = lock_note(op, m.dialect, pg_version) {
                    locks.push(l);
                }
            }
            if !additive(op) && !fresh {
                additive_only = false;
            }
            match op {
                Op::NotUnderstood { .. } => {
                    additive_only = false;
                    unknown = true;
                }
                Op::RenameTable { .. }
                | Op::RenameColumn { .. }
                | Op::DropTable { .. }
                | Op::DropColumn { .. }
                | Op::DropSchema { .. }
                | Op::DropDatabase { .. }
                | Op::AlterColumnType { .. }
                | Op::SetNotNull { .. } => breaks |= !fresh,
                Op::AddColumn {
                    not_null: true,
                    default: None,
                    ..
                } => breaks |= !fresh,
                Op::AddConstraint { .. } | Op::Truncate { .. } | Op::Delete { .. } => {
                    unknown |= !fresh
                }
                _ => {}
            }
        }
        created.extend(s.ops.iter().filter_map(|o| match o {
            Op::CreateTable { table } => Some(table.as_str()),
            _ => None,
        }));
    }
    let additive_only = additive_only && any;
    let backward_compatible = if breaks {
        Some(false)
    } else if unknown {
        None
    } else {
        Some(true)
    };
    locks.dedup();
    Verdict {
        additive_only,
        backward_compatible,
        down: down_verdict(m, &destroyed),
        destroys: destroyed,
        locks,
        needs_reverse: backward_compatible != Some(true),
    }
}

fn down_verdict(m: &Migration, destroyed: &[String]) -> DownVerdict {
    if m.down_source.is_none() {
        return DownVerdict::Missing;
    }
    let ops: Vec<&Op> = m.down.iter().flat_map(|s| &s.ops).collect();
    if ops.iter().all(|o| is_noop(o)) {
        return DownVerdict::Empty;
    }
    if ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. })) {
        return DownVerdict::NotUnderstood;
    }
    if !destroyed.is_empty() {
        return DownVerdict::SchemaOnly;
    }
    let up: Vec<&Op> = m.up.iter().flat_map(|s| &s.ops).collect();
    let mut lost = Vec::new();
    for op in ops {
        match op {
            Op::DropTable { tables, .. } => {
                for t in tables {
                    if up
                        .iter()
                        .any(|u| matches!(u, Op::CreateTable { table } if table == t))
                    {
                        lost.push(format!("table {t}"));
                    }
                }
            }
            Op::DropColumn { table, column }
                if up.iter().any(|u| {
                    matches!(u, Op::AddColumn { table: t, column: c, .. } if t == table && c == column)
                }) =>
            {
                lost.push(format!("column {table}.{column}"));
            }
            _ => {}
        }
    }
    if lost.is_empty() {
        DownVerdict::Lossless
    } else {
        DownVerdict::LosesDataWrittenSinceDeploy(lost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::sql::text::Origin;

    fn mig(up: &str, down: Option<&str>) -> Migration {
        let o = Origin::file("m.sql");
        Migration {
            change: 0,
            dialect: Dialect::Postgres,
            up_source: o.source(),
            up: crate::evidence::sql::postgres::parse(up, &o),
            down_source: down.map(|_| o.source()),
            down: down
                .map(|d| crate::evidence::sql::postgres::parse(d, &o))
                .unwrap_or_default(),
            tool_transaction: None,
        }
    }

    #[test]
    fn additive_migration_down_loses_new_data() {
        let v = verdict(
            &mig(
                "ALTER TABLE a ADD COLUMN b text;",
                Some("ALTER TABLE a DROP COLUMN b;"),
            ),
            Some(15),
        );
        assert!(v.additive_only);
        assert_eq!(v.backward_compatible, Some(true));
        assert!(!v.needs_reverse);
        assert_eq!(
            v.down,
            DownVerdict::LosesDataWrittenSinceDeploy(vec!["column a.b".into()])
        );
    }

    #[test]
    fn destructive_migration_down_is_schema_only() {
        let v = verdict(
            &mig(
                "ALTER TABLE orders DROP COLUMN legacy_note;",
                Some("ALTER TABLE orders ADD COLUMN legacy_note text;"),
            ),
            None,
        );
        assert!(!v.additive_only);
        assert_eq!(v.backward_compatible, Some(false));
        assert_eq!(v.destroys, vec!["column orders.legacy_note".to_string()]);
        assert_eq!(v.down, DownVerdict::SchemaOnly);
    }

    #[test]
    fn missing_empty_and_fresh_tables() {
        assert_eq!(
            verdict(&mig("ALTER TABLE a RENAME TO b;", None), None).down,
            DownVerdict::Missing
        );
        assert_eq!(
            verdict(&mig("ALTER TABLE a RENAME TO b;", Some("-- nothing")), None).down,
            DownVerdict::Empty
        );
        let v = verdict(&mig("CREATE TABLE t (id int);\nDROP TABLE t;", None), None);
        assert!(v.destroys.is_empty());
        assert_eq!(major("9.6"), Some(9));
        assert_eq!(major("15.4"), Some(15));
    }

    #[test]
    fn locks_are_version_aware() {
        let m = mig("ALTER TABLE a ADD COLUMN b int DEFAULT 0;", None);
        assert!(verdict(&m, Some(10)).locks.len() == 1);
        assert!(verdict(&m, Some(11)).locks.is_empty());
    }
}
