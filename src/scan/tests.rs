use super::*;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

#[test]
fn classifies_by_name_and_content() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.sql", "SELECT 1;");
    write(d.path(), "m.yaml", "apiVersion: v1\nkind: Service\n");
    write(d.path(), "values.yaml", "replicas: 3\n");
    write(d.path(), "plan.json", "{\"format_version\": \"1.2\"}");
    write(d.path(), "package.json", "{\"name\": \"x\"}");
    write(d.path(), "bad.json", "{");
    write(d.path(), "README.md", "hi");
    let c = |n: &str| classify(&d.path().join(n));
    assert_eq!(c("a.sql"), Class::Sql);
    assert_eq!(c("m.yaml"), Class::Manifest);
    assert!(matches!(c("values.yaml"), Class::Ignored(_)));
    assert_eq!(c("plan.json"), Class::TerraformPlan);
    assert!(matches!(c("package.json"), Class::Ignored(_)));
    // Empty or templated JSON is listed as ignored, never a failure of the run.
    assert!(matches!(c("bad.json"), Class::Ignored(m) if m.contains("not valid JSON")));
    assert!(matches!(c("README.md"), Class::Ignored(_)));
}

#[test]
fn expands_directories_sorted_skipping_hidden_and_globs() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "m/2.sql", "");
    write(d.path(), "m/1.sql", "");
    write(d.path(), "m/.git/x.sql", "");
    write(d.path(), "m/sub/3.sql", "");
    let root = d.path().join("m").display().to_string();
    let names: Vec<String> = expand(&root)
        .unwrap()
        .iter()
        .map(|p| p.strip_prefix(d.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["m/1.sql", "m/2.sql", "m/sub/3.sql"]);
    assert_eq!(expand(&format!("{root}/1*")).unwrap().len(), 1);
    assert!(expand(&format!("{root}/nope")).is_err());
    assert!(expand(&format!("{root}/z*")).is_err());
}

#[test]
fn spec_level_findings_are_dropped_and_ignores_apply() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "1_a.up.sql",
        "-- rollbook-ignore RB101: the table was unused since 2024\nDROP TABLE a;\nDROP TABLE b;\n",
    );
    let r = scan(&[d.path().display().to_string()], &ScanOptions::default()).unwrap();
    assert!(r.findings.iter().all(|f| f.evidence.file != SYNTHETIC_SPEC));
    let drops: Vec<_> = r.findings.iter().filter(|f| f.rule == "RB101").collect();
    assert_eq!(drops.len(), 2, "{:#?}", r.findings);
    assert_eq!(drops.iter().filter(|f| f.accepted.is_some()).count(), 1);
    assert_eq!(r.summary.accepted, 1);
    assert!(r.failed());
}
