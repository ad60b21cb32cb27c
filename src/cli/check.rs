//! `rollbook check`: the CI gate. Exit 0 pass, 1 policy violated, 2 error.

use crate::base::error::{Error, Result};
use crate::check::{self, CheckOptions, Report, format};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The specs (or briefs) to judge, `-` for stdin; default ./rollbook.yaml (or .yml, .json).
    /// Not with --git.
    #[arg(conflicts_with = "git", value_name = "FILE")]
    pub file: Vec<String>,
    /// Judge the specs and migrations changed in BASE..HEAD (run at the repository root).
    #[arg(long, value_name = "BASE..HEAD")]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Policy file with a `[policy]` table, instead of the nearest `rollbook.toml` from the
    /// spec's folder up to the repository root.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<String>,
    /// Planned start to judge by (RFC 3339 or RFC 9557); overrides the spec's `planned_start`.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: findings with source snippets.
    Human,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// The report as JSON.
    Json,
}

/// Runs the check and returns the report (exit code: [`Report::failed`]).
pub fn report(args: &CheckArgs) -> Result<Report> {
    if let Some(t) = &args.at
        && let Err(why) = crate::spec::validate::check_start(t)
    {
        return Err(Error::Usage(format!(
            "--at '{t}' is not a valid time: {why}\n  help: use RFC 3339 `2026-12-01T14:00:00+01:00` or RFC 9557 `2026-12-01T14:00:00+01:00[Europe/Berlin]`"
        )));
    }
    let opts = CheckOptions {
        at: args.at.clone(),
        policy_file: args.policy.clone(),
    };
    match (args.file.as_slice(), &args.git) {
        ([], None) => check::check(&[super::default_spec()?], Vec::new(), &opts),
        (files, None) => check::check(files, Vec::new(), &opts),
        ([], Some(range)) => {
            let changed = check::git::changed_files(range)?;
            let (specs, mut files) = check::git::select(&changed);
            let mut report = check::check(&specs, Vec::new(), &opts)?;
            let read: Vec<String> = report.specs.iter().flat_map(|s| s.read.clone()).collect();
            check::git::settle(&mut files, &read);
            report.files = files;
            Ok(report)
        }
        _ => Err(Error::Usage(
            "pass a spec FILE or --git BASE..HEAD, not both".into(),
        )),
    }
}

/// The report in the chosen format.
pub fn render(report: &Report, f: CheckFormat) -> String {
    match f {
        CheckFormat::Human => {
            let renderer = if super::ui::color_stdout() {
                annotate_snippets::Renderer::styled()
            } else {
                annotate_snippets::Renderer::plain()
            };
            format::human_with(report, &renderer, super::ui::quiet())
        }
        CheckFormat::Github => format::github(report),
        CheckFormat::Sarif => format::sarif(report),
        CheckFormat::Json => format::json(report),
    }
}
