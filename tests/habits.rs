//! The habits users bring from other tools: `-` for stdin, a default spec, `rollbook.toml` found up
//! to the repository root, `-q`/`-v`, `--color`/NO_COLOR/CLICOLOR_FORCE, the editor schema line,
//! Slack mentions and one webhook payload per `--moment`.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const EXAMPLE: &str = "examples/stateless-k8s.yaml";
/// An example whose check fails (findings to colour).
const FAILING: &str = "examples/destructive-migration-emails.yaml";

fn rollbook() -> Command {
    let mut c = Command::cargo_bin("rollbook").unwrap();
    c.current_dir(ROOT)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn example_text() -> String {
    std::fs::read_to_string(Path::new(ROOT).join(EXAMPLE)).unwrap()
}

#[test]
fn a_dash_reads_the_spec_or_brief_from_stdin() {
    let from_file = stdout(
        &rollbook()
            .args(["plan", EXAMPLE, "--format", "json"])
            .assert()
            .success(),
    );
    let from_stdin = stdout(
        &rollbook()
            .args(["plan", "-", "--format", "json"])
            .write_stdin(example_text())
            .assert()
            .success(),
    );
    let steps = |s: &str| serde_json::from_str::<Value>(s).unwrap()["procedure"].clone();
    assert_eq!(steps(&from_file), steps(&from_stdin));
    rollbook()
        .args(["check", "-"])
        .write_stdin(example_text())
        .assert()
        .success()
        .stdout(predicate::str::contains("rollbook check: PASS"));
    rollbook()
        .args(["infer", "-"])
        .write_stdin("We ship notifications-api 2.14.1 on Kubernetes, a stateless service.\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("deployment:"));
    // Bounded: more than the limit is refused, not read to the end.
    rollbook()
        .args(["plan", "-"])
        .write_stdin(vec![b'#'; 5 * 1024 * 1024])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-: file is").and(predicate::str::contains("the limit")));
}

#[test]
fn check_takes_several_specs_and_defaults_to_rollbook_yaml() {
    rollbook()
        .args(["check", EXAMPLE, "examples/flag-percentage-bump.yaml"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(EXAMPLE).and(predicate::str::contains("flag-percentage-bump")),
        );
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("rollbook")
        .unwrap()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no FILE given and no rollbook.yaml",
        ));
    std::fs::write(dir.path().join("rollbook.yaml"), example_text()).unwrap();
    Command::cargo_bin("rollbook")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "-v"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no FILE given: using ./rollbook.yaml",
        ));
}

#[test]
fn rollbook_toml_is_found_up_to_the_repository_root_and_no_further() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let deep = repo.join("services/notifications");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(deep.join("rollbook.yaml"), example_text()).unwrap();
    std::fs::write(
        repo.join("rollbook.toml"),
        "[policy]\nbackup_max_age_days = 3\n",
    )
    .unwrap();
    // Above the repository: never read.
    std::fs::write(
        dir.path().join("rollbook.toml"),
        "[policy]\nnot valid = [\n",
    )
    .unwrap();
    let spec = deep.join("rollbook.yaml");
    let found = repo.join("rollbook.toml").canonicalize().unwrap();
    Command::cargo_bin("rollbook")
        .unwrap()
        .args(["-v", "check", spec.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(found.to_str().unwrap()));
    // Outside a repository only the spec's own folder counts: the broken file above is not read.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    std::fs::remove_file(repo.join("rollbook.toml")).unwrap();
    Command::cargo_bin("rollbook")
        .unwrap()
        .args(["-v", "check", spec.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("rollbook.toml").not());
}

#[test]
fn quiet_keeps_findings_and_drops_summaries() {
    let loud = stdout(&rollbook().args(["check", FAILING]).assert().code(1));
    let quiet = stdout(&rollbook().args(["check", "-q", FAILING]).assert().code(1));
    assert!(loud.contains("rollbook check: FAIL"), "{loud}");
    assert!(!quiet.contains("rollbook check:"), "{quiet}");
    assert!(quiet.contains("error[RB"), "{quiet}");
    rollbook()
        .args(["-q", "explain", "RB99"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown rule").and(predicate::str::contains("help:").not()),
        );
}

#[test]
fn colour_follows_the_flag_no_color_and_clicolor_force() {
    let esc = "\u{1b}[";
    let always = stdout(
        &rollbook()
            .args(["check", "--color", "always", FAILING])
            .assert()
            .code(1),
    );
    assert!(always.contains(esc), "{always}");
    let never = stdout(
        &rollbook()
            .args(["check", "--color", "never", FAILING])
            .assert()
            .code(1),
    );
    assert!(!never.contains(esc));
    // Not a terminal: no colour by default, colour when forced, none when NO_COLOR wins.
    let auto = stdout(&rollbook().args(["check", FAILING]).assert().code(1));
    assert!(!auto.contains(esc));
    let forced = stdout(
        &rollbook()
            .env("CLICOLOR_FORCE", "1")
            .args(["check", FAILING])
            .assert()
            .code(1),
    );
    assert!(forced.contains(esc));
    let no_color = stdout(
        &rollbook()
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .args(["check", FAILING])
            .assert()
            .code(1),
    );
    assert!(!no_color.contains(esc));
    // Machine formats never carry colour.
    let sarif = stdout(
        &rollbook()
            .args(["check", "--color", "always", "--format", "sarif", FAILING])
            .assert()
            .code(1),
    );
    assert!(!sarif.contains(esc));
    rollbook()
        .args(["--color", "always", "explain", "RB99"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!("{esc}1m{esc}31merror")));
    rollbook()
        .args(["--color", "sometimes", "rules"])
        .assert()
        .code(2);
}

#[test]
fn init_names_the_schema_and_the_schema_has_its_id() {
    let init = stdout(&rollbook().arg("init").assert().success());
    assert!(init.starts_with(
        "# yaml-language-server: $schema=https://json.schemastore.org/rollbook.json\n"
    ));
    let schema: Value = serde_json::from_str(&stdout(
        &rollbook().args(["schema", "spec"]).assert().success(),
    ))
    .unwrap();
    assert_eq!(schema["$id"], "https://json.schemastore.org/rollbook.json");
    // The starter spec is valid against the schema it names (SchemaStore's positive test).
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc: Value = serde_saphyr::from_str(&init).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The SchemaStore copy is the schema.
    let store =
        std::fs::read_to_string(Path::new(ROOT).join("schema/schemastore/rollbook.schema.json"))
            .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&store).unwrap(),
        schema,
        "schema/schemastore/rollbook.schema.json is stale: cargo run -- schema spec > schema/schemastore/rollbook.schema.json"
    );
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("schema/schemastore/catalog-entry.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(entry["url"], schema["$id"]);
}

#[test]
fn slack_ids_mention_and_a_moment_is_one_webhook_body() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("rollbook.yaml");
    std::fs::write(
        &spec,
        example_text()
            .replace(
                "\"@lee (notifications on-call)\"",
                "\"@U024BE7LH (notifications on-call)\"",
            )
            .replace("[\"@notifications-team\"]", "[\"@S0614TZR7\"]")
            .replace("\"#inc-notifications\"", "\"C024BE91L\""),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let one = stdout(
        &rollbook()
            .args([
                "plan",
                spec,
                "--format",
                "slack",
                "--moment",
                "rollback-started",
            ])
            .assert()
            .success(),
    );
    let body: Value = serde_json::from_str(&one).unwrap();
    assert!(body.is_object(), "{one}");
    let text = body["text"].as_str().unwrap();
    assert!(text.contains("<@U024BE7LH>"), "{text}");
    assert_eq!(body["channel"], "C024BE91L");
    let context = body["blocks"][1]["elements"][0]["text"].as_str().unwrap();
    assert!(
        context.contains("<!subteam^S0614TZR7>") && context.contains("<#C024BE91L>"),
        "{context}"
    );
    rollbook()
        .args(["plan", spec, "--format", "slack", "--moment", "launch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("this plan has: pre-deploy"));
    rollbook()
        .args(["plan", spec, "--moment", "pre-deploy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use it with --format slack"));
}

#[test]
fn findings_on_spec_fields_point_at_the_value_in_every_format() {
    // examples/destructive-migration-emails.yaml:22 is `      effect: email` (RB006).
    let human = stdout(&rollbook().args(["check", FAILING]).assert().code(1));
    assert!(
        human.contains("--> examples/destructive-migration-emails.yaml:22:15\n"),
        "{human}"
    );
    assert!(
        human.contains("22 |       effect: email\n   |               ^^^^^\n"),
        "{human}"
    );
    let github = stdout(
        &rollbook()
            .args(["check", "--format", "github", FAILING])
            .assert()
            .code(1),
    );
    assert!(
        github
            .contains("file=examples/destructive-migration-emails.yaml,line=22,endLine=22,col=15,endColumn=20,title=RB006"),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(&stdout(
        &rollbook()
            .args(["check", "--format", "sarif", FAILING])
            .assert()
            .code(1),
    ))
    .unwrap();
    let rb006 = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "RB006")
        .unwrap();
    assert_eq!(
        rb006["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 22, "startColumn": 15, "endColumn": 20})
    );
}
