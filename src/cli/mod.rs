//! The command line: parsing, dispatch, exit codes. `main.rs` only calls [`main`].

pub mod check;
mod completions;
mod docs;
pub mod drill;
mod output;
pub mod scan;

pub use completions::{completions, man_page, man_pages};
pub use docs::{explain_text, rules_list, rules_markdown, schema_json};
pub use output::write_file;

use crate::error::{Error, Result};
use crate::plan::{self, Options};
use crate::redact::Shape;
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the rollback plan of a spec (YAML, TOML, JSON) or a free-text brief.
    Plan {
        /// The spec or brief (with --git: optional, else the spec among the changed files).
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
    /// Print the spec inferred from a free-text brief, with the assumptions made.
    Infer {
        /// The brief (Markdown or plain text).
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsKind {
    /// The rules reference (docs/rules.md).
    Rules,
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
            let line = format!("error: {e}");
            let line = crate::redact::for_output(&line, Shape::Human);
            let _ = writeln!(std::io::stderr(), "{line}");
            ExitCode::from(EXIT_INPUT)
        }
        Err(_) => ExitCode::from(EXIT_BUG),
    }
}

/// Runs a command; `check` decides its own exit code.
fn dispatch(cli: &Cli) -> Result<ExitCode> {
    if let Command::Scan(args) = &cli.command {
        let report = scan::report(args)?;
        let json = args.format == scan::ScanFormat::Json;
        emit_shaped(
            &scan::render(&report, args.format),
            None,
            false,
            shape_of(json),
        )?;
        return Ok(if report.failed() {
            ExitCode::from(EXIT_VIOLATED)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Command::Check(args) = &cli.command {
        let report = check::report(args)?;
        let json = matches!(
            args.format,
            check::CheckFormat::Json | check::CheckFormat::Sarif
        );
        emit_shaped(
            &check::render(&report, args.format),
            None,
            false,
            shape_of(json),
        )?;
        return Ok(if report.failed() {
            ExitCode::from(EXIT_VIOLATED)
        } else {
            ExitCode::SUCCESS
        });
    }
    run(cli).map(|()| ExitCode::SUCCESS)
}

/// Runs one parsed command.
pub fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Plan {
            file,
            git,
            format,
            output,
            force,
            at,
            calibrate,
        } => {
            if let Some(t) = at
                && let Err(why) = crate::spec::validate::check_start(t)
            {
                return Err(Error::Usage(format!(
                    "--at '{t}' is not a valid time: {why}\n  help: use RFC 3339 `2026-12-01T14:00:00+01:00` or RFC 9557 `2026-12-01T14:00:00+01:00[Europe/Berlin]`"
                )));
            }
            let (file, changed) = match (git, file) {
                (Some(range), f) => {
                    let (spec, changed) = crate::scan::git_changes(range, f.as_deref())?;
                    (spec, Some(changed))
                }
                (None, Some(f)) => (f.clone(), None),
                (None, None) => return Err(Error::Usage("pass a spec FILE or --git".into())),
            };
            let input = load::load(&file)?;
            let calibration = match calibrate {
                Some(dir) => Some(crate::drill::Calibration::from_dir(std::path::Path::new(
                    dir,
                ))?),
                None => None,
            };
            let options = Options {
                at: at.clone(),
                calibration,
            };
            let mut plan = plan::build(&input, &options)?;
            if let Some(changed) = changed {
                plan.ignored = crate::scan::unread(&changed, &file, &plan.artifacts);
            }
            let text = match format {
                Format::Markdown => render::markdown::render(&plan),
                Format::Json => render::json::render(&plan),
                Format::Slack => render::slack::render(&plan),
                Format::Text => render::text::render(&plan),
                Format::Html => render::html::render(&plan),
            };
            let json = matches!(format, Format::Json | Format::Slack);
            emit_shaped(&text, output.as_deref(), *force, shape_of(json))
        }
        Command::Check(args) => {
            let report = check::report(args)?;
            let json = matches!(
                args.format,
                check::CheckFormat::Json | check::CheckFormat::Sarif
            );
            emit_shaped(
                &check::render(&report, args.format),
                None,
                false,
                shape_of(json),
            )
        }
        Command::Scan(args) => {
            let report = scan::report(args)?;
            let json = args.format == scan::ScanFormat::Json;
            emit_shaped(
                &scan::render(&report, args.format),
                None,
                false,
                shape_of(json),
            )
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
        Command::Docs {
            which: DocsKind::Rules,
        } => emit(&rules_markdown(), None, false),
        Command::Drill(args) => match drill::run(args)? {
            Some(text) => emit_shaped(&text, None, false, Shape::Human),
            None => Ok(()),
        },
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
            crate::error::Location::file(&input.path),
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
    write_out(&crate::redact::for_output(text, shape), output, force)
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
        .map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::BrokenPipe {
                "the reader closed the output before it was complete".to_string()
            } else {
                e.to_string()
            };
            Error::Usage(format!("cannot write to stdout: {why}"))
        })
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
