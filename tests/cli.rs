//! The command line end to end: exit codes, messages, files.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn rollbook() -> Command {
    Command::cargo_bin("rollbook").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn missing_file_exits_2() {
    rollbook()
        .args(["plan", "does-not-exist.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("error: does-not-exist.yaml:"));
}

#[test]
fn invalid_yaml_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "r.yaml",
        "deployment:\n  name: a\n  version: [1, 2\n",
    );
    rollbook()
        .args(["plan", &f])
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"^error: .*r\.yaml:\d+:\d+: ").unwrap());
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "rollbook.yaml",
        "deployment:\n  name: api\n  version: v2\n  previos_version: v1\n",
    );
    rollbook()
        .args(["plan", &f])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rollbook.yaml:4:3: unknown field 'previos_version' in deployment",
        ))
        .stderr(predicate::str::contains(
            "help: did you mean 'previous_version'?",
        ));
}

#[test]
fn bad_reference_names_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "r.yaml",
        "architecture:\n  services:\n    - name: checkout\ndeployment:\n  name: a\n  changes:\n    - kind: code\n      services: [chekout]\n",
    );
    rollbook()
        .args(["plan", &f])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("r.yaml:8:"))
        .stderr(predicate::str::contains("unknown service 'chekout'"))
        .stderr(predicate::str::contains("did you mean 'checkout'?"));
}

#[test]
fn control_character_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "r.json",
        r#"{"deployment": {"name": "a", "version": "v2\u001b[31m"}}"#,
    );
    rollbook()
        .args(["plan", &f])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("deployment.version"))
        .stderr(predicate::str::contains("U+001B"));
}

#[test]
fn existing_output_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "rollbook.yaml", "keep me\n");
    rollbook()
        .args(["init", "-o", &out])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn force_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "rollbook.yaml", "old\n");
    rollbook()
        .args(["init", "-o", &out, "--force"])
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema="));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn init_writes_a_template_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rollbook.yaml");
    let out = out.to_str().unwrap();
    rollbook().args(["init", "-o", out]).assert().success();
    let input = rollbook::spec::load::load(out).unwrap();
    assert_eq!(input.spec.deployment.name, "checkout-v2-launch");
    rollbook()
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# yaml-language-server: $schema=",
        ));
}

#[test]
fn usage_errors_exit_2() {
    rollbook().assert().code(2);
    rollbook().arg("frobnicate").assert().code(2);
    rollbook()
        .args(["plan", "x.yaml", "--format", "pdf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pdf"));
    rollbook()
        .args(["plan", "x.yaml", "--at", "next tuesday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--at"));
    rollbook().arg("--help").assert().success();
}

#[test]
fn rules_explain_schema() {
    rollbook().arg("rules").assert().success();
    rollbook()
        .args(["explain", "RB999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule 'RB999'"));
    for r in rollbook::assess::rules::all() {
        rollbook()
            .args(["explain", r.code])
            .assert()
            .success()
            .stdout(predicate::str::contains(r.name))
            .stdout(predicate::str::contains(
                r.summary()
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
    }
    rollbook().args(["schema", "nope"]).assert().code(2);
    rollbook()
        .args(["docs", "rules"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Rules"));
}

/// The checked-in schemas match the models.
#[test]
fn checked_in_schemas_are_current() {
    for which in ["spec", "plan"] {
        let path = format!("{}/schema/{which}.schema.json", env!("CARGO_MANIFEST_DIR"));
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        let out = rollbook().args(["schema", which]).assert().success();
        let generated = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            stored == generated,
            "schema/{which}.schema.json is stale; regenerate it with:\n  cargo run -- schema {which} > schema/{which}.schema.json"
        );
    }
}

#[test]
fn checked_in_rules_page_is_current() {
    let path = format!("{}/docs/rules.md", env!("CARGO_MANIFEST_DIR"));
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    let out = rollbook().args(["docs", "rules"]).assert().success();
    let generated = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stored == generated,
        "docs/rules.md is stale; regenerate it with:\n  cargo run -- docs rules > docs/rules.md"
    );
}

#[test]
fn broken_pipe_is_an_error() {
    // Like `rollbook schema spec | head -c 0`: the reader is gone before rollbook writes, so the
    // output is incomplete; exit 2 with one line, as for a full disk.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args(["schema", "spec"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write to stdout"),
        "{stderr}"
    );
}
