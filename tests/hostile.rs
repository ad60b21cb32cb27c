//! Hostile input, through the CLI and the library: every case ends in bounded time with a plan
//! (exit 0) or a clear error (exit 2, located where a place exists), never a panic, and never a
//! partial `-o` file.

use assert_cmd::Command;
use rollbook::evidence::sql::{Dialect, Op, layout, text::Origin};
use rollbook::spec::{InputForm, load};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Wall-clock guard per case: generous for a debug build on a loaded machine; real runs take a
/// fraction of it. Anything slower is a defect.
// A hang guard, not a speed target (speed is shown by `cargo bench`): generous for loaded CI machines.
const GUARD: Duration = Duration::from_secs(120);

/// What one CLI run gave.
struct Outcome {
    code: i32,
    stderr: String,
    /// The input file's path, as passed.
    file: String,
}

/// Writes `bytes` to `name` in a fresh directory and runs `rollbook plan FILE -o OUT` under the
/// guard. Checks what holds for every hostile input: exit 0 or 2, no panic, an error message on
/// stderr or a whole plan in OUT, and no stray file (partial output, temporary) left behind.
fn plan(name: &str, bytes: &[u8]) -> Outcome {
    plan_with(name, bytes, &[])
}

fn plan_with(name: &str, bytes: &[u8], extra: &[(&str, &[u8])]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    for (n, b) in extra {
        std::fs::write(dir.path().join(n), b).unwrap();
    }
    let out = dir.path().join("plan.md");
    let started = Instant::now();
    let o = Command::cargo_bin("rollbook")
        .unwrap()
        .arg("plan")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .timeout(GUARD)
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let code = o.status.code();
    assert!(
        took < GUARD,
        "{name}: ran {took:?}, over the guard (killed: {code:?})"
    );
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{name}: panic: {stderr}"
    );
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    match code {
        Some(0) => {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(
                text.contains("Rollback Classification") && text.contains("Communication Plan"),
                "{name}: the plan is not whole"
            );
        }
        Some(2) => {
            assert!(
                stderr.starts_with("error: ") && stderr.trim_end().len() > "error: ".len(),
                "{name}: unclear error: {stderr}"
            );
            assert!(!out.exists(), "{name}: an error left {}", out.display());
        }
        other => panic!("{name}: exit {other:?}, want 0 or 2: {stderr}"),
    }
    let mut want: Vec<String> = std::iter::once(name.to_string())
        .chain(extra.iter().map(|(n, _)| n.to_string()))
        .chain((code == Some(0)).then(|| "plan.md".to_string()))
        .collect();
    want.sort();
    assert_eq!(left, want, "{name}: stray files");
    Outcome {
        code: code.unwrap_or(-1),
        stderr,
        file: file.display().to_string(),
    }
}

/// The error names the input file with a line and column.
fn assert_located(o: &Outcome) {
    assert_eq!(o.code, 2, "{}", o.stderr);
    let re = regex::Regex::new(&format!(r"^error: {}:\d+:\d+: ", regex::escape(&o.file))).unwrap();
    assert!(re.is_match(&o.stderr), "not located: {}", o.stderr);
}

/// The error names the input file (no line: the problem is the file as a whole).
fn assert_names_file(o: &Outcome) {
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.starts_with(&format!("error: {}", o.file)),
        "{}",
        o.stderr
    );
}

/// Runs `f` on another thread; fails if it panics or outlives the guard.
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(GUARD) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: over {GUARD:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

const BILLION_LAUGHS: &str = "\
a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
deployment:
  name: *i
";

#[test]
fn yaml_alias_bomb_is_refused() {
    let o = plan("rollbook.yaml", BILLION_LAUGHS.as_bytes());
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains(&o.file), "{}", o.stderr);
    let r = guarded("alias bomb", || {
        load::parse_spec("b.yaml", BILLION_LAUGHS, InputForm::Yaml).map(|_| ())
    });
    assert!(r.is_err());
}

const DEEP: usize = 10_000;

#[test]
fn deep_yaml_is_a_located_error() {
    let flow = format!(
        "deployment:\n  name: {}{}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_located(&plan("flow.yaml", flow.as_bytes()));
    let mut block = String::from("deployment:\n  name: x\n  extra:\n");
    for i in 0..DEEP {
        block.push_str(&" ".repeat(4 + 2 * (i % 2000)));
        block.push_str("- \n");
    }
    let o = plan("block.yaml", block.as_bytes());
    assert_eq!(o.code, 2, "{}", o.stderr);
}

#[test]
fn deep_json_is_a_located_error() {
    let json = format!(
        "{{\"deployment\": {{\"name\": {}{}}}}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_located(&plan("rollbook.json", json.as_bytes()));
}

#[test]
fn deep_toml_is_an_error() {
    let arrays = format!(
        "[deployment]\nname = {}{}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_located(&plan("arrays.toml", arrays.as_bytes()));
    let tables = format!(
        "[deployment]\nname = {}1{}\n",
        "{a = ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    assert_located(&plan("tables.toml", tables.as_bytes()));
    let r = guarded("deep toml", move || {
        load::parse_spec("t.toml", &arrays, InputForm::Toml).map(|_| ())
    });
    assert!(r.is_err());
}

#[test]
fn five_mebibytes_is_refused_by_size() {
    let mut big = b"deployment:\n  name: big\n".to_vec();
    big.resize(5 * 1024 * 1024, b'#');
    let o = plan("big.yaml", &big);
    assert_names_file(&o);
    assert!(o.stderr.contains("limit"), "{}", o.stderr);
    // Through the library, the size check comes before any parsing.
    let text = String::from_utf8(big).unwrap();
    let r = guarded("5 MiB", move || {
        load::parse_spec("big.yaml", &text, InputForm::Yaml).map(|_| ())
    });
    assert!(r.is_err());
}

#[test]
fn invalid_utf8_is_located() {
    let o = plan("bad.yaml", b"deployment:\n  name: caf\xe9\n");
    assert_located(&o);
    assert!(o.stderr.contains(":2:"), "{}", o.stderr);
    assert!(o.stderr.contains("UTF-8"), "{}", o.stderr);
    // A brief too (no spec extension).
    assert_located(&plan("brief.md", b"# Deployment\n\xff\xfe ship it\n"));
}

#[test]
fn binary_files_give_an_error_or_a_plan() {
    let mut bin: Vec<u8> = (0u8..=255).cycle().take(64 * 1024).collect();
    bin.extend_from_slice(&[0; 1024]);
    // Not UTF-8: located, whatever the extension.
    for name in ["blob.yaml", "blob.json", "blob.toml", "blob.md", "blob"] {
        assert_located(&plan(name, &bin));
    }
    // Valid UTF-8 full of NULs.
    let nuls = b"deployment:\n  name: a\0b\0\0\n".to_vec();
    for name in ["nul.yaml", "nul.json", "nul.toml", "nul.md", "nul"] {
        plan(name, &nuls);
    }
    plan("zeros.yaml", &[0u8; 4096]);
    plan("zeros.md", &[0u8; 4096]);
}

#[test]
fn empty_files_are_errors() {
    for name in ["e.yaml", "e.toml", "e.json"] {
        let o = plan(name, b"");
        assert_names_file(&o);
        assert!(o.stderr.contains("empty"), "{name}: {}", o.stderr);
    }
    // An empty brief is read as a brief saying nothing: a plan of placeholders (or an error).
    for name in ["e.md", "e"] {
        plan(name, b"");
    }
    assert_names_file(&plan("ws.yaml", b"  \n\n\t\n"));
}

#[test]
fn document_markers_only_is_an_error() {
    for text in ["---\n", "---", "---\n...\n", "---\n---\n---\n"] {
        let o = plan("dashes.yaml", text.as_bytes());
        assert_names_file(&o);
        let r = guarded("---", move || {
            load::parse_spec("d.yaml", text, InputForm::Yaml).map(|_| ())
        });
        assert!(r.is_err(), "{text:?}");
    }
}

/// A spec whose one migration is `up.sql` (and `down.sql` when given), next to it.
fn migration_spec(dialect: &str) -> String {
    let engine = if dialect == "mysql" {
        "mysql"
    } else {
        "postgres"
    };
    format!(
        "deployment:\n  name: hostile\n  version: v2\n  previous_version: v1\n  changes:\n    - kind: migration\n      path: up.sql\n      database: db\narchitecture:\n  data_stores:\n    - name: db\n      engine: {engine}\n"
    )
}

fn many_statements(n: usize) -> String {
    let mut sql = String::with_capacity(n * 48);
    for i in 0..n {
        sql.push_str(&format!("ALTER TABLE t{i} ADD COLUMN c{i} int;\n"));
    }
    sql
}

#[test]
fn hundred_thousand_sql_statements_in_bounded_time() {
    let sql = many_statements(100_000);
    // Through the CLI: the MySQL plan cites every statement (tens of MB for 100,000), so it gets
    // fewer; PostgreSQL gets half, as other tests run beside it on two cores.
    for (dialect, text) in [
        ("postgres", &many_statements(50_000)),
        ("mysql", &many_statements(20_000)),
    ] {
        let spec = migration_spec(dialect);
        let o = plan_with(
            "rollbook.yaml",
            spec.as_bytes(),
            &[("up.sql", text.as_bytes())],
        );
        assert!(o.code == 0 || o.code == 2, "{}", o.stderr);
    }
    let n = guarded("100k statements", move || {
        let o = Origin::file("up.sql");
        (
            layout::parse(&sql, Dialect::Postgres, &o).len(),
            layout::parse(&sql, Dialect::Mysql, &o).len(),
        )
    });
    assert_eq!(n, (100_000, 100_000));
}

#[test]
fn hundred_thousand_broken_statements_in_bounded_time() {
    // Every statement an error: error recovery must stay linear.
    let sql = "ALTER TABLE ;\n".repeat(100_000);
    let nu = guarded("100k broken statements", move || {
        let o = Origin::file("up.sql");
        [Dialect::Postgres, Dialect::Mysql].map(|d| {
            layout::parse(&sql, d, &o)
                .iter()
                .filter(|s| {
                    s.ops
                        .iter()
                        .any(|op| matches!(op, Op::NotUnderstood { .. }))
                })
                .count()
        })
    });
    assert!(nu.iter().all(|&n| n > 0), "{nu:?}");
}

const UNTERMINATED: &[&str] = &[
    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\nALTER TABLE t DROP COLUMN c;\n",
    "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ ;\nDROP TABLE t;\n",
    "DROP TABLE a;\n/* never closed\nDROP TABLE b;\n",
    "DROP TABLE a;\n/* /* nested */ still open\n",
    "DROP TABLE a;\nSELECT 'never closed;\nDROP TABLE b;\n",
    "DROP TABLE a;\nSELECT \"never closed;\n",
    "DROP TABLE a;\nSELECT E'\\\n",
    "$$",
    "$a$",
    "/*",
    "'",
    "-- only a comment",
    "DROP TABLE a; $$ $$ $$ $$ $x$ $y$ $$",
];

#[test]
fn unterminated_quotes_and_comments_are_reported_not_hidden() {
    for (i, sql) in UNTERMINATED.iter().enumerate() {
        for dialect in ["postgres", "mysql"] {
            let o = plan_with(
                "rollbook.yaml",
                migration_spec(dialect).as_bytes(),
                &[("up.sql", sql.as_bytes())],
            );
            assert!(
                o.code == 0 || o.code == 2,
                "case {i} {dialect}: {}",
                o.stderr
            );
        }
        let owned = sql.to_string();
        let stmts = guarded("unterminated", move || {
            let o = Origin::file("up.sql");
            (
                layout::parse(&owned, Dialect::Postgres, &o),
                layout::parse(&owned, Dialect::Mysql, &o),
            )
        });
        // Text swallowed by an unclosed quote or comment is never silently judged harmless:
        // the parse reports something not understood (or, for a lone comment, nothing at all).
        for (dialect, s) in [("postgres", &stmts.0), ("mysql", &stmts.1)] {
            let has_nu = s
                .iter()
                .any(|s| s.ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. })));
            if !sql.trim_start().starts_with("--") {
                assert!(has_nu, "case {i} {dialect}: {sql:?} gave {s:?}");
            }
        }
    }
}

#[test]
fn a_huge_sql_file_in_bounded_time() {
    // 7 MiB of one statement, under the 8 MiB migration limit.
    let mut sql = String::from("INSERT INTO t VALUES ");
    while sql.len() < 7 * 1024 * 1024 {
        sql.push_str("(1, 'x'),");
    }
    sql.push_str("(1, 'x');\n");
    let o = plan_with(
        "rollbook.yaml",
        migration_spec("postgres").as_bytes(),
        &[("up.sql", sql.as_bytes())],
    );
    assert!(o.code == 0 || o.code == 2, "{}", o.stderr);
}

#[test]
fn deep_brackets_in_sql_are_not_parsed_recursively() {
    let sql = format!("SELECT {}1{};\n", "(".repeat(DEEP), ")".repeat(DEEP));
    let o = plan_with(
        "rollbook.yaml",
        migration_spec("postgres").as_bytes(),
        &[("up.sql", sql.as_bytes())],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let s = guarded("deep sql", move || {
        layout::parse(&sql, Dialect::Mysql, &Origin::file("up.sql"))
    });
    assert!(
        s.iter()
            .any(|s| s.ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. })))
    );
}

#[test]
fn a_brief_of_noise_in_bounded_time() {
    // 3 MiB of words the brief reader looks for, and long lines.
    let mut text = String::new();
    while text.len() < 3 * 1024 * 1024 {
        text.push_str(
            "## Deployment\nkubernetes postgres drop table migration flag rollout canary 50% ",
        );
        text.push_str(&"x".repeat(2000));
        text.push('\n');
    }
    plan("brief.md", text.as_bytes());
}

#[test]
fn directory_given_as_spec_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::cargo_bin("rollbook")
        .unwrap()
        .arg("plan")
        .arg(dir.path())
        .timeout(GUARD)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("directory"),
        "{:?}",
        o
    );
}
