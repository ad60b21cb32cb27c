//! `rollbook rehearse --via-tool`: the same small migrations rehearsed through dbmate and sqitch
//! and by rollbook's own splitter must agree (verdict, loss counts, schema back). A test skips,
//! saying so, only when a binary is absent and CI is not set; .ci/run installs them.

use assert_cmd::Command;
use rollbook::rehearse::{Engine, Report, server};
use std::path::Path;

/// The server binaries and the tool are on PATH, or (outside CI) the test is skipped.
fn have(engine: Engine, tool: &str) -> bool {
    let missing = server::missing_binary(engine)
        .map(str::to_string)
        .or_else(|| server::which(tool).is_none().then(|| tool.to_string()));
    match missing {
        None => true,
        Some(p) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install `{p}` for the --via-tool tests: see .ci/run"
            );
            eprintln!("SKIPPED: `{p}` is not on PATH; install it to run this test");
            false
        }
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Rehearses `spec` with the extra `args`; returns (exit code, report).
fn rehearse(dir: &Path, spec: &str, args: &[&str]) -> (i32, Report) {
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .current_dir(dir)
        .args(["rehearse", spec, "--rows", "100,400", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not a report ({e}); stderr: {stderr}"));
    (out.status.code().unwrap_or(-1), report)
}

/// The tool's run and rollbook's own agree on what matters for the plan.
fn agree(dir: &Path, spec: &str, engine: &str, tool: &str) -> Report {
    let (own_code, own) = rehearse(dir, spec, &["--ephemeral", engine]);
    let (code, via) = rehearse(dir, spec, &["--ephemeral", engine, "--via-tool", tool]);
    assert_eq!(own.tool, None);
    assert!(
        via.tool.as_deref().is_some_and(|t| t.starts_with(tool)),
        "{:?}",
        via.tool
    );
    assert_eq!(code, own_code, "{:?} vs {:?}", via.problems, own.problems);
    assert_eq!(via.verdict, own.verdict);
    assert_eq!(via.runs.len(), own.runs.len());
    for (v, o) in via.runs.iter().zip(&own.runs) {
        assert!(v.up_down_up, "{:?}", v.statements);
        assert_eq!(v.down_destroyed, o.down_destroyed);
        assert_eq!(v.up_changed, o.up_changed);
        assert_eq!(v.schema_diff, o.schema_diff);
        // One timing per migration and phase, each measured.
        let phases: Vec<&str> = v.statements.iter().map(|t| t.phase.as_str()).collect();
        assert_eq!(phases, ["up", "down", "up_again"]);
        assert!(v.statements.iter().all(|t| t.seconds.is_some()));
    }
    // The tool's bookkeeping never shows as a difference or a loss.
    let json = serde_json::to_string(&via).unwrap();
    assert!(!json.contains("_rollbook_tool"), "{json}");
    via
}

/// A dbmate layout: the history creates the table, the deploy adds a column and an index.
fn dbmate_layout(dir: &Path, numeric: &str, store_engine: &str) {
    write(
        dir,
        "db/migrations/20240101000000_create_orders.sql",
        &format!(
            "-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY, total {numeric} NOT NULL);\n\n-- migrate:down\nDROP TABLE orders;\n"
        ),
    );
    write(
        dir,
        "db/migrations/20240201000000_add_gift_message.sql",
        "-- migrate:up\nALTER TABLE orders ADD COLUMN gift_message text;\nCREATE INDEX orders_total_idx ON orders (total);\n\n-- migrate:down\nDROP INDEX orders_total_idx ON orders;\nALTER TABLE orders DROP COLUMN gift_message;\n",
    );
    write(
        dir,
        "spec.yaml",
        &format!(
            "deployment:\n  name: t\n  version: app:2\n  previous_version: app:1\n  changes:\n    - kind: migration\n      id: m\n      tool: dbmate\n      path: db/migrations/20240201000000_add_gift_message.sql\narchitecture:\n  data_stores:\n    - name: db\n      engine: {store_engine}\n      size_gb: 2\n"
        ),
    );
}

#[test]
fn dbmate_on_postgres_agrees_with_rollbooks_own_run() {
    if !have(Engine::Postgres, "dbmate") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    dbmate_layout(d.path(), "numeric(10,2)", "postgres");
    // PostgreSQL's DROP INDEX takes no table.
    let f = d
        .path()
        .join("db/migrations/20240201000000_add_gift_message.sql");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace(" ON orders;", ";");
    std::fs::write(&f, text).unwrap();
    let r = agree(d.path(), "spec.yaml", "postgres", "dbmate");
    assert_eq!(r.verdict, "reversible");
    assert_eq!(r.history, 1);
    let last = r.runs.last().unwrap();
    assert_eq!(
        last.down_destroyed.get("public.orders.gift_message"),
        Some(&400)
    );
    // The tool's timings name the table, so the fit extrapolates to the rows derived from the
    // store's 2 GB.
    assert!(
        last.statements[0].excerpt.contains("on orders"),
        "{:?}",
        last.statements
    );
    let down = r.fits.iter().find(|f| f.phase == "down").unwrap();
    assert_eq!(down.target_rows, Some(r.targets["orders"].0));
    assert!(down.predicted_seconds.is_some());
}

#[test]
fn dbmate_on_mariadb_agrees_with_rollbooks_own_run() {
    if !have(Engine::Mysql, "dbmate") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    dbmate_layout(d.path(), "decimal(10,2)", "mysql");
    let r = agree(d.path(), "spec.yaml", "mysql", "dbmate");
    assert_eq!(r.verdict, "reversible");
    assert_eq!(
        r.runs
            .last()
            .unwrap()
            .down_destroyed
            .get("orders.gift_message"),
        Some(&400)
    );
}

#[test]
fn sqitch_on_postgres_agrees_with_rollbooks_own_run_and_catches_a_leaky_revert() {
    if !have(Engine::Postgres, "sqitch") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "sqitch.plan",
        "%syntax-version=1.0.0\n%project=shop\n\ncreate_orders 2024-01-01T00:00:00Z Dev <dev@example.com> # orders\ngift_message 2024-02-01T00:00:00Z Dev <dev@example.com> # gift\n",
    );
    write(p, "sqitch.conf", "[core]\n\tengine = pg\n");
    write(
        p,
        "deploy/create_orders.sql",
        "BEGIN;\nCREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\nCOMMIT;\n",
    );
    write(p, "revert/create_orders.sql", "DROP TABLE orders;\n");
    write(
        p,
        "deploy/gift_message.sql",
        "BEGIN;\nALTER TABLE orders ADD COLUMN gift_message text;\nALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;\nCOMMIT;\n",
    );
    // The revert forgets the default it set.
    write(
        p,
        "revert/gift_message.sql",
        "BEGIN;\nALTER TABLE orders DROP COLUMN gift_message;\nCOMMIT;\n",
    );
    write(
        p,
        "spec.yaml",
        "deployment:\n  name: t\n  version: app:2\n  previous_version: app:1\n  changes:\n    - kind: migration\n      id: m\n      tool: sqitch\n      path: deploy/gift_message.sql\n",
    );
    let r = agree(p, "spec.yaml", "postgres", "sqitch");
    assert_eq!(r.verdict, "problem");
    assert_eq!(r.history, 1);
    assert!(
        r.problems
            .iter()
            .any(|p| p.contains("column public.orders.total")),
        "{:?}",
        r.problems
    );
}

#[test]
fn a_tool_not_on_path_is_a_usage_error_saying_how_to_install_it() {
    let d = tempfile::tempdir().unwrap();
    dbmate_layout(d.path(), "numeric(10,2)", "postgres");
    for (tool, hint) in [
        ("dbmate", "npm install"),
        ("sqitch", "apt-get install sqitch"),
    ] {
        let out = Command::cargo_bin("rollbook")
            .unwrap()
            .current_dir(d.path())
            .env("PATH", d.path())
            .args(["rehearse", "spec.yaml", "--ephemeral", "postgres"])
            .args(["--via-tool", tool])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("`{tool}` is not on PATH")), "{err}");
        assert!(err.contains(hint), "{err}");
        assert!(out.stdout.is_empty());
    }
}
