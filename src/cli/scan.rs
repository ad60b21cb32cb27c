//! `rollbook scan`: the readers and rules on artifacts alone, like a linter. Exit 0 with no
//! error-level finding, 1 with some (or an unreadable file), 2 on error.

use crate::base::error::Result;
use crate::evidence::sql::Dialect;
use crate::scan::{self, ScanOptions, ScanReport};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files, directories (walked recursively) or `*` globs: SQL migrations, Kubernetes
    /// manifests, Terraform plan JSON.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// SQL dialect of every migration. Without it, each file's dialect comes from its layout
    /// (`mysql/` folders, `.mysql.` in names, the tool's config), then its content, else
    /// PostgreSQL.
    #[arg(long, value_enum)]
    pub dialect: Option<ScanDialect>,
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
    Sqlite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// For people: findings with source snippets and a summary line.
    Human,
    /// Findings, artifacts read, ignored and unreadable files.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// Runs the scan (exit code: [`ScanReport::failed`]).
pub fn report(args: &ScanArgs) -> Result<ScanReport> {
    let opts = ScanOptions {
        dialect: args.dialect.map(|d| match d {
            ScanDialect::Postgres => Dialect::Postgres,
            ScanDialect::Mysql => Dialect::Mysql,
            ScanDialect::Sqlite => Dialect::Sqlite,
        }),
        db_version: args.db_version.clone(),
    };
    scan::scan(&args.paths, &opts)
}

/// The report in the chosen format.
pub fn render(report: &ScanReport, f: ScanFormat) -> String {
    match f {
        ScanFormat::Human => scan::human(report),
        ScanFormat::Json => scan::json(report),
        ScanFormat::Github => {
            let mut out = crate::check::format::github_findings(&report.findings);
            let s = &report.summary;
            out.push_str(&format!(
                "rollbook scan: {}: {}, {}, {} accepted\n",
                report.status.to_uppercase(),
                scan::plural(s.errors, "error", "errors"),
                scan::plural(s.warnings, "warning", "warnings"),
                s.accepted
            ));
            out
        }
        ScanFormat::Sarif => crate::check::format::sarif_findings(&report.findings),
    }
}
