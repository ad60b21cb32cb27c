//! `rollbook drill`: practise a plan's procedure in the terminal, or report on past drills.

use crate::drill::session::{self, Answers, ScriptAnswers, Session, StdinAnswers};
use crate::drill::{DEFAULT_LOG_DIR, ShellRunner, SystemClock, load_plan, log, report};
use crate::error::{Error, Result};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Clone, Args)]
pub struct DrillArgs {
    /// The plan: a spec or brief (the plan is built from it) or a plan JSON from
    /// `rollbook plan --format json`.
    #[arg(required_unless_present = "report")]
    pub plan: Option<String>,
    /// Offer each command to run with `sh -c` after you confirm it (never one that still holds a
    /// <PLACEHOLDER>).
    #[arg(long, conflicts_with = "report")]
    pub exec: bool,
    /// Take the answers from FILE, one per line (`d`, `f REASON`, `s`, `n TEXT`, `q`; `y`/`n` for
    /// --exec), instead of the terminal.
    #[arg(long, value_name = "FILE", conflicts_with = "report")]
    pub script: Option<String>,
    /// Where drill logs are written.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_LOG_DIR, conflicts_with = "report")]
    pub log_dir: String,
    /// Compare the durations in the drill logs under DIR with the estimates, step by step.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = DEFAULT_LOG_DIR)]
    pub report: Option<String>,
    /// Output format of --report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table, requires = "report")]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A plain table.
    Table,
    Json,
}

/// Runs `rollbook drill`; returns the text to print for --report, or `None` after a drill.
pub fn run(args: &DrillArgs) -> Result<Option<String>> {
    if let Some(dir) = &args.report {
        let logs = log::read_dir(Path::new(dir))?;
        let r = report::build(&logs);
        return Ok(Some(match args.format {
            ReportFormat::Table => report::render_table(&r),
            ReportFormat::Json => report::render_json(&r),
        }));
    }
    let Some(path) = &args.plan else {
        return Err(Error::Usage("drill needs a PLAN (or --report)".into()));
    };
    let plan = load_plan(path)?;
    let mut script;
    let mut stdin = StdinAnswers;
    let answers: &mut dyn Answers = match &args.script {
        Some(f) => {
            script = ScriptAnswers::parse(&crate::spec::load::read_text(f)?);
            &mut script
        }
        None => &mut stdin,
    };
    let terminal = std::io::stdout().is_terminal();
    let mut out = std::io::stdout();
    let outcome = session::run(
        &plan,
        Path::new(&args.log_dir),
        Session {
            out: &mut out,
            answers,
            clock: &SystemClock,
            runner: &mut ShellRunner,
            exec: args.exec,
            ticker: terminal && args.script.is_none(),
        },
    )?;
    if outcome.ran_out {
        return Err(Error::Usage(format!(
            "{}: the script ended before the drill; the log has every answer given",
            args.script.as_deref().unwrap_or("script")
        )));
    }
    Ok(None)
}
