//! Declared risks become actions (issue 10): a Go / No-Go check per known risk, one check that
//! asks for the mitigation of each free-text risk, and the people a risk brings in, in the
//! Communication Plan. None is only an echo.

use assert_cmd::Command;
use serde_json::Value;

const HEAD: &str = "deployment:\n  name: risky\n  version: app:2\n  previous_version: app:1\n  changes:\n    - kind: code\n      id: app\n      services: [api]\narchitecture:\n  services:\n    - name: api\n      platform: kubernetes\n";

fn plan_with(extra: &str) -> Value {
    plan_of("spec.yaml", &format!("{HEAD}{extra}"))
}

/// The JSON plan of a spec or brief written to a temporary file called `name`.
fn plan_of(name: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .arg("plan")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn titles(plan: &Value) -> Vec<String> {
    plan["go_no_go"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_known_risk_is_a_go_no_go_check_citing_its_field() {
    let plan = plan_with(
        "risks:\n  - peak-traffic\n  - {kind: security-change, note: rotates the SSO signing key}\n  - peak-traffic\n",
    );
    let t = titles(&plan);
    let peak: Vec<&String> = t
        .iter()
        .filter(|t| t.contains("risk `peak-traffic`"))
        .collect();
    assert_eq!(peak.len(), 1, "one check per risk kind: {t:#?}");
    assert!(peak[0].contains("outside the traffic peak") && peak[0].ends_with("risks[0])"));
    let security = t
        .iter()
        .find(|t| t.contains("risk `security-change`"))
        .expect("security check");
    assert!(security.contains("break-glass"), "{security}");
    assert!(
        security.contains("\u{201c}rotates the SSO signing key\u{201d}"),
        "{security}"
    );
}

#[test]
fn free_text_risks_ask_for_a_mitigation_and_an_owner() {
    let plan = plan_with("risks:\n  - the vendor SDK is pinned to a beta\n");
    let t = titles(&plan);
    let free = t
        .iter()
        .find(|t| t.starts_with("Each listed risk has a mitigation and an owner"))
        .expect("free-text risk check");
    assert!(free.contains("\u{201c}the vendor SDK is pinned to a beta\u{201d} (risks[0])"));
    // Without risks, neither kind of check is written.
    let none = titles(&plan_with(""));
    assert!(!none.iter().any(|t| t.contains("risk")), "{none:#?}");
}

#[test]
fn a_schema_risk_without_a_declared_migration_says_the_plan_does_not_cover_it() {
    let plan = plan_with("risks:\n  - schema-migration\n");
    assert!(
        titles(&plan)
            .iter()
            .any(|t| t.contains("The schema change this risk names is declared")),
        "{:#?}",
        titles(&plan)
    );
}

#[test]
fn risks_that_bring_people_in_put_them_in_the_communication_plan() {
    let plan = plan_with(
        "risks:\n  - third-party-dependency\n  - cross-team-dependency\n  - compliance\n",
    );
    let during = strings(&plan["communication"]["during"]).join("\n");
    assert!(
        during.contains("Third party (<THIRD_PARTY_CONTACT>)"),
        "{during}"
    );
    assert!(during.contains("rolling back will not fix it"), "{during}");
    assert!(
        during.contains("The other team (<OTHER_TEAM_ONCALL>)"),
        "{during}"
    );
    assert!(during.contains("Compliance owner"), "{during}");
    let before = strings(&plan["communication"]["before"]).join("\n");
    assert!(
        before.contains("The other team (<OTHER_TEAM_ONCALL>)"),
        "{before}"
    );
    let names: Vec<String> = plan["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["token"].as_str().unwrap().to_string())
        .collect();
    assert!(
        names.contains(&"<THIRD_PARTY_CONTACT>".to_string()),
        "{names:?}"
    );
}

#[test]
fn a_risk_bullet_of_a_brief_explains_its_known_risk_once() {
    let plan = plan_of(
        "brief.md",
        "Deployment: ship api 2.4.0 (from 2.3.9) to the orders service on Kubernetes.\n\nRisk factors:\n- Peak traffic: the sale starts on Friday.\n- Rollback decision: @ana (orders on-call) decides.\n- The retry loop was hand-tuned.\n",
    );
    let t = titles(&plan);
    let peak = t
        .iter()
        .find(|t| t.contains("risk `peak-traffic`"))
        .expect("peak");
    assert!(
        peak.contains("\u{201c}Peak traffic: the sale starts on Friday.\u{201d}"),
        "{peak}"
    );
    let free = t
        .iter()
        .find(|t| t.starts_with("Each listed risk"))
        .expect("free-text check");
    assert!(free.contains("The retry loop was hand-tuned."), "{free}");
    // The peak bullet is not listed again, and the decision-maker bullet is not a risk.
    assert!(
        !free.contains("Peak traffic") && !free.contains("@ana"),
        "{free}"
    );
}

#[test]
fn a_freeze_the_brief_dates_is_checked_against_the_start() {
    let brief = |start: &str| {
        plan_of(
            "b.md",
            &format!("Deployment: ship billing-api 4.2.0 (from 4.1.3) on Kubernetes, {start} at 10:00 Europe/Berlin. It drops the column invoices.legacy_ref.\nThe change freeze runs from 2026-12-18 to 2027-01-04.\n"),
        )["go_no_go"]["window"]
            .clone()
    };
    // Two days before: allowed, with the warning that the bake must end before the freeze.
    let before = brief("2026-12-16");
    assert_eq!(before["verdict"], "ok");
    let detail = before["detail"].as_str().unwrap();
    assert!(
        detail.contains("The freeze 2026-12-18..2027-01-04 (from the brief) starts 2 days later"),
        "{detail}"
    );
    // Inside it, a deploy that is not instant or fast is blocked.
    let inside = brief("2026-12-21");
    assert_eq!(inside["verdict"], "blocked", "{inside}");
    assert!(
        inside["detail"]
            .as_str()
            .unwrap()
            .contains("freeze 2026-12-18..2027-01-04")
    );
    // Long before it, nothing is said about it.
    let far = brief("2026-11-02");
    assert!(!far["detail"].as_str().unwrap().contains("freeze"), "{far}");
}

#[test]
fn a_weekday_start_is_checked_by_weekday_and_hour_and_says_the_date_is_missing() {
    let plan = plan_of(
        "b.md",
        "Deployment: ship billing-api 4.2.0 (from 4.1.3) on Kubernetes, Friday 17:30 PT. It drops the column invoices.legacy_ref.\nThe change freeze runs from 2026-12-18 to 2027-01-04.\n",
    );
    let w = &plan["go_no_go"]["window"];
    assert_eq!(w["verdict"], "blocked", "{w}");
    let detail = w["detail"].as_str().unwrap();
    assert!(
        detail.contains("Friday 17:30 America/Los_Angeles (no date) falls in Friday afternoon"),
        "{detail}"
    );
    assert!(
        detail.contains("The start has no date: check it against the holidays and freezes"),
        "{detail}"
    );
}
