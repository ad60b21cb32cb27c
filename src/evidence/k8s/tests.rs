use super::*;
use crate::model::Service;
use serde_json::Value;

fn parse(text: &str) -> Vec<K8sObject> {
    parse_file("m.yaml", text).unwrap()
}

#[test]
fn multi_doc_with_kind_lines() {
    let text = "# leading comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\napiVersion: apps/v1\nmetadata:\n  name: b\n  namespace: shop\nkind: Deployment\nspec:\n  replicas: 3\n";
    let o = parse(text);
    assert_eq!(o.len(), 2);
    assert_eq!(
        (o[0].kind.as_str(), o[0].evidence.line),
        ("Service", Some(3))
    );
    assert_eq!(o[1].name, "b");
    assert_eq!(o[1].namespace.as_deref(), Some("shop"));
    assert_eq!(o[1].evidence.line, Some(12));
    assert_eq!(o[1].line_of("replicas", None).map(|k| k.line), Some(14));
    assert_eq!(o[1].get("/spec/replicas").and_then(Value::as_u64), Some(3));
}

#[test]
fn marker_edge_cases() {
    // `--- ` with a comment, a `...` end marker, trailing junk after it, CRLF lines, and a
    // `----` line inside a block scalar that is not a marker.
    let text = "--- # first\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  f: |\r\n    ----\r\n...\r\n# after end\r\n--- \r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: n\r\n";
    let o = parse(text);
    assert_eq!(o.len(), 2);
    assert_eq!(o[0].evidence.line, Some(3));
    assert_eq!(o[0].data_keys, vec!["f".to_string()]);
    assert_eq!(o[1].kind, "Namespace");
    assert_eq!(o[1].evidence.line, Some(13));
}

#[test]
fn error_has_file_line_and_column_of_the_document() {
    let text =
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [oops\n";
    let e = parse_file("m.yaml", text).unwrap_err().to_string();
    assert!(e.starts_with("m.yaml:"), "{e}");
    let line: u32 = e.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line >= 6, "{e}");
}

#[test]
fn secrets_keep_keys_only() {
    let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMg==\"}}'\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: s3cr3t-value\n";
    let o = parse(text);
    assert_eq!(
        o[0].data_keys,
        vec!["password".to_string(), "token".to_string()]
    );
    let everything = format!("{:?}", o[0]);
    assert!(!everything.contains("aHVudGVyMg"), "{everything}");
    assert!(!everything.contains("s3cr3t"), "{everything}");
}

#[test]
fn list_kind_gives_items() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n";
    let o = parse(text);
    assert_eq!(
        o.iter().map(|o| o.label()).collect::<Vec<_>>(),
        ["Service/a", "Deployment/b"]
    );
}

#[test]
fn documents_without_kind_are_skipped() {
    assert!(parse("replicaCount: 2\nimage:\n  tag: latest\n").is_empty());
    assert!(parse("").is_empty());
    assert!(parse("---\n# only a comment\n---\n").is_empty());
}

#[test]
fn template_detection() {
    assert!(is_template(
        "metadata:\n  name: {{ include \"x.fullname\" . }}\n"
    ));
    assert!(is_template("replicas: {{ .Values.replicas }}\n"));
    assert!(is_template("{{- if .Values.x }}\n"));
    // Argo analysis args and Prometheus labels appear in rendered YAML.
    assert!(!is_template(
        "query: rate(x{service=\"{{args.service-name}}\"}[5m])\n"
    ));
    assert!(!is_template("summary: \"{{ $labels.instance }} down\"\n"));
    assert!(!is_template(
        "title: \"Rollout {{.rollout.metadata.name}} is healthy\"\n"
    ));
    assert!(is_template("image: \"{{ .Values.image.repository }}\"\n"));
}

#[test]
fn template_files_are_skipped_with_an_artifact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/deploy.yaml"),
        "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("svc.yml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not yaml: [").unwrap();
    let (objects, artifacts) = read_files(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(objects.len(), 1);
    let kinds: Vec<&str> = artifacts.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds, [KIND_MANIFEST, KIND_TEMPLATE]);
}

#[test]
fn scan_reports_a_broken_file_and_reads_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "kind: [\n").unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
    )
    .unwrap();
    let (objects, artifacts) = read_files(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(objects.len(), 1);
    assert!(
        artifacts[0]
            .kind
            .starts_with("kubernetes-manifest (not read:"),
        "{:?}",
        artifacts
    );
}

#[test]
fn alias_bomb_is_refused_by_the_budget() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    // Refused by the alias budget, not by expanding 10^12 nodes: the error says so. Speed
    // is shown by benchmarks, never asserted here.
    let e = parse_file("bomb.yaml", &text).unwrap_err().to_string();
    assert!(e.contains("alias") || e.contains("budget"), "{e}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!(
        "apiVersion: v1\nkind: X\nmetadata: {{name: x}}\nd: {}{}\n",
        "[".repeat(500),
        "]".repeat(500)
    );
    assert!(parse_file("deep.yaml", &text).is_err());
}

#[test]
fn oversized_text_is_refused() {
    let text = "#".repeat(MAX_FILE_BYTES as usize + 1);
    assert!(parse_file("big.yaml", &text).is_err());
}

#[test]
fn globs_and_missing_paths() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["a.yaml", "b.yml", "c.json"] {
        std::fs::write(dir.path().join(n), "").unwrap();
    }
    let found = resolve(dir.path(), "*.y*ml").unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.yaml", "b.yml"]);
    assert!(resolve(dir.path(), "nope").is_none());
}

fn spec_input(dir: &Path, manifests: &[&str]) -> crate::spec::Input {
    let mut spec = crate::model::Spec::default();
    let mut svc = Service::named("web");
    svc.manifests = manifests.iter().map(|m| m.to_string()).collect();
    spec.architecture.services.push(svc);
    crate::spec::Input {
        path: dir.join("rollbook.yaml").display().to_string(),
        form: crate::spec::InputForm::Yaml,
        spec,
        assumptions: Vec::new(),
    }
}

#[test]
fn spec_named_manifest_errors_point_at_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n   oops: [\n",
    )
    .unwrap();
    let e = read_for_spec(&spec_input(dir.path(), &["bad.yaml"])).unwrap_err();
    match e {
        Error::Input { location, .. } => {
            assert!(location.file.ends_with("bad.yaml"), "{location}");
            assert!(location.line.is_some_and(|l| l >= 8), "{location}");
            assert!(location.column.is_some(), "{location}");
        }
        other => panic!("{other}"),
    }
    let e = read_for_spec(&spec_input(dir.path(), &["missing/"])).unwrap_err();
    assert!(e.to_string().contains("manifests[0]"), "{e}");
}

#[test]
fn spec_manifests_are_read_once_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("k8s/sub")).unwrap();
    let svc = |n: &str| format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {n}}}\n");
    std::fs::write(dir.path().join("k8s/b.yaml"), svc("b")).unwrap();
    std::fs::write(dir.path().join("k8s/sub/a.yml"), svc("a")).unwrap();
    let (objects, artifacts) =
        read_for_spec(&spec_input(dir.path(), &["k8s", "k8s/*.yaml"])).unwrap();
    let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["b", "a"]);
    assert_eq!(artifacts.len(), 2);
}
