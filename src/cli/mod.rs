//! The command line: parsing, dispatch, exit codes. `main.rs` only calls [`main`].

pub mod check;
mod completions;
mod docs;
pub mod drill;
mod output;
pub mod rehearse;
pub mod scan;
pub mod ui;

pub use completions::{completions, man_page, man_pages};
pub use docs::{docs_text, explain_text, rules_list, rules_markdown, schema_json};
pub use output::write_file;

use crate::base::error::{Error, Result};
use crate::base::redact::Shape;
use crate::plan::{self, Options};
use crate::render;
use crate::spec::{brief, load};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

/// The starter spec written by `rollbook init`.
pub const TEMPLATE: &str = include_str!("../../templates/rollbook.yaml");

/// Writes a concrete rollback plan for a deployment before it ships.
#[derive(Debug, Parser)]
#[command(name = "rollbook", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour human output: auto (on a terminal, unless NO_COLOR; CLICOLOR_FORCE forces it),
    /// always or never.
    #[arg(long, value_enum, global = true, default_value_t = ui::ColorWhen::Auto, value_name = "WHEN")]
    pub color: ui::ColorWhen,
    /// Findings and errors only: no file lists, summaries or hints.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say on stderr which files were chosen (spec, policy) and why.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the rollback plan of a spec (YAML, TOML, JSON) or a free-text brief.
    Plan {
        /// The spec or brief, `-` for stdin (with --git: optional, else the spec among the
        /// changed files).
        #[arg(required_unless_present = "git")]
        file: Option<String>,
        /// List the files changed in BASE..HEAD (run at the repository root): those the plan
        /// reads, and the others with the reason they are not read.
        #[arg(long, value_name = "BASE..HEAD")]
        git: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Write to this file instead of stdout (atomically; never over an existing file
        /// without --force).
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
        /// Planned start to judge the deploy window by (RFC 3339 or RFC 9557); overrides the
        /// spec's `planned_start`.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Replace default step estimates with the medians of practised runs in the drill logs
        /// under DIR (e.g. .rollbook/drills).
        #[arg(long, value_name = "DIR")]
        calibrate: Option<String>,
        /// With --format slack: only this message (pre-deploy, rollback-started,
        /// rollback-finished, post-rollback), one JSON object an incoming webhook accepts as is.
        #[arg(long, value_name = "MOMENT")]
        moment: Option<String>,
        /// Feed a rehearsal report (`rollbook rehearse --format json`) into the estimates, the
        /// class's reasons, Data Recovery and Go / No-Go.
        #[arg(long, value_name = "REPORT")]
        rehearsal: Option<String>,
    },
    /// Walk through the rollback procedure step by step, timed and logged; or report on drills.
    Drill(drill::DrillArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: completions::Shell,
    },
    /// Print a man page (roff): `rollbook`, or a command such as `drill`.
    #[command(hide = true)]
    Man {
        #[arg(default_value = "rollbook")]
        page: String,
    },
    /// Judge the plan against the policy (for CI): exit 0 pass, 1 policy violated, 2 error.
    Check(check::CheckArgs),
    /// Run every reader and rule on artifacts alone, with no spec (like a linter): exit 0 no
    /// error-level finding, 1 some, 2 error.
    Scan(scan::ScanArgs),
    /// Write the plan's rollback triggers for the tools that act on them: a PrometheusRule, an
    /// Argo Rollouts AnalysisTemplate, Flagger MetricTemplates or Datadog monitors.
    Export {
        /// The spec or brief, `-` for stdin; default ./rollbook.yaml (or .yml, .json).
        file: Option<String>,
        /// What to write.
        #[arg(long, value_enum)]
        to: crate::export::Target,
        /// Write to this file instead of stdout (never over an existing file without --force).
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Run the migrations on a real throwaway server: up, down, up again, timed at several
    /// sizes, with the schema diff and the values lost: exit 0 reversible, 1 a problem, 2 error.
    Rehearse(rehearse::RehearseArgs),
    /// Print the spec inferred from a free-text brief, with the assumptions made.
    Infer {
        /// The brief (Markdown or plain text), `-` for stdin.
        brief: String,
    },
    /// Write a commented starter spec.
    Init {
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// List every rule: code, name, summary.
    Rules,
    /// Explain a rule: what it detects, why it matters, the safe alternative.
    Explain {
        /// Rule code (e.g. RB101) or name.
        code: String,
    },
    /// Print a JSON Schema.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Generate documentation pages.
    #[command(hide = true)]
    Docs {
        #[arg(value_enum)]
        which: DocsKind,
        /// With `rule`: the rule's code (e.g. RB101) or name.
        code: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    /// The Communication Plan's messages as Slack Block Kit payloads (JSON array).
    Slack,
    /// The Communication Plan's messages as plain text.
    Text,
    /// A self-contained runbook page: checklist, timers, copy buttons.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The input spec.
    Spec,
    /// The JSON plan.
    Plan,
    /// The rehearsal report (`rehearse --format json`).
    Rehearsal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsKind {
    /// The rules reference (docs/rules.md).
    Rules,
    /// One rule's page, as `explain` prints it.
    Rule,
}

/// Exit code of bad input or usage.
const EXIT_INPUT: u8 = 2;
/// Exit code of a bug.
const EXIT_BUG: u8 = 1;
/// Exit code of `check` when the policy is violated.
const EXIT_VIOLATED: u8 = 1;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version exit 0, usage errors 2; clap knows which.
            let code = u8::try_from(e.exit_code()).unwrap_or(EXIT_INPUT);
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ui::init(cli.color, cli.quiet, cli.verbose);
    // A panic is a bug; report it as one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error (a bug in rollbook, please report it): {info}"
        );
    }));
    match std::panic::catch_unwind(|| dispatch(&cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            let text = e.to_string();
            // -q keeps the one-line reason and drops the hints.
            let text = if ui::quiet() {
                text.lines()
                    .filter(|l| !l.trim_start().starts_with("help:"))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                text
            };
            let text = crate::base::redact::for_output(&text, Shape::Human);
            let _ = writeln!(std::io::stderr(), "{} {text}", ui::error_label());
            ExitCode::from(EXIT_INPUT)
        }
        Err(_) => ExitCode::from(EXIT_BUG),
    }
}

/// Runs a command; `check` decides its own exit code.
fn dispatch(cli: &Cli) -> Result<ExitCode> {
    if let Command::Scan(args) = &cli.command {
        let report = scan::report(args)?;
        scan::write(&report, args.format)?;
        return Ok(if report.failed() {
            ExitCode::from(EXIT_VIOLATED)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Command::Drill(args) = &cli.command {
        let ran = drill::run(args)?;
        if let drill::Ran::Report(text) = &ran {
            emit_shaped(text, None, false, Shape::Human)?;
        }
        return Ok(ExitCode::from(ran.exit_code()));
    }
    if let Command::Rehearse(args) = &cli.command {
        let report = rehearse::report(args)?;
        let json = args.format == rehearse::RehearseFormat::Json;
        emit_shaped(
            &rehearse::render(&report, args.format),
            None,
            false,
            shape_of(json),
        )?;
        return Ok(if report.problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_VIOLATED)
        });
    }
    if let Command::Check(args) = &cli.command {
        let report = check::report(args)?;
        for s in &report.specs {
            ui::note(&format!("{}: policy {}", s.spec, s.policy.join(" < ")));
        }
        let json = matches!(
            args.format,
            check::CheckFormat::Json | check::CheckFormat::Sarif
        );
        let text = check::render(&report, args.format);
        if args.format == check::CheckFormat::Human && ui::color_stdout() {
            // The renderer escaped every input before styling: keep its colours.
            write_out(&crate::base::redact::secrets(&text), None, false)?;
        } else {
            emit_shaped(&text, None, false, shape_of(json))?;
        }
        return Ok(if report.failed() {
            ExitCode::from(EXIT_VIOLATED)
        } else {
            ExitCode::SUCCESS
        });
    }
    run(cli).map(|()| ExitCode::SUCCESS)
}

/// Runs one parsed command.
fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Plan {
            file,
            git,
            format,
            output,
            force,
            at,
            calibrate,
            moment,
            rehearsal,
        } => {
            if moment.is_some() && *format != Format::Slack {
                return Err(Error::Usage(
                    "--moment picks one Slack message: use it with --format slack".into(),
                ));
            }
            if let Some(t) = at
                && let Err(why) = crate::spec::validate::check_start(t)
            {
                return Err(Error::Usage(format!(
                    "--at '{t}' is not a valid time: {why}\n  help: use RFC 3339 `2026-12-01T14:00:00+01:00` or RFC 9557 `2026-12-01T14:00:00+01:00[Europe/Berlin]`"
                )));
            }
            let (file, changed) = match (git, file) {
                (Some(range), f) => {
                    let (spec, changed) = crate::check::git::plan_changes(range, f.as_deref())?;
                    (spec, Some(changed))
                }
                (None, Some(f)) => (f.clone(), None),
                (None, None) => return Err(Error::Usage("pass a spec FILE or --git".into())),
            };
            let input = load::load(&file)?;
            let calibration = match calibrate {
                Some(dir) => Some(crate::drill::calibrate::from_dir(std::path::Path::new(
                    dir,
                ))?),
                None => None,
            };
            let rehearsal = match rehearsal {
                Some(p) => Some(crate::evidence::rehearsal::Rehearsed {
                    path: p.clone(),
                    report: crate::evidence::rehearsal::load(p)?,
                }),
                None => None,
            };
            let options = Options {
                at: at.clone(),
                calibration,
                rehearsal,
            };
            let mut plan = plan::build(&input, &options)?;
            if let Some(changed) = changed {
                plan.ignored = crate::check::git::unread(&changed, &file, &plan.artifacts);
            }
            let text = match format {
                Format::Markdown => render::markdown::render(&plan),
                Format::Json => render::json::render(&plan),
                Format::Slack => match moment {
                    None => render::slack::render(&plan),
                    Some(m) => render::slack::render_moment(&plan, m).ok_or_else(|| {
                        let known: Vec<&str> = plan
                            .communication
                            .messages
                            .iter()
                            .map(|m| m.moment.as_str())
                            .collect();
                        Error::Usage(format!(
                            "no message for --moment '{m}'; this plan has: {}",
                            known.join(", ")
                        ))
                    })?,
                },
                Format::Text => render::text::render(&plan),
                Format::Html => render::html::render(&plan),
            };
            let json = matches!(format, Format::Json | Format::Slack);
            emit_shaped(&text, output.as_deref(), *force, shape_of(json))
        }
        Command::Export {
            file,
            to,
            output,
            force,
        } => {
            let file = match file {
                Some(f) => f.clone(),
                None => default_spec()?,
            };
            let input = load::load(&file)?;
            let plan = plan::build(&input, &Options::default())?;
            let system = input
                .spec
                .architecture
                .observability
                .as_ref()
                .map_or(crate::model::MetricsSystem::None, |o| o.metrics);
            let out = crate::export::export(&plan, system, *to)?;
            if !ui::quiet() {
                let mut err = std::io::stderr().lock();
                for s in &out.skipped {
                    let _ = writeln!(err, "rollbook: not exported: {s}");
                }
                for p in &out.placeholders {
                    let _ = writeln!(err, "rollbook: fill {p} before applying it");
                }
            }
            let json = *to == crate::export::Target::DatadogMonitor;
            emit_shaped(&out.text, output.as_deref(), *force, shape_of(json))
        }
        Command::Infer { brief: path } => {
            let text = load::read_text(path)?;
            let input = brief::infer(path, &text)?;
            emit_shaped(&infer_yaml(&input)?, None, false, Shape::Human)
        }
        Command::Init { output, force } => emit(TEMPLATE, output.as_deref(), *force),
        Command::Rules => emit(&rules_list(), None, false),
        Command::Explain { code } => emit(&explain_text(code)?, None, false),
        Command::Schema { which } => emit(&schema_json(*which), None, false),
        Command::Docs { which, code } => emit(&docs_text(*which, code.as_deref())?, None, false),
        // They set their own exit codes: `dispatch` runs them and never calls this.
        Command::Check(_) | Command::Scan(_) | Command::Rehearse(_) | Command::Drill(_) => Ok(()),
        Command::Completions { shell } => emit(&completions(*shell), None, false),
        Command::Man { page } => match man_page(page) {
            Some(text) => emit(&text, None, false),
            None => Err(Error::Usage(format!(
                "no man page '{page}'; pages: {}",
                man_pages()
                    .iter()
                    .map(|(f, _)| f.trim_end_matches(".1"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

/// Spec file names `check` and `drill` look for in the current folder when given none.
pub const DEFAULT_SPECS: [&str; 3] = ["rollbook.yaml", "rollbook.yml", "rollbook.json"];

/// `./rollbook.yaml` (or .yml, .json) when there is one: the spec of a command given no FILE.
pub fn default_spec() -> Result<String> {
    match DEFAULT_SPECS
        .iter()
        .find(|name| std::path::Path::new(name).is_file())
    {
        Some(name) => {
            ui::note(&format!("no FILE given: using ./{name}"));
            Ok((*name).to_string())
        }
        None => Err(Error::Usage(format!(
            "no FILE given and no {} in this folder\n  help: pass the spec, or write one with `rollbook init -o rollbook.yaml`",
            DEFAULT_SPECS.join(", ")
        ))),
    }
}

/// The YAML of an inferred spec, preceded by the assumptions as comments.
pub fn infer_yaml(input: &crate::spec::Input) -> Result<String> {
    let mut out = String::new();
    for a in &input.assumptions {
        let e = &a.evidence;
        let mut at = e.file.clone();
        if let Some(l) = e.line {
            at.push_str(&format!(":{l}"));
        } else if let Some(f) = &e.field {
            at.push_str(&format!(" {f}"));
        }
        let mut line = format!("# assumed: {} ({at}", a.text);
        if let Some(x) = &a.evidence.excerpt {
            line.push_str(&format!(": \"{x}\""));
        }
        line.push(')');
        // A comment must stay one line, whatever the brief held.
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
    let yaml = serde_saphyr::to_string(&input.spec).map_err(|e| {
        Error::input(
            crate::base::error::Location::file(&input.path),
            format!("the inferred spec cannot be written as YAML: {e}"),
            None,
        )
    })?;
    out.push_str(&yaml);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Writes rollbook's own text (help, rules, schema, template) to a file, or to stdout.
fn emit(text: &str, output: Option<&str>, force: bool) -> Result<()> {
    write_out(text, output, force)
}

/// Writes text derived from user input through the redaction layer: secrets masked, control
/// characters escaped.
fn emit_shaped(text: &str, output: Option<&str>, force: bool, shape: Shape) -> Result<()> {
    write_out(&crate::base::redact::for_output(text, shape), output, force)
}

/// Pretty JSON of `value` and a newline to stdout, masked and escaped block by block as
/// [`emit_shaped`] masks a whole text.
fn write_json_stream(value: &impl serde::Serialize) -> Result<()> {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut w = crate::base::redact::MaskingWriter::new(out, Shape::Json);
    serde_json::to_writer_pretty(&mut w, value)
        .map_err(std::io::Error::from)
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.finish().map(drop))
        .map_err(stdout_error)
}

/// What a failed write to stdout tells the user.
fn stdout_error(e: std::io::Error) -> Error {
    let why = if e.kind() == std::io::ErrorKind::BrokenPipe {
        "the reader closed the output before it was complete".to_string()
    } else {
        e.to_string()
    };
    Error::Usage(format!("cannot write to stdout: {why}"))
}

/// A write that fails (closed stdout, full disk) is an error: the reader did not get the whole
/// output.
fn write_out(text: &str, output: Option<&str>, force: bool) -> Result<()> {
    if let Some(path) = output {
        return write_file(path, text, force);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// JSON formats get JSON escapes; the others visible ones.
fn shape_of(json: bool) -> Shape {
    if json { Shape::Json } else { Shape::Human }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::InputForm;

    #[test]
    fn template_names_the_schema_for_editors() {
        assert_eq!(
            TEMPLATE.lines().next(),
            Some(format!("# yaml-language-server: $schema={}", docs::SPEC_SCHEMA_URL).as_str())
        );
    }

    #[test]
    fn template_parses_and_validates() {
        let input = load::parse_spec("rollbook.yaml", TEMPLATE, InputForm::Yaml).unwrap();
        assert!(!input.spec.deployment.changes.is_empty());
        assert!(!input.spec.architecture.services.is_empty());
    }

    #[test]
    fn infer_yaml_lists_assumptions_as_comments() {
        let mut input =
            load::parse_spec("r.yaml", "deployment:\n  name: api\n", InputForm::Yaml).unwrap();
        input.assumptions.push(crate::plan::model::Assumption {
            text: "platform is kubernetes".into(),
            evidence: crate::evidence::Evidence::at("brief.md", 3, 1).with_excerpt("k8s\ncluster"),
        });
        let y = infer_yaml(&input).unwrap();
        assert!(
            y.starts_with("# assumed: platform is kubernetes (brief.md:3: \"k8s cluster\")\n"),
            "{y}"
        );
        let back = load::parse_spec("r.yaml", &y, InputForm::Yaml).unwrap();
        assert_eq!(back.spec, input.spec);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
