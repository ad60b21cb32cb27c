//! `rollbook check`: judges a plan against a policy, for CI.
//!
//! Every finding of the assessment rules gets a level (`off`, `warn`, `error`; default from its
//! severity: error → error, warning → warn, info → off), the policy rules ([`rules`]) add the
//! deploy-wide judgements, and `rollbook-ignore` comments ([`ignore`]) accept single findings with a
//! reason. Any remaining `error` fails the check.

pub mod format;
pub mod git;
pub mod ignore;
pub mod locate;
pub mod policy;
pub mod rules;

use crate::assess::{Level, Rule, Severity};
use crate::base::error::Result;
use crate::base::source::SourceFile;
use crate::evidence::Evidence;
use crate::model::{ChangeKind, Policy, RuleLevel};
use crate::plan::model::Plan;
use serde::Serialize;
use std::collections::BTreeMap;

/// Options of one check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Planned start override (RFC 3339 / RFC 9557).
    pub at: Option<String>,
    /// Policy file instead of `rollbook.toml` beside the spec.
    pub policy_file: Option<String>,
}

/// A finding with the level the policy gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub rule: &'static str,
    pub name: &'static str,
    /// `warn` or `error`.
    pub level: RuleLevel,
    pub message: String,
    pub evidence: Evidence,
    /// Set when a `rollbook-ignore` comment with a reason accepts it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Accepted>,
}

/// Where and why a finding was accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accepted {
    pub reason: String,
    pub file: String,
    pub line: u32,
}

impl Judged {
    /// Counts against the check.
    pub fn fails(&self) -> bool {
        self.level == RuleLevel::Error && self.accepted.is_none()
    }
}

/// The verdict on one spec.
#[derive(Debug, Clone, Serialize)]
pub struct SpecVerdict {
    pub spec: String,
    pub classification: Level,
    pub planned_start: Option<String>,
    /// Policy layers applied, lowest first.
    pub policy: Vec<String>,
    /// Artifacts read for the plan (migrations, manifests, ...).
    pub read: Vec<String>,
    pub findings: Vec<Judged>,
}

/// A changed file in `--git` mode: judged or not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChoice {
    pub path: String,
    pub judged: bool,
    pub why: String,
}

/// Everything one `rollbook check` run decided.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format_version: u32,
    /// `pass` or `fail`.
    pub status: &'static str,
    pub errors: usize,
    pub warnings: usize,
    pub accepted: usize,
    pub specs: Vec<SpecVerdict>,
    /// `--git` only: every changed file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileChoice>,
}

impl Report {
    pub fn new(specs: Vec<SpecVerdict>, files: Vec<FileChoice>) -> Self {
        let all = || specs.iter().flat_map(|s| &s.findings);
        let errors = all().filter(|f| f.fails()).count();
        let warnings = all()
            .filter(|f| f.level == RuleLevel::Warn && f.accepted.is_none())
            .count();
        let accepted = all().filter(|f| f.accepted.is_some()).count();
        Report {
            format_version: 1,
            status: if errors > 0 { "fail" } else { "pass" },
            errors,
            warnings,
            accepted,
            specs,
            files,
        }
    }
    pub fn failed(&self) -> bool {
        self.errors > 0
    }
}

fn default_level(s: Severity) -> RuleLevel {
    match s {
        Severity::Error => RuleLevel::Error,
        Severity::Warning => RuleLevel::Warn,
        Severity::Info => RuleLevel::Off,
    }
}

/// Loads, plans and judges one spec.
pub fn judge(path: &str, opts: &CheckOptions) -> Result<SpecVerdict> {
    let mut input = crate::spec::load::load(path)?;
    let eff = policy::effective(path, &input.spec.policy, opts.policy_file.as_deref())?;
    input.spec.policy = eff.policy.clone();
    let plan = crate::plan::build(
        &input,
        &crate::plan::Options {
            at: opts.at.clone(),
            ..Default::default()
        },
    )?;
    let mut findings = judge_plan(&input, &plan, &eff.policy, opts.at.as_deref());
    locate_fields(path, &mut findings);
    Ok(SpecVerdict {
        spec: path.to_string(),
        classification: plan.classification.level,
        planned_start: plan.go_no_go.window.planned_start.clone(),
        policy: eff.sources,
        read: plan.artifacts.iter().map(|a| a.path.clone()).collect(),
        findings,
    })
}

/// Gives findings on fields of the spec at `path` the line and column of the field's value (or of
/// the nearest enclosing value, when the field is absent).
fn locate_fields(path: &str, findings: &mut [Judged]) {
    if !findings
        .iter()
        .any(|f| f.evidence.line.is_none() && f.evidence.field.is_some())
    {
        return;
    }
    let Ok(text) = crate::spec::load::read_text(path) else {
        return;
    };
    let form = crate::spec::load::detect_form(path, &text);
    for f in findings.iter_mut() {
        let e = &mut f.evidence;
        if e.line.is_some() || e.file != path {
            continue;
        }
        if let Some(at) = e
            .field
            .as_deref()
            .and_then(|field| locate::field_at(&text, form, field))
        {
            e.line = Some(at.line);
            e.column = Some(at.column);
        }
    }
}

/// Raw findings of a check before levels and ignores: (rule, message, evidence, default level).
struct Raw {
    rule: &'static Rule,
    message: String,
    evidence: Evidence,
    default: RuleLevel,
}

/// Judges a built plan against an effective policy.
pub fn judge_plan(
    input: &crate::spec::Input,
    plan: &Plan,
    policy: &Policy,
    at: Option<&str>,
) -> Vec<Judged> {
    let spec = &input.spec;
    let file = input.path.as_str();
    let mut raw: Vec<Raw> = Vec::new();
    let irreversible = plan.classification.level == Level::Irreversible;
    let ack = spec.deployment.acknowledgement.as_ref();
    let ack_by = ack
        .and_then(|a| a.by.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let ack_mitigation = ack
        .and_then(|a| a.mitigation.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let acknowledged = ack_by.is_some() && ack_mitigation.is_some();

    // Assessment findings.
    for f in &plan.findings {
        let Some(rule) = crate::assess::find_rule(f.rule) else {
            continue;
        };
        let mut default = default_level(f.severity);
        let mut message = f.message.clone();
        // The acknowledgement is the written acceptance of exactly these consequences.
        if acknowledged && f.level == Some(Level::Irreversible) && default == RuleLevel::Error {
            default = RuleLevel::Warn;
            message.push_str(&format!(
                " (accepted by the acknowledgement of {})",
                ack_by.unwrap_or_default()
            ));
        }
        raw.push(Raw {
            rule,
            message,
            evidence: f.evidence.clone(),
            default,
        });
    }

    // RB901: irreversible needs a named acknowledgement and a written mitigation.
    if irreversible && !acknowledged {
        let mut missing = Vec::new();
        if ack_by.is_none() {
            missing.push("`by` (who accepts it)");
        }
        if ack_mitigation.is_none() {
            missing.push("`mitigation` (what is done instead of a rollback)");
        }
        let reasons: Vec<&str> = plan
            .findings
            .iter()
            .filter(|f| f.level == Some(Level::Irreversible))
            .map(|f| f.rule)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        raw.push(Raw {
            rule: &rules::IRREVERSIBLE_UNACKNOWLEDGED,
            message: format!(
                "the plan is irreversible ({}) but deployment.acknowledgement lacks {}",
                reasons.join(", "),
                missing.join(" and ")
            ),
            evidence: Evidence::field(file, "deployment.acknowledgement"),
            default: RuleLevel::Error,
        });
    }

    // RB902 / RB907: the deploy window.
    let window = &plan.go_no_go.window;
    let start_field = if at.is_some() {
        "--at"
    } else {
        "deployment.planned_start"
    };
    let risky = plan.classification.level >= Level::Complex;
    match window.verdict.as_str() {
        "blocked" => raw.push(Raw {
            rule: &rules::BLOCKED_WINDOW,
            message: window.detail.clone(),
            evidence: Evidence::field(file, start_field)
                .with_excerpt(window.planned_start.clone().unwrap_or_default()),
            default: RuleLevel::Error,
        }),
        "unknown" if risky => raw.push(Raw {
            rule: &rules::NOT_JUDGED,
            message: format!(
                "the deploy window cannot be judged for a {} deploy: {}",
                plan.classification.level.as_str(),
                window.detail
            ),
            evidence: Evidence::field(file, start_field),
            default: RuleLevel::Warn,
        }),
        _ => {}
    }

    // RB903 / RB907: a verified backup before data loss.
    backups(input, plan, policy, at, &mut raw);

    // RB920: a rehearsal of the migration files as they are now.
    if let Some(report) = &policy.require_rehearsal {
        for (message, evidence) in crate::rehearse::policy::policy_findings(input, report) {
            raw.push(Raw {
                rule: &rules::REHEARSAL_STALE,
                message,
                evidence,
                default: RuleLevel::Error,
            });
        }
    }

    // RB904 / RB908: placeholders.
    if policy.require_filled_placeholders != Some(false) {
        for p in plan.placeholders.iter().filter(|p| p.when == "before-use") {
            let field = p.fill_with.split_whitespace().next().unwrap_or_default();
            let by_spec = ["deployment.", "architecture.", "people.", "policy."]
                .iter()
                .any(|s| field.starts_with(s));
            if by_spec {
                raw.push(Raw {
                    rule: &rules::UNFILLED_PLACEHOLDER,
                    message: format!(
                        "{} ({}) is unfilled: set {}",
                        p.token, p.description, p.fill_with
                    ),
                    evidence: Evidence::field(file, field),
                    default: RuleLevel::Error,
                });
            } else {
                raw.push(Raw {
                    rule: &rules::HAND_FILLED_PLACEHOLDER,
                    message: format!(
                        "{} ({}) must be filled by hand in the plan before use: {}",
                        p.token, p.description, p.fill_with
                    ),
                    evidence: Evidence {
                        file: file.to_string(),
                        line: None,
                        column: None,
                        field: None,
                        excerpt: Some(p.token.clone()),
                    },
                    default: RuleLevel::Warn,
                });
            }
        }
    }

    // Levels, then ignore comments.
    let mut out: Vec<Judged> = raw
        .into_iter()
        .filter_map(|r| {
            let level = policy::level_of(policy, r.rule.code, r.default);
            (level != RuleLevel::Off).then_some(Judged {
                rule: r.rule.code,
                name: r.rule.name,
                level,
                message: r.message,
                evidence: r.evidence,
                accepted: None,
            })
        })
        .collect();
    apply_ignores(file, plan, policy, &mut out);
    out.sort_by(|a, b| (&a.evidence, a.rule, &a.message).cmp(&(&b.evidence, b.rule, &b.message)));
    out.dedup();
    out
}

fn backups(
    input: &crate::spec::Input,
    plan: &Plan,
    policy: &Policy,
    at: Option<&str>,
    raw: &mut Vec<Raw>,
) {
    let spec = &input.spec;
    let file = input.path.as_str();
    let max_age = policy.backup_max_age_days.unwrap_or(7);
    let mut stores: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if !matches!(c.kind(), ChangeKind::Migration | ChangeKind::DataOperation) {
            continue;
        }
        let loses = c.destructive() == Some(true)
            || plan
                .findings
                .iter()
                .any(|f| f.change == Some(i) && f.level == Some(Level::Irreversible));
        if !loses {
            continue;
        }
        match crate::plan::sections::store_for(spec, c) {
            Some(store) => {
                if let Some(si) = spec
                    .architecture
                    .data_stores
                    .iter()
                    .position(|s| s.name == store.name)
                {
                    stores.entry(si).or_default().push(c.label(i));
                }
            }
            None => raw.push(Raw {
                rule: &rules::NOT_JUDGED,
                message: format!(
                    "change `{}` loses data but names no data store: its backup cannot be judged",
                    c.label(i)
                ),
                evidence: Evidence::field(file, format!("deployment.changes[{i}].database")),
                default: RuleLevel::Warn,
            }),
        }
    }
    if stores.is_empty() {
        return;
    }
    let start = at
        .map(str::to_string)
        .or_else(|| spec.deployment.planned_start.clone());
    let start_date = start.as_deref().and_then(|s| {
        crate::spec::time::parse_planned_start(s, spec.deployment.timezone.as_deref())
            .ok()
            .map(|z| z.date())
    });
    for (si, changes) in stores {
        let Some(store) = spec.architecture.data_stores.get(si) else {
            continue;
        };
        let field = format!("architecture.data_stores[{si}].backup");
        let what = format!("`{}` loses data in `{}`", changes.join("`, `"), store.name);
        let bad = |raw: &mut Vec<Raw>, message: String, field: String| {
            raw.push(Raw {
                rule: &rules::BACKUP_NOT_VERIFIED,
                message,
                evidence: Evidence::field(file, field),
                default: RuleLevel::Error,
            })
        };
        let Some(b) = &store.backup else {
            bad(raw, format!("{what}, which declares no backup"), field);
            continue;
        };
        if b.method == Some(crate::model::BackupMethod::None) {
            bad(
                raw,
                format!("{what}, which has no backups"),
                format!("{field}.method"),
            );
            continue;
        }
        let Some(tested) = &b.last_tested_restore else {
            bad(
                raw,
                format!("{what}, whose backup was never verified: no tested restore on record"),
                format!("{field}.last_tested_restore"),
            );
            continue;
        };
        let Some(start_date) = start_date else {
            raw.push(Raw {
                rule: &rules::NOT_JUDGED,
                message: format!(
                    "{what}: the backup's age cannot be judged without a planned start (set deployment.planned_start or pass --at)"
                ),
                evidence: Evidence::field(file, format!("{field}.last_tested_restore")),
                default: RuleLevel::Warn,
            });
            continue;
        };
        for (key, value) in [
            ("last_tested_restore", Some(tested)),
            ("last_backup", b.last_backup.as_ref()),
        ] {
            let Some(value) = value else { continue };
            let f = format!("{field}.{key}");
            match crate::spec::validate::parse_date(value) {
                None => raw.push(Raw {
                    rule: &rules::NOT_JUDGED,
                    message: format!("{what}: `{value}` is not a date (YYYY-MM-DD)"),
                    evidence: Evidence::field(file, f),
                    default: RuleLevel::Warn,
                }),
                Some(d) => {
                    let age = (start_date - d).get_days();
                    if age > max_age as i32 {
                        bad(
                            raw,
                            format!(
                                "{what}; {key} {value} is {age} days before the planned start {start_date}, older than the policy's {max_age} days"
                            ),
                            f,
                        );
                    }
                }
            }
        }
    }
}

/// Marks findings accepted by ignore comments in the spec and the artifacts read; adds RB905 for
/// comments without a reason and RB906 for comments that accept nothing, at the policy's level.
fn apply_ignores(spec_file: &str, plan: &Plan, policy: &Policy, out: &mut Vec<Judged>) {
    let mut files: BTreeMap<String, Option<SourceFile>> = BTreeMap::new();
    let mut paths: Vec<String> = plan.artifacts.iter().map(|a| a.path.clone()).collect();
    paths.push(spec_file.to_string());
    paths.extend(
        out.iter()
            .filter(|j| j.evidence.line.is_some())
            .map(|j| j.evidence.file.clone()),
    );
    for p in paths {
        files.entry(p.clone()).or_insert_with(|| {
            crate::spec::load::read_text(&p)
                .ok()
                .map(|t| SourceFile::new(p.clone(), t))
        });
    }
    let readable: BTreeMap<&str, &SourceFile> = files
        .iter()
        .filter_map(|(p, f)| Some((p.as_str(), f.as_ref()?)))
        .collect();
    for (rule, message, evidence) in ignore::accept(&readable, out) {
        let level = policy::level_of(policy, rule.code, default_level(rule.severity));
        if level != RuleLevel::Off {
            out.push(Judged {
                rule: rule.code,
                name: rule.name,
                level,
                message,
                evidence,
                accepted: None,
            });
        }
    }
}

/// Judges every spec; the report's status is fail when any error remains.
pub fn check(specs: &[String], files: Vec<FileChoice>, opts: &CheckOptions) -> Result<Report> {
    let mut verdicts = Vec::new();
    for s in specs {
        verdicts.push(judge(s, opts)?);
    }
    Ok(Report::new(verdicts, files))
}
