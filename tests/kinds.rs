//! Every change kind in the registry is complete: a schema entry, a valid fixture, a fixture
//! with a field of another kind that fails at that field's line and column, and mechanisms that
//! each run in a phase of the procedure; and a recogniser with its brief fixtures.

use rollbook::model::ChangeKind;
use rollbook::model::kinds::KINDS;
use rollbook::spec::InputForm;
use rollbook::spec::load::parse_spec;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> (String, String) {
    let path = format!("tests/fixtures/kinds/{name}");
    let text = std::fs::read_to_string(Path::new(ROOT).join(&path))
        .unwrap_or_else(|e| panic!("{path}: {e} (every kind needs its fixtures)"));
    (path, text)
}

#[test]
fn every_kind_has_a_schema_entry() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("schema/spec.schema.json")).unwrap(),
    )
    .unwrap();
    let variants = schema["$defs"]["Change"]["oneOf"]
        .as_array()
        .expect("Change is a oneOf per kind");
    for k in ChangeKind::all() {
        let entry = variants
            .iter()
            .find(|v| v["properties"]["kind"]["const"] == k.as_str())
            .unwrap_or_else(|| panic!("no schema entry for {}", k.as_str()));
        // Editors complete exactly the fields of the kind, and nothing else.
        assert_eq!(entry["additionalProperties"], false, "{}", k.as_str());
        let mut props: Vec<&str> = entry["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|p| *p != "kind")
            .collect();
        let mut fields = k.fields().to_vec();
        props.sort_unstable();
        fields.sort_unstable();
        assert_eq!(props, fields, "{}", k.as_str());
    }
}

#[test]
fn every_kind_has_a_valid_fixture() {
    for k in ChangeKind::all() {
        let (path, text) = fixture(&format!("{}.yaml", k.as_str()));
        let input = parse_spec(&path, &text, InputForm::Yaml)
            .unwrap_or_else(|e| panic!("{path} must load: {e}"));
        assert!(
            input.spec.deployment.changes.iter().any(|c| c.kind() == k),
            "{path} has no {} change",
            k.as_str()
        );
    }
}

#[test]
fn a_field_of_another_kind_fails_where_it_is_written() {
    for k in ChangeKind::all() {
        let (path, text) = fixture(&format!("{}.foreign.yaml", k.as_str()));
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{path}: first line must be `# expect: L:C: message`"));
        let (at, message) = expect.split_at(expect.find(": ").unwrap());
        let e = parse_spec(&path, &text, InputForm::Yaml)
            .expect_err(&path)
            .to_string();
        assert!(e.starts_with(&format!("{path}:{at}:")), "{path}: {e}");
        assert!(e.contains(&message[2..]), "{path}: {e}");
        assert!(
            e.contains("belongs to") && e.contains("remove it or change `kind`"),
            "{path}: the hint names the kinds that take the field: {e}"
        );
    }
}

#[test]
fn every_kind_declares_mechanisms_in_a_phase() {
    assert_eq!(KINDS.len(), ChangeKind::all().count());
    for d in KINDS {
        assert!(!d.mechanisms.is_empty(), "{} declares no mechanism", d.name);
        for m in d.mechanisms {
            assert!(
                m.id.phase().is_some(),
                "{:?} of {} runs in no phase",
                m.id,
                d.name
            );
            assert!(!m.reverses.is_empty() && !m.does_not_reverse.is_empty());
        }
        assert!(!d.signals.is_empty() && !d.prevention.is_empty() && !d.audience.is_empty());
    }
}

/// The same foreign field is located in TOML and JSON too, where the parsers report the start
/// of the array (TOML) or the end of the change (JSON).
#[test]
fn foreign_fields_are_located_in_toml_and_json() {
    let toml = "[deployment]\nname = \"a\"\n[[deployment.changes]]\nkind = \"code\"\n[[deployment.changes]]\nkind = \"config\"\nid = \"c\"\nsql = \"x\"\n";
    let e = parse_spec("r.toml", toml, InputForm::Toml)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("r.toml:8:1:"), "{e}");
    assert!(e.contains("'sql' is not a field of a config change"), "{e}");
    let json = "{\"deployment\": {\"name\": \"a\", \"changes\": [\n  {\"kind\": \"code\"},\n  {\"kind\": \"config\",\n   \"sql\": \"x\"}\n]}}";
    let e = parse_spec("r.json", json, InputForm::Json)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("r.json:4:5:"), "{e}");
    assert!(e.contains("migration / data_operation"), "{e}");
    let flow = "deployment:\n  name: a\n  changes:\n    - {kind: code, id: x}\n    - {kind: dependency, table: t}\n";
    let e = parse_spec("r.yaml", flow, InputForm::Yaml)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("r.yaml:5:26:"), "{e}");
}

/// Every kind declares how a brief reveals it, and proves it with a brief that fires and one that
/// does not (the brief reader's tests run both).
#[test]
fn every_kind_has_a_recogniser_and_its_brief_fixtures() {
    for d in KINDS {
        let r = d.kind.recogniser();
        assert_eq!(
            r.kind, d.name,
            "the recogniser of {} names its kind",
            d.name
        );
        assert!(!r.triggers.is_empty(), "{} has no trigger", d.name);
        let mut names: Vec<&str> = r.triggers.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            r.triggers.len(),
            "{}: trigger names are unique (the reader takes them by name)",
            d.name
        );
        for t in r.triggers {
            assert!(
                !t.name.is_empty() && !t.found.regex.is_empty(),
                "{}",
                d.name
            );
            regex::Regex::new(t.found.regex)
                .unwrap_or_else(|e| panic!("{} trigger {}: {e}", d.name, t.name));
            if let Some(also) = &t.also {
                regex::Regex::new(also.regex)
                    .unwrap_or_else(|e| panic!("{} trigger {}: {e}", d.name, t.name));
            }
        }
        assert!(!r.negations.is_empty(), "{} has no negation", d.name);
        for case in ["fire", "ok"] {
            let path = format!("tests/fixtures/briefs/kinds/{}/{case}.md", d.name);
            let text = std::fs::read_to_string(Path::new(ROOT).join(&path))
                .unwrap_or_else(|e| panic!("{path}: {e} (every kind needs its brief fixtures)"));
            assert!(!text.trim().is_empty(), "{path} is empty");
        }
    }
}
