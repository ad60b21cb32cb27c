//! `rollbook scan` (artifacts alone, no spec) and `rollbook plan --git`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn rollbook() -> Command {
    Command::cargo_bin("rollbook").unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

fn scan_json(args: &[&str], code: i32) -> Value {
    let out = rollbook()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn scan_of_the_examples_finds_the_destructive_migration() {
    let v = scan_json(&["examples/migrations"], 1);
    assert_eq!(v["status"], "fail");
    let arts: Vec<(&str, &str)> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["path"].as_str().unwrap(), a["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        arts,
        [
            (
                "examples/migrations/20261201120000_drop_legacy_phone.down.sql",
                "migration-down"
            ),
            (
                "examples/migrations/20261201120000_drop_legacy_phone.up.sql",
                "migration"
            ),
            (
                "examples/migrations/orders_gift_message/down.sql",
                "migration-down"
            ),
            (
                "examples/migrations/orders_gift_message/up.sql",
                "migration"
            ),
        ]
    );
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"RB101") && rules.contains(&"RB102"),
        "{rules:?}"
    );
    // Spec-level rules (RB0xx) never judge the synthetic spec.
    assert!(rules.iter().all(|r| !r.starts_with("RB0")), "{rules:?}");
    let s = &v["summary"];
    assert_eq!(s["files"], 4);
    assert!(s["errors"].as_u64().unwrap() >= 2);
    assert_eq!(
        s["findings"].as_u64().unwrap(),
        s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap()
    );
    assert!(s["statements"].as_u64().unwrap() > 4);
}

#[test]
fn scan_of_the_fixtures_reads_sql_manifests_and_plans_and_ignores_the_rest() {
    let v = scan_json(&["tests/fixtures"], 1);
    let kinds: std::collections::BTreeSet<&str> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains("migration"), "{kinds:?}");
    assert!(kinds.contains("kubernetes-manifest"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k.contains("plan")), "{kinds:?}");
    let ignored = v["ignored"].as_array().unwrap();
    assert!(ignored.iter().any(|i| {
        i["path"] == "tests/fixtures/briefs/plain.txt"
            && i["reason"].as_str().unwrap().contains("not a SQL")
    }));
    assert!(v["errors"].as_array().unwrap().is_empty());
}

#[test]
fn human_output_has_snippets_and_the_summary_line() {
    let out = rollbook()
        .args([
            "scan",
            "examples/migrations/20261201120000_drop_legacy_phone.up.sql",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("error[RB101]"), "{text}");
    assert!(
        text.contains("3 | DROP TABLE phone_verification_attempts;"),
        "{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("4 findings (3 errors, 1 warning) in 2 files;"),
        "{last}"
    );
}

#[test]
fn clean_migrations_exit_0_and_broken_yaml_is_listed_not_a_crash() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "m/1_a.up.sql",
        "SET lock_timeout = '5s';\nCREATE TABLE a (id bigint PRIMARY KEY);\n",
    );
    write(d.path(), "m/1_a.down.sql", "DROP TABLE a;\n");
    let root = d.path().join("m").display().to_string();
    let v = scan_json(&[&root], 0);
    assert_eq!(v["status"], "pass");
    assert_eq!(v["summary"]["errors"], 0);

    write(d.path(), "m/deploy.yaml", "apiVersion: v1\nkind: [\n");
    let v = scan_json(&[&root], 1);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("deploy.yaml"));
    assert_eq!(v["summary"]["unreadable"], 1);
}

#[test]
fn a_missing_path_is_exit_2() {
    rollbook()
        .args(["scan", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/dir"));
}

#[test]
fn ignore_comments_accept_findings_and_need_a_reason() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "1_a.up.sql",
        "SET lock_timeout = '5s';\n-- rollbook-ignore RB101: archived in 2024, nothing reads it\nDROP TABLE old_a;\n",
    );
    write(
        d.path(),
        "1_a.down.sql",
        "-- rollbook-ignore RB127: the table is empty\nCREATE TABLE old_a (id int);\n",
    );
    let root = d.path().display().to_string();
    let v = scan_json(&[&root], 0);
    assert_eq!(v["summary"]["accepted"], 2, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");

    write(
        d.path(),
        "1_a.up.sql",
        "SET lock_timeout = '5s';\n-- rollbook-ignore RB101\nDROP TABLE old_a;\n",
    );
    let v = scan_json(&[&root], 1);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"RB905") && rules.contains(&"RB101"),
        "{rules:?}"
    );
}

#[test]
fn mysql_dialect_is_a_flag() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "1.sql",
        "ALTER TABLE t MODIFY COLUMN c VARCHAR(10), ALGORITHM=COPY;\n",
    );
    let root = d.path().display().to_string();
    let v = scan_json(&[&root, "--dialect", "mysql", "--db-version", "8.0"], 1);
    assert_eq!(v["dialect"], "mysql");
    assert_eq!(v["db_version"], "8.0");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"RB121"), "{rules:?}");
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(ok.status.success(), "{ok:?}");
}

const SPEC: &str = "deployment:
  name: drop-legacy
  version: 2.0.0
  previous_version: 1.9.0
  changes:
    - kind: migration
      path: db/migrations/2_drop.up.sql
      database: main
architecture:
  data_stores:
    - name: main
      engine: postgres
      version: \"15\"
";

#[test]
fn plan_git_lists_the_files_read_and_the_others_with_the_reason() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(dir, "README.md", "hello\n");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "base"]);
    write(dir, "rollbook.yaml", SPEC);
    write(
        dir,
        "db/migrations/2_drop.up.sql",
        "ALTER TABLE users DROP COLUMN phone;\n",
    );
    write(
        dir,
        "db/migrations/2_drop.down.sql",
        "ALTER TABLE users ADD COLUMN phone text;\n",
    );
    write(dir, "db/other/9_x.sql", "CREATE TABLE x (id int);\n");
    write(dir, "src/main.rs", "fn main() {}\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "change"]);

    let out = rollbook()
        .current_dir(dir)
        .args(["plan", "--git", "HEAD~1..HEAD", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let read: Vec<&str> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        read,
        [
            "db/migrations/2_drop.down.sql",
            "db/migrations/2_drop.up.sql"
        ]
    );
    let ignored: Vec<(&str, &str)> = v["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert_eq!(ignored[0].0, "db/other/9_x.sql");
    assert!(ignored[0].1.contains("no migration change"), "{ignored:?}");
    assert_eq!(ignored[1].0, "src/main.rs");

    let md = rollbook()
        .current_dir(dir)
        .args(["plan", "rollbook.yaml", "--git", "HEAD~1..HEAD"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("Changed but not read:"), "{md}");
    assert!(md.contains("`src/main.rs`"), "{md}");

    // No spec among the changed files and none given: an error, exit 2.
    write(dir, "notes.txt", "x\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "notes"]);
    rollbook()
        .current_dir(dir)
        .args(["plan", "--git", "HEAD~1..HEAD"])
        .assert()
        .code(2);
}

#[test]
fn a_plan_without_git_has_no_ignored_field() {
    let out = rollbook()
        .args([
            "plan",
            "examples/destructive-migration-emails.yaml",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v.get("ignored").is_none());
}

/// `scan --format json` of a path, run from the package root.
fn scan_report(args: &[&str]) -> Value {
    let out = rollbook()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `(rule, file name, line)` of every open finding.
fn found(v: &Value) -> Vec<(String, String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["accepted"].is_null())
        .map(|f| {
            let file = f["evidence"]["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (
                f["rule"].as_str().unwrap().to_string(),
                name.into_owned(),
                f["evidence"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn has(all: &[(String, String, u64)], rule: &str, file: &str, line: u64) -> bool {
    all.iter()
        .any(|(r, f, l)| r == rule && f == file && *l == line)
}

const REAL: &str = "tests/fixtures/scan/real";

#[test]
fn a_table_from_an_earlier_migration_is_live() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("001_a.up.sql"), "CREATE TABLE t(id int);\n").unwrap();
    std::fs::write(d.path().join("002_b.up.sql"), "DROP TABLE t;\n").unwrap();
    let v = scan_report(&[d.path().to_str().unwrap()]);
    assert!(has(&found(&v), "RB101", "002_b.up.sql", 1), "{v:#}");
    // Within one file the table is new: dropping it loses nothing.
    std::fs::write(
        d.path().join("003_c.up.sql"),
        "CREATE TABLE u(id int);\nDROP TABLE u;\n",
    )
    .unwrap();
    let v = scan_report(&[d.path().to_str().unwrap()]);
    assert!(
        !found(&v)
            .iter()
            .any(|(r, f, _)| r == "RB101" && f == "003_c.up.sql")
    );
}

#[test]
fn a_table_renamed_away_rebuilt_and_dropped_loses_nothing() {
    // The rebuild kratos uses on SQLite: the old table is renamed away, a new one created under
    // its name and filled from it, then the renamed old one dropped. The rows were copied.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("001_a.up.sql"),
        "CREATE TABLE tokens(id int);\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("002_b.up.sql"),
        "ALTER TABLE tokens RENAME TO _tokens_old;\nCREATE TABLE tokens(id int, n int);\n\
         INSERT INTO tokens (id) SELECT id FROM _tokens_old;\nDROP TABLE _tokens_old;\n",
    )
    .unwrap();
    let v = scan_report(&[d.path().to_str().unwrap()]);
    // Old code still finds `tokens`, with its rows: neither a drop nor a rename it sees.
    assert!(
        !found(&v)
            .iter()
            .any(|(r, f, _)| (r == "RB101" || r == "RB107") && f == "002_b.up.sql"),
        "{v:#}"
    );
    // Without the copy, dropping the renamed old table destroys its rows.
    std::fs::write(
        d.path().join("002_b.up.sql"),
        "ALTER TABLE tokens RENAME TO _tokens_old;\nCREATE TABLE tokens(id int, n int);\n\
         DROP TABLE _tokens_old;\n",
    )
    .unwrap();
    let v = scan_report(&[d.path().to_str().unwrap()]);
    assert!(has(&found(&v), "RB101", "002_b.up.sql", 3), "{v:#}");
}

#[test]
fn columns_keep_their_origin_through_renames() {
    // harbor 1.8.0: a live table renamed, then one of its columns dropped, another renamed and
    // overwritten: the columns are as live as the table (they moved with it).
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "001_a.up.sql",
        "CREATE TABLE target(id int, kind int, username text);\n",
    );
    write(
        d.path(),
        "002_b.up.sql",
        "ALTER TABLE target RENAME TO registry;\nALTER TABLE registry DROP COLUMN kind;\n\
         ALTER TABLE registry RENAME COLUMN username TO access_key;\nUPDATE registry SET access_key = '';\n",
    );
    // A column this deployment added stays new under the table's new name: filling it is safe.
    write(
        d.path(),
        "003_c.up.sql",
        "ALTER TABLE registry ADD COLUMN note text;\nALTER TABLE registry RENAME TO registries;\n\
         UPDATE registries SET note = '';\n",
    );
    let all = found(&scan_report(&[d.path().to_str().unwrap()]));
    for (rule, line) in [("RB102", 2), ("RB108", 3), ("RB106", 4)] {
        assert!(has(&all, rule, "002_b.up.sql", line), "{rule}: {all:#?}");
    }
    assert!(!has(&all, "RB106", "003_c.up.sql", 3), "{all:#?}");
}

#[test]
fn a_liquibase_changelog_orders_the_files_it_includes() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "db/changes/1-narrow.sql",
        "ALTER TABLE t ALTER COLUMN c TYPE varchar(5);\n",
    );
    write(
        d.path(),
        "db/changes/2-add.sql",
        "ALTER TABLE t ADD COLUMN c varchar(10);\n",
    );
    let narrows = |v: &Value| {
        v["findings"].as_array().unwrap().iter().any(|f| {
            f["rule"] == "RB109" && f["message"].as_str().unwrap().contains("from varchar(10)")
        })
    };
    let root = d.path().join("db");
    // By name, the narrowing runs before the column exists.
    assert!(!narrows(&scan_report(&[root.to_str().unwrap()])));
    // The changelog says otherwise: 2-add runs first.
    write(
        d.path(),
        "db/db.changelog-master.xml",
        r#"<databaseChangeLog>
  <include file="changes/2-add.sql" relativeToChangelogFile="true"/>
  <include file="changes/1-narrow.sql" relativeToChangelogFile="true"/>
</databaseChangeLog>"#,
    );
    let v = scan_report(&[root.to_str().unwrap()]);
    assert!(narrows(&v), "the changelog's order must be used: {v:#}");
}

#[test]
fn helm_charts_are_rendered_with_helm_template_when_helm_is_on_path() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "chart/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    );
    write(
        d.path(),
        "chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n",
    );
    let chart = d.path().join("chart");
    // Without helm the templates are listed as not read.
    let v = scan_report(&[chart.to_str().unwrap()]);
    assert!(
        v["ignored"].as_array().unwrap().iter().any(|i| i["reason"]
            .as_str()
            .unwrap()
            .starts_with("a Helm chart template: not read")),
        "{v:#}"
    );
    // A stand-in helm that renders a Deployment with a mutable tag, as `helm template` would.
    let bin = d.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helm = bin.join("helm");
    std::fs::write(
        &helm,
        "#!/bin/sh\n[ \"$1\" = template ] || exit 3\nprintf -- '---\\n# Source: web/templates/deployment.yaml\\napiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: release-web\\nspec:\\n  template:\\n    spec:\\n      containers:\\n        - name: web\\n          image: registry.example.com/web:latest\\n'\n",
    )
    .unwrap();
    std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = rollbook()
        .env("PATH", path)
        .args(["scan", chart.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rendered = format!("{} (helm template)", chart.display());
    assert!(
        v["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["path"] == rendered.as_str()
                && a["kind"].as_str().unwrap().starts_with("helm-chart")),
        "{v:#}"
    );
    assert!(
        found(&v)
            .iter()
            .any(|(r, f, _)| r == "RB202" && f == "chart (helm template)"),
        "{v:#}"
    );
}

#[test]
fn numbered_folders_run_in_numeric_order() {
    let d = tempfile::tempdir().unwrap();
    for (dir, sql) in [
        ("2", "ALTER TABLE t ADD COLUMN c varchar(10);\n"),
        ("10", "ALTER TABLE t ALTER COLUMN c TYPE varchar(5);\n"),
    ] {
        std::fs::create_dir_all(d.path().join(dir)).unwrap();
        std::fs::write(d.path().join(dir).join("m.sql"), sql).unwrap();
    }
    let v = scan_report(&[d.path().to_str().unwrap()]);
    let narrows = v["findings"].as_array().unwrap().iter().any(|f| {
        f["rule"] == "RB109" && f["message"].as_str().unwrap().contains("from varchar(10)")
    });
    assert!(narrows, "10/ must be judged after 2/: {v:#}");
}

#[test]
fn a_mixed_dialect_tree_needs_no_flag() {
    let d = tempfile::tempdir().unwrap();
    let w = |rel: &str, sql: &str| {
        let p = d.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, sql).unwrap();
    };
    w(
        "mysql/1_a.up.sql",
        "ALTER TABLE `t` MODIFY COLUMN c VARCHAR(20);\n",
    );
    w(
        "x/1_b.sqlite3.up.sql",
        "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n",
    );
    w("x/1_b.cockroach.up.sql", "CREATE TABLE a (id UUID);\n");
    w(
        "pg/1_c.up.sql",
        "{{ if .X }}\nALTER TABLE {{ .T }} ADD COLUMN b int;\n",
    );
    let v = scan_report(&[d.path().to_str().unwrap()]);
    let rules: Vec<String> = found(&v).into_iter().map(|f| f.0).collect();
    // One finding for the one broken (templated) statement, never one per token.
    assert_eq!(rules.iter().filter(|r| *r == "RB100").count(), 1, "{v:#}");
    let nj = v["not_judged"].as_array().unwrap();
    assert_eq!(nj.len(), 1, "{v:#}");
    assert!(nj[0]["reason"].as_str().unwrap().contains("CockroachDB"));
    assert_eq!(v["templated"].as_array().unwrap().len(), 1);
}

#[test]
fn github_and_sarif_formats_and_exit_codes() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("1_a.up.sql"),
        "ALTER TABLE t ADD COLUMN c int;\n",
    )
    .unwrap();
    std::fs::write(d.path().join("empty.json"), "").unwrap();
    // Only a warning, and an empty JSON file: exit 0.
    let out = rollbook()
        .args(["scan", d.path().to_str().unwrap(), "--format", "github"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("::warning file="), "{text}");
    // The span of the statement: endLine and endColumn (just past its `;`), as in SARIF.
    assert!(
        text.contains("1_a.up.sql,line=1,endLine=1,col=1,endColumn=32,title="),
        "{text}"
    );
    assert!(text.contains("1 warning"), "{text}");
    // Two statements on a line, after a multi-byte name: columns count characters and the
    // span ends at the statement's own `;`.
    std::fs::write(
        d.path().join("2_b.up.sql"),
        "ALTER TABLE t ADD COLUMN é int; DROP TABLE t;\n",
    )
    .unwrap();
    let out = rollbook()
        .args(["scan", d.path().to_str().unwrap(), "--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rb101 = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "RB101")
        .unwrap();
    assert_eq!(
        rb101["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 1, "startColumn": 33, "endColumn": 46})
    );
    let out = rollbook()
        .args(["scan", d.path().to_str().unwrap(), "--format", "github"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("2_b.up.sql,line=1,endLine=1,col=33,endColumn=46,title=RB101 drop-table::"),
        "{text}"
    );
}

/// Findings judged true by hand on the real excerpts (see the fixture README): they stay found.
#[test]
fn real_repositories_true_positives_stay_found() {
    let v = scan_report(&[REAL]);
    let all = found(&v);
    let expected = [
        // kratos: the down narrows TEXT back to VARCHAR(1024) after truncating with substr().
        (
            "RB109",
            "20230705000000000001_cookie_flow_request_url.down.sql",
            7,
        ),
        (
            "RB109",
            "20230705000000000001_cookie_flow_request_url.mysql.down.sql",
            7,
        ),
        // kratos: a shared down narrows varchar(39) tokens back to varchar(32).
        (
            "RB109",
            "20230313141439000000_session_token_length.down.sql",
            1,
        ),
        // kratos: DROP INDEX without CONCURRENTLY on a live PostgreSQL table.
        (
            "RB114",
            "20200831110752000000_identity_verifiable_address_remove_code.postgres.up.sql",
            1,
        ),
        // openfga (goose, mysql/): the down narrows object_id from 255 back to 128.
        ("RB109", "006_extend_object_id.sql", 5),
        // temporal (numbered folders): DROP TABLE of a live table.
        ("RB101", "drop_unused_tasks_table.sql", 1),
    ];
    for (rule, file, line) in expected {
        assert!(
            has(&all, rule, file, line),
            "{rule} {file}:{line} not found in {all:#?}"
        );
    }
    // kratos: filling a column a sub-step of the same popx migration added (the history knows it
    // is new) destroys no previous values; authelia (SQLite): a table renamed away, recreated
    // and filled under its name is a rebuild old code does not see.
    assert!(
        !all.iter().any(|(r, f, _)| (r == "RB127"
            && f == "20210410175418000002_network.postgres.down.sql")
            || ((r == "RB107" || r == "RB101") && f == "V0003.WebAuthnKIDLength.up.sql")),
        "{all:#?}"
    );
    // False positives fixed: the SQLite rebuild (rename away, add, copy, drop) destroys nothing.
    assert!(
        !all.iter()
            .any(|(r, f, _)| (r == "RB102" || r == "RB108" || r == "RB127")
                && f.starts_with("20230313141439000000_session_token_length.sqlite3")),
        "{all:#?}"
    );
    let ignored = v["ignored"].as_array().unwrap();
    assert!(
        ignored
            .iter()
            .any(|i| i["path"].as_str().unwrap().ends_with("schema.sql"))
    );
    // popx: each dialect's down of a shared up is read; CockroachDB is listed, not judged.
    assert!(
        !ignored.iter().any(|i| i["reason"]
            .as_str()
            .unwrap()
            .contains("up migration is not scanned")),
        "{ignored:#?}"
    );
    assert!(!v["not_judged"].as_array().unwrap().is_empty());
    assert_eq!(v["summary"]["unreadable"], 0);
}

/// The rule codes and lines of a scan's JSON findings.
fn rules_at(v: &Value) -> Vec<(String, String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["evidence"]["file"].as_str().unwrap().to_string(),
                f["evidence"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn scan_stdin(args: &[&str], stdin: &str, code: i32) -> assert_cmd::assert::Assert {
    rollbook()
        .arg("scan")
        .args(args)
        .write_stdin(stdin)
        .assert()
        .code(code)
}

#[test]
fn a_dash_scans_one_migration_from_stdin_as_squawk_does() {
    const FIRE: &str = "tests/fixtures/rules/RB101-drop-table/fire.sql";
    let text = std::fs::read_to_string(FIRE).unwrap();
    // The same findings as the file, under the name `-`.
    let file = scan_json(&[FIRE], 1);
    let out = scan_stdin(&["-", "--format", "json"], &text, 1);
    let piped: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let renamed = |v: &Value, to: &str| -> Vec<(String, String, u64)> {
        rules_at(v)
            .into_iter()
            .map(|(r, _, l)| (r, to.to_string(), l))
            .collect()
    };
    assert_eq!(rules_at(&piped), renamed(&file, "-"));
    assert_eq!(piped["artifacts"][0]["path"], "-");
    // Human output: the snippet comes from standard input, not from a file named `-`.
    let human = scan_stdin(&["-"], &text, 1);
    let human = String::from_utf8(human.get_output().stdout.clone()).unwrap();
    assert!(
        human.contains(" --> -:3:1\n") && human.contains("3 | DROP TABLE users;\n"),
        "{human}"
    );
    // --stdin-filepath names it in every format, with the span read from standard input.
    let gh = scan_stdin(
        &[
            "--stdin-filepath",
            "db/3_drop.sql",
            "-",
            "--format",
            "github",
        ],
        &text,
        1,
    );
    let gh = String::from_utf8(gh.get_output().stdout.clone()).unwrap();
    assert!(
        gh.contains("::error file=db/3_drop.sql,line=3,endLine=3,col=1,endColumn=18,title=RB101 "),
        "{gh}"
    );
    let sarif = scan_stdin(
        &[
            "--stdin-filepath",
            "db/3_drop.sql",
            "-",
            "--format",
            "sarif",
        ],
        &text,
        1,
    );
    let sarif: Value = serde_json::from_slice(&sarif.get_output().stdout).unwrap();
    let loc = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "db/3_drop.sql");
    assert_eq!(loc["region"]["endColumn"], 18);
    // A rollbook-ignore comment on standard input is honoured.
    let accepted = text.replace(
        "DROP TABLE users;",
        "-- rollbook-ignore RB101: users moved to the accounts service\nDROP TABLE users;",
    );
    let v: Value = serde_json::from_slice(
        &scan_stdin(&["-", "--format", "json"], &accepted, 1)
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["summary"]["accepted"], 1, "{v:#}");
}

#[test]
fn stdin_filepath_tells_the_dialect_and_layout() {
    let add = "ALTER TABLE t ADD COLUMN c int NOT NULL;\n";
    let rules = |args: &[&str], code: i32| -> Vec<String> {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        let out = scan_stdin(&all, add, code);
        let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        rules_at(&v).into_iter().map(|(r, _, _)| r).collect()
    };
    // PostgreSQL by default: lock_timeout matters (RB122); a `mysql/` folder makes it MySQL.
    assert!(rules(&["-"], 1).contains(&"RB122".to_string()));
    assert!(!rules(&["--stdin-filepath", "db/mysql/1_c.sql", "-"], 1).contains(&"RB122".into()));
    // A dialect without a parser is listed as not judged: exit 0, as for the file.
    let out = scan_stdin(
        &[
            "--stdin-filepath",
            "1_c.cockroachdb.sql",
            "-",
            "--format",
            "json",
        ],
        add,
        0,
    );
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["not_judged"][0]["path"], "1_c.cockroachdb.sql");
    // An `.up.sql` name has its down beside it: none there is RB124; one on disk is read.
    let d = tempfile::tempdir().unwrap();
    let up = d.path().join("1_c.up.sql");
    let up = up.to_str().unwrap();
    assert!(rules(&["--stdin-filepath", up, "-"], 1).contains(&"RB124".into()));
    write(d.path(), "1_c.down.sql", "ALTER TABLE t DROP COLUMN c;\n");
    let out = scan_stdin(&["--stdin-filepath", up, "-", "--format", "json"], add, 1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(!rules_at(&v).iter().any(|(r, _, _)| r == "RB124"), "{v:#}");
    let kinds: Vec<&str> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["migration-down", "migration"], "{v:#}");
}

#[test]
fn stdin_mistakes_are_usage_errors() {
    use predicates::prelude::*;
    let sql = "DROP TABLE t;\n";
    let cases: [(&[&str], &[u8], &str); 6] = [
        (
            &["-", "examples/migrations"],
            sql.as_bytes(),
            "is scanned alone",
        ),
        (
            &["--stdin-filepath", "db/1.sql", "examples/migrations"],
            sql.as_bytes(),
            "no `-` is among the paths",
        ),
        (&["-"], b"", "standard input is empty"),
        (&["-"], b" \n\n", "standard input is empty"),
        (
            &["-"],
            b"SELECT 1;\n\xff",
            "-:2:1: the file is not valid UTF-8",
        ),
        (
            &["--stdin-filepath", "src", "-"],
            sql.as_bytes(),
            "src: is a directory",
        ),
    ];
    for (args, stdin, says) in cases {
        rollbook()
            .arg("scan")
            .args(args)
            .write_stdin(stdin)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(says).and(predicate::str::contains("help:")));
    }
    // Bounded: past a migration file's limit (8 MiB) it is refused, not read to its end.
    rollbook()
        .args(["scan", "-"])
        .write_stdin(vec![b'-'; 9 * 1024 * 1024])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "standard input is larger than the limit of 8 MiB",
        ));
}

fn git_in(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// `scan --git BASE..HEAD`: the range's migrations are one deployment judged against the history
/// before it, and only they are reported.
#[test]
fn git_range_is_one_deployment_against_the_history_before_it() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git_in(repo, &["init", "-q", "-b", "main"]);
    write(
        repo,
        "m/001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
    );
    write(repo, "m/001_orders.down.sql", "DROP TABLE orders;\n");
    git_in(repo, &["add", "."]);
    git_in(repo, &["commit", "-q", "-m", "history"]);
    // The pull request: a table created and then filled and renamed within the range, and a
    // column of the older table dropped.
    write(
        repo,
        "m/002_audit.up.sql",
        "CREATE TABLE audit (id bigint PRIMARY KEY, what text);\n",
    );
    write(repo, "m/002_audit.down.sql", "DROP TABLE audit;\n");
    write(
        repo,
        "m/003_more.up.sql",
        "ALTER TABLE audit RENAME COLUMN what TO event;\nALTER TABLE orders DROP COLUMN note;\n",
    );
    write(
        repo,
        "m/003_more.down.sql",
        "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE audit RENAME COLUMN event TO what;\n",
    );
    git_in(repo, &["add", "."]);
    git_in(repo, &["commit", "-q", "-m", "pr"]);
    let run = |git: Option<&str>| {
        let mut cmd = rollbook();
        cmd.current_dir(repo).arg("scan").arg("m");
        if let Some(r) = git {
            cmd.args(["--git", r]);
        }
        let out = cmd.args(["--format", "json"]).output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}:{}",
                    f["rule"].as_str().unwrap(),
                    f["evidence"]["file"].as_str().unwrap(),
                    f["message"].as_str().unwrap()
                )
            })
            .collect::<Vec<String>>()
    };
    let folder = run(None);
    let range = run(Some("HEAD~1..HEAD"));
    // The drop of a column created before the range is reported either way.
    assert!(
        range
            .iter()
            .any(|f| f.contains("003_more.up.sql") && f.contains("note")),
        "{range:#?}"
    );
    // Renaming a column of a table the same deployment created is not a risk to running code;
    // scanned file by file, it is.
    let renames = |fs: &[String]| {
        fs.iter()
            .filter(|f| f.contains("what") && f.contains("003_more.up.sql"))
            .count()
    };
    assert!(renames(&folder) > 0, "{folder:#?}");
    assert_eq!(renames(&range), 0, "{range:#?}");
    // Only the range's files are reported.
    assert!(
        range.iter().all(|f| !f.contains("001_orders")),
        "{range:#?}"
    );
    // A bad range is a usage error.
    rollbook()
        .current_dir(repo)
        .args(["scan", "m", "--git", "--output=x"])
        .assert()
        .code(2);
}
