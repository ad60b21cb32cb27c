//! `rollbook rehearse`: run the deployment's migrations on a real throwaway server. Exit 0 the
//! rollback is reversible as planned, 1 the rehearsal found a problem, 2 error.

use crate::base::error::{Error, Result};
use crate::rehearse::{self, Engine, Report, server};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;

#[derive(Debug, Clone, Args)]
pub struct RehearseArgs {
    /// A spec (its migration changes; the earlier files beside them are the history), or
    /// migration files, directories or `*` globs (all of them the deploy).
    #[arg(required = true, value_name = "SPEC|MIGRATIONS")]
    pub inputs: Vec<String>,
    /// A private server started from the binaries on PATH (initdb/postgres, or
    /// mariadb-install-db/mariadbd), removed afterwards.
    #[arg(
        long,
        value_enum,
        value_name = "ENGINE",
        conflicts_with = "database_url",
        required_unless_present = "database_url"
    )]
    pub ephemeral: Option<EphemeralEngine>,
    /// A server you provide (postgres://… or mysql://…). Refused unless its database is empty or
    /// was prepared by a previous rehearsal.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Rows seeded per table, one rehearsal per size (two or three sizes give the growth fit).
    #[arg(long, value_delimiter = ',', default_values_t = vec![100u64, 1000, 5000])]
    pub rows: Vec<u64>,
    /// Apply the migrations through this migration tool (its binary on PATH) instead of
    /// rollbook's statement splitter; each migration is timed as a whole.
    #[arg(long, value_enum, value_name = "TOOL")]
    pub via_tool: Option<ViaTool>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RehearseFormat::Human)]
    pub format: RehearseFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EphemeralEngine {
    Postgres,
    /// MariaDB (or MySQL 8) from `mariadb-install-db` and `mariadbd`.
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViaTool {
    /// dbmate (`-- migrate:up` / `-- migrate:down` files); PostgreSQL and MySQL/MariaDB.
    Dbmate,
    /// sqitch (deploy/ and revert/ scripts); PostgreSQL.
    Sqitch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RehearseFormat {
    /// For people: the verdict, the problems, the times.
    Human,
    /// The report (`rollbook schema rehearsal`), input to `plan --rehearsal`.
    Json,
}

/// Largest size accepted: seeding is in memory on the server side but fingerprints are read back.
const MAX_ROWS: u64 = 10_000_000;

/// Runs the rehearsal.
pub fn report(args: &RehearseArgs) -> Result<Report> {
    let mut sizes = args.rows.clone();
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.is_empty() || sizes.len() > 3 || sizes.iter().any(|r| *r > MAX_ROWS) {
        return Err(Error::Usage(format!(
            "--rows takes one to three sizes between 0 and {MAX_ROWS}, e.g. --rows 100,1000,10000"
        )));
    }
    let engine = match (&args.ephemeral, &args.database_url) {
        (Some(EphemeralEngine::Postgres), _) => Engine::Postgres,
        (Some(EphemeralEngine::Mysql), _) => Engine::Mysql,
        (None, Some(url)) if url.starts_with("mysql://") || url.starts_with("mariadb://") => {
            Engine::Mysql
        }
        (None, _) => Engine::Postgres,
    };
    let spec = args.inputs.len() == 1 && rehearse::input::is_spec(&args.inputs[0]);
    let mut plan = if spec {
        rehearse::input::from_spec(&args.inputs[0], Some(engine), sizes)?
    } else {
        rehearse::input::from_paths(&args.inputs, engine, sizes)?
    };
    plan.via_tool = args.via_tool.map(|t| match t {
        ViaTool::Dbmate => rehearse::tools::Tool::Dbmate,
        ViaTool::Sqitch => rehearse::tools::Tool::Sqitch,
    });
    if let Some(t) = plan.via_tool {
        // Before any server starts: a missing tool is a usage error, not a failed rehearsal.
        rehearse::tools::require(t)?;
    }
    let server = match (&args.ephemeral, &args.database_url) {
        // Ctrl-C during initdb makes initdb fail: the handler's exit 130 must win over that error.
        (Some(_), _) => server::ephemeral(engine).inspect_err(|_| server::yield_to_interrupt())?,
        (None, Some(url)) => server::from_url(url)?,
        (None, None) => return Err(Error::Usage("pass --ephemeral or --database-url".into())),
    };
    // A bar on a terminal (stderr, so the report on stdout stays clean); nothing in CI or a pipe.
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template(
            "rehearse [{elapsed_precise}] {bar:30} {pos}/{len} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = |t: rehearse::Tick| {
        bar.set_length(t.total);
        bar.set_position(t.done);
        bar.set_message(t.what.to_string());
    };
    let report = rehearse::rehearse(&plan, &server, &progress);
    bar.finish_and_clear();
    if report.is_err() {
        server::yield_to_interrupt();
    }
    report
}

/// The report in the chosen format.
pub fn render(report: &Report, f: RehearseFormat) -> String {
    match f {
        RehearseFormat::Json => {
            let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
            s.push('\n');
            s
        }
        RehearseFormat::Human => human(report),
    }
}

fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

fn human(r: &Report) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "Rehearsal on {} ({}), {} migration(s) of history\n",
        r.server_version, r.server, r.history
    ));
    if let Some(t) = &r.tool {
        o.push_str(&format!(
            "  applied through {t}: each migration timed whole\n"
        ));
    }
    if let Some(l) = &r.lock_reporting {
        o.push_str(&format!("  locks: {l}\n"));
    }
    for s in &r.stand_ins {
        o.push_str(&format!("  stand-in: {s}\n"));
    }
    for run in &r.runs {
        o.push_str(&format!(
            "\nAt {} rows ({}):\n",
            run.rows,
            if run.up_down_up {
                "up, down, up again all ran"
            } else {
                "stopped"
            }
        ));
        for s in &run.skipped {
            o.push_str(&format!("  not seeded: {}: {}\n", s.table, s.reason));
        }
        for t in &run.statements {
            let time = t.seconds.map(secs).unwrap_or_else(|| "FAILED".into());
            o.push_str(&format!(
                "  {:<8} {:>10}  {}  {}\n",
                t.phase, time, t.at, t.excerpt
            ));
            if let Some(e) = &t.error {
                o.push_str(&format!("           {e}\n"));
            }
            if !t.locks.is_empty() {
                o.push_str(&format!("           locks: {}\n", t.locks.join(", ")));
            }
        }
        for (c, n) in &run.up_changed {
            o.push_str(&format!("  the up removes or changes {n} values of {c}\n"));
        }
        for (c, n) in &run.down_destroyed {
            o.push_str(&format!("  the down destroys {n} values of {c}\n"));
        }
    }
    if !r.fits.is_empty() {
        o.push_str("\nGrowth (seconds = fixed + per_row x rows):\n");
        for f in &r.fits {
            let target = match (f.target_rows, f.predicted_seconds, &f.target_source) {
                (Some(n), Some(p), Some(src)) => format!(" -> {} at {n} rows ({src})", secs(p)),
                _ => String::new(),
            };
            o.push_str(&format!(
                "  {:<8} {}  {:.6} + {:.3e} x rows, max error {:.0}% on {} sizes{target}\n",
                f.phase,
                f.at,
                f.fixed_seconds,
                f.per_row_seconds,
                f.max_relative_error * 100.0,
                f.points.len()
            ));
        }
    }
    if r.problems.is_empty() {
        o.push_str("\nreversible: the down ran, the schema came back, every loss is declared.\n");
    } else {
        o.push_str("\nproblems:\n");
        for p in &r.problems {
            o.push_str(&format!("  - {p}\n"));
        }
    }
    o
}
