//! Untrusted repositories, as an attacker writes them: every probe runs the real binary with
//! canaries in its environment and checks every output format of every command that reads the
//! input. Nothing outside the project is read unless named on the command line, no device or FIFO
//! is read or written, no secret or environment value is printed, and control characters never
//! reach a terminal raw.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

/// Hang guard per run (a debug build on a loaded machine).
const GUARD: Duration = Duration::from_secs(120);
/// Environment canaries: a generic variable and a CI token.
const ENV_CANARY: &str = "rollbook-env-canary-5d1f0c";
const TOKEN_CANARY: &str = "ghs_envcanary0123456789abcdefghijkl";

const PLAN_FORMATS: [&str; 5] = ["markdown", "json", "html", "text", "slack"];
const CHECK_FORMATS: [&str; 4] = ["human", "github", "sarif", "json"];
const SCAN_FORMATS: [&str; 2] = ["human", "json"];

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let o = Command::cargo_bin("rollbook")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("ROLLBOOK_CANARY", ENV_CANARY)
        .env("GITHUB_TOKEN", TOKEN_CANARY)
        .timeout(GUARD)
        .output()
        .unwrap();
    let r = Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    let all = r.all();
    assert!(
        !all.contains(ENV_CANARY) && !all.contains(TOKEN_CANARY),
        "{args:?}: the environment leaked:\n{all}"
    );
    assert!(
        !all.contains("internal error") && !all.contains("panicked"),
        "{args:?}: panic:\n{all}"
    );
    assert!(
        matches!(r.code, Some(0..=2)),
        "{args:?}: exit {:?} (killed by the guard?):\n{all}",
        r.code
    );
    r
}

/// Every command and format that reads `spec`: plan (every format), check (every format).
fn every_output(dir: &Path, spec: &str) -> Vec<(String, Run)> {
    let mut out = Vec::new();
    for f in PLAN_FORMATS {
        out.push((
            format!("plan --format {f}"),
            run(dir, &["plan", spec, "--format", f]),
        ));
    }
    for f in CHECK_FORMATS {
        out.push((
            format!("check --format {f}"),
            run(dir, &["check", spec, "--format", f]),
        ));
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

fn migration_spec(path: &str) -> String {
    format!(
        "deployment:\n  name: api\n  version: v2\n  previous_version: v1\n  changes:\n    - kind: migration\n      services: [api]\n      database: db\n      path: {path}\narchitecture:\n  services:\n    - name: api\n      platform: kubernetes\n      namespace: shop\n  data_stores:\n    - name: db\n      engine: postgres\n"
    )
}

fn mkfifo(p: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn proc_environ_named_by_a_spec_is_refused_in_every_format() {
    if !Path::new("/proc/self/environ").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rollbook.yaml",
        &migration_spec("/proc/self/environ"),
    );
    for (what, r) in every_output(dir.path(), "rollbook.yaml") {
        assert_eq!(r.code, Some(2), "{what}: {}", r.all());
        assert!(r.stderr.contains("/proc"), "{what}: {}", r.stderr);
    }
}

#[test]
fn committed_symlink_to_proc_environ_is_refused() {
    if !Path::new("/proc/self/environ").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("db")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("db/001.up.sql")).unwrap();
    write(
        dir.path(),
        "rollbook.yaml",
        &migration_spec("db/001.up.sql"),
    );
    for (what, r) in every_output(dir.path(), "rollbook.yaml") {
        assert_eq!(r.code, Some(2), "{what}: {}", r.all());
    }
    // Walking the folder skips the link; naming it is refused too.
    write(dir.path(), "dir.yaml", &migration_spec("db"));
    for (what, r) in every_output(dir.path(), "dir.yaml") {
        assert_eq!(r.code, Some(2), "{what}: {}", r.all());
    }
    for f in SCAN_FORMATS {
        run(dir.path(), &["scan", "db", "--format", f]);
        run(dir.path(), &["scan", "db/001.up.sql", "--format", f]);
    }
    let r = run(dir.path(), &["infer", "/proc/self/environ"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
}

#[test]
fn a_file_outside_the_project_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    write(
        dir.path(),
        "outside.sql",
        "-- root:x:0:0:outside-canary\nCREATE TABLE t (id int);\n",
    );
    write(&project, "rollbook.yaml", &migration_spec("../outside.sql"));
    std::os::unix::fs::symlink(dir.path().join("outside.sql"), project.join("linked.sql")).unwrap();
    write(&project, "linked.yaml", &migration_spec("linked.sql"));
    for spec in ["rollbook.yaml", "linked.yaml"] {
        let r = run(&project, &["plan", spec]);
        assert_eq!(r.code, Some(2), "{spec}: {}", r.all());
        assert!(
            r.stderr.contains("outside the project root"),
            "{}",
            r.stderr
        );
        assert!(!r.all().contains("outside-canary"));
        assert_eq!(
            r.stderr.trim_end().lines().count(),
            2,
            "one line and a help: {}",
            r.stderr
        );
    }
    if Path::new("/etc/passwd").exists() {
        write(&project, "passwd.yaml", &migration_spec("/etc/passwd"));
        let r = run(&project, &["plan", "passwd.yaml"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(!r.all().contains("root:x:0"), "{}", r.all());
    }
    // `path: "/"` does not walk the whole machine.
    write(&project, "slash.yaml", &migration_spec("\"/\""));
    let r = run(&project, &["plan", "slash.yaml"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(
        r.stderr.contains("outside the project root"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_git_work_tree_is_the_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "db/001.sql",
        "ALTER TABLE orders ADD COLUMN note text;\n",
    );
    write(
        dir.path(),
        "deploy/rollbook.yaml",
        &migration_spec("../db/001.sql"),
    );
    let r = run(dir.path(), &["plan", "deploy/rollbook.yaml"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
}

#[test]
fn walking_a_migration_folder_stays_inside_and_reads_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "db/001.sql",
        "ALTER TABLE orders ADD COLUMN note text;\n",
    );
    write(dir.path(), "other/evil.sql", "DROP TABLE users;\n");
    std::os::unix::fs::symlink("..", dir.path().join("db/parent")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("db/loop")).unwrap();
    write(dir.path(), "rollbook.yaml", &migration_spec("db"));
    let r = run(dir.path(), &["plan", "rollbook.yaml", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    let plan: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let read: Vec<&str> = plan["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["path"].as_str())
        .filter(|p| p.ends_with(".sql"))
        .collect();
    assert_eq!(read.len(), 1, "{read:?}");
    assert!(read[0].ends_with("db/001.sql"), "{read:?}");
    assert!(!r.stdout.contains("DROP TABLE users"));
}

#[test]
fn devices_and_fifos_are_refused_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let has_zero = Path::new("/dev/zero").exists();
    let fifo = mkfifo(&d.join("pipe.yaml")) && mkfifo(&d.join("db-pipe.sql"));
    if has_zero {
        for args in [
            &["plan", "/dev/zero"][..],
            &["infer", "/dev/zero"],
            &["check", "/dev/zero"],
            &["drill", "/dev/zero", "--script", "/dev/zero"],
        ] {
            let r = run(d, args);
            assert_eq!(r.code, Some(2), "{args:?}: {}", r.all());
            assert!(
                r.stderr.contains("character device"),
                "{args:?}: {}",
                r.stderr
            );
        }
        let r = run(d, &["scan", "/dev/zero"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.stderr.contains("character device"), "{}", r.stderr);
        assert!(!r.stderr.contains("no such file"), "{}", r.stderr);
        std::os::unix::fs::symlink("/dev/zero", d.join("zero.sql")).unwrap();
        write(d, "zero.yaml", &migration_spec("zero.sql"));
        let r = run(d, &["plan", "zero.yaml"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        // A policy file that is a device.
        std::os::unix::fs::symlink("/dev/zero", d.join("policy.toml")).unwrap();
        write(d, "ok.yaml", &migration_spec("ok.sql"));
        write(d, "ok.sql", "SELECT 1;\n");
        let r = run(d, &["check", "ok.yaml", "--policy", "policy.toml"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
    }
    if fifo {
        let r = run(d, &["plan", "pipe.yaml"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.stderr.contains("FIFO"), "{}", r.stderr);
        write(d, "fifo.yaml", &migration_spec("db-pipe.sql"));
        let r = run(d, &["plan", "fifo.yaml"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.stderr.contains("FIFO"), "{}", r.stderr);
    }
}

#[test]
fn output_to_a_device_fifo_or_directory_is_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "rollbook.yaml", &migration_spec("001.sql"));
    write(d, "001.sql", "SELECT 1;\n");
    if Path::new("/dev/null").exists() {
        let r = run(d, &["plan", "rollbook.yaml", "-o", "/dev/null", "--force"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.stderr.contains("character device"), "{}", r.stderr);
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
    }
    std::fs::create_dir(d.join("out")).unwrap();
    let r = run(d, &["plan", "rollbook.yaml", "-o", "out", "--force"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(d.join("out").is_dir());
    if mkfifo(&d.join("fifo.md")) {
        let r = run(d, &["plan", "rollbook.yaml", "-o", "fifo.md", "--force"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
    }
}

/// One canary per secret shape; each must be masked in every output.
const SECRET_CANARIES: [&str; 9] = [
    "CanaryUrlPw1",
    "CanaryQueryTok2",
    "CanaryApiKey3",
    "CanaryHook4",
    "CanaryShortPw5",
    "CanaryJdbcPw6",
    "CanaryAdoPw7",
    "CanarySig8",
    "ghp_Canary9abcdefghijklmnopqrstuvwxyz",
];

#[test]
fn secret_canaries_are_masked_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let spec = r#"deployment:
  name: api
  version: v2
  previous_version: v1
  summary: "dashboards at https://ops:CanaryUrlPw1@grafana.example.com/d/x?token=CanaryQueryTok2"
  changes:
    - kind: code
      services: [api]
    - kind: config
      services: [api]
      location:
        store: configmap
        name: api-config
      keys:
        - {key: PROVIDER_URL, before: "https://p.example.com/v1", after: "https://p.example.com/v1?api_key=CanaryApiKey3"}
        - {key: ALERTS, before: "none", after: "https://hooks.slack.com/services/T0/B0/CanaryHook4"}
        - {key: DB_PASSWORD, before: "old", after: "CanaryShortPw5"}
        - {key: REPORTS_DB, before: "jdbc:postgresql://db/r", after: "jdbc:postgresql://db/r?user=a&password=CanaryJdbcPw6"}
        - {key: LEGACY_DB, before: "Server=db;", after: "Server=db;Database=app;Password=CanaryAdoPw7;"}
        - {key: ASSETS, before: "https://b.s3.amazonaws.com/k", after: "https://b.s3.amazonaws.com/k?X-Amz-Signature=CanarySig8"}
        - {key: BOT, before: "none", after: "ghp_Canary9abcdefghijklmnopqrstuvwxyz"}
architecture:
  services:
    - name: api
      platform: kubernetes
      namespace: shop
"#;
    write(dir.path(), "rollbook.yaml", spec);
    let mut ran = 0;
    for (what, r) in every_output(dir.path(), "rollbook.yaml") {
        let all = r.all();
        for c in SECRET_CANARIES {
            assert!(!all.contains(c), "{what}: {c} printed:\n{all}");
        }
        ran += usize::from(r.code != Some(2));
    }
    assert!(ran > 0, "the spec did not load: every run failed");
}

#[test]
fn check_snippets_do_not_print_the_secret_they_warn_about() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules/RB401-config-secret-changed");
    std::fs::copy(fixtures.join("fire.yaml"), dir.path().join("fire.yaml")).unwrap();
    write(
        dir.path(),
        "fire-before.env",
        "PAYMENTS_API_TOKEN=CanaryOldTok\n",
    );
    write(
        dir.path(),
        "fire-after.env",
        "PAYMENTS_API_TOKEN=CanaryNewTok\n",
    );
    for (what, r) in every_output(dir.path(), "fire.yaml") {
        let all = r.all();
        assert!(
            !all.contains("CanaryNewTok") && !all.contains("CanaryOldTok"),
            "{what}:\n{all}"
        );
    }
    let r = run(dir.path(), &["check", "fire.yaml"]);
    assert!(r.stdout.contains("RB401"), "{}", r.all());
}

#[test]
fn control_characters_are_escaped_in_every_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let sql =
        "ALTER TABLE \"orders\u{1b}[2J\u{202E}txt\" DROP COLUMN \"note\u{1b}]0;pwned\u{7}\";\n";
    write(dir.path(), "db/001_evil\u{1b}[31m.sql", sql);
    write(dir.path(), "rollbook.yaml", &migration_spec("db"));
    let mut outputs = every_output(dir.path(), "rollbook.yaml");
    for f in SCAN_FORMATS {
        outputs.push((
            format!("scan --format {f}"),
            run(dir.path(), &["scan", "db", "--format", f]),
        ));
    }
    for (what, r) in &outputs {
        assert!(
            r.code != Some(2) || what.starts_with("check"),
            "{what}: {}",
            r.all()
        );
        let all = r.all();
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{202E}') && !all.contains('\u{7}'),
            "{what}: raw control characters:\n{all:?}"
        );
        if what.contains("json") || what.contains("sarif") || what.contains("slack") {
            serde_json::from_str::<serde_json::Value>(&r.stdout)
                .unwrap_or_else(|e| panic!("{what}: not JSON any more: {e}"));
        }
    }
    // The escapes are visible, not dropped.
    let md = &outputs[0].1.stdout;
    assert!(md.contains("\\u{1B}") || md.contains("\\u{202E}"), "{md}");
    // In commands, such a value becomes a placeholder, listed with the others.
    let json = &outputs[1].1.stdout;
    assert!(json.contains("<INVALID_VALUE>"), "{json}");
    let plan: serde_json::Value = serde_json::from_str(json).unwrap();
    let listed = plan["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["token"] == "<INVALID_VALUE>");
    assert!(listed, "<INVALID_VALUE> used but not listed");
}

#[test]
fn closed_stdout_is_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rollbook.yaml", &migration_spec("001.sql"));
    write(dir.path(), "001.sql", "SELECT 1;\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .current_dir(dir.path())
        .args(["plan", "rollbook.yaml"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write to stdout"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn init_writes_a_spec_that_plans() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["init", "-o", "rollbook.yaml"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    let r = run(dir.path(), &["plan", "rollbook.yaml"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
}

#[test]
fn messages_are_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "multi.yaml",
        "deployment:\n  name: a\n---\ndeployment:\n  name: b\n",
    );
    let r = run(dir.path(), &["plan", "multi.yaml"]);
    assert_eq!(r.code, Some(2));
    assert!(!r.stderr.contains("from_str_multiple"), "{}", r.stderr);
    assert!(
        r.stderr.contains("more than one YAML document"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("multi.yaml:4:"), "{}", r.stderr);

    let plain =
        rollbook::spec::load::plain_yaml_message("budget breached: Events { events: 200001 }");
    assert!(!plain.contains('{') && plain.contains("200001"), "{plain}");

    // --git outside a repository: one line and a help, not git's usage.
    if !std::process::Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(dir.path())
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let r = run(dir.path(), &["plan", "--git", "main..HEAD"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.stderr.lines().count() <= 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("not inside a git repository"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn terraform_plans_have_one_size_limit() {
    // A 9 MiB plan: over the old 8 MiB of `scan`, under the 64 MiB of `plan`.
    let dir = tempfile::tempdir().unwrap();
    let pad = "x".repeat(9 * 1024 * 1024);
    let json =
        format!("{{\"format_version\": \"1.2\", \"pad\": \"{pad}\", \"resource_changes\": []}}");
    write(dir.path(), "plan.json", &json);
    let class = rollbook::scan::classify(&dir.path().join("plan.json"));
    assert!(
        matches!(class, rollbook::scan::Class::TerraformPlan),
        "{class:?}"
    );
}

#[test]
fn an_unreadable_drill_log_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("drills");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("bad.jsonl"), b"\xff\xfe not utf-8\n").unwrap();
    let r = run(dir.path(), &["drill", "--report", "drills"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(r.stderr.contains("warning: drill log"), "{}", r.stderr);
}

#[test]
fn a_policy_file_found_beside_the_spec_must_be_inside_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    write(
        dir.path(),
        "policy.toml",
        "[policy]\nbackup_max_age_days = 3\n",
    );
    write(&project, "rollbook.yaml", &migration_spec("001.sql"));
    write(&project, "001.sql", "SELECT 1;\n");
    std::os::unix::fs::symlink(
        dir.path().join("policy.toml"),
        project.join("rollbook.toml"),
    )
    .unwrap();
    let r = run(&project, &["check", "rollbook.yaml"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(
        r.stderr.contains("outside the project root"),
        "{}",
        r.stderr
    );
    // Named on the command line, it is read.
    let r = run(
        &project,
        &["check", "rollbook.yaml", "--policy", "../policy.toml"],
    );
    assert_ne!(r.code, Some(2), "{}", r.all());
}

#[test]
fn a_huge_artifact_is_summarised_not_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let sql: String = (0..3000)
        .map(|i| format!("ALTER TABLE orders DROP COLUMN c{i};\n"))
        .collect();
    write(dir.path(), "m.sql", &sql);
    write(dir.path(), "rollbook.yaml", &migration_spec("m.sql"));
    let r = run(dir.path(), &["plan", "rollbook.yaml"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("… and 2980 more `RB102` findings in `m.sql`"),
        "repeats are not counted"
    );
    // Once 12 times the migration's size: now the dropped columns are counted, not repeated, in
    // every section (one copy-back placeholder for the table, the lost list summarised).
    assert!(
        r.stdout.len() < sql.len(),
        "plan of {} bytes for a {}-byte migration",
        r.stdout.len(),
        sql.len()
    );
    assert!(r.stdout.contains("<TABLE_ORDERS_COLUMNS_COPY_BACK>"));
    assert!(!r.stdout.contains("<COLUMN_ORDERS_C7_COPY_BACK>"));
    assert!(r.stdout.contains("… and 2980 more"));
    let html = run(dir.path(), &["plan", "rollbook.yaml", "--format", "html"]);
    assert_eq!(html.code, Some(0), "{}", html.stderr);
    assert!(
        html.stdout.len() < sql.len(),
        "HTML page of {} bytes for a {}-byte migration",
        html.stdout.len(),
        sql.len()
    );
    // JSON keeps every finding.
    let r = run(dir.path(), &["plan", "rollbook.yaml", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let n = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RB102")
        .count();
    assert_eq!(n, 3000);
}
