//! `rollbook scan`: the readers and rules on artifacts alone, like a linter. Exit 0 with no
//! error-level finding, 1 with some (or an unreadable file), 2 on error.

use crate::base::error::{Error, Location, Result};
use crate::base::fsio::Refusal;
use crate::evidence::sql::Dialect;
use crate::scan::{self, Given, ScanOptions, ScanReport};
use crate::spec::load::STDIN;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files, directories (walked recursively) or `*` globs: SQL migrations, Kubernetes
    /// manifests, Terraform plan JSON. `-` alone: one migration read from standard input.
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
    /// With `-`: the path standard input is reported under, and whose layout tells its dialect
    /// and tool (name, folders, the tool's config, a paired down file), as if the migration were
    /// there. Without it, standard input is `-`, a file in the current folder.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<String>,
    /// Judge the migrations changed in `BASE..HEAD` as one deployment, against the history the
    /// other migrations under PATH build, and report only their findings (a pull request's
    /// migrations: a table created earlier in the range is new, one created before it is not)
    #[arg(long, value_name = "BASE..HEAD", conflicts_with = "stdin_filepath")]
    pub git: Option<String>,
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
    let stdin = given(args)?;
    let opts = ScanOptions {
        dialect: args.dialect.map(|d| match d {
            ScanDialect::Postgres => Dialect::Postgres,
            ScanDialect::Mysql => Dialect::Mysql,
            ScanDialect::Sqlite => Dialect::Sqlite,
        }),
        db_version: args.db_version.clone(),
        stdin,
        range: args
            .git
            .as_deref()
            .map(crate::check::git::changed_paths)
            .transpose()?,
    };
    let paths: &[String] = if opts.stdin.is_some() {
        &[]
    } else {
        &args.paths
    };
    scan::scan(paths, &opts)
}

/// `-`: the migration on standard input, under its `--stdin-filepath` name. Errors (exit 2) for
/// `-` among other paths, `--stdin-filepath` without `-`, and standard input that is empty, too
/// large or not UTF-8.
fn given(args: &ScanArgs) -> Result<Option<Given>> {
    let dash = args.paths.iter().any(|p| p == STDIN);
    let example =
        "`git show main:db/1_init.up.sql | rollbook scan --stdin-filepath db/1_init.up.sql -`";
    if !dash {
        return match &args.stdin_filepath {
            Some(_) => Err(Error::Usage(format!(
                "--stdin-filepath names standard input, but no `-` is among the paths\n  help: pass `-` to scan a migration piped in: {example}"
            ))),
            None => Ok(None),
        };
    }
    if args.paths.len() > 1 {
        return Err(Error::Usage(format!(
            "`-` (standard input) is scanned alone, not with other paths\n  help: scan the files in one run and standard input in another: {example}"
        )));
    }
    let name = match args.stdin_filepath.as_deref() {
        None => STDIN.to_string(),
        Some(n) if n.trim().is_empty() || n == STDIN => STDIN.to_string(),
        Some(n) if Path::new(n).is_dir() => {
            return Err(Error::Usage(format!(
                "--stdin-filepath {n}: is a directory\n  help: name the migration file standard input stands for, e.g. {n}/1_init.up.sql"
            )));
        }
        Some(n) => n.to_string(),
    };
    if std::io::stdin().is_terminal() {
        let _ = writeln!(
            std::io::stderr(),
            "rollbook: reading a migration from standard input (end it with Ctrl-D)"
        );
    }
    let limit = crate::base::fsio::ARTIFACT_BYTES;
    let bytes = crate::base::fsio::read_stdin(limit).map_err(|why| {
        let help = match why {
            Refusal::TooLarge { .. } => {
                "a migration over the limit is not read as a file either: split it"
            }
            _ => "pipe the migration in: `rollbook scan - < db/1_init.up.sql`",
        };
        Error::input(
            Location::file(&name),
            format!("standard input {why}"),
            Some(help.into()),
        )
    })?;
    let text = crate::spec::load::decode(&name, bytes)?;
    if text.trim().is_empty() {
        return Err(Error::input(
            Location::file(&name),
            "standard input is empty: there is no migration to scan",
            Some("pipe a migration in: `rollbook scan - < db/1_init.up.sql`".into()),
        ));
    }
    Ok(Some(Given { name, text }))
}

/// Writes the report to stdout in the chosen format: JSON as it is serialised (a repository's
/// report runs to megabytes), the others whole.
pub fn write(report: &ScanReport, f: ScanFormat) -> Result<()> {
    let text = match f {
        ScanFormat::Json => return super::write_json_stream(report),
        ScanFormat::Human => scan::human(report),
        ScanFormat::Github => {
            let mut out =
                crate::check::format::github_findings_in(&report.findings, &report.sources());
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
        ScanFormat::Sarif => {
            crate::check::format::sarif_findings_in(&report.findings, &report.sources())
        }
    };
    super::emit_shaped(&text, None, false, crate::base::redact::Shape::Human)
}
