//! The evaluation set as a ratchet: every brief under `eval/briefs/` is planned through the library
//! and checked against its expectation; the class accuracy and the number of must-haves passed may
//! not drop below `eval/baseline.toml`. The score table: `cargo run --release --example eval`.

#[path = "../eval/harness.rs"]
mod harness;

use harness::{Expectation, Figures, Must, Ratchet};
use serde_json::json;
use std::path::Path;

fn cases() -> Vec<harness::Case> {
    harness::load_cases(Path::new(harness::BRIEFS_DIR)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_set_has_forty_briefs_half_of_them_public_postmortems() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} briefs", cases.len());
    let postmortems = cases
        .iter()
        .filter(|c| c.expect.origin == "postmortem")
        .count();
    assert!(postmortems >= 20, "{postmortems} postmortems");
    assert!(cases.len() - postmortems >= 20, "ordinary briefs");
}

#[test]
fn the_ordinary_briefs_cover_every_kind_of_issue_10() {
    let cases = cases();
    for kind in harness::KINDS {
        assert!(
            cases
                .iter()
                .any(|c| c.expect.origin == "ordinary" && c.expect.kinds.iter().any(|k| k == kind)),
            "no ordinary brief of kind {kind}"
        );
    }
}

#[test]
fn every_no_rollback_phrase_is_the_brief_s_own_words() {
    for c in cases() {
        if let Some(words) = &c.expect.no_rollback {
            let brief = std::fs::read_to_string(&c.brief).unwrap();
            let flat = |s: &str| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            assert!(
                flat(&brief).contains(&flat(words)),
                "{}: `{words}` is not in the brief",
                c.name
            );
        }
    }
}

#[test]
fn the_score_does_not_fall_below_the_baseline() {
    let scores: Vec<_> = cases().iter().map(harness::score_case).collect();
    let today = harness::figures(&scores);
    let baseline =
        harness::read_baseline(Path::new(harness::BASELINE_FILE)).unwrap_or_else(|e| panic!("{e}"));
    match harness::ratchet(&baseline, &today) {
        Ratchet::Held => {}
        Ratchet::Improved(lines) => eprintln!(
            "the evaluation set improved ({}): raise eval/baseline.toml with \
             `cargo run --example eval -- --write-baseline` and commit it",
            lines.join("; ")
        ),
        Ratchet::Regressed(lines) => panic!(
            "the evaluation set regressed: {}\n\n{}",
            lines.join("; "),
            harness::table(&scores, true)
        ),
    }
}

fn figures(class_right: usize, must_passed: usize) -> Figures {
    Figures {
        cases: 42,
        class_right,
        must_passed,
        must_total: 300,
    }
}

#[test]
fn the_ratchet_fails_when_either_figure_drops() {
    let base = figures(30, 200);
    assert!(matches!(
        harness::ratchet(&base, &figures(29, 200)),
        Ratchet::Regressed(_)
    ));
    assert!(matches!(
        harness::ratchet(&base, &figures(30, 199)),
        Ratchet::Regressed(_)
    ));
    // A gain on one figure does not hide a loss on the other.
    assert!(matches!(
        harness::ratchet(&base, &figures(35, 190)),
        Ratchet::Regressed(_)
    ));
}

#[test]
fn the_ratchet_holds_or_asks_to_raise_the_baseline() {
    let base = figures(30, 200);
    assert_eq!(harness::ratchet(&base, &base), Ratchet::Held);
    assert!(matches!(
        harness::ratchet(&base, &figures(31, 200)),
        Ratchet::Improved(_)
    ));
}

#[test]
fn the_baseline_file_reads_back_what_it_writes() {
    let f = figures(30, 200);
    let back: Figures = toml::from_str(&harness::baseline_text(&f)).unwrap();
    assert_eq!(back, f);
}

fn expectation(http: bool, no_rollback: Option<&str>, customers: bool) -> Expectation {
    Expectation {
        title: "t".into(),
        origin: "ordinary".into(),
        source: None,
        also: vec![],
        kinds: vec!["fleet-push".into()],
        class: "irreversible".into(),
        reason: "r".into(),
        http,
        customers,
        no_rollback: no_rollback.map(String::from),
        must: vec![],
    }
}

/// A plan that fails every universal assertion: instant, only "Confirm recovery", HTTP triggers,
/// no quoted no-rollback words, no status page.
fn bad_plan() -> serde_json::Value {
    json!({
        "classification": {"level": "instant", "reasons": [{"message": "redeploy the previous version"}]},
        "triggers": {"services": [{"thresholds": [{"query": "sum(rate(http_requests_total{code=~\"5..\"}[5m]))"}],
                                   "health_check": "curl -fsS <HEALTH_URL>"}]},
        "procedure": {"steps": [{"title": "Confirm recovery", "commands": []}]},
        "communication": {"before": ["#deploys"]}
    })
}

#[test]
fn the_universal_assertions_can_fail() {
    let e = expectation(false, Some("there is no way back"), true);
    let outcomes = harness::check_plan(&e, &bad_plan(), "");
    assert_eq!(outcomes.len(), 5);
    for o in &outcomes {
        assert!(!o.passed, "{} passed on a bad plan", o.what);
    }
}

#[test]
fn the_universal_assertions_pass_on_a_plan_that_fits() {
    let e = expectation(false, Some("there is NO way   back"), true);
    let plan = json!({
        "classification": {"level": "irreversible",
                           "reasons": [{"message": "the brief says \"There is no way back\""}]},
        "triggers": {"services": [{"thresholds": [{"query": "crash reports per host"}]}]},
        "procedure": {"steps": [{"title": "Stop the push"}, {"title": "Confirm recovery"}]},
        "communication": {"during": ["Update the status page every 30 minutes"]}
    });
    for o in harness::check_plan(&e, &plan, "") {
        assert!(o.passed, "{} failed on a good plan", o.what);
    }
}

#[test]
fn a_must_have_checks_every_condition_it_sets() {
    let plan = json!({"procedure": {"steps": [{"title": "Stop the push", "commands": ["kill-switch on"]}]}});
    let must = |toml_text: &str| -> Must { toml::from_str(toml_text).unwrap() };
    let m = must("what = 'x'\nat = 'procedure.steps'\nmatches = '(?i)kill.switch'");
    assert!(harness::check_must(&m, &plan, "", "irreversible", 1));
    let m = must("what = 'x'\nat = 'procedure.steps.title'\nmatches = '(?i)kill.switch'");
    assert!(!harness::check_must(&m, &plan, "", "irreversible", 1));
    let m = must("what = 'x'\nat = 'procedure'\nabsent = 'push'");
    assert!(!harness::check_must(&m, &plan, "", "irreversible", 1));
    let m = must("what = 'x'\nmax_steps = 0");
    assert!(!harness::check_must(&m, &plan, "", "irreversible", 1));
    let m = must("what = 'x'\nclass_in = ['fast']");
    assert!(!harness::check_must(&m, &plan, "", "irreversible", 1));
    let m = must("what = 'x'\nmarkdown = 'Stop'");
    assert!(!harness::check_must(
        &m,
        &plan,
        "nothing",
        "irreversible",
        1
    ));
}
