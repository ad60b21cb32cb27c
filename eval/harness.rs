//! The public evaluation set: loads every brief under `eval/briefs/`, builds its plan through the
//! library, and checks the plan against the brief's expectation file (`<name>.expect.toml`) and the
//! universal assertions every plan must meet. Shared by `tests/eval.rs` (the ratchet) and the
//! `eval` example (the score table), so both compute the same figures.

#![allow(dead_code)] // each includer uses a different part

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where the briefs live, relative to the crate root.
pub const BRIEFS_DIR: &str = "eval/briefs";
/// The recorded figures the ratchet compares against.
pub const BASELINE_FILE: &str = "eval/baseline.toml";

/// The kinds of issue 10's table, plus `trivial` for changes that deserve a short plan.
pub const KINDS: [&str; 13] = [
    "service",
    "fleet-push",
    "network-edge",
    "database-operation",
    "platform-upgrade",
    "data-migration",
    "client-release",
    "immutable-external",
    "bulk-data",
    "stream-queue-index-cache",
    "security-access",
    "ml-model",
    "trivial",
];

/// The four rollback classes, as the plan JSON spells them.
pub const CLASSES: [&str; 4] = ["instant", "fast", "complex", "irreversible"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub title: String,
    /// `ordinary` (written for the set) or `postmortem` (reconstructed from a public report).
    pub origin: String,
    /// The public report a postmortem brief was written from.
    #[serde(default)]
    pub source: Option<String>,
    /// Other public pages the brief was checked against (mirrors, analyses).
    #[serde(default)]
    pub also: Vec<String>,
    pub kinds: Vec<String>,
    /// The class a release engineer would give, and why in one line.
    pub class: String,
    pub reason: String,
    /// Whether the changed system serves HTTP; `false` forbids HTTP-only triggers.
    #[serde(default = "yes")]
    pub http: bool,
    /// Whether customers would notice a failure; `true` asks for a status page.
    #[serde(default)]
    pub customers: bool,
    /// The brief's own words saying there is no way back; the plan must quote them.
    #[serde(default)]
    pub no_rollback: Option<String>,
    #[serde(default)]
    pub must: Vec<Must>,
}

fn yes() -> bool {
    true
}

/// One must-have item. Every condition it sets must hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Must {
    /// What a reviewer would say is missing when it fails.
    pub what: String,
    /// Dotted path into the plan JSON (`procedure.steps`, `triggers.services.thresholds.query`);
    /// arrays are walked element by element. Empty: the whole plan.
    #[serde(default)]
    pub at: String,
    /// Some string under `at` matches this regex.
    #[serde(default)]
    pub matches: Option<String>,
    /// No string under `at` matches this regex.
    #[serde(default)]
    pub absent: Option<String>,
    /// The Markdown rendering matches this regex.
    #[serde(default)]
    pub markdown: Option<String>,
    /// The procedure has at most this many steps.
    #[serde(default)]
    pub max_steps: Option<usize>,
    /// The procedure has at least this many steps.
    #[serde(default)]
    pub min_steps: Option<usize>,
    /// The class is one of these.
    #[serde(default)]
    pub class_in: Option<Vec<String>>,
}

impl Must {
    fn has_condition(&self) -> bool {
        self.matches.is_some()
            || self.absent.is_some()
            || self.markdown.is_some()
            || self.max_steps.is_some()
            || self.min_steps.is_some()
            || self.class_in.is_some()
    }
}

/// A brief and its expectation.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub brief: PathBuf,
    pub expect: Expectation,
}

/// Every case under `dir`, sorted by name; an error names the file that is wrong.
pub fn load_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut briefs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    briefs.sort();
    let mut cases = Vec::new();
    for brief in briefs {
        let name = brief.file_stem().unwrap().to_string_lossy().into_owned();
        let expect_path = brief.with_file_name(format!("{name}.expect.toml"));
        let text = std::fs::read_to_string(&expect_path)
            .map_err(|e| format!("{}: {e}", expect_path.display()))?;
        let expect: Expectation =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", expect_path.display()))?;
        validate(&expect).map_err(|e| format!("{}: {e}", expect_path.display()))?;
        cases.push(Case {
            name,
            brief,
            expect,
        });
    }
    Ok(cases)
}

fn validate(e: &Expectation) -> Result<(), String> {
    if !matches!(e.origin.as_str(), "ordinary" | "postmortem") {
        return Err(format!("origin `{}`: use ordinary or postmortem", e.origin));
    }
    if e.origin == "postmortem"
        && !e
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("https://"))
    {
        return Err("a postmortem brief cites its public source (https://...)".into());
    }
    if !CLASSES.contains(&e.class.as_str()) {
        return Err(format!("class `{}`: use one of {CLASSES:?}", e.class));
    }
    if e.kinds.is_empty() {
        return Err("kinds is empty".into());
    }
    for k in &e.kinds {
        if !KINDS.contains(&k.as_str()) {
            return Err(format!("kind `{k}`: use one of {KINDS:?}"));
        }
    }
    for m in &e.must {
        if !m.has_condition() {
            return Err(format!("must `{}` sets no condition", m.what));
        }
        for re in [&m.matches, &m.absent, &m.markdown].into_iter().flatten() {
            Regex::new(re).map_err(|err| format!("must `{}`: {err}", m.what))?;
        }
        for c in m.class_in.iter().flatten() {
            if !CLASSES.contains(&c.as_str()) {
                return Err(format!("must `{}`: class `{c}`", m.what));
            }
        }
    }
    Ok(())
}

/// The verdict of one assertion.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub what: String,
    pub passed: bool,
}

/// The score of one case.
#[derive(Debug, Clone)]
pub struct CaseScore {
    pub name: String,
    pub origin: String,
    pub kinds: String,
    pub expected: String,
    /// The plan's class, or `error` when no plan was built.
    pub got: String,
    pub steps: usize,
    pub outcomes: Vec<Outcome>,
    pub error: Option<String>,
}

impl CaseScore {
    pub fn class_right(&self) -> bool {
        self.expected == self.got
    }
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed).count()
    }
    pub fn total(&self) -> usize {
        self.outcomes.len()
    }
}

/// Builds the plan of a brief through the library: its JSON value and its Markdown.
pub fn build_plan(brief: &Path) -> Result<(Value, String), String> {
    let path = brief.to_string_lossy().replace('\\', "/");
    let input = rollbook::spec::load::load(&path).map_err(|e| e.to_string())?;
    let plan = rollbook::plan::build(&input, &rollbook::plan::Options::default())
        .map_err(|e| e.to_string())?;
    let json: Value =
        serde_json::from_str(&rollbook::render::json::render(&plan)).map_err(|e| e.to_string())?;
    Ok((json, rollbook::render::markdown::render(&plan)))
}

/// Scores one case: builds its plan and checks it.
pub fn score_case(case: &Case) -> CaseScore {
    let e = &case.expect;
    let mut score = CaseScore {
        name: case.name.clone(),
        origin: e.origin.clone(),
        kinds: e.kinds.join(","),
        expected: e.class.clone(),
        got: "error".into(),
        steps: 0,
        outcomes: Vec::new(),
        error: None,
    };
    match build_plan(&case.brief) {
        Ok((json, md)) => {
            score.got = class_of(&json);
            score.steps = steps(&json).len();
            score.outcomes = check_plan(e, &json, &md);
        }
        Err(err) => {
            score.error = Some(err);
            // Every assertion fails when there is no plan.
            score.outcomes = universal_names(e)
                .into_iter()
                .chain(e.must.iter().map(|m| m.what.clone()))
                .map(|what| Outcome {
                    what,
                    passed: false,
                })
                .collect();
        }
    }
    score
}

pub fn class_of(plan: &Value) -> String {
    plan["classification"]["level"]
        .as_str()
        .unwrap_or("missing")
        .to_string()
}

fn steps(plan: &Value) -> Vec<Value> {
    plan["procedure"]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Every string under a dotted path; arrays are walked element by element.
pub fn strings_at(plan: &Value, path: &str) -> Vec<String> {
    let mut nodes = vec![plan];
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let mut next = Vec::new();
        for n in nodes {
            collect_key(n, seg, &mut next);
        }
        nodes = next;
    }
    let mut out = Vec::new();
    for n in nodes {
        collect_strings(n, &mut out);
    }
    out
}

fn collect_key<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_key(i, key, out)),
        Value::Object(map) => {
            if let Some(x) = map.get(key) {
                out.push(x);
            }
        }
        _ => {}
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

/// HTTP-only signals: an HTTP request metric, a 5xx status or a curl health check.
const HTTP_SIGNAL: &str = r"(?i)\bhttp[._ ]|http_|5xx|\bcurl\s|HEALTH_URL";

fn universal_names(e: &Expectation) -> Vec<String> {
    let mut names = vec![
        "universal: the procedure holds a real action, not only Confirm recovery".to_string(),
        "universal: unknown is not instant (no instant plan for a change that is not)".to_string(),
    ];
    if !e.http {
        names.push("universal: no HTTP-only trigger for a system that does not serve HTTP".into());
    }
    if e.no_rollback.is_some() {
        names.push("universal: the brief's no-rollback words are quoted as evidence".into());
    }
    if e.customers {
        names.push("universal: customers are told through a status page".into());
    }
    names
}

/// The universal assertions, then the brief's own must-haves.
pub fn check_plan(e: &Expectation, plan: &Value, md: &str) -> Vec<Outcome> {
    let names = universal_names(e);
    let mut names = names.into_iter();
    let mut out = Vec::new();
    let class = class_of(plan);
    let steps = steps(plan);

    let real_step = steps.iter().any(|s| {
        !s["title"]
            .as_str()
            .unwrap_or("")
            .to_ascii_lowercase()
            .starts_with("confirm recovery")
    });
    out.push(Outcome {
        what: names.next().unwrap(),
        passed: real_step,
    });
    out.push(Outcome {
        what: names.next().unwrap(),
        passed: class != "instant" || e.class == "instant",
    });
    if !e.http {
        let http = Regex::new(HTTP_SIGNAL).unwrap();
        let passed = !strings_at(plan, "triggers.services")
            .iter()
            .any(|s| http.is_match(s));
        out.push(Outcome {
            what: names.next().unwrap(),
            passed,
        });
    }
    if let Some(words) = &e.no_rollback {
        let text = normalise(&strings_at(plan, "classification").join(" "));
        let passed = text.contains(&normalise(words)) && class != "instant" && class != "fast";
        out.push(Outcome {
            what: names.next().unwrap(),
            passed,
        });
    }
    if e.customers {
        let status = Regex::new(r"(?i)status ?page").unwrap();
        let passed = strings_at(plan, "communication")
            .iter()
            .any(|s| status.is_match(s));
        out.push(Outcome {
            what: names.next().unwrap(),
            passed,
        });
    }
    for m in &e.must {
        out.push(Outcome {
            what: m.what.clone(),
            passed: check_must(m, plan, md, &class, steps.len()),
        });
    }
    out
}

fn normalise(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2019}', '\u{2018}'], "'")
}

/// Whether one must-have holds on the plan.
pub fn check_must(m: &Must, plan: &Value, md: &str, class: &str, steps: usize) -> bool {
    let texts = || strings_at(plan, &m.at);
    if let Some(re) = &m.matches {
        let re = Regex::new(re).unwrap();
        if !texts().iter().any(|s| re.is_match(s)) {
            return false;
        }
    }
    if let Some(re) = &m.absent {
        let re = Regex::new(re).unwrap();
        if texts().iter().any(|s| re.is_match(s)) {
            return false;
        }
    }
    if let Some(re) = &m.markdown
        && !Regex::new(re).unwrap().is_match(md)
    {
        return false;
    }
    if m.max_steps.is_some_and(|n| steps > n) || m.min_steps.is_some_and(|n| steps < n) {
        return false;
    }
    if let Some(classes) = &m.class_in
        && !classes.iter().any(|c| c == class)
    {
        return false;
    }
    true
}

/// The figures the ratchet keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub cases: usize,
    pub class_right: usize,
    pub must_passed: usize,
    pub must_total: usize,
}

pub fn figures(scores: &[CaseScore]) -> Figures {
    Figures {
        cases: scores.len(),
        class_right: scores.iter().filter(|s| s.class_right()).count(),
        must_passed: scores.iter().map(|s| s.passed()).sum(),
        must_total: scores.iter().map(|s| s.total()).sum(),
    }
}

/// What the ratchet says about today's figures against the recorded ones.
#[derive(Debug, PartialEq, Eq)]
pub enum Ratchet {
    Held,
    /// Better than recorded: raise the baseline so the gain is kept.
    Improved(Vec<String>),
    /// Worse than recorded: the test fails.
    Regressed(Vec<String>),
}

/// Compares today's figures with the baseline: class accuracy and must-have passes may not drop.
pub fn ratchet(baseline: &Figures, today: &Figures) -> Ratchet {
    let mut worse = Vec::new();
    let mut better = Vec::new();
    for (name, was, now) in [
        ("classes right", baseline.class_right, today.class_right),
        ("must-haves passed", baseline.must_passed, today.must_passed),
    ] {
        if now < was {
            worse.push(format!("{name}: {now}, below the baseline {was}"));
        } else if now > was {
            better.push(format!("{name}: {now}, above the baseline {was}"));
        }
    }
    if !worse.is_empty() {
        Ratchet::Regressed(worse)
    } else if !better.is_empty() {
        Ratchet::Improved(better)
    } else {
        Ratchet::Held
    }
}

pub fn read_baseline(path: &Path) -> Result<Figures, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The baseline file for these figures, as `eval/baseline.toml` holds it.
pub fn baseline_text(f: &Figures) -> String {
    format!(
        "# Figures of the evaluation set that `cargo test --test eval` may not fall below.\n\
         # Raise them when the plans improve: `cargo run --example eval -- --write-baseline`.\n\
         cases = {}\nclass_right = {}\nmust_passed = {}\nmust_total = {}\n",
        f.cases, f.class_right, f.must_passed, f.must_total
    )
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

/// The score table, its totals, and (when `failures`) every failed assertion by brief.
pub fn table(scores: &[CaseScore], failures: bool) -> String {
    let mut out = String::new();
    let w = scores
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let k = scores
        .iter()
        .map(|s| s.kinds.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "| {:w$} | {:10} | {:k$} | {:12} | {:14} | {:5} | {:5} |",
        "brief", "origin", "kind", "expected", "got", "steps", "must"
    );
    let _ = writeln!(
        out,
        "|{}|{}|{}|{}|{}|{}|{}|",
        "-".repeat(w + 2),
        "-".repeat(12),
        "-".repeat(k + 2),
        "-".repeat(14),
        "-".repeat(16),
        "-".repeat(7),
        "-".repeat(7)
    );
    for s in scores {
        let got = if s.class_right() {
            s.got.clone()
        } else {
            format!("{} ✗", s.got)
        };
        let _ = writeln!(
            out,
            "| {:w$} | {:10} | {:k$} | {:12} | {:14} | {:5} | {:>5} |",
            s.name,
            s.origin,
            s.kinds,
            s.expected,
            got,
            s.steps,
            format!("{}/{}", s.passed(), s.total())
        );
    }
    let f = figures(scores);
    let _ = writeln!(
        out,
        "\nclass accuracy: {}/{} ({:.1}%)   must-haves passed: {}/{} ({:.1}%)",
        f.class_right,
        f.cases,
        pct(f.class_right, f.cases),
        f.must_passed,
        f.must_total,
        pct(f.must_passed, f.must_total)
    );
    if failures {
        for s in scores {
            let failed: Vec<&Outcome> = s.outcomes.iter().filter(|o| !o.passed).collect();
            if failed.is_empty() && s.error.is_none() && s.class_right() {
                continue;
            }
            let _ = writeln!(out, "\n{}:", s.name);
            if let Some(err) = &s.error {
                let _ = writeln!(out, "  - no plan: {err}");
            }
            if !s.class_right() {
                let _ = writeln!(out, "  - class {} (expected {})", s.got, s.expected);
            }
            for o in failed {
                let _ = writeln!(out, "  - {}", o.what);
            }
        }
    }
    out
}

/// Scores every case of the set.
pub fn score_all(dir: &Path) -> Result<Vec<CaseScore>, String> {
    Ok(load_cases(dir)?.iter().map(score_case).collect())
}
