//! SQL migrations: parsed into rollbook's own model of migration operations, so rules are written
//! once for both dialects.

use crate::base::Evidence;
use serde::Serialize;

/// SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
}

/// A column default, as far as locking and rewriting go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultKind {
    /// A constant or STABLE expression (metadata-only on PostgreSQL 11+).
    Constant,
    /// A volatile expression (`random()`, `gen_random_uuid()`, `clock_timestamp()`): rewrites the table.
    Volatile,
    /// A generated or identity column: a value computed for every existing row, which rewrites
    /// the table like a volatile default.
    Generated,
}

/// Constraint kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    Check,
    ForeignKey,
    Unique,
    PrimaryKey,
    Other,
}

/// A column as declared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDef {
    pub name: String,
    /// Normalised, lower-case.
    pub data_type: String,
    pub not_null: bool,
    /// In the table's primary key: NOT NULL whatever a later MySQL redefinition leaves out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
}

/// One migration operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateTable {
        table: String,
    },
    /// The columns a CREATE TABLE declares (follows its `CreateTable`): the history's catalogue.
    TableColumns {
        table: String,
        columns: Vec<ColumnDef>,
    },
    DropTable {
        tables: Vec<String>,
        cascade: bool,
    },
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: String,
        not_null: bool,
        default: Option<DefaultKind>,
        data_type: String,
    },
    DropColumn {
        table: String,
        column: String,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    AlterColumnType {
        table: String,
        column: String,
        to_type: String,
    },
    SetNotNull {
        table: String,
        column: String,
    },
    DropNotNull {
        table: String,
        column: String,
    },
    /// A MySQL `MODIFY` / `CHANGE` restating a column's nullability (follows its
    /// `AlterColumnType`): a change only when the history knows the column was otherwise.
    RestateNullability {
        table: String,
        column: String,
        not_null: bool,
    },
    SetDefault {
        table: String,
        column: String,
        default: Option<DefaultKind>,
    },
    DropDefault {
        table: String,
        column: String,
    },
    AddConstraint {
        table: String,
        kind: ConstraintKind,
        not_valid: bool,
        name: Option<String>,
    },
    DropConstraint {
        table: String,
        name: String,
    },
    ValidateConstraint {
        table: String,
        name: String,
    },
    CreateIndex {
        table: String,
        name: Option<String>,
        unique: bool,
        concurrently: bool,
    },
    DropIndex {
        names: Vec<String>,
        concurrently: bool,
    },
    Truncate {
        tables: Vec<String>,
        cascade: bool,
    },
    Delete {
        table: String,
        has_where: bool,
    },
    Update {
        table: String,
        has_where: bool,
        /// The columns set (lower-cased names; empty when unknown).
        columns: Vec<String>,
    },
    Insert {
        table: String,
    },
    CreateType {
        name: String,
    },
    DropType {
        names: Vec<String>,
    },
    AddEnumValue {
        type_name: String,
        value: String,
    },
    DropSchema {
        names: Vec<String>,
        cascade: bool,
    },
    DropDatabase {
        name: String,
    },
    AlterSequence {
        name: String,
        restart: bool,
    },
    CreateExtension {
        name: String,
    },
    DropExtension {
        names: Vec<String>,
        cascade: bool,
    },
    CreateFunctionOrTrigger {
        name: String,
    },
    DropFunctionOrTrigger {
        name: String,
    },
    SetLockTimeout,
    /// `SET statement_timeout`.
    SetStatementTimeout,
    /// Table maintenance that takes an ACCESS EXCLUSIVE (or SHARE) lock for its whole run when not
    /// done concurrently: `VACUUM FULL`, `CLUSTER`, `REINDEX`, `DETACH PARTITION`,
    /// `REFRESH MATERIALIZED VIEW`.
    Maintenance {
        /// The command as written, upper-case (`VACUUM FULL`, `REINDEX`).
        command: String,
        /// Table, index or view named (empty when none).
        target: String,
        concurrently: bool,
    },
    /// `LOCK TABLE`.
    LockTable {
        table: String,
    },
    /// `ALTER DOMAIN ... ADD CONSTRAINT`: every column of the domain is checked under lock.
    AlterDomainAddConstraint {
        domain: String,
        not_valid: bool,
    },
    Begin,
    Commit,
    /// A MySQL ALTER forcing a table copy (`ALGORITHM=COPY`, or a change only COPY supports).
    MysqlCopyAlter {
        table: String,
    },
    /// Parsed, but of no interest to any rule.
    Other {
        keyword: String,
    },
    /// Did not parse: review by hand.
    NotUnderstood {
        error: String,
    },
}

/// One statement of a migration, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub evidence: Evidence,
    pub ops: Vec<Op>,
}

/// One migration: its up statements and, when known, its down statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// Index of the spec change this migration belongs to.
    pub change: usize,
    pub dialect: Dialect,
    /// Where the up SQL came from (file, or the spec file with a field).
    pub up_source: Evidence,
    pub up: Vec<Statement>,
    /// Where the down SQL came from; `None` when there is no down at all.
    pub down_source: Option<Evidence>,
    pub down: Vec<Statement>,
    /// Does the migration tool run this file inside one transaction it opens itself (goose,
    /// dbmate, diesel and Flyway on PostgreSQL unless the file opts out)? `None`: not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_transaction: Option<bool>,
}

impl Migration {
    pub fn up_ops(&self) -> impl Iterator<Item = (&Statement, &Op)> {
        self.up
            .iter()
            .flat_map(|s| s.ops.iter().map(move |o| (s, o)))
    }
    pub fn down_ops(&self) -> impl Iterator<Item = (&Statement, &Op)> {
        self.down
            .iter()
            .flat_map(|s| s.ops.iter().map(move |o| (s, o)))
    }
}

/// Reads every migration the spec's changes carry (inline `sql`/`down_sql`, or `path`/`down_path`
/// resolved relative to the spec file's directory). Dialect comes from the change's data store
/// (`database:`), else Postgres.
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::base::error::Result<(Vec<Migration>, Vec<crate::evidence::Artifact>)> {
    layout::read_for_spec(input)
}

pub mod files;
pub mod history;
pub mod layout;
pub mod liquibase;
pub mod mysql;
pub mod postgres;
pub mod support;
pub mod text;
pub mod tree;
pub mod verdict;

pub use verdict::{DownVerdict, Verdict, verdict};
