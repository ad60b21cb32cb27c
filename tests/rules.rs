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

/// A brief's statements written into a spec by `rollbook infer` keep their brief citation; ones a
/// spec author writes are cited by field. Either way the no-way-back words force the class.
#[test]
fn statements_in_a_spec_file_raise_their_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rollbook.yaml");
    std::fs::write(
        &path,
        "deployment:\n  name: edge-acl\n  changes:\n    - kind: code\n      services: [edge]\narchitecture:\n  services:\n    - name: edge\nstatements:\n  - kind: no_way_back\n    words: A bad ACL locks us out of the routers.\n  - kind: unmapped_action\n    words: Apply the ACL to every edge router.\n    file: brief.md\n    line: 3\n    column: 1\n",
    )
    .expect("write spec");
    let path = path.to_string_lossy().into_owned();
    let all = findings(&path);
    let cited: Vec<String> = all
        .iter()
        .filter(|f| f.rule == "RB016" || f.rule == "RB017")
        .map(|f| format!("{} {}", f.rule, f.evidence.cite().replace(&path, "SPEC")))
        .collect();
    assert_eq!(
        cited,
        vec!["RB016 SPEC `statements[0]`", "RB017 brief.md:3:1"]
    );
    let input = load(&path).expect("loads");
    let plan = plan::build(&input, &Options::default()).expect("plan");
    assert_eq!(plan.classification.level, assess::Level::Irreversible);
    assert!(
        plan.procedure.steps.iter().any(|s| s
            .commands
            .iter()
            .any(|c| c.render().contains("<ROLLBACK_COMMAND_FOR_UNMAPPED_1>"))),
        "{:#?}",
        plan.procedure.steps
    );
}

/// RB001 claims instant only when the platform that puts the previous version back is known.
#[test]
fn code_redeploy_is_instant_only_on_a_known_platform() {
    let dir = tempfile::tempdir().expect("temp dir");
    let level_of = |platform: &str| {
        let path = dir.path().join("rollbook.yaml");
        std::fs::write(
            &path,
            format!("deployment:\n  name: api\n  changes:\n    - kind: code\n      services: [api]\narchitecture:\n  services:\n    - name: api\n{platform}"),
        )
        .expect("write spec");
        let all = findings(&path.to_string_lossy());
        all.iter()
            .find(|f| f.rule == "RB001")
            .and_then(|f| f.level)
            .map(|l| l.as_str())
    };
    assert_eq!(level_of("      platform: kubernetes\n"), Some("instant"));
    assert_eq!(level_of(""), Some("fast"));
}

/// Every rule `rollbook` knows: the assessment rules, then the policy rules of `rollbook check`.
fn every_rule() -> Vec<&'static Rule> {
    rollbook::check::rules::every()
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Codes are `RB` and three digits, unique, numbered in their family's hundred (RB1xx reads SQL,
/// RB2xx manifests...) and registered in code order; names are unique kebab-case.
#[test]
fn codes_and_names_are_unique_and_follow_their_family() {
    let all = every_rule();
    let mut problems = Vec::new();
    for (i, r) in all.iter().enumerate() {
        let digits = r.code.strip_prefix("RB").unwrap_or("");
        let number: Option<u32> = (digits.len() == 3).then(|| digits.parse().ok()).flatten();
        match number {
            None => problems.push(format!("{}: not `RB` and three digits", r.code)),
            Some(n) if n / 100 != r.family.hundred() => problems.push(format!(
                "{} {}: family {:?} numbers its rules RB{}xx",
                r.code,
                r.name,
                r.family,
                r.family.hundred()
            )),
            Some(_) => {}
        }
        if !is_kebab_case(r.name) {
            problems.push(format!("{}: name `{}` is not kebab-case", r.code, r.name));
        }
        for other in &all[..i] {
            if other.code == r.code {
                problems.push(format!(
                    "{}: code used twice ({} and {})",
                    r.code, other.name, r.name
                ));
            }
            if other.name == r.name {
                problems.push(format!(
                    "`{}`: name used twice ({} and {})",
                    r.name, other.code, r.code
                ));
            }
        }
    }
    for registry in [rules::all(), rollbook::check::rules::all()] {
        let codes: Vec<&str> = registry.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        if codes != sorted {
            problems.push(format!("a registry is not in code order: {codes:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_registry_checks_catch_a_bad_name() {
    assert!(is_kebab_case("drop-table"));
    assert!(is_kebab_case("sql2-rule"));
    for bad in [
        "",
        "Drop-table",
        "drop_table",
        "drop--table",
        "-drop",
        "drop-",
    ] {
        assert!(!is_kebab_case(bad), "{bad}");
    }
}

/// Each rule's doc has the sections ruff's docs have, in order, none empty: what it does, why it
/// matters for rollback, (an example in words, where the fixture needs one), what to use instead.
#[test]
fn rule_docs_have_the_sections_in_order() {
    let mut problems = Vec::new();
    for r in every_rule() {
        let headings = r.headings();
        let expected: Vec<&str> = assess::DOC_SECTIONS
            .into_iter()
            .filter(|h| *h != "Example" || headings.contains(h))
            .collect();
        if headings != expected {
            problems.push(format!(
                "{}: sections {headings:?}, expected {expected:?}",
                r.code
            ));
        }
        for h in &headings {
            if r.section(h).is_empty() {
                problems.push(format!("{}: section `{h}` is empty", r.code));
            }
        }
        if !r.doc.trim_start().starts_with("## What it does") {
            problems.push(format!("{}: text before `## What it does`", r.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The docs show the fixtures the tests run: every file of a rule's fixture directory is embedded
/// (fire files as the example, ok files as the alternative, in the same order), the spec or brief
/// first; and each is short enough to show whole.
#[test]
fn docs_embed_every_fixture_file_and_each_is_short() {
    const MAX_LINES: usize = 50;
    let mut problems = Vec::new();
    for r in rules::all() {
        let dir = format!("{ROOT}/{}", dir_name(r));
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        on_disk.sort();
        let mut embedded: Vec<String> = r
            .fire
            .iter()
            .chain(r.ok)
            .map(|f| f.file.to_string())
            .collect();
        embedded.sort();
        if on_disk != embedded {
            problems.push(format!("{dir}: files {on_disk:?}, embedded {embedded:?}"));
        }
        let first = |files: &[assess::Fixture]| files.first().map(|f| f.file);
        if first(r.fire) != Some(fixture(r, "fire.yaml").rsplit('/').next().unwrap_or(""))
            || first(r.ok) != Some(fixture(r, "ok.yaml").rsplit('/').next().unwrap_or(""))
        {
            problems.push(format!(
                "{dir}: the spec or brief is not the first file embedded"
            ));
        }
        let paired = r.fire.len() == r.ok.len()
            && r.fire
                .iter()
                .zip(r.ok)
                .all(|(f, o)| f.file.strip_prefix("fire") == o.file.strip_prefix("ok"));
        if !paired {
            problems.push(format!("{dir}: fire and ok files do not pair up"));
        }
        for f in r.fire.iter().chain(r.ok) {
            let lines = f.text.lines().count();
            if lines > MAX_LINES {
                problems.push(format!("{dir}/{}: {lines} lines; the docs show fixtures whole, keep it under {MAX_LINES}", f.file));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `rollbook docs rule CODE` prints what `rollbook explain CODE` prints: ruff's layout, with the
/// fixtures; a missing code is a usage error.
#[test]
fn docs_rule_prints_one_rule_in_ruff_layout() {
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("rollbook")
            .expect("binary")
            .args(args)
            .assert()
    };
    let out = run(&["docs", "rule", "RB102"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let explained = run(&["explain", "drop-column"]).success();
    assert_eq!(text.as_bytes(), explained.get_output().stdout.as_slice());
    assert!(text.starts_with("# RB102 drop-column\n"), "{text}");
    for heading in [
        "What it does",
        "Why it matters for rollback",
        "Example",
        "Use instead",
    ] {
        assert!(
            text.contains(&format!("\n## {heading}\n")),
            "{heading}: {text}"
        );
    }
    assert!(
        text.contains("ALTER TABLE customers DROP COLUMN legacy_phone;"),
        "{text}"
    );
    run(&["docs", "rule"])
        .code(2)
        .stderr(predicates::str::contains("needs a rule code"));
    run(&["docs", "rule", "RB1O2"])
        .code(2)
        .stderr(predicates::str::contains("unknown rule"));
}
