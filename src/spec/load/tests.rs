use super::*;

const MIN: &str = "deployment:\n  name: api\n";

fn yaml_err(text: &str) -> String {
    parse_spec("r.yaml", text, InputForm::Yaml)
        .unwrap_err()
        .to_string()
}

#[test]
fn detects_form_by_extension_then_content() {
    assert_eq!(detect_form("a.yml", "{"), InputForm::Yaml);
    assert_eq!(detect_form("a.TOML", ""), InputForm::Toml);
    assert_eq!(detect_form("a.md", "deployment:"), InputForm::Brief);
    assert_eq!(detect_form("spec", " {\"x\":1}"), InputForm::Json);
    assert_eq!(detect_form("spec", "# c\ndeployment:\n"), InputForm::Yaml);
    assert_eq!(
        detect_form("spec", "[deployment]\nname='x'"),
        InputForm::Toml
    );
    assert_eq!(
        detect_form("spec", "We ship v2 on Friday"),
        InputForm::Brief
    );
}

#[test]
fn parses_all_three_forms() {
    let y = parse_spec("r.yaml", MIN, InputForm::Yaml).unwrap();
    let t = parse_spec("r.toml", "[deployment]\nname = \"api\"\n", InputForm::Toml).unwrap();
    let j = parse_spec(
        "r.json",
        r#"{"deployment":{"name":"api"}}"#,
        InputForm::Json,
    )
    .unwrap();
    assert_eq!(y.spec, t.spec);
    assert_eq!(y.spec, j.spec);
    assert_eq!(y.spec.deployment.name, "api");
}

#[test]
fn unknown_field_has_location_and_suggestion() {
    let text = "deployment:\n  name: api\n  previos_version: v1\n";
    let e = yaml_err(text);
    assert!(e.starts_with("r.yaml:3:"), "{e}");
    assert!(
        e.contains("unknown field 'previos_version' in deployment"),
        "{e}"
    );
    assert!(e.contains("help: did you mean 'previous_version'?"), "{e}");
}

#[test]
fn unknown_field_in_toml_and_json() {
    let e = parse_spec(
        "r.toml",
        "[deployment]\nname = \"a\"\nverison = \"2\"\n",
        InputForm::Toml,
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("r.toml:3:1:"), "{e}");
    assert!(e.contains("did you mean 'version'?"), "{e}");
    let e = parse_spec(
        "r.json",
        "{\"deployment\":{\"name\":\"a\",\n\"tiket\":\"x\"}}",
        InputForm::Json,
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("r.json:2:"), "{e}");
    assert!(e.contains("did you mean 'ticket'?"), "{e}");
}

#[test]
fn unknown_variant_suggests() {
    let text = "deployment:\n  name: a\n  changes:\n    - kind: migraton\n";
    let e = yaml_err(text);
    assert!(e.starts_with("r.yaml:4:"), "{e}");
    assert!(e.contains("did you mean 'migration'?"), "{e}");
}

#[test]
fn syntax_error_has_line_and_column() {
    let e = yaml_err("deployment:\n  name: [unclosed\n");
    assert!(e.starts_with("r.yaml:"), "{e}");
    assert!(e.split(':').nth(1).unwrap().parse::<u32>().is_ok(), "{e}");
}

#[test]
fn empty_and_mistyped_input_get_help() {
    let e = yaml_err(" \n");
    assert!(e.contains("the file is empty"), "{e}");
    let e = yaml_err("# nothing\n");
    assert!(e.contains("the document has no content"), "{e}");
    let e = yaml_err("deployment: 3\n");
    assert!(e.starts_with("r.yaml:1:"), "{e}");
    assert!(e.contains("wrong type"), "{e}");
    let e = read_text("no/such/file.yaml").unwrap_err().to_string();
    assert!(e.starts_with("no/such/file.yaml: does not exist"), "{e}");
}

#[test]
fn duplicate_keys_are_errors() {
    let e = yaml_err("deployment:\n  name: a\n  name: b\n");
    assert!(e.contains("duplicate"), "{e}");
}

#[test]
fn alias_bomb_is_stopped() {
    let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    y.push_str("deployment:\n  name: a\n");
    assert!(parse_spec("r.yaml", &y, InputForm::Yaml).is_err());
}

#[test]
fn deep_nesting_is_stopped() {
    let y = format!(
        "deployment:\n  name: a\nrisks: {}{}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(parse_spec("r.yaml", &y, InputForm::Yaml).is_err());
    let j = format!(
        "{{\"deployment\":{{\"name\":\"a\"}},\"risks\":{}{}}}",
        "[".repeat(500),
        "]".repeat(500)
    );
    assert!(parse_spec("r.json", &j, InputForm::Json).is_err());
}

#[test]
fn invalid_utf8_reports_line_and_column() {
    let e = decode("r.yaml", b"deployment:\n  name: a\xff\n".to_vec())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("r.yaml:2:10:"), "{e}");
}

#[test]
fn oversized_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.yaml");
    std::fs::write(&p, vec![b'#'; (MAX_INPUT_BYTES + 1) as usize]).unwrap();
    let e = read_text(p.to_str().unwrap()).unwrap_err().to_string();
    assert!(e.contains("limit"), "{e}");
}
