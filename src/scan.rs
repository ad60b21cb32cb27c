//! `rollbook scan`: every reader and rule run on artifacts alone, with no spec, the way a linter
//! is run.
//!
//! Paths (files, directories walked recursively in sorted order, `*` globs in the last component)
//! are classified by name and content: `.sql` files are migrations (read in the layouts of
//! [`crate::evidence::sql::layout`]), YAML with `apiVersion` and `kind` is a Kubernetes manifest,
//! JSON with `resource_changes` or `format_version` is a Terraform plan; every other file is listed
//! as ignored with the reason. The rules run over a synthetic spec (one data store of the chosen
//! engine and version, one change per migration and per plan) and only findings whose evidence is
//! in a scanned file are kept: spec-level rules judge nothing here.

use crate::assess::{self, Context, Severity};
use crate::base::error::{Error, Result};
use crate::base::source::SourceFile;
use crate::check::{Judged, ignore};
use crate::evidence::sql::files::ReadError;
use crate::evidence::sql::{Dialect, layout};
use crate::evidence::{Artifact, Gathered, k8s, terraform};
use crate::model::{Change, DataStore, Engine, MigrationTool, RuleLevel, Spec};
pub use crate::plan::model::IgnoredFile;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod inputs;
pub use inputs::*;

/// The name the synthetic spec goes by in evidence (never shown: its findings are dropped).
pub const SYNTHETIC_SPEC: &str = "<rollbook scan: synthetic spec>";
/// Ignored files listed one by one in human output; more are counted.
const MAX_IGNORED_SHOWN: usize = 20;
/// Largest manifest or plan file classified by content.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Options of one scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// `--dialect`: every SQL file in this dialect. `None`: each file's own, from its layout,
    /// then its content, else PostgreSQL.
    pub dialect: Option<Dialect>,
    /// Version of the database engine (e.g. `15`, `8.0`); rules that depend on it read it.
    pub db_version: Option<String>,
    /// `rollbook scan -`: one migration read from standard input, scanned alone.
    pub stdin: Option<Given>,
    /// `--git BASE..HEAD`: the files changed in the range (canonical paths). They are one
    /// deployment, judged against the history the other scanned migrations build, and only
    /// their findings are reported.
    pub range: Option<Vec<PathBuf>>,
}

/// Whether `file` is one of the files changed in `--git`'s range.
fn in_range(opts: &ScanOptions, file: &str) -> bool {
    opts.range
        .as_ref()
        .is_some_and(|r| std::fs::canonicalize(file).is_ok_and(|c| r.contains(&c)))
}

/// A migration whose text was given rather than read (standard input), under the name it is
/// reported with; its layout (name, folders, the tool's config, a paired down file) is read as if
/// it were at that path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    pub name: String,
    pub text: String,
}

/// Totals of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings not accepted by a `rollbook-ignore` comment.
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub accepted: usize,
    /// Files read (migrations, their downs, manifests, plans).
    pub files: usize,
    /// SQL statements parsed (up and down).
    pub statements: usize,
    /// Files that could not be read or parsed.
    pub unreadable: usize,
}

/// Everything one `rollbook scan` run found.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub format_version: u32,
    /// `pass` or `fail`.
    pub status: &'static str,
    /// `--dialect` when given; otherwise each file's dialect is its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_version: Option<String>,
    pub summary: Summary,
    pub findings: Vec<Judged>,
    /// Every file read, in path order, with its count of findings.
    pub artifacts: Vec<Artifact>,
    /// Files found but not read, with the reason.
    pub ignored: Vec<IgnoredFile>,
    /// Files that could not be read or parsed (they fail the scan).
    pub errors: Vec<ReadError>,
    /// Migrations found but not judged (a dialect without a parser), with the reason.
    pub not_judged: Vec<IgnoredFile>,
    /// Files whose template placeholders were parsed as neutral names.
    pub templated: Vec<String>,
    /// The migration read from standard input, for the snippets and spans of its findings.
    #[serde(skip)]
    pub stdin: Option<Given>,
}

impl ScanReport {
    /// Where the outputs read the findings' files: disk, but standard input from memory.
    pub fn sources(&self) -> crate::check::format::Sources<'_> {
        match &self.stdin {
            Some(g) => crate::check::format::Sources::with(&g.name, &g.text),
            None => crate::check::format::Sources::disk(),
        }
    }

    /// An error-level finding or an unreadable file.
    pub fn failed(&self) -> bool {
        self.summary.errors > 0 || !self.errors.is_empty()
    }
}

/// Name of the synthetic data store of a dialect.
fn store_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => "postgres",
        Dialect::Mysql => "mysql",
        Dialect::Sqlite => "sqlite",
    }
}

/// The synthetic spec the rules read: one data store per dialect (with the version given), one
/// migration change per migration, one infrastructure change per plan.
fn synthetic_spec(
    opts: &ScanOptions,
    migrations: &[(String, Dialect, Option<MigrationTool>)],
    plans: &[String],
) -> Spec {
    let mut spec = Spec::default();
    spec.deployment.name = "scan".into();
    // Exactly one change each: a vector grown by doubling would hold up to twice that.
    spec.deployment
        .changes
        .reserve_exact(migrations.len() + plans.len());
    for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        spec.architecture.data_stores.push(DataStore {
            name: store_name(d).into(),
            engine: match d {
                Dialect::Postgres => Engine::Postgres,
                Dialect::Mysql => Engine::Mysql,
                Dialect::Sqlite => Engine::Other,
            },
            version: opts.db_version.clone(),
            hosting: None,
            identifier: None,
            database: None,
            region: None,
            size_gb: None,
            backup: None,
        });
    }
    for (m, d, tool) in migrations {
        spec.deployment
            .changes
            .push(Change::Migration(crate::model::Migration {
                path: Some(m.clone()),
                tool: *tool,
                database: Some(store_name(*d).into()),
                ..Default::default()
            }));
    }
    for p in plans {
        spec.deployment
            .changes
            .push(Change::Infrastructure(crate::model::Infrastructure {
                plan: Some(p.clone()),
                ..Default::default()
            }));
    }
    spec
}

/// Scans the paths, or the migration given on standard input (`opts.stdin`, with no paths). `Err`
/// only for a path that names nothing; unreadable files are listed.
pub fn scan(paths: &[String], opts: &ScanOptions) -> Result<ScanReport> {
    // Each file with the root it was found under: layout clues (folder names, test folders)
    // are read below the root only.
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    let given = opts.stdin.as_ref().map(|g| PathBuf::from(&g.name));
    if let Some(g) = &given {
        files.push((g.clone(), g.parent().unwrap_or(Path::new("")).to_path_buf()));
    }
    let mut stopped = Vec::new();
    for p in paths {
        let root = Path::new(p);
        let root = if root.is_dir() {
            root.to_path_buf()
        } else {
            root.parent().unwrap_or(Path::new("")).to_path_buf()
        };
        for f in expand_noting(p, &mut stopped)? {
            files.push((f, root.clone()));
        }
    }
    // A stable sort: a file found under two roots keeps the first (paths compare component by
    // component, which a map of 20,000 paths would do for every insert and lookup).
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|later, first| later.0 == first.0);

    let (mut sql, mut manifests, mut plan_files) = (Vec::new(), Vec::new(), Vec::new());
    let mut ignored = Vec::new();
    // A scan of part of a tree must not pass as a scan of all of it.
    let mut errors: Vec<ReadError> = stopped
        .into_iter()
        .map(|path| ReadError {
            path,
            message: format!(
                "more than {MAX_WALK_FILES} files below it: only the first {MAX_WALK_FILES} in path order were scanned"
            ),
        })
        .collect();
    // Chart templates are rendered once per chart when helm is on PATH.
    let helm = crate::evidence::helm::helm_on_path();
    let mut charts: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for (f, root) in &files {
        let shown = f.display().to_string();
        // Standard input is one migration, whatever its name.
        if given.as_ref() == Some(f) {
            sql.push((f.clone(), root.clone()));
            continue;
        }
        if helm.is_some()
            && let Some(chart) = helm_chart_of(f)
        {
            charts.entry(chart.to_path_buf()).or_default().push(shown);
            continue;
        }
        match classify(f) {
            Class::Sql => sql.push((f.clone(), root.clone())),
            Class::Manifest => manifests.push(f.clone()),
            Class::TerraformPlan => plan_files.push(f.clone()),
            Class::Broken(message) => errors.push(ReadError {
                path: shown,
                message,
            }),
            Class::Ignored(reason) => ignored.push(IgnoredFile {
                path: shown,
                reason,
            }),
        }
    }

    let stdin = opts
        .stdin
        .as_ref()
        .map(|g| (Path::new(&g.name), g.text.as_str()));
    let read = crate::evidence::sql::files::read_tree_given(&sql, opts.dialect, stdin);
    let mut artifacts = read.artifacts;
    errors.extend(read.errors);
    let mut migrations = read.migrations;
    let not_judged: Vec<IgnoredFile> = read
        .not_judged
        .into_iter()
        .map(|n| IgnoredFile {
            path: n.path,
            reason: n.reason,
        })
        .collect();
    ignored.extend(read.not_migrations.into_iter().map(|n| IgnoredFile {
        path: n.path,
        reason: n.reason,
    }));
    // A down file whose up was not scanned is not judged on its own.
    let mut read_paths: BTreeSet<String> = artifacts.iter().map(|a| a.path.clone()).collect();
    read_paths.extend(read.downs_read);
    read_paths.extend(not_judged.iter().map(|n| n.path.clone()));
    read_paths.extend(ignored.iter().map(|n| n.path.clone()));
    for (f, _) in &sql {
        let shown = f.display().to_string();
        if !read_paths.contains(&shown) && !errors.iter().any(|e| e.path == shown) {
            ignored.push(IgnoredFile {
                path: shown,
                reason: "a down migration whose up migration is not scanned".into(),
            });
        }
    }
    // The path lists of a 20,000-file tree are megabytes: not kept through the rules.
    drop((files, read_paths, sql));

    let (mut objects, k8s_artifacts) = k8s::read_files(&manifests)?;
    if let Some(helm) = &helm {
        for (chart, templates) in &charts {
            render_chart(
                helm,
                chart,
                templates,
                &mut objects,
                &mut artifacts,
                &mut ignored,
            );
        }
    }
    let broken_prefix = format!("{} (not read: ", k8s::KIND_MANIFEST);
    for a in k8s_artifacts {
        if let Some(why) = a.kind.strip_prefix(&broken_prefix) {
            errors.push(ReadError {
                path: a.path,
                message: why.trim_end_matches(')').to_string(),
            });
        } else {
            artifacts.push(a);
        }
    }

    let first_plan_change = migrations.len();
    let mut plans = Vec::new();
    let mut plan_paths = Vec::new();
    for f in &plan_files {
        match terraform::read_plan_files(std::slice::from_ref(f)) {
            Ok((ps, arts)) => {
                for mut p in ps {
                    let change = first_plan_change + plans.len();
                    p.change = change;
                    for r in &mut p.resources {
                        r.change = change;
                    }
                    plan_paths.push(f.display().to_string());
                    plans.push(p);
                }
                artifacts.extend(arts);
            }
            Err(e) => errors.push(ReadError {
                path: f.display().to_string(),
                message: e.to_string().lines().next().unwrap_or("").to_string(),
            }),
        }
    }
    for (i, m) in migrations.iter_mut().enumerate() {
        m.change = i;
    }
    let migration_paths: Vec<(String, Dialect, Option<MigrationTool>)> = migrations
        .iter()
        .zip(read.tools.iter().chain(std::iter::repeat(&None)))
        .map(|(m, t)| (m.up_source.file.clone(), m.dialect, *t))
        .collect();
    // Each migration file is its own deployment (popx's generated sub-steps of one migration
    // share one), judged against the history before it.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let deployments: Vec<usize> = migrations
        .iter()
        .map(|m| {
            // The files of a git range ship together: one deployment.
            let key = if in_range(opts, &m.up_source.file) {
                "\0range".to_string()
            } else {
                crate::evidence::sql::tree::deployment_key(Path::new(&m.up_source.file))
            };
            let next = keys.len();
            *keys.entry(key).or_insert(next)
        })
        .collect();
    let history = crate::evidence::sql::history::History::build(&migrations, &deployments);
    let spec = synthetic_spec(opts, &migration_paths, &plan_paths);
    let statements = migrations.iter().map(|m| m.up.len() + m.down.len()).sum();
    let gathered = Gathered {
        resources: plans.iter().flat_map(|p| p.resources.clone()).collect(),
        migrations,
        objects,
        plans,
        configs: Vec::new(),
        artifacts: Vec::new(),
    };
    artifacts.sort_by(|a, b| (&a.path, &a.kind).cmp(&(&b.path, &b.kind)));
    artifacts.dedup_by(|a, b| a.path == b.path);
    let scanned: BTreeSet<String> = artifacts.iter().map(|a| a.path.clone()).collect();

    let findings = {
        let ctx = Context::new(&spec, SYNTHETIC_SPEC, &gathered);
        let _ = ctx.history.set(history);
        assess::run_rules(&ctx)
    };
    // The statements and the schema history are the largest part of a scan: gone before the
    // report is built.
    drop(gathered);
    drop(spec);
    let mut judged: Vec<Judged> = findings
        .into_iter()
        .filter(|f| scanned.contains(&f.evidence.file))
        .filter(|f| opts.range.is_none() || in_range(opts, &f.evidence.file))
        .filter_map(|f| {
            let level = match f.severity {
                Severity::Error => RuleLevel::Error,
                Severity::Warning => RuleLevel::Warn,
                Severity::Info => return None,
            };
            Some(Judged {
                rule: f.rule,
                name: f.name,
                level,
                message: f.message,
                evidence: f.evidence,
                accepted: None,
            })
        })
        .collect();
    apply_ignores(&scanned, &read.texts, opts.stdin.as_ref(), &mut judged);
    judged
        .sort_by(|a, b| (&a.evidence, a.rule, &a.message).cmp(&(&b.evidence, b.rule, &b.message)));
    judged.dedup();

    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for j in judged.iter().filter(|j| j.accepted.is_none()) {
        *per_file.entry(j.evidence.file.as_str()).or_default() += 1;
    }
    for a in &mut artifacts {
        a.findings = per_file.get(a.path.as_str()).copied().unwrap_or(0);
    }
    ignored.sort();
    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    let open = || judged.iter().filter(|j| j.accepted.is_none());
    let summary = Summary {
        findings: open().count(),
        errors: open().filter(|j| j.level == RuleLevel::Error).count(),
        warnings: open().filter(|j| j.level == RuleLevel::Warn).count(),
        accepted: judged.iter().filter(|j| j.accepted.is_some()).count(),
        files: artifacts.len(),
        statements,
        unreadable: errors.len(),
    };
    let mut report = ScanReport {
        format_version: 1,
        status: "pass",
        dialect: opts.dialect,
        db_version: opts.db_version.clone(),
        summary,
        findings: judged,
        artifacts,
        ignored,
        errors,
        not_judged,
        templated: read.templated,
        stdin: opts.stdin.clone(),
    };
    if report.failed() {
        report.status = "fail";
    }
    Ok(report)
}

/// Marks findings accepted by `rollbook-ignore` comments with a reason; a comment without a reason
/// is RB905 and one that accepts nothing RB906, as in `rollbook check` (which shares the logic).
/// `texts`: the SQL files already read, with their text when it holds such a comment; the other
/// files (manifests, plans) are read again.
fn apply_ignores(
    scanned: &BTreeSet<String>,
    texts: &BTreeMap<String, Option<String>>,
    given: Option<&Given>,
    out: &mut Vec<Judged>,
) {
    let files: BTreeMap<&str, SourceFile> = scanned
        .iter()
        .filter_map(|p| {
            let text = match (given, texts.get(p)) {
                (Some(g), _) if &g.name == p => g.text.clone(),
                (_, Some(kept)) => kept.clone()?,
                _ => crate::base::fsio::read_text(Path::new(p), MAX_FILE_BYTES).ok()?,
            };
            // Only files with a comment are kept: a 20,000-file tree has a handful.
            if !text.contains("rollbook-ignore") {
                return None;
            }
            Some((p.as_str(), SourceFile::new(p.clone(), text)))
        })
        .collect();
    let files: BTreeMap<&str, &SourceFile> = files.iter().map(|(p, f)| (*p, f)).collect();
    for (rule, message, evidence) in ignore::accept(&files, out) {
        out.push(Judged {
            rule: rule.code,
            name: rule.name,
            level: match rule.severity {
                Severity::Error => RuleLevel::Error,
                _ => RuleLevel::Warn,
            },
            message,
            evidence,
            accepted: None,
        });
    }
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Files listed by reason: each reason once, with its files (or their count past a few).
fn grouped(out: &mut String, verb: &str, files: &[IgnoredFile]) {
    let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in files {
        by_reason.entry(&f.reason).or_default().push(&f.path);
    }
    for (reason, paths) in by_reason {
        if paths.len() <= 3 {
            for p in paths {
                out.push_str(&one_line(&format!("{verb} {p}: {reason}")));
                out.push('\n');
            }
        } else {
            let first = paths.first().copied().unwrap_or_default();
            out.push_str(&one_line(&format!(
                "{verb} {} ({first} and others): {reason}",
                plural(paths.len(), "file", "files")
            )));
            out.push('\n');
        }
    }
}

/// Human output: ignored and unjudged files grouped by reason, findings as source snippets,
/// accepted findings, unreadable files, and the summary line.
pub fn human(report: &ScanReport) -> String {
    let renderer = annotate_snippets::Renderer::plain();
    let sources = report.sources();
    let mut out = String::new();
    if report.ignored.len() <= MAX_IGNORED_SHOWN {
        grouped(&mut out, "ignored", &report.ignored);
    } else {
        let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &report.ignored {
            *by_reason.entry(&i.reason).or_default() += 1;
        }
        for (reason, n) in by_reason {
            out.push_str(&one_line(&format!(
                "ignored {}: {reason}",
                plural(n, "file", "files")
            )));
            out.push('\n');
        }
        out.push_str("(`--format json` lists each ignored file)\n");
    }
    grouped(&mut out, "not judged", &report.not_judged);
    if !report.templated.is_empty() {
        out.push_str(&format!(
            "templated SQL in {}: placeholders were parsed as neutral names ({}{})\n",
            plural(report.templated.len(), "file", "files"),
            report
                .templated
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
            if report.templated.len() > 1 {
                " and others"
            } else {
                ""
            }
        ));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for f in report.findings.iter().filter(|f| f.accepted.is_none()) {
        out.push_str(&crate::check::format::finding_in(&renderer, f, &sources));
        out.push_str("\n\n");
    }
    for line in report
        .findings
        .iter()
        .filter_map(crate::check::format::accepted)
    {
        out.push_str(&line);
        out.push('\n');
    }
    for e in &report.errors {
        out.push_str(&one_line(&format!("error: {}: {}", e.path, e.message)));
        out.push('\n');
    }
    let s = &report.summary;
    out.push_str(&format!(
        "{} ({}, {}) in {}; {}, {} accepted, {} unreadable, {} ignored, {} not judged\n",
        plural(s.findings, "finding", "findings"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.files, "file", "files"),
        plural(s.statements, "statement", "statements"),
        s.accepted,
        s.unreadable,
        report.ignored.len(),
        report.not_judged.len()
    ));
    out
}

#[cfg(test)]
mod tests;
