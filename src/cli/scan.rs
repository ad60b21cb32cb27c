//! `rollbook scan`: the readers and rules on artifacts alone, like a linter. Exit 0 with no
//! error-level finding, 1 with some (or an unreadable file), 2 on error.

use crate::error::Result;
use crate::evidence::sql::Dialect;
use crate::scan::{self, ScanOptions, ScanReport};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files, directories (walked recursively) or `*` globs: SQL migrations, Kubernetes
    /// manifests, Terraform plan JSON.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// SQL dialect of the migrations.
    #[arg(long, value_enum, default_value_t = ScanDialect::Postgres)]
    pub dialect: ScanDialect,
    /// Version of the database (e.g. 15 or 8.0), for the rules that depend on it.
    #[arg(long, value_name = "VERSION")]
    pub db_version: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Human)]
    pub format: ScanFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanDialect {
    Postgres,
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// For people: findings with source snippets and a summary line.
    Human,
    /// Findings, artifacts read, ignored and unreadable files.
    Json,
}

/// Runs the scan (exit code: [`ScanReport::failed`]).
pub fn report(args: &ScanArgs) -> Result<ScanReport> {
    let opts = ScanOptions {
        dialect: match args.dialect {
            ScanDialect::Postgres => Dialect::Postgres,
            ScanDialect::Mysql => Dialect::Mysql,
        },
        db_version: args.db_version.clone(),
    };
    scan::scan(&args.paths, &opts)
}

/// The report in the chosen format.
pub fn render(report: &ScanReport, f: ScanFormat) -> String {
    match f {
        ScanFormat::Human => scan::human(report),
        ScanFormat::Json => scan::json(report),
    }
}
