//! Whole plans of every shipped example: snapshots of Markdown and JSON, and the invariants every
//! plan keeps whatever its input.

use rollbook::plan::{self, Options, model::SECTION_TITLES};
use rollbook::render;
use rollbook::spec::load::load;
use std::path::Path;

fn examples() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("examples")
        .expect("examples/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "toml" | "json" | "md" | "txt")
            )
        })
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out
}

fn build(path: &str) -> rollbook::plan::model::Plan {
    let input = load(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    plan::build(&input, &Options::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn stem(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "_")
}

#[test]
fn there_are_at_least_six_examples() {
    assert!(examples().len() >= 6, "{:?}", examples());
}

#[test]
fn every_example_plan_matches_its_snapshots() {
    for path in examples() {
        let plan = build(&path);
        let md = render::markdown::render(&plan);
        let json = render::json::render(&plan);
        insta::assert_snapshot!(format!("{}_md", stem(&path)), md);
        insta::assert_snapshot!(format!("{}_json", stem(&path)), json);
    }
}

#[test]
fn every_plan_has_exactly_the_seven_sections_in_order() {
    for path in examples() {
        let plan = build(&path);
        let md = render::markdown::render(&plan);
        let headings: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("## "))
            .map(|l| &l[3..])
            .collect();
        let titles: Vec<&str> = SECTION_TITLES.iter().map(|(_, t)| *t).collect();
        assert_eq!(headings, titles, "{path}");
        let json: serde_json::Value = serde_json::from_str(&render::json::render(&plan)).unwrap();
        let json_titles: Vec<&str> = json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect();
        assert_eq!(json_titles, titles, "{path}");
    }
}

#[test]
fn every_placeholder_in_the_text_is_listed_and_every_listed_one_is_used() {
    let token = regex::Regex::new(r"<[A-Z][A-Z0-9_]*>").unwrap();
    for path in examples() {
        let plan = build(&path);
        let md = render::markdown::render(&plan);
        let listed: Vec<&str> = plan.placeholders.iter().map(|p| p.token.as_str()).collect();
        for m in token.find_iter(&md) {
            assert!(
                listed.contains(&m.as_str()),
                "{path}: {} is not listed",
                m.as_str()
            );
        }
        for t in &listed {
            assert!(
                md.matches(t).count() >= 2,
                "{path}: {t} is listed but not used in the plan body"
            );
        }
    }
}

/// Every example keeps the plan invariants (rollbook::plan::invariants): cross-references resolve,
/// recorded values are used, the class agrees with the evidence and the estimate, and so on.
#[test]
fn every_example_plan_keeps_the_invariants() {
    for path in examples() {
        let input = load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let plan = plan::build(&input, &Options::default()).unwrap();
        let broken = plan::invariants::check(&plan, &input.spec);
        assert!(
            broken.is_empty(),
            "{path}:\n{}",
            broken
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn plans_are_byte_identical_across_runs() {
    for path in examples() {
        let a = render::json::render(&build(&path));
        let b = render::json::render(&build(&path));
        assert_eq!(a, b, "{path}");
    }
}

#[test]
fn every_reason_names_a_registered_rule_and_its_evidence() {
    for path in examples() {
        let plan = build(&path);
        for r in &plan.classification.reasons {
            assert!(
                rollbook::assess::find_rule(&r.rule).is_some(),
                "{path}: unknown rule {}",
                r.rule
            );
            assert!(!r.evidence.file.is_empty(), "{path}");
        }
    }
}

/// Sensitive values in a plan JSON and secret values of a config diff never reach the plan.
#[test]
fn secrets_of_plans_and_config_files_never_reach_the_plan() {
    let plan = build("examples/terraform-rds-replace.yaml");
    let md = render::markdown::render(&plan);
    let json = render::json::render(&plan);
    // The RDS password (marked sensitive in the plan JSON) and the two DB_PASSWORD values.
    for secret in [
        "Xk9-orders-db-Pw-2025q3",
        "Vq2-orders-db-Pw-2026q4",
        "Pw-20",
    ] {
        assert!(!md.contains(secret), "{secret} in the Markdown");
        assert!(!json.contains(secret), "{secret} in the JSON");
    }
    let raw = std::fs::read_to_string("examples/plans/orders-db-encryption.json").unwrap();
    assert!(
        raw.contains("Xk9-orders-db-Pw-2025q3"),
        "the example must hold the value it proves hidden"
    );
    // The readers' findings are there: the replaced instance and the secret key, by name.
    assert!(md.contains("RB301") && md.contains("aws_db_instance.orders"));
    assert!(md.contains("`DB_PASSWORD` is a secret"));
}

#[test]
fn a_brief_whose_target_is_unknown_gets_no_http_signal_or_check() {
    // Nothing in it names a service, a protocol or a kind of change rollbook knows.
    let d = tempfile::tempdir().unwrap();
    let brief = d.path().join("maintenance.md");
    std::fs::write(
        &brief,
        "Routine maintenance of the badge readers in building 4 tonight at 22:00 UTC.\n",
    )
    .unwrap();
    let p = build(brief.to_str().unwrap());
    let md = render::markdown::render(&p);
    assert!(!md.contains("curl"), "{md}");
    assert!(!md.contains("5xx"), "{md}");
    assert!(md.contains("<HEALTH_SIGNAL_QUERY>"), "{md}");
    assert!(md.contains("<STAGING_SMOKE_TEST>"), "{md}");
}

#[test]
fn a_queue_consumer_is_verified_in_its_own_signals_not_http() {
    let d = tempfile::tempdir().unwrap();
    let spec = d.path().join("rollbook.yaml");
    std::fs::write(
        &spec,
        "deployment:\n  name: invoices\n  version: worker:2\n  previous_version: worker:1\n  changes:\n    - kind: code\n      services: [invoice-worker]\narchitecture:\n  services:\n    - name: invoice-worker\n      platform: kubernetes\n      namespace: billing\n      serves: queue-consumer\n  observability:\n    metrics: prometheus\n",
    )
    .unwrap();
    let p = build(spec.to_str().unwrap());
    let confirm = p
        .procedure
        .steps
        .iter()
        .find(|s| s.title == "Confirm recovery")
        .expect("a final verification step");
    let text = format!("{confirm:?}");
    assert!(
        !text.contains("5xx") && !text.contains("error ratio and p99"),
        "{text}"
    );
}
