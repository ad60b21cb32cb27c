//! SQL migrations at scale, through the library: parse (both dialects), verdict, and every rule.
//!
//! - `corpus/*`: every lemmy up+down pair and every flipt migration of the shared real-world
//!   corpus (`ROLLBOOK_CORPUS`, default `../shared/corpus` from the repo root); skipped when absent.
//! - `synthetic/10k`: 10,000 generated up+down migrations (target: under one second).
//!
//! With `ROLLBOOK_CORPUS_REPORT=<set>` (`lemmy`, `flipt`, `synthetic` or `all`) the binary prints
//! counts (files, statements, not understood, panics) and timings instead of benchmarking; that is
//! how `bench/corpus.sh` measures a full run's wall time and memory.

use criterion::{Criterion, criterion_group};
use rollbook::assess::{self, Context};
use rollbook::evidence::Gathered;
use rollbook::evidence::sql::{self, Dialect, Migration, Op, Statement, layout, text::Origin};
use rollbook::model::{Change, ChangeKind, Spec};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus_root() -> PathBuf {
    match std::env::var_os("ROLLBOOK_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// One migration's files and texts, read up front so benches time parsing, not the disk.
struct Source {
    up_path: String,
    up: String,
    down: Option<(String, String)>,
    dialect: Dialect,
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sql_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "sql") {
            out.push(p);
        }
    }
}

/// Up files under `dir` (downs are found through their up, as `rollbook plan` pairs them).
fn sources(dir: &Path, dialect: Dialect) -> Vec<Source> {
    let mut files = Vec::new();
    sql_files(dir, &mut files);
    files
        .iter()
        .filter(|p| !layout::is_down_file(p))
        .filter_map(|p| {
            let up = std::fs::read_to_string(p).ok()?;
            let down = layout::paired_down(p)
                .filter(|d| d.is_file())
                .and_then(|d| Some((d.display().to_string(), std::fs::read_to_string(&d).ok()?)));
            Some(Source {
                up_path: p.display().to_string(),
                up,
                down,
                dialect,
            })
        })
        .collect()
}

/// The lemmy (diesel, PostgreSQL) migrations.
fn lemmy(root: &Path) -> Vec<Source> {
    sources(&root.join("lemmy/migrations"), Dialect::Postgres)
}

/// Every flipt migration; dialects rollbook does not parse natively (sqlite3, clickhouse) go
/// through the PostgreSQL front-end, which must still never panic on them.
fn flipt(root: &Path) -> Vec<Source> {
    let base = root.join("flipt/migrations");
    let mut out = Vec::new();
    for (d, dialect) in [
        ("postgres", Dialect::Postgres),
        ("cockroachdb", Dialect::Postgres),
        ("mysql", Dialect::Mysql),
        ("sqlite3", Dialect::Postgres),
        ("clickhouse", Dialect::Postgres),
    ] {
        out.extend(sources(&base.join(d), dialect));
    }
    out
}

/// 10,000 small up+down migrations in the shapes real ones have.
fn synthetic(n: usize) -> Vec<Source> {
    (0..n)
        .map(|i| {
            let t = format!("t{}", i % 97);
            let (up, down) = match i % 8 {
                0 => (
                    format!("CREATE TABLE {t}_{i} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());\nCREATE INDEX idx_{i} ON {t}_{i} (name);\n"),
                    format!("DROP TABLE {t}_{i};\n"),
                ),
                1 => (
                    format!("ALTER TABLE {t} ADD COLUMN c{i} text;\n"),
                    format!("ALTER TABLE {t} DROP COLUMN c{i};\n"),
                ),
                2 => (
                    format!("ALTER TABLE {t} ADD COLUMN c{i} int NOT NULL DEFAULT 0;\nUPDATE {t} SET c{i} = 1 WHERE id < 100;\n"),
                    format!("ALTER TABLE {t} DROP COLUMN c{i};\n"),
                ),
                3 => (
                    format!("CREATE INDEX CONCURRENTLY idx_{i} ON {t} (c{i});\n"),
                    format!("DROP INDEX CONCURRENTLY idx_{i};\n"),
                ),
                4 => (
                    format!("ALTER TABLE {t} RENAME COLUMN a{i} TO b{i};\n"),
                    format!("ALTER TABLE {t} RENAME COLUMN b{i} TO a{i};\n"),
                ),
                5 => (
                    format!("SET lock_timeout = '5s';\nALTER TABLE {t} ADD CONSTRAINT fk_{i} FOREIGN KEY (u) REFERENCES users (id) NOT VALID;\nALTER TABLE {t} VALIDATE CONSTRAINT fk_{i};\n"),
                    format!("ALTER TABLE {t} DROP CONSTRAINT fk_{i};\n"),
                ),
                6 => (
                    format!("CREATE OR REPLACE FUNCTION f{i}() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"),
                    format!("DROP FUNCTION f{i}();\n"),
                ),
                _ => (
                    format!("ALTER TABLE {t} DROP COLUMN legacy_{i};\n"),
                    format!("ALTER TABLE {t} ADD COLUMN legacy_{i} text;\n"),
                ),
            };
            Source {
                up_path: format!("synthetic/{i:05}_m/up.sql"),
                up,
                down: Some((format!("synthetic/{i:05}_m/down.sql"), down)),
                dialect: Dialect::Postgres,
            }
        })
        .collect()
}

fn statement_count(s: &[Statement]) -> (usize, usize) {
    let nu = s
        .iter()
        .filter(|s| s.ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. })))
        .count();
    (s.len(), nu)
}

/// Parses one source the way `rollbook plan` does (goose/dbmate/Liquibase sections, else a
/// paired down file).
fn parse(src: &Source, change: usize) -> Migration {
    let sec = layout::sections(&src.up);
    let up_o = Origin {
        file: src.up_path.clone(),
        first_line: sec.up.1,
        field: None,
    };
    let mut m = Migration {
        change,
        dialect: src.dialect,
        up_source: up_o.source(),
        up: layout::parse(&sec.up.0, src.dialect, &up_o),
        down_source: None,
        down: Vec::new(),
        tool_transaction: None,
    };
    if let Some((text, line)) = &sec.down {
        let o = Origin {
            file: src.up_path.clone(),
            first_line: *line,
            field: None,
        };
        m.down_source = Some(o.source());
        m.down = layout::parse(text, src.dialect, &o);
    } else if let Some((path, text)) = &src.down {
        let o = Origin::file(path);
        m.down_source = Some(o.source());
        m.down = layout::parse(text, src.dialect, &o);
    }
    m
}

/// A spec with one migration change per migration, as a spec pointing at them would have.
fn spec_for(n: usize) -> Spec {
    let mut spec = Spec::default();
    spec.deployment.name = "corpus".into();
    spec.deployment.changes = (0..n).map(|_| Change::new(ChangeKind::Migration)).collect();
    spec
}

/// Counts of one run.
#[derive(Default, Debug)]
struct Tally {
    files: usize,
    statements: usize,
    not_understood: usize,
    /// Non-blank files that gave no statement at all (text lost without a report).
    silent_files: usize,
    panics: usize,
    findings: usize,
}

/// Parses and judges every source: verdict per migration, then every rule over all of them.
fn judge(srcs: &[Source], spec: &Spec) -> Tally {
    let mut t = Tally::default();
    let mut migrations = Vec::with_capacity(srcs.len());
    for (i, src) in srcs.iter().enumerate() {
        t.files += 1 + usize::from(src.down.is_some());
        let r = std::panic::catch_unwind(|| {
            let m = parse(src, i);
            black_box(sql::verdict(&m, Some(16)));
            m
        });
        let Ok(m) = r else {
            t.panics += 1;
            continue;
        };
        for (stmts, text) in [
            (&m.up, Some(src.up.as_str())),
            (&m.down, src.down.as_ref().map(|d| d.1.as_str())),
        ] {
            let (n, nu) = statement_count(stmts);
            t.statements += n;
            t.not_understood += nu;
            if n == 0 && text.is_some_and(|s| !sql::text::is_blank_sql(s)) {
                t.silent_files += 1;
            }
        }
        migrations.push(m);
    }
    let g = Gathered {
        migrations,
        ..Gathered::default()
    };
    match std::panic::catch_unwind(|| assess::run_rules(&Context::new(spec, "rollbook.yaml", &g))) {
        Ok(f) => t.findings = f.len(),
        Err(_) => t.panics += 1,
    }
    t
}

fn report(set: &str) {
    let root = corpus_root();
    let mut sets: Vec<(&str, Vec<Source>)> = Vec::new();
    let present = root.join("lemmy/migrations").is_dir();
    if matches!(set, "lemmy" | "all") && present {
        sets.push(("lemmy", lemmy(&root)));
    }
    if matches!(set, "flipt" | "all") && root.join("flipt/migrations").is_dir() {
        sets.push(("flipt", flipt(&root)));
    }
    if matches!(set, "synthetic" | "all") {
        sets.push(("synthetic-10k", synthetic(10_000)));
    }
    if sets.is_empty() {
        println!("no data for '{set}' (corpus at {})", root.display());
        return;
    }
    // Quiet panics: they are counted, and a count is the report.
    std::panic::set_hook(Box::new(|_| {}));
    for (name, srcs) in &sets {
        let spec = spec_for(srcs.len());
        let started = Instant::now();
        let t = judge(srcs, &spec);
        let took = started.elapsed();
        println!(
            "{name}: migrations={} files={} statements={} not_understood={} silent_files={} panics={} findings={} time_ms={:.1}",
            srcs.len(),
            t.files,
            t.statements,
            t.not_understood,
            t.silent_files,
            t.panics,
            t.findings,
            took.as_secs_f64() * 1000.0
        );
    }
}

fn corpus(c: &mut Criterion) {
    let root = corpus_root();
    if !root.join("lemmy/migrations").is_dir() {
        eprintln!(
            "corpus benches skipped: no corpus at {} (set ROLLBOOK_CORPUS)",
            root.display()
        );
        return;
    }
    let mut group = c.benchmark_group("corpus");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for (name, srcs) in [("lemmy", lemmy(&root)), ("flipt", flipt(&root))] {
        let spec = spec_for(srcs.len());
        group.bench_function(name, |b| b.iter(|| black_box(judge(&srcs, &spec))));
    }
    group.finish();
}

fn synthetic_bench(c: &mut Criterion) {
    let srcs = synthetic(10_000);
    let spec = spec_for(srcs.len());
    let mut group = c.benchmark_group("synthetic");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("10k", |b| b.iter(|| black_box(judge(&srcs, &spec))));
    // One file of 5,000 drops: every per-statement question must stay cheap (it was quadratic,
    // 27 s for a debug plan, before the rebuild index).
    let one = vec![Source {
        up_path: "synthetic/one/up.sql".to_string(),
        up: (0..5_000)
            .map(|i| format!("ALTER TABLE orders DROP COLUMN c{i};\n"))
            .collect(),
        down: None,
        dialect: Dialect::Postgres,
    }];
    let one_spec = spec_for(1);
    group.bench_function("one-file-5k-drops", |b| {
        b.iter(|| black_box(judge(&one, &one_spec)))
    });
    group.finish();
}

criterion_group!(benches, corpus, synthetic_bench);

fn main() {
    if let Ok(set) = std::env::var("ROLLBOOK_CORPUS_REPORT") {
        report(&set);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
