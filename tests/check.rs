//! `rollbook check`: exit codes, each policy rule failing and passing, ignore comments, output
//! formats.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn rollbook() -> Command {
    Command::cargo_bin("rollbook").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// A code-only deploy on a Tuesday morning with everything filled.
const CODE_ONLY: &str = r##"deployment:
  name: api-1.2.0
  version: 1.2.0
  previous_version: 1.1.0
  planned_start: "2026-12-01T10:00:00+01:00[Europe/Berlin]"
  ticket: https://tracker.example.com/CHG-1
  changes:
    - kind: code
      services: [api]
architecture:
  services:
    - name: api
      platform: kubernetes
      namespace: web
      strategy: rolling
      health_endpoint: https://api.example.com/healthz
  observability:
    metrics: prometheus
    dashboards: [https://grafana.example.com/d/api]
people:
  decision_maker: "@lee"
  approvers: ["@sam"]
  notify: ["@team"]
  channels:
    deploy: "#deploys"
    incident: "#inc"
"##;

/// A destructive migration (DROP TABLE) on a backed-up store.
fn destructive(extra_deployment: &str, backup: &str, policy: &str) -> String {
    format!(
        r##"deployment:
  name: drop-legacy
  version: 2.0.0
  previous_version: 1.9.0
  ticket: https://tracker.example.com/CHG-2
{extra_deployment}  changes:
    - kind: migration
      id: drop-legacy
      path: up.sql
      down_path: down.sql
      tool: golang-migrate
      database: db
architecture:
  data_stores:
    - name: db
      engine: postgres
      version: "16"
      backup:
        method: pitr
        location: s3://backups/db
{backup}people:
  decision_maker: "@lee"
  approvers: ["@sam"]
  channels:
    deploy: "#deploys"
policy:
  require_filled_placeholders: false
{policy}"##
    )
}

const UP: &str = "-- legacy is unread since 1.5\nDROP TABLE legacy;\n";
const DOWN: &str = "CREATE TABLE legacy (id bigint primary key);\n";
const ACK: &str = "  acknowledgement:\n    by: \"@noor\"\n    mitigation: restore drill done; copy-back script rehearsed\n";
const FRESH: &str =
    "        last_backup: \"2026-11-30\"\n        last_tested_restore: \"2026-11-28\"\n";
const TUESDAY: &str = "2026-12-01T10:00:00+01:00[Europe/Berlin]";
const FRIDAY: &str = "2026-12-04T16:00:00+01:00[Europe/Berlin]";

fn json(args: &[&str]) -> (i32, Value) {
    let out = rollbook()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, v)
}

fn rules_of(v: &Value) -> Vec<String> {
    v["specs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f.get("accepted").is_none())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn setup(spec: &str, up: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "up.sql", up);
    write(dir.path(), "down.sql", DOWN);
    let f = write(dir.path(), "rollbook.yaml", spec);
    (dir, f)
}

#[test]
fn exit_0_on_pass_1_on_violation_2_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "rollbook.yaml", CODE_ONLY);
    let (code, v) = json(&[&f]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["status"], "pass");
    rollbook()
        .args(["check", "examples/destructive-migration-emails.yaml"])
        .assert()
        .code(1);
    rollbook().args(["check", "nope.yaml"]).assert().code(2);
    rollbook()
        .args(["check", &f, "--at", "tomorrow"])
        .assert()
        .code(2);
    let bad = write(
        dir.path(),
        "bad.yaml",
        &format!("{CODE_ONLY}policy:\n  rules:\n    RB999: off\n"),
    );
    rollbook().args(["check", &bad]).assert().code(2);
}

#[test]
fn irreversible_needs_acknowledgement() {
    let (_d, f) = setup(&destructive("", FRESH, ""), UP);
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert_eq!(code, 1);
    assert!(rules_of(&v).contains(&"RB901".to_string()), "{v:#}");
    let (_d, f) = setup(&destructive(ACK, FRESH, ""), UP);
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert!(!rules_of(&v).contains(&"RB901".to_string()), "{v:#}");
    // The acknowledgement turns the irreversible findings into warnings.
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn blocked_window_refuses_complex_deploys() {
    let (_d, f) = setup(&destructive(ACK, FRESH, ""), UP);
    let (code, v) = json(&[&f, "--at", FRIDAY]);
    assert_eq!(code, 1);
    assert!(rules_of(&v).contains(&"RB902".to_string()), "{v:#}");
    let (_, v) = json(&[&f, "--at", TUESDAY]);
    assert!(!rules_of(&v).contains(&"RB902".to_string()));
    // No start at all: said to be unjudged, not guessed from the clock.
    let (_, v) = json(&[&f]);
    assert!(rules_of(&v).contains(&"RB907".to_string()), "{v:#}");
    // A code-only deploy is not blocked on a Friday afternoon.
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "rollbook.yaml", CODE_ONLY);
    assert_eq!(json(&[&c, "--at", FRIDAY]).0, 0);
}

#[test]
fn data_loss_needs_a_recently_verified_backup() {
    let old = "        last_backup: \"2026-11-30\"\n        last_tested_restore: \"2026-10-01\"\n";
    let (_d, f) = setup(&destructive(ACK, old, ""), UP);
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert_eq!(code, 1);
    assert!(rules_of(&v).contains(&"RB903".to_string()), "{v:#}");
    // A policy allowing 90 days passes it.
    let (_d, f) = setup(&destructive(ACK, old, "  backup_max_age_days: 90\n"), UP);
    let (_, v) = json(&[&f, "--at", TUESDAY]);
    assert!(!rules_of(&v).contains(&"RB903".to_string()), "{v:#}");
    // Never restored: a violation whatever the date.
    let (_d, f) = setup(&destructive(ACK, "", ""), UP);
    let (_, v) = json(&[&f, "--at", TUESDAY]);
    assert!(rules_of(&v).contains(&"RB903".to_string()), "{v:#}");
}

#[test]
fn placeholders_must_be_filled_unless_the_policy_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let no_ticket = CODE_ONLY.replace("  ticket: https://tracker.example.com/CHG-1\n", "");
    let f = write(dir.path(), "rollbook.yaml", &no_ticket);
    let (code, v) = json(&[&f]);
    assert_eq!(code, 1, "{v:#}");
    assert!(rules_of(&v).contains(&"RB904".to_string()));
    let g = write(
        dir.path(),
        "off.yaml",
        &format!("{no_ticket}policy:\n  require_filled_placeholders: false\n"),
    );
    assert_eq!(json(&[&g]).0, 0);
}

#[test]
fn rule_levels_come_from_rollbook_toml_and_the_spec_wins() {
    let (d, f) = setup(&destructive(ACK, FRESH, ""), UP);
    write(
        d.path(),
        "rollbook.toml",
        "[policy]\n[policy.rules]\nRB101 = \"error\"\n",
    );
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert_eq!(code, 1, "{v:#}");
    assert!(rules_of(&v).contains(&"RB101".to_string()));
    let (_d2, f2) = setup(
        &destructive(ACK, FRESH, "  rules:\n    RB101: \"off\"\n"),
        UP,
    );
    write(
        _d2.path(),
        "rollbook.toml",
        "[policy]\n[policy.rules]\nRB101 = \"error\"\n",
    );
    let (code, v) = json(&[&f2, "--at", TUESDAY]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!rules_of(&v).contains(&"RB101".to_string()));
}

#[test]
fn ignore_comments_accept_with_a_reason_only() {
    let strict = "  rules:\n    RB101: error\n";
    let with = "-- rollbook-ignore RB101: legacy is unread since 1.5, backup verified\nDROP TABLE legacy;\n";
    let (_d, f) = setup(&destructive(ACK, FRESH, strict), with);
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert_eq!(code, 0, "{v:#}");
    let accepted: Vec<&Value> = v["specs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("accepted").is_some())
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["rule"], "RB101");

    let without = "DROP TABLE legacy; -- rollbook-ignore RB101\n";
    let (_d, f) = setup(&destructive(ACK, FRESH, strict), without);
    let (code, v) = json(&[&f, "--at", TUESDAY]);
    assert_eq!(code, 1);
    let r = rules_of(&v);
    assert!(
        r.contains(&"RB905".to_string()) && r.contains(&"RB101".to_string()),
        "{r:?}"
    );

    let unused = "-- rollbook-ignore RB108: nothing renamed here\nDROP TABLE legacy;\n";
    let (_d, f) = setup(&destructive(ACK, FRESH, ""), unused);
    let (_, v) = json(&[&f, "--at", TUESDAY]);
    assert!(rules_of(&v).contains(&"RB906".to_string()));
}

#[test]
fn human_output_shows_the_source_line() {
    let (_d, f) = setup(&destructive("", FRESH, ""), UP);
    let out = rollbook()
        .args(["check", &f, "--at", TUESDAY])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("error[RB101]"), "{s}");
    assert!(s.contains("2 | DROP TABLE legacy;"), "{s}");
    assert!(s.contains("rollbook check: FAIL"), "{s}");
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a,b:c%");
    std::fs::create_dir(&sub).unwrap();
    write(&sub, "up.sql", UP);
    write(&sub, "down.sql", DOWN);
    let f = write(&sub, "rollbook.yaml", &destructive("", FRESH, ""));
    let out = rollbook()
        .args(["check", &f, "--at", TUESDAY, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    let line = s
        .lines()
        .find(|l| l.starts_with("::error ") && l.contains("title=RB101 "))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(
        line.contains(
            "a%2Cb%3Ac%25/up.sql,line=2,endLine=2,col=1,endColumn=19,title=RB101 drop-table::"
        ),
        "{line}"
    );
    assert!(!s.contains("a,b:c"), "{s}");
}

#[test]
fn sarif_is_2_1_0_with_rules_and_stable_fingerprints() {
    let (_d, f) = setup(&destructive("", FRESH, ""), UP);
    let run = || {
        rollbook()
            .args(["check", &f, "--at", TUESDAY, "--format", "sarif"])
            .output()
            .unwrap()
    };
    let (a, b) = (run(), run());
    assert_eq!(a.stdout, b.stdout, "deterministic");
    assert_eq!(a.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "rollbook");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "RB901"));
    assert!(
        rules
            .iter()
            .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()))
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
        assert_eq!(
            r["partialFingerprints"]["rollbook/v1"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
    }
}

#[test]
fn git_range_is_validated_before_git_runs() {
    rollbook()
        .args(["check", "--git", "--output=/tmp/x..HEAD"])
        .assert()
        .code(2);
    rollbook().args(["check", "--git", "HEAD"]).assert().code(2);
}
