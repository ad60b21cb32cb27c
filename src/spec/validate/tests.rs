use crate::spec::InputForm;
use crate::spec::load::parse_spec;

fn err(text: &str) -> String {
    parse_spec("r.yaml", text, InputForm::Yaml)
        .unwrap_err()
        .to_string()
}

const ARCH: &str = "architecture:\n  services:\n    - name: checkout\n  data_stores:\n    - name: orders-db\n      engine: postgres\n";

#[test]
fn empty_name_is_rejected() {
    assert!(err("deployment:\n  name: ' '\n").contains("deployment.name is empty"));
}

#[test]
fn unknown_service_reference_suggests_and_locates() {
    let t = format!(
        "{ARCH}deployment:\n  name: a\n  changes:\n    - kind: code\n      services: [chekout]\n"
    );
    let e = err(&t);
    assert!(e.starts_with("r.yaml:11:18:"), "{e}");
    assert!(e.contains("unknown service 'chekout'"), "{e}");
    assert!(e.contains("did you mean 'checkout'?"), "{e}");
}

#[test]
fn unknown_store_reference() {
    let t = format!(
        "{ARCH}deployment:\n  name: a\n  changes:\n    - kind: migration\n      database: order-db\n"
    );
    let e = err(&t);
    assert!(e.contains("unknown data store 'order-db'"), "{e}");
    assert!(e.contains("did you mean 'orders-db'?"), "{e}");
}

#[test]
fn kind_specific_field_on_wrong_kind() {
    let t = "deployment:\n  name: a\n  changes:\n    - kind: config\n      sql: DROP TABLE x\n";
    let e = err(t);
    assert!(e.starts_with("r.yaml:5:"), "{e}");
    assert!(e.contains("'sql' is not a field of a config change"), "{e}");
    assert!(e.contains("migration / data_operation"), "{e}");
}

#[test]
fn change_errors_point_into_their_change() {
    let t = "deployment:\n  name: a\n  changes:\n    - kind: migration\n      sql: SELECT 1\n    - kind: config\n      sql: SELECT 2\n";
    assert!(err(t).starts_with("r.yaml:7:7:"), "{}", err(t));
    let toml = "[deployment]\nname = \"a\"\n[[deployment.changes]]\nkind = \"data_operation\"\nsql = \"x\"\n[[deployment.changes]]\nkind = \"code\"\nsql = \"y\"\n";
    let e = parse_spec("r.toml", toml, InputForm::Toml)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("r.toml:8:1:"), "{e}");
}

#[test]
fn feature_flag_needs_flag() {
    let e = err("deployment:\n  name: a\n  changes:\n    - kind: feature_flag\n");
    assert!(e.contains("has no `flag`"), "{e}");
}

#[test]
fn control_characters_are_rejected_with_field_path() {
    let e = err("deployment:\n  name: a\n  ticket: \"x\\u202Ey\"\n");
    assert!(e.contains("deployment.ticket"), "{e}");
    assert!(e.contains("U+202E"), "{e}");
    assert!(e.starts_with("r.yaml:3:"), "{e}");
    // Newlines are fine in SQL, not in names.
    let ok = "deployment:\n  name: a\n  changes:\n    - kind: data_operation\n      sql: |\n        UPDATE t\n        SET x = 1;\n";
    assert!(parse_spec("r.yaml", ok, InputForm::Yaml).is_ok());
    assert!(err("deployment:\n  name: \"a\\nb\"\n").contains("U+000A"));
}

#[test]
fn duplicates_are_rejected() {
    let t = "architecture:\n  services:\n    - name: a\n    - name: a\ndeployment:\n  name: x\n";
    assert!(err(t).contains("duplicate service 'a'"));
    let t = "deployment:\n  name: x\n  changes:\n    - {kind: code, id: c1}\n    - {kind: code, id: c1}\n";
    assert!(err(t).contains("duplicate change id 'c1'"));
}

#[test]
fn dates_and_times() {
    let base = "deployment:\n  name: x\n";
    assert!(err(&format!("{base}policy:\n  holidays: ['2026-13-01']\n")).contains("is not a date"));
    assert!(err(&format!("{base}policy:\n  holidays: ['2026-1-01']\n")).contains("is not a date"));
    assert!(
        err(&format!(
            "{base}policy:\n  blocked_windows:\n    - days: [friday]\n      from: '25:00'\n"
        ))
        .contains("not a time of day")
    );
    assert!(
        err("deployment:\n  name: x\n  planned_start: tomorrow\n").contains("not a valid time")
    );
    assert!(err("deployment:\n  name: x\n  timezone: Mars/Base\n").contains("IANA"));
    let good = "deployment:\n  name: x\n  planned_start: '2026-12-01T14:00:00+01:00[Europe/Berlin]'\npolicy:\n  holidays: ['2026-12-24']\n  blocked_windows:\n    - days: [friday]\n      from: '12:00'\n      to: '24:00'\n";
    assert!(parse_spec("r.yaml", good, InputForm::Yaml).is_ok());
    let rfc3339 = "deployment:\n  name: x\n  planned_start: '2026-12-01T14:00:00+01:00'\n  timezone: Europe/Berlin\n";
    assert!(parse_spec("r.yaml", rfc3339, InputForm::Yaml).is_ok());
    assert!(
        err(&format!(
            "{base}policy:\n  freezes:\n    - {{from: '2026-12-20', to: '2026-12-01'}}\n"
        ))
        .contains("ends")
    );
}

#[test]
fn ranges() {
    let t = "deployment:\n  name: x\n  changes:\n    - kind: feature_flag\n      flag: {key: f, rollout: [1, 150]}\n";
    assert!(err(t).contains("rollout[1] is 150"));
    let t = "architecture:\n  services:\n    - name: a\n      slo: {availability: 100}\ndeployment:\n  name: x\n";
    assert!(err(t).contains("availability target"));
}
