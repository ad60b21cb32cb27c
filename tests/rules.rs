//! Every rule has fixtures: `tests/fixtures/rules/<code>-<name>/fire.yaml` must raise it and
//! `ok.yaml` (the safe alternative) must not; rules that read a brief's words use `fire.md` and
//! `ok.md`. The findings of each `fire.yaml` are snapshotted.
//!
//! A rule registered without fixtures fails `every_rule_has_fixtures`.

use rollbook::assess::{self, Context, Finding, Rule, rules};
use rollbook::evidence::gather;
use rollbook::plan::{self, Options};
use rollbook::spec::load::load;
use std::path::Path;

/// Relative to the package root (the test's working directory), so snapshots hold no absolute paths.
const ROOT: &str = "tests/fixtures/rules";
const FILES: [&str; 2] = ["fire.yaml", "ok.yaml"];

fn dir_name(rule: &Rule) -> String {
    format!("{}-{}", rule.code, rule.name)
}

fn fixture(rule: &Rule, file: &str) -> String {
    let spec = format!("{ROOT}/{}/{file}", dir_name(rule));
    // Rules that read a brief's own words have brief fixtures (`fire.md`, `ok.md`).
    let brief = spec.replace(".yaml", ".md");
    if !Path::new(&spec).is_file() && Path::new(&brief).is_file() {
        brief
    } else {
        spec
    }
}

/// All findings of a fixture, as the pipeline computes them. Also builds the whole plan, so a
/// fixture that the plan builder rejects fails here rather than in a user's hands.
fn findings(path: &str) -> Vec<Finding> {
    let input = load(path).unwrap_or_else(|e| panic!("{path} does not load: {e}"));
    let gathered = gather(&input).unwrap_or_else(|e| panic!("{path}: artifacts not read: {e}"));
    plan::build(&input, &Options::default())
        .unwrap_or_else(|e| panic!("{path}: no plan built: {e}"));
    assess::run_rules(&Context::new(&input.spec, &input.path, &gathered))
}

/// A statement rollbook did not understand (RB100) would make a fixture prove nothing: only
/// RB100's own `fire.yaml` may hold one.
fn not_understood(all: &[Finding], rule: &Rule, file: &str) -> Vec<String> {
    if rule.code == "RB100" && file == "fire.yaml" {
        return Vec::new();
    }
    all.iter()
        .filter(|f| f.rule == "RB100")
        .map(|f| format!("{}: {}", fixture(rule, file), render(f)))
        .collect()
}

fn of_rule<'a>(all: &'a [Finding], rule: &Rule) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.rule == rule.code).collect()
}

/// `CODE severity level file:line message`, `-` for no level.
fn render(f: &Finding) -> String {
    format!(
        "{} {} {} {} {}",
        f.rule,
        f.severity.as_str(),
        f.level.map(|l| l.as_str()).unwrap_or("-"),
        f.evidence.cite(),
        f.message
    )
}

/// Rules whose fixtures are complete; the others are reported by `every_rule_has_fixtures`.
fn with_fixtures() -> impl Iterator<Item = &'static Rule> {
    rules::all()
        .iter()
        .copied()
        .filter(|r| FILES.iter().all(|f| Path::new(&fixture(r, f)).is_file()))
}

#[test]
fn every_rule_has_fixtures() {
    let mut missing = Vec::new();
    for rule in rules::all() {
        for file in FILES {
            let path = fixture(rule, file);
            if !Path::new(&path).is_file() {
                missing.push(path);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures (add a fire.yaml that raises the rule and an ok.yaml with the safe alternative):\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_fixtures_for_unknown_rules() {
    let known: Vec<String> = rules::all().iter().map(|r| dir_name(r)).collect();
    let mut unknown = Vec::new();
    for entry in std::fs::read_dir(ROOT).expect("fixture directory") {
        let name = entry.expect("directory entry").file_name();
        let name = name.to_string_lossy().into_owned();
        if !known.contains(&name) {
            unknown.push(name);
        }
    }
    unknown.sort();
    assert!(
        unknown.is_empty(),
        "fixture directories that match no registered `<code>-<name>`: {unknown:?}"
    );
}

#[test]
fn fire_fixtures_raise_their_rule() {
    let mut silent = Vec::new();
    let mut unread = Vec::new();
    for rule in with_fixtures() {
        let path = fixture(rule, "fire.yaml");
        let all = findings(&path);
        unread.extend(not_understood(&all, rule, "fire.yaml"));
        let mine = of_rule(&all, rule);
        if mine.is_empty() {
            silent.push(path);
            continue;
        }
        let text: Vec<String> = mine.iter().map(|f| render(f)).collect();
        insta::assert_snapshot!(rule.code, text.join("\n"));
    }
    assert!(silent.is_empty(), "rule did not fire on: {silent:#?}");
    assert!(
        unread.is_empty(),
        "statements not understood:\n{}",
        unread.join("\n")
    );
}

#[test]
fn ok_fixtures_do_not_raise_their_rule() {
    let mut noisy = Vec::new();
    for rule in with_fixtures() {
        let path = fixture(rule, "ok.yaml");
        let all = findings(&path);
        noisy.extend(not_understood(&all, rule, "ok.yaml"));
        for f in of_rule(&all, rule) {
            noisy.push(format!("{path}: {}", render(f)));
        }
    }
    assert!(
        noisy.is_empty(),
        "rule fired on its ok fixture:\n{}",
        noisy.join("\n")
    );
}
