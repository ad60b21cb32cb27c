//! A rehearsal report read back (`plan --rehearsal`, `check`'s RB920): what `rollbook rehearse`
//! measured on a real server is evidence like a migration or a manifest. The types are the
//! report's format (`rollbook schema rehearsal`); `rehearse` writes them, the plan reads them.

use crate::base::error::{Error, Location, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Database engine family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    /// MySQL 8 or MariaDB, driven by the `mariadb` client.
    Mysql,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
        }
    }
    pub fn dialect(self) -> crate::evidence::sql::Dialect {
        match self {
            Engine::Postgres => crate::evidence::sql::Dialect::Postgres,
            Engine::Mysql => crate::evidence::sql::Dialect::Mysql,
        }
    }
}

/// The rehearsal report (`rollbook schema rehearsal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// Report format version.
    pub version: u32,
    /// `postgres` or `mysql`.
    pub engine: Engine,
    /// `SELECT version()` of the server rehearsed on.
    pub server_version: String,
    /// `ephemeral` (private server) or `url`.
    pub server: String,
    /// The migration tool that applied the migrations (`--via-tool`), with its version; absent
    /// when rollbook applied them statement by statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// How the statements' locks were observed on this server, and what could not be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_reporting: Option<String>,
    /// When the rehearsal ran (RFC 3339, UTC).
    pub rehearsed_at: String,
    /// The migration files rehearsed (up, then down).
    pub sources: Vec<String>,
    /// SHA-256 of each source's SQL as rehearsed: `check` (RB920) compares it with the files now.
    pub checksums: BTreeMap<String, String>,
    /// Migrations applied before the deploy.
    pub history: usize,
    /// Tables rollbook created because no migration did, and what they hold.
    pub stand_ins: Vec<String>,
    /// One run of the timeline per size.
    pub runs: Vec<Run>,
    /// How each statement's time grows with the rows, and the time at production size.
    pub fits: Vec<Fit>,
    /// Production row counts per table: (rows, where from): declared in the spec (the field), or
    /// derived from the store's declared size and the measured bytes per row (said so).
    pub targets: BTreeMap<String, (u64, String)>,
    /// Problems found: a failing statement, a schema difference, an undeclared loss.
    pub problems: Vec<String>,
    /// `reversible` (exit 0) or `problem` (exit 1).
    pub verdict: String,
}

/// The timeline at one size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Run {
    /// Rows seeded into every table the deploy touches.
    pub rows: u64,
    pub seeded: Vec<String>,
    pub skipped: Vec<Skip>,
    pub statements: Vec<Timing>,
    /// Values of existing rows the up removed or changed, per `table.column`.
    pub up_changed: BTreeMap<String, u64>,
    /// Values present under the new version that the down destroyed, per `table.column`.
    pub down_destroyed: BTreeMap<String, u64>,
    /// Schema after the down against the schema before the up.
    pub schema_diff: Vec<SchemaDifference>,
    /// With several migrations: what each one's down leaves different from the schema before
    /// its up (differences already left by a later migration's down are not repeated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_migration: Vec<MigrationDiff>,
    /// Did up, down and up again all succeed.
    pub up_down_up: bool,
    /// Bytes per row of each seeded table (with its indexes), measured after seeding: turns a
    /// declared store size into a row count.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bytes_per_row: BTreeMap<String, u64>,
}

/// What one migration's down left different.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MigrationDiff {
    /// The migration's up file.
    pub migration: String,
    pub differences: Vec<SchemaDifference>,
}

/// One statement run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Timing {
    /// `up`, `down` or `up_again`.
    pub phase: String,
    /// `file:line`.
    pub at: String,
    /// The statement's first line.
    pub excerpt: String,
    /// Wall time on the server; `None` when it failed.
    pub seconds: Option<f64>,
    /// Locks the statement held at its end (PostgreSQL: `pg_locks`, run in a transaction
    /// when the statement allows one); empty when the engine does not report them.
    pub locks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Report format version.
pub const VERSION: u32 = 1;

/// The fit of one statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fit {
    pub phase: String,
    /// `file:line` of the statement.
    pub at: String,
    pub excerpt: String,
    /// The measurements: (rows, seconds).
    pub points: Vec<(u64, f64)>,
    /// Seconds at zero rows.
    pub fixed_seconds: f64,
    /// Seconds per row.
    pub per_row_seconds: f64,
    /// Largest |measured - fitted| / measured over the points (0 with fewer than three points).
    pub max_relative_error: f64,
    /// The production row count extrapolated to and where it is declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_rows: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_source: Option<String>,
    /// Fitted seconds at `target_rows`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted_seconds: Option<f64>,
}

/// One difference between the schema before the up and after the down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchemaDifference {
    /// `missing` (before, not after), `left_behind` (after, not before) or `changed`.
    pub kind: String,
    /// The object: `index public.orders_gift_message_present`.
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// A table rollbook did not fill, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skip {
    pub table: String,
    pub reason: String,
}

/// `plan --rehearsal REPORT`: the report and where it was read from.
#[derive(Debug, Clone)]
pub struct Rehearsed {
    pub path: String,
    pub report: Report,
}

impl Rehearsed {
    /// When, on what and where the rehearsal ran.
    pub fn when(&self) -> String {
        format!(
            "{} on {} ({} server)",
            self.report.rehearsed_at, self.report.server_version, self.report.server
        )
    }
}

/// Largest report read.
const MAX_REPORT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a report written by `rollbook rehearse --format json`.
pub fn load(path: &str) -> Result<Report> {
    let text = crate::base::fsio::read_text(std::path::Path::new(path), MAX_REPORT_BYTES).map_err(
        |why| {
            Error::input(
                Location::file(path),
                format!("cannot read the rehearsal report: {why}"),
                Some("pass the JSON written by `rollbook rehearse --format json`".into()),
            )
        },
    )?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(
            Location::at(
                path,
                u32::try_from(e.line()).unwrap_or(0),
                u32::try_from(e.column()).unwrap_or(0),
            ),
            format!("not a rehearsal report: {e}"),
            Some("write it with `rollbook rehearse ... --format json > REPORT`".into()),
        )
    })
}
