//! `rollbook rehearse` against real servers started by the tests themselves (`--ephemeral`):
//! PostgreSQL from initdb/postgres and MariaDB from mariadb-install-db/mariadbd. A test skips,
//! saying so, only when the binaries are absent and CI is not set; .ci/run installs them.

use assert_cmd::Command;
use rollbook::rehearse::{Engine, Report, server};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The server binaries are here, or (outside CI) the test is skipped with a message.
fn have(engine: Engine) -> bool {
    match server::missing_binary(engine) {
        None => true,
        Some(p) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install the {} server (`{p}` missing): see .ci/run",
                engine.name()
            );
            eprintln!(
                "SKIPPED: `{p}` is not on PATH; install the {} server to run this test",
                engine.name()
            );
            false
        }
    }
}

fn rollbook() -> Command {
    Command::cargo_bin("rollbook").unwrap()
}

/// Runs a rehearsal, returns (exit code, report).
fn rehearse(args: &[&str]) -> (i32, Report) {
    rehearse_with(rollbook(), args)
}

fn rehearse_with(mut cmd: Command, args: &[&str]) -> (i32, Report) {
    let out = cmd
        .arg("rehearse")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not a report ({e}); stderr: {stderr}"));
    (out.status.code().unwrap_or(-1), report)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SPEC_HEAD: &str = "deployment:\n  name: t\n  version: app:2\n  previous_version: app:1\n  changes:\n    - kind: migration\n      id: m\n      path: m/2_change.up.sql\n";

#[test]
fn postgres_additive_example_is_reversible_and_its_loss_is_declared_and_fitted() {
    if !have(Engine::Postgres) {
        return;
    }
    additive_example_on(rollbook());
}

/// The bin directory of a second PostgreSQL major (`initdb`, `postgres`), named by
/// `ROLLBOOK_TEST_POSTGRES_BIN`; .ci/run installs PostgreSQL 17 there beside Debian's 15.
fn second_postgres() -> Option<PathBuf> {
    match std::env::var_os("ROLLBOOK_TEST_POSTGRES_BIN") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must name a second PostgreSQL major in ROLLBOOK_TEST_POSTGRES_BIN: see .ci/run"
            );
            eprintln!("SKIPPED: ROLLBOOK_TEST_POSTGRES_BIN is not set (a second PostgreSQL major)");
            None
        }
    }
}

/// The major version a `postgres` binary reports (`postgres (PostgreSQL) 17.6` -> "17").
fn major_of(postgres: &Path) -> String {
    let out = std::process::Command::new(postgres)
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last().unwrap_or_default();
    version.split('.').next().unwrap_or_default().to_string()
}

#[test]
fn postgres_second_major_rehearses_the_same_example_with_the_same_result() {
    if !have(Engine::Postgres) {
        return;
    }
    let Some(dir) = second_postgres() else {
        return;
    };
    let default_major = major_of(&server::which("postgres").unwrap());
    let second_major = major_of(&dir.join("postgres"));
    assert_ne!(
        default_major, second_major,
        "ROLLBOOK_TEST_POSTGRES_BIN must hold another major than the one on PATH"
    );
    // The second major's server binaries come first; psql stays the one on PATH.
    let path = std::env::join_paths(
        std::iter::once(dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut cmd = rollbook();
    cmd.env("PATH", path);
    let r = additive_example_on(cmd);
    assert!(
        r.server_version
            .starts_with(&format!("PostgreSQL {second_major}.")),
        "{}",
        r.server_version
    );
}

/// Rehearses the additive example on the server `cmd` finds and checks the whole report and
/// the plan built from it; returns the report.
fn additive_example_on(cmd: Command) -> Report {
    let (code, r) = rehearse_with(
        cmd,
        &[
            "examples/additive-migration-canary.yaml",
            "--ephemeral",
            "postgres",
            "--rows",
            "200,1000,3000",
        ],
    );
    assert_eq!(code, 0, "{:?}", r.problems);
    assert_eq!(r.verdict, "reversible");
    assert!(r.server_version.starts_with("PostgreSQL"));
    assert_eq!(r.runs.len(), 3);
    for run in &r.runs {
        assert!(run.up_down_up);
        assert!(run.schema_diff.is_empty(), "{:?}", run.schema_diff);
        // The down drops every gift message written under the new version.
        assert_eq!(
            run.down_destroyed.get("public.orders.gift_message"),
            Some(&run.rows)
        );
        let add = run
            .statements
            .iter()
            .find(|t| t.excerpt.starts_with("ALTER TABLE orders ADD COLUMN"))
            .unwrap();
        assert_eq!(add.locks, vec!["AccessExclusiveLock on orders"]);
    }
    // Every statement that ran at all three sizes has a fit with its inputs and error.
    let fit = r
        .fits
        .iter()
        .find(|f| f.phase == "down" && f.excerpt.contains("DROP COLUMN gift_message"))
        .unwrap();
    assert_eq!(
        fit.points.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![200, 1000, 3000]
    );
    assert!(fit.max_relative_error.is_finite() && fit.fixed_seconds >= 0.0);
    // Into the plan: a Go / No-Go line citing the rehearsal and the loss in Data Recovery.
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("r.json");
    std::fs::write(&path, serde_json::to_string(&r).unwrap()).unwrap();
    let out = rollbook()
        .args([
            "plan",
            "examples/additive-migration-canary.yaml",
            "--rehearsal",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("The rollback was rehearsed") && md.contains("PostgreSQL"),
        "{md}"
    );
    // No row count declared: the store's 220 GB over the measured bytes per row of orders.
    let (rows, src) = &r.targets["orders"];
    let bpr = r.runs.last().unwrap().bytes_per_row["public.orders"];
    assert!(bpr > 0);
    assert_eq!(*rows, (220.0 * 1024f64.powi(3) / bpr as f64).floor() as u64);
    assert!(
        src.contains("architecture.data_stores[0].size_gb = 220 GB")
            && src.contains("bytes per row of orders measured at 3000"),
        "{src}"
    );
    assert!(
        md.contains(&format!(
            "the down drops up to {rows} values of orders.gift_message at up to {rows} rows (derived from"
        )),
        "{md}"
    );
    r
}

#[test]
fn postgres_destructive_example_counts_what_the_plan_says_the_up_destroys() {
    if !have(Engine::Postgres) {
        return;
    }
    let (code, r) = rehearse(&[
        "examples/destructive-migration-emails.yaml",
        "--ephemeral",
        "postgres",
        "--rows",
        "50",
    ]);
    assert_eq!(code, 0, "{:?}", r.problems);
    let run = &r.runs[0];
    assert!(run.skipped.is_empty(), "{:?}", run.skipped);
    assert_eq!(run.up_changed.get("public.users.legacy_phone"), Some(&50));
    assert_eq!(
        run.up_changed
            .get("public.phone_verification_attempts.user_id"),
        Some(&50)
    );
    // The plan says the same: the up drops the column and the table.
    let plan = rollbook()
        .args(["plan", "examples/destructive-migration-emails.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(text.contains("legacy_phone") && text.contains("phone_verification_attempts"));
}

#[test]
fn mysql_example_rehearses_on_mariadb() {
    if !have(Engine::Mysql) {
        return;
    }
    let (code, r) = rehearse(&[
        "examples/ecs-blue-green-mysql-backfill.yaml",
        "--ephemeral",
        "mysql",
        "--rows",
        "100,500",
    ]);
    assert_eq!(code, 0, "{:?}", r.problems);
    assert!(r.server_version.contains("MariaDB"), "{}", r.server_version);
    assert_eq!(
        r.runs[1].down_destroyed.get("members.points_balance"),
        Some(&500)
    );
    // ALGORITHM=INSTANT copies no rows; the lock line says so, from the rows the ALTER copied.
    let up = r.runs[1]
        .statements
        .iter()
        .find(|t| t.phase == "up" && t.excerpt.contains("ADD COLUMN points_balance"))
        .unwrap();
    assert!(
        up.locks
            .iter()
            .any(|l| l.starts_with("in place or instant on members")),
        "{:?}",
        up.locks
    );
    // Extrapolated to the backfill's declared row count, citing it.
    let f = &r.fits[0];
    assert_eq!(f.target_rows, Some(4_200_000));
    assert!(f.target_source.as_deref().unwrap().contains("rows"));
}

/// A history file, then a change whose down forgets an index, a default and a function, and
/// whose up creates a routine with `;` inside (dollar quoting, DELIMITER).
fn leaky(dir: &Path, engine: Engine) {
    write(
        dir,
        "m/1_create.up.sql",
        "CREATE TABLE items (id int PRIMARY KEY, name varchar(50));\n",
    );
    let routine = match engine {
        Engine::Postgres => "CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n",
        Engine::Mysql => {
            "DELIMITER //\nCREATE PROCEDURE one() BEGIN SELECT 1; SELECT 2; END //\nDELIMITER ;\n"
        }
    };
    write(
        dir,
        "m/2_change.up.sql",
        &format!(
            "ALTER TABLE items ADD COLUMN note varchar(20);\nCREATE INDEX items_id_name ON items (id, name);\nALTER TABLE items ALTER COLUMN name SET DEFAULT 'n';\n{routine}"
        ),
    );
    write(
        dir,
        "m/2_change.down.sql",
        "ALTER TABLE items DROP COLUMN note;\n",
    );
    write(dir, "spec.yaml", SPEC_HEAD);
}

fn check_leaky(engine: Engine, name: &str) {
    let d = tempfile::tempdir().unwrap();
    leaky(d.path(), engine);
    let spec = d.path().join("spec.yaml");
    let (code, r) = rehearse(&[spec.to_str().unwrap(), "--ephemeral", name, "--rows", "20"]);
    assert_eq!(code, 1);
    assert_eq!(r.history, 1);
    let diff: Vec<(String, String)> = r.runs[0]
        .schema_diff
        .iter()
        .map(|d| (d.kind.clone(), d.object.clone()))
        .collect();
    let has = |kind: &str, needle: &str| diff.iter().any(|(k, o)| k == kind && o.contains(needle));
    assert!(has("left_behind", "items_id_name"), "{diff:?}");
    assert!(has("changed", "items.name"), "{diff:?}");
    assert!(has("left_behind", "one"), "{diff:?}");
    assert!(r.problems.iter().any(|p| p.contains("items_id_name")));
    // The new column's values, written as the new version would, are counted and undeclared.
    assert!(
        r.runs[0]
            .down_destroyed
            .iter()
            .any(|(k, n)| k.ends_with("items.note") && *n == 20),
        "{:?}",
        r.runs[0].down_destroyed
    );
}

#[test]
fn postgres_down_that_leaves_an_index_default_and_function_behind_is_caught() {
    if have(Engine::Postgres) {
        check_leaky(Engine::Postgres, "postgres");
    }
}

#[test]
fn mysql_down_that_leaves_an_index_default_and_procedure_behind_is_caught() {
    if have(Engine::Mysql) {
        check_leaky(Engine::Mysql, "mysql");
    }
}

#[test]
fn mysql_alter_that_copies_the_table_is_reported_as_blocking_writes() {
    if !have(Engine::Mysql) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "m/1_create.up.sql",
        "CREATE TABLE items (id int PRIMARY KEY, name varchar(50));\n",
    );
    // Narrowing a VARCHAR cannot be done in place: the table is copied row by row.
    write(
        d.path(),
        "m/2_change.up.sql",
        "ALTER TABLE items MODIFY name varchar(40);\n",
    );
    write(
        d.path(),
        "m/2_change.down.sql",
        "ALTER TABLE items MODIFY name varchar(50);\n",
    );
    write(d.path(), "spec.yaml", SPEC_HEAD);
    let spec = d.path().join("spec.yaml");
    let (_, r) = rehearse(&[
        spec.to_str().unwrap(),
        "--ephemeral",
        "mysql",
        "--rows",
        "20",
    ]);
    let up = r.runs[0]
        .statements
        .iter()
        .find(|t| t.phase == "up")
        .unwrap();
    assert_eq!(
        up.locks,
        ["table copy on items (20 rows copied): writes to it were blocked throughout"]
    );
}

#[test]
fn failing_down_is_caught_with_its_line() {
    if !have(Engine::Postgres) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "m/1_a.up.sql",
        "CREATE TABLE a (id int PRIMARY KEY);\n",
    );
    write(
        d.path(),
        "m/1_a.down.sql",
        "DROP TABLE a;\n\nDROP TABLE never_created;\n",
    );
    let up = d.path().join("m/1_a.up.sql");
    let (code, r) = rehearse(&[
        up.to_str().unwrap(),
        "--ephemeral",
        "postgres",
        "--rows",
        "5",
    ]);
    assert_eq!(code, 1);
    assert!(!r.runs[0].up_down_up);
    let failed = r.runs[0]
        .statements
        .iter()
        .find(|t| t.error.is_some())
        .unwrap();
    assert!(failed.at.ends_with("1_a.down.sql:3"), "{}", failed.at);
    assert!(failed.error.as_deref().unwrap().contains("never_created"));
    assert!(
        r.problems[0].starts_with("down fails at"),
        "{:?}",
        r.problems
    );
}

#[test]
fn non_empty_database_url_is_refused_and_nothing_is_written() {
    if !have(Engine::Postgres) {
        return;
    }
    let srv = server::ephemeral(Engine::Postgres).unwrap();
    let url = srv.url.clone().unwrap();
    srv.client
        .query("CREATE TABLE precious (v text); INSERT INTO precious VALUES ('keep')")
        .unwrap();
    let before = srv
        .client
        .query("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
        .unwrap();
    let out = rollbook()
        .args([
            "rehearse",
            "examples/additive-migration-canary.yaml",
            "--database-url",
            &url,
            "--rows",
            "10",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did not create"), "{err}");
    assert!(!err.contains(&url), "the URL must not be printed");
    assert!(out.stdout.is_empty());
    let after = srv
        .client
        .query("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(
        srv.client.query("SELECT v FROM precious").unwrap(),
        vec![vec!["keep".to_string()]]
    );
    // Emptied, the same database is rehearsed on, and marked as rollbook's for the next run.
    srv.client.query("DROP TABLE precious").unwrap();
    for _ in 0..2 {
        let (code, r) = rehearse(&[
            "examples/additive-migration-canary.yaml",
            "--database-url",
            &url,
            "--rows",
            "10",
        ]);
        assert_eq!(code, 0, "{:?}", r.problems);
        assert_eq!(r.server, "url");
    }
}

#[test]
fn ctrl_c_leaves_no_server_process_and_no_temporary_directory() {
    if !have(Engine::Postgres) {
        return;
    }
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    // The server runs as `nobody` under a root test: it must be able to enter TMPDIR.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rollbook"))
        .args([
            "rehearse",
            "examples/additive-migration-canary.yaml",
            "--ephemeral",
            "postgres",
            "--rows",
            "200000,400000,800000",
        ])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the server to run: its pid file is in the rehearsal's temporary directory.
    let started = Instant::now();
    let server_pid = loop {
        let pid = std::fs::read_dir(tmp.path()).unwrap().find_map(|e| {
            let f = e.ok()?.path().join("data/postmaster.pid");
            std::fs::read_to_string(f)
                .ok()?
                .lines()
                .next()?
                .trim()
                .parse::<i32>()
                .ok()
        });
        if let Some(p) = pid {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(300));
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(
        kill(Pid::from_raw(server_pid), None).is_err(),
        "server {server_pid} still running"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn usage_errors_exit_2_and_schema_is_printed() {
    rollbook()
        .args(["rehearse", "examples/additive-migration-canary.yaml"])
        .assert()
        .code(2);
    rollbook()
        .args([
            "rehearse",
            "examples/additive-migration-canary.yaml",
            "--database-url",
            "redis://x",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not supported"));
    rollbook()
        .args([
            "rehearse",
            "examples/additive-migration-canary.yaml",
            "--ephemeral",
            "postgres",
            "--rows",
            "1,2,3,4",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("one to three sizes"));
    let out = rollbook().args(["schema", "rehearsal"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = schema.to_string();
    for field in [
        "up_down_up",
        "down_destroyed",
        "schema_diff",
        "predicted_seconds",
    ] {
        assert!(text.contains(field), "{field}");
    }
}

/// A report as `rehearse` writes it, for the files of `leaky` (no server needed).
fn report_for(dir: &Path, problems: Vec<String>) -> Report {
    let mut checksums = std::collections::BTreeMap::new();
    for f in ["m/2_change.up.sql", "m/2_change.down.sql"] {
        let p = dir.join(f);
        let text = std::fs::read_to_string(&p).unwrap();
        checksums.insert(p.display().to_string(), rollbook::rehearse::sha256(&text));
    }
    Report {
        version: 1,
        engine: Engine::Postgres,
        server_version: "PostgreSQL 15.18".into(),
        server: "ephemeral".into(),
        tool: None,
        lock_reporting: None,
        rehearsed_at: "2026-12-01T10:00:00Z".into(),
        sources: checksums.keys().cloned().collect(),
        checksums,
        history: 1,
        stand_ins: Vec::new(),
        runs: Vec::new(),
        fits: Vec::new(),
        targets: Default::default(),
        verdict: if problems.is_empty() {
            "reversible"
        } else {
            "problem"
        }
        .into(),
        problems,
    }
}

#[test]
fn check_requires_a_rehearsal_of_the_files_as_they_are_now() {
    let d = tempfile::tempdir().unwrap();
    leaky(d.path(), Engine::Postgres);
    let spec = d.path().join("spec.yaml");
    std::fs::write(
        &spec,
        format!("{SPEC_HEAD}policy:\n  require_rehearsal: rehearsal.json\n"),
    )
    .unwrap();
    let rb920 = || {
        let out = rollbook()
            .args(["check", spec.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut found = Vec::new();
        let mut stack = vec![v];
        while let Some(x) = stack.pop() {
            match x {
                Value::Object(m) => {
                    if m.get("rule").and_then(Value::as_str) == Some("RB920") {
                        found.push(
                            m.get("message")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                        );
                    }
                    stack.extend(m.into_iter().map(|(_, v)| v));
                }
                Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        (out.status.code(), found)
    };
    let (code, found) = rb920();
    assert_eq!(code, Some(1));
    assert!(
        found
            .iter()
            .any(|m| m.contains("no usable rehearsal report")),
        "{found:?}"
    );
    let report = d.path().join("rehearsal.json");
    std::fs::write(
        &report,
        serde_json::to_string(&report_for(d.path(), Vec::new())).unwrap(),
    )
    .unwrap();
    assert_eq!(rb920().1, Vec::<String>::new());
    // Edited after the rehearsal: stale.
    write(
        d.path(),
        "m/2_change.down.sql",
        "ALTER TABLE items DROP COLUMN note;\nDROP INDEX items_id_name;\n",
    );
    let (_, found) = rb920();
    assert!(
        found
            .iter()
            .any(|m| m.contains("2_change.down.sql changed after the rehearsal")),
        "{found:?}"
    );
    // A report with a problem fails too.
    std::fs::write(
        &report,
        serde_json::to_string(&report_for(
            d.path(),
            vec!["down fails at x:1: boom".into()],
        ))
        .unwrap(),
    )
    .unwrap();
    let (_, found) = rb920();
    assert!(found.iter().any(|m| m.contains("boom")), "{found:?}");
}

#[test]
fn checked_in_rehearsal_schema_is_current() {
    let stored = std::fs::read_to_string("schema/rehearsal.schema.json").unwrap_or_default();
    let out = rollbook().args(["schema", "rehearsal"]).output().unwrap();
    assert!(
        stored.as_bytes() == out.stdout.as_slice(),
        "schema/rehearsal.schema.json is stale: cargo run -- schema rehearsal > schema/rehearsal.schema.json"
    );
}

#[test]
fn a_rehearsal_that_found_a_problem_makes_the_class_at_least_complex() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "m/1_create.up.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY);\n",
    );
    write(
        d.path(),
        "m/2_change.up.sql",
        "CREATE INDEX CONCURRENTLY t_id ON t (id);\n",
    );
    write(
        d.path(),
        "m/2_change.down.sql",
        "DROP INDEX CONCURRENTLY t_id;\n",
    );
    let spec = d.path().join("spec.yaml");
    std::fs::write(&spec, SPEC_HEAD).unwrap();
    let level = |problems: Vec<String>| {
        let report = d.path().join("rehearsal.json");
        std::fs::write(
            &report,
            serde_json::to_string(&report_for(d.path(), problems)).unwrap(),
        )
        .unwrap();
        let out = rollbook()
            .args([
                "plan",
                spec.to_str().unwrap(),
                "--format",
                "json",
                "--rehearsal",
            ])
            .arg(&report)
            .output()
            .unwrap();
        let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &plan["classification"];
        let reasons = c["reasons"].to_string();
        (c["level"].as_str().unwrap().to_string(), reasons)
    };
    let (clean, _) = level(Vec::new());
    let (found, reasons) = level(vec!["down fails at m/2_change.down.sql:1: boom".into()]);
    assert_ne!(
        clean, "complex",
        "the floor comes from the problem, not the change"
    );
    assert_eq!(found, "complex");
    assert!(
        reasons.contains("the rehearsal found: down fails"),
        "{reasons}"
    );
}

#[test]
fn progress_counts_every_unit_of_work_in_order() {
    if !have(Engine::Postgres) {
        return;
    }
    let plan = rollbook::rehearse::input::from_spec(
        "examples/additive-migration-canary.yaml",
        Some(Engine::Postgres),
        vec![10, 20],
    )
    .unwrap();
    let server = server::ephemeral(Engine::Postgres).unwrap();
    let ticks = std::cell::RefCell::new(Vec::new());
    let record = |t: rollbook::rehearse::Tick| {
        ticks
            .borrow_mut()
            .push((t.done, t.total, t.what.to_string()))
    };
    rollbook::rehearse::rehearse(&plan, &server, &record).unwrap();
    drop(server);
    let ticks = ticks.into_inner();
    // Per size: the seeding, then the one deploy migration up, down and up again.
    let total = 2 * (plan.history.len() as u64 + 1 + 3);
    assert!(ticks.iter().all(|t| t.1 == total), "{ticks:?}");
    assert!(ticks.windows(2).all(|w| w[0].0 <= w[1].0), "{ticks:?}");
    assert_eq!(ticks.last().map(|t| t.0), Some(total - 1), "{ticks:?}");
    assert!(
        ticks.iter().any(|t| t.2 == "rows 20: down 1/1"),
        "{ticks:?}"
    );
}
