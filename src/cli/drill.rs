//! `rollbook drill`: practise a plan's procedure in the terminal, or report on past drills.

use crate::base::error::{Error, Result};
use crate::drill::session::{self, Answers, Interrupt, ScriptAnswers, Session, StdinAnswers};
use crate::drill::{DEFAULT_LOG_DIR, ShellRunner, SystemClock, load_plan, log, report};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Clone, Args)]
pub struct DrillArgs {
    /// The plan: a spec or brief (the plan is built from it) or a plan JSON from
    /// `rollbook plan --format json`.
    /// Default: ./rollbook.yaml (or .yml, .toml, .json) when there is one.
    pub plan: Option<String>,
    /// Offer each command and Verify command to run with `sh -c` after you confirm it. A
    /// <PLACEHOLDER> is asked for and its value reused in later steps; a command with control
    /// characters, a placeholder left or an unset variable is never run; a destructive step asks
    /// for its component's name.
    #[arg(long, conflicts_with = "report")]
    pub exec: bool,
    /// Take the answers from FILE, one per line (`d`, `f REASON`, `s`, `n TEXT`, `q`; after a
    /// failure `r`, `s`, `a`; for --exec `y`/`n` and placeholder values), instead of the terminal.
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

/// What `rollbook drill` produced.
#[derive(Debug)]
pub enum Ran {
    /// The text of --report.
    Report(String),
    /// A drill: how it ended.
    Drill(session::Outcome),
}

impl Ran {
    /// 0 all steps done or skipped; 1 a step failed or the drill was quit or aborted; 130 Ctrl-C
    /// (as a shell reports a process ended by SIGINT).
    pub fn exit_code(&self) -> u8 {
        match self {
            Ran::Report(_) => 0,
            Ran::Drill(o) if o.interrupted => 130,
            Ran::Drill(o) if o.unsuccessful => 1,
            Ran::Drill(_) => 0,
        }
    }
}

/// Runs `rollbook drill`: the report, or a drill (whose exit code is [`Ran::exit_code`]).
pub fn run(args: &DrillArgs) -> Result<Ran> {
    if let Some(dir) = &args.report {
        let logs = log::read_dir(Path::new(dir))?;
        let r = report::build(&logs);
        return Ok(Ran::Report(match args.format {
            ReportFormat::Table => report::render_table(&r),
            ReportFormat::Json => report::render_json(&r),
        }));
    }
    let path = match &args.plan {
        Some(p) => p.clone(),
        None => super::default_spec()?,
    };
    let plan = load_plan(&path)?;
    let interrupt = Interrupt::install();
    let mut script;
    let mut stdin;
    let answers: &mut dyn Answers = match &args.script {
        Some(f) => {
            script = ScriptAnswers::parse(&crate::spec::load::read_text(f)?)
                .interruptible(interrupt.clone());
            &mut script
        }
        None => {
            stdin = StdinAnswers::start(interrupt.clone());
            &mut stdin
        }
    };
    let terminal = std::io::stdout().is_terminal();
    let mut out = std::io::stdout();
    let env = |name: &str| std::env::var(name).ok();
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
            env: &env,
        },
    )?;
    if outcome.ran_out {
        return Err(Error::Usage(format!(
            "{}: the script ended before the drill; the log has every answer given",
            args.script.as_deref().unwrap_or("script")
        )));
    }
    Ok(Ran::Drill(outcome))
}
