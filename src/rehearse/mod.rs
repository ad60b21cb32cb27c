//! `rollbook rehearse`: runs a deployment's migrations against a real, throwaway server and
//! measures what the plan otherwise infers: that the down runs, that it brings the schema back,
//! what it loses, and how long each statement takes as the tables grow.
//!
//! The timeline, at each size: empty database → history (earlier migrations, in file order) →
//! stand-ins for tables no migration creates → synthetic rows → snapshot → up (timed) → values
//! written as the new version would → down (timed) → schema diff and loss counts → up again.

pub mod catalog;
pub mod fit;
pub mod input;
pub mod policy;
pub mod seed;
pub mod server;
pub mod size;
pub mod split;
pub mod tools;

mod locks;
mod prepare;
mod stand_ins;
use locks::*;
use prepare::{guard_empty, reset};
use stand_ins::*;

use crate::base::error::{Error, Result};
use catalog::{Catalog, SchemaDifference};
use server::{Client, Server};
use split::Piece;
use std::collections::{BTreeMap, BTreeSet};

/// The report's format is evidence the plan reads back; `rehearse` writes it.
pub use crate::evidence::rehearsal::{Engine, MigrationDiff, Report, Run, Timing, VERSION};

/// One migration as rehearsed: where its up and down come from, split into statements.
#[derive(Debug, Clone)]
pub struct MigrationText {
    /// File (or `spec field`) of the up.
    pub up_source: String,
    pub up: Vec<Piece>,
    /// SHA-256 (hex) of the up's whole text.
    pub up_sha256: String,
    pub down_source: Option<String>,
    pub down: Option<Vec<Piece>>,
    pub down_sha256: Option<String>,
    /// The up's and the down's SQL as written, for a migration tool that applies them itself.
    pub up_sql: String,
    pub down_sql: Option<String>,
}

/// SHA-256 of a text, hex.
pub fn sha256(text: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// What to rehearse.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    pub engine: Engine,
    /// Applied before the deploy, untimed.
    pub history: Vec<MigrationText>,
    pub deploy: Vec<MigrationText>,
    /// Row counts at which to rehearse.
    pub sizes: Vec<u64>,
    /// Production row counts per table (bare name), with where each came from.
    pub targets: BTreeMap<String, (u64, String)>,
    /// What the plan says the up and the down destroy (`column orders.gift_message`).
    pub declared_up_loss: Vec<String>,
    pub declared_down_loss: Vec<String>,
    /// The store's declared size in GB and its spec field: rows for tables declaring none.
    pub declared_size: Option<(f64, String)>,
    /// `--via-tool`: the migration tool that applies history, ups and downs.
    pub via_tool: Option<tools::Tool>,
}

/// Where a rehearsal is: `done` of `total` units of work (per size: each history migration, the
/// seeding, each deploy migration up, down and up again), and what runs now.
pub struct Tick<'a> {
    pub done: u64,
    pub total: u64,
    pub what: &'a str,
}

/// What the caller shows of the progress (a bar on a terminal, nothing otherwise).
pub type Progress<'a> = &'a dyn Fn(Tick);

/// Counts the units of work as they start.
struct Meter<'a> {
    done: std::cell::Cell<u64>,
    total: u64,
    report: Progress<'a>,
}

impl Meter<'_> {
    fn new<'a>(r: &Rehearsal, report: Progress<'a>) -> Meter<'a> {
        // Through a tool the history is one unit: one `migrate`/`deploy` applies it all.
        let history = if r.via_tool.is_some() {
            1
        } else {
            r.history.len() as u64
        };
        let per_size = history + 1 + 3 * r.deploy.len() as u64;
        Meter {
            done: std::cell::Cell::new(0),
            total: per_size * r.sizes.len() as u64,
            report,
        }
    }

    /// A unit of work starts: the ones before it are done.
    fn step(&self, what: &str) {
        self.note(what);
        self.done.set(self.done.get() + 1);
    }

    /// Says what runs now without counting a unit.
    fn note(&self, what: &str) {
        (self.report)(Tick {
            done: self.done.get(),
            total: self.total,
            what,
        });
    }
}

/// Runs the whole rehearsal on `server`.
pub fn rehearse(r: &Rehearsal, server: &Server, progress: Progress) -> Result<Report> {
    let client = &server.client;
    if client.engine != r.engine {
        return Err(Error::Usage(format!(
            "the migrations are {} but the server is {}",
            r.engine.name(),
            client.engine.name()
        )));
    }
    guard_empty(client)?;
    let tool = r
        .via_tool
        .map(|t| tools::locate(t, r.engine, server.url.as_deref()))
        .transpose()?;
    let mdl = match r.engine {
        Engine::Mysql => MetadataLocks::detect(client),
        Engine::Postgres => None,
    };
    let lock_reporting = match (&tool, r.engine) {
        (Some(t), _) => format!(
            "locks not observed: {} applied the migrations on its own connection",
            t.version
        ),
        (None, Engine::Postgres) => "locks read from pg_locks inside each statement's transaction; a statement PostgreSQL runs outside one (CONCURRENTLY, ALTER TYPE … ADD VALUE, a file's own BEGIN/COMMIT) is not listed".into(),
        (None, Engine::Mysql) => MetadataLocks::describe(mdl),
    };
    let mut runs = Vec::new();
    let mut stand_ins = Vec::new();
    let meter = Meter::new(r, progress);
    for &rows in &r.sizes {
        meter.note(&format!("rows {rows}: preparing"));
        let (run, si) = run_once(r, client, rows, &meter, tool.as_ref(), mdl)?;
        stand_ins = si;
        let stop = !run.up_down_up;
        runs.push(run);
        if stop {
            break;
        }
    }
    reset(client)?;
    let mut targets = r.targets.clone();
    if let (Some((gb, src)), Some(run)) = (&r.declared_size, runs.last()) {
        targets.extend(size::targets_from_size(
            &run.bytes_per_row,
            &r.targets,
            *gb,
            src,
            run.rows,
        ));
    }
    let fits = fit::fits(&runs, &targets);
    let mut problems = Vec::new();
    if let Some(run) = runs.last() {
        for t in run.statements.iter().filter(|t| t.error.is_some()) {
            problems.push(format!(
                "{} fails at {}: {}",
                t.phase,
                t.at,
                t.error.as_deref().unwrap_or("")
            ));
        }
        for m in r.deploy.iter().filter(|m| m.down.is_none()) {
            problems.push(format!("{} has no down migration", m.up_source));
        }
        if run.per_migration.is_empty() {
            for d in &run.schema_diff {
                problems.push(format!(
                    "after the down, {} is {}",
                    d.object,
                    d.kind.replace('_', " ")
                ));
            }
        }
        for m in &run.per_migration {
            let what: Vec<String> = m
                .differences
                .iter()
                .map(|d| format!("{} {}", d.object, d.kind.replace('_', " ")))
                .collect();
            problems.push(format!(
                "after the down of {}: {}",
                m.migration,
                what.join(", ")
            ));
        }
        for (col, n) in &run.down_destroyed {
            if !declared(&r.declared_down_loss, col) {
                problems.push(format!(
                    "the down destroys {n} values of {col} and the plan does not say so"
                ));
            }
        }
        for (col, n) in &run.up_changed {
            if !declared(&r.declared_up_loss, col) {
                problems.push(format!(
                    "the up removes or changes {n} existing values of {col} and the plan does not say so"
                ));
            }
        }
    }
    let verdict = if problems.is_empty() {
        "reversible"
    } else {
        "problem"
    };
    let mut sources = Vec::new();
    let mut checksums = BTreeMap::new();
    for m in &r.deploy {
        sources.push(m.up_source.clone());
        checksums.insert(m.up_source.clone(), m.up_sha256.clone());
        if let (Some(s), Some(h)) = (&m.down_source, &m.down_sha256) {
            sources.push(s.clone());
            checksums.insert(s.clone(), h.clone());
        }
    }
    Ok(Report {
        version: VERSION,
        engine: r.engine,
        server_version: server.version.clone(),
        server: server.kind.to_string(),
        tool: tool.map(|t| t.version),
        lock_reporting: Some(lock_reporting),
        rehearsed_at: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        sources,
        checksums,
        history: r.history.len(),
        stand_ins,
        runs,
        fits,
        targets,
        problems,
        verdict: verdict.into(),
    })
}

/// `public.orders.gift_message` is declared by `column orders.gift_message`, `table orders`,
/// `rows of table orders` or `previous values in table orders`.
pub fn declared(claims: &[String], lost: &str) -> bool {
    let bare = lost.strip_prefix("public.").unwrap_or(lost);
    let (table, column) = bare.rsplit_once('.').unwrap_or((bare, ""));
    claims.iter().any(|c| {
        let c = c.replace(['"', '`'], "");
        let c = c.replace("public.", "");
        c == format!("column {table}.{column}")
            || c == format!("table {table}")
            || c == format!("rows of table {table}")
            || c == format!("previous values in table {table}")
    })
}

/// Statements PostgreSQL refuses inside a transaction block (or that rollbook runs bare).
pub(crate) fn needs_no_transaction(statement: &str) -> bool {
    let lower = statement.to_lowercase();
    [
        "concurrently",
        "vacuum",
        "database",
        "alter system",
        "add value",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Runs the statements of one migration, each timed; stops at the first failure.
fn run_statements(
    client: &Client,
    source: &str,
    pieces: &[Piece],
    phase: &str,
    mdl: Option<MetadataLocks>,
) -> Result<Vec<Timing>> {
    let e = client.engine;
    let now = match e {
        Engine::Postgres => "extract(epoch from clock_timestamp())",
        Engine::Mysql => "UNIX_TIMESTAMP(NOW(6))",
    };
    let mut script = String::new();
    for (i, p) in pieces.iter().enumerate() {
        let lower = p.text.to_lowercase();
        // Statements PostgreSQL refuses inside a transaction block, and the file's own
        // transaction control, run bare (no lock list).
        let wrap = e == Engine::Postgres
            && !pieces.iter().any(|q| is_txn_control(&q.text))
            && !needs_no_transaction(&p.text);
        // MySQL/MariaDB: a data statement in its own transaction, so that its metadata locks
        // are still held when read back.
        let mdl_wrap = mdl.filter(|_| {
            e == Engine::Mysql
                && is_data_statement(&lower)
                && !pieces.iter().any(|q| is_txn_control(&q.text))
        });
        script.push_str(&format!("SELECT 'rollbook:start', {i}, {now};\n"));
        if wrap {
            script.push_str("BEGIN;\n");
        }
        if mdl_wrap.is_some() {
            script.push_str("START TRANSACTION;\n");
        }
        match e {
            Engine::Mysql if p.text.contains(';') => {
                let d = ["$$", "//", ";;;", "@@rollbook@@"]
                    .into_iter()
                    .find(|d| !p.text.contains(d))
                    .unwrap_or("@@rollbook@@");
                script.push_str(&format!("DELIMITER {d}\n{}\n{d}\nDELIMITER ;\n", p.text));
            }
            _ => script.push_str(&format!("{}\n;\n", p.text)),
        }
        if e == Engine::Mysql && is_alter_table(&lower) {
            // Rows affected by an ALTER are the rows it copied: COPY rebuilds the table row by
            // row with writes blocked; INPLACE and INSTANT copy none. Read before the end marker,
            // whose SELECT resets ROW_COUNT().
            script.push_str("SELECT 'rollbook:copied', ROW_COUNT();\n");
        }
        script.push_str(&format!("SELECT 'rollbook:end', {i}, {now};\n"));
        if let Some(m) = mdl_wrap {
            script.push_str(m.query());
            script.push_str("COMMIT;\n");
        }
        if wrap {
            script.push_str("SELECT DISTINCT 'rollbook:lock', mode || ' on ' || CASE WHEN relation::regclass::text ~ '^[0-9]+$' THEN 'a relation it dropped' ELSE relation::regclass::text END FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND locktype = 'relation' AND relation::regclass::text NOT LIKE 'pg_%' ORDER BY 2;\nCOMMIT;\n");
        }
    }
    let out = client.run(&script)?;
    let mut start: BTreeMap<usize, f64> = BTreeMap::new();
    let mut end: BTreeMap<usize, f64> = BTreeMap::new();
    let mut locks: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut copied: BTreeMap<usize, i64> = BTreeMap::new();
    let mut last = 0usize;
    for line in out.stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["rollbook:start", i, t] => {
                if let (Ok(i), Ok(t)) = (i.parse(), t.parse()) {
                    start.insert(i, t);
                    last = i;
                }
            }
            ["rollbook:end", i, t] => {
                if let (Ok(i), Ok(t)) = (i.parse(), t.parse()) {
                    end.insert(i, t);
                }
            }
            ["rollbook:lock", l] => {
                locks.entry(last).or_default().insert((*l).to_string());
            }
            ["rollbook:copied", n] => {
                if let Ok(n) = n.parse::<i64>() {
                    copied.insert(last, n);
                }
            }
            _ => {}
        }
    }
    let mut timings = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        let Some(s) = start.get(&i) else { break };
        let seconds = end.get(&i).map(|e| ((e - s).max(0.0) * 1e6).round() / 1e6);
        let error = if seconds.is_none() {
            Some(if out.ok {
                "did not finish".to_string()
            } else {
                server::first_error(&out.stderr)
            })
        } else {
            None
        };
        timings.push(Timing {
            phase: phase.into(),
            at: format!("{source}:{}", p.line),
            excerpt: p
                .text
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect(),
            seconds,
            locks: match copied.get(&i) {
                Some(n) => vec![mysql_alter_lock(*n, &alter_target(&p.text))],
                None if e == Engine::Mysql => {
                    locks.remove(&i).unwrap_or_default().into_iter().collect()
                }
                None => strongest(locks.remove(&i).unwrap_or_default()),
            },
            error,
        });
    }
    if !out.ok && timings.iter().all(|t| t.error.is_none()) {
        // Failed outside a statement (the lock query, a COMMIT): blame the last one run.
        if let Some(t) = timings.last_mut() {
            t.error = Some(server::first_error(&out.stderr));
            t.seconds = None;
        }
    }
    Ok(timings)
}

fn run_once(
    r: &Rehearsal,
    client: &Client,
    rows: u64,
    meter: &Meter,
    tool: Option<&tools::Located>,
    mdl: Option<MetadataLocks>,
) -> Result<(Run, Vec<String>)> {
    reset(client)?;
    let mut via = match tool {
        Some(t) => {
            meter.step(&format!(
                "rows {rows}: history through {} ({})",
                t.version,
                r.history.len()
            ));
            Some(tools::ToolRun::start(t, &r.history, r.deploy.len())?)
        }
        None => None,
    };
    for (i, m) in r.history.iter().enumerate().filter(|_| via.is_none()) {
        meter.step(&format!(
            "rows {rows}: history {}/{}",
            i + 1,
            r.history.len()
        ));
        let t = run_statements(client, &m.up_source, &m.up, "history", None)?;
        if let Some(bad) = t.iter().find(|t| t.error.is_some()) {
            return Err(Error::Usage(format!(
                "the history before the deploy fails at {}: {}",
                bad.at,
                bad.error.as_deref().unwrap_or("")
            )));
        }
    }
    let made = stand_ins(r, client)?;
    let before = catalog::snapshot(client)?;
    let mut touched = BTreeSet::new();
    for m in &r.deploy {
        touched.extend(op_tables(r.engine, &m.up).0);
        touched.extend(op_tables(r.engine, m.down.as_deref().unwrap_or(&[])).0);
    }
    let to_seed: Vec<String> = catalog::tables(&before)
        .into_keys()
        .filter(|t| touched.contains(&bare_table(t)))
        .collect();
    meter.step(&format!(
        "rows {rows}: seeding {} table{}",
        to_seed.len(),
        if to_seed.len() == 1 { "" } else { "s" }
    ));
    let mut skipped = seed::seed(client, &to_seed, rows)?;
    let rows_before = catalog::rows(client, &before)?;
    let seeded: Vec<String> = rows_before
        .iter()
        .filter(|(_, cols)| cols.values().any(|v| !v.is_empty()))
        .map(|(t, _)| t.clone())
        .collect();
    // Measured before the up changes the tables, only when a declared size needs it.
    let bytes_per_row = if r.declared_size.is_some() {
        size::bytes_per_row(client, &seeded)?
    } else {
        BTreeMap::new()
    };
    let mut statements = Vec::new();
    let mut ok = true;
    let several = r.deploy.len() > 1;
    let mut before_each: Vec<Catalog> = Vec::new();
    for (i, m) in r.deploy.iter().enumerate() {
        meter.step(&format!("rows {rows}: up {}/{}", i + 1, r.deploy.len()));
        if several {
            before_each.push(if i == 0 {
                before.clone()
            } else {
                catalog::snapshot(client)?
            });
        }
        let t = match via.as_mut() {
            Some(v) => vec![v.up(i, m, "up")?],
            None => run_statements(client, &m.up_source, &m.up, "up", mdl)?,
        };
        ok &= t.iter().all(|t| t.error.is_none()) && (via.is_some() || t.len() == m.up.len());
        statements.extend(t);
        if !ok {
            break;
        }
    }
    let mut run = Run {
        rows,
        seeded,
        skipped: Vec::new(),
        statements: Vec::new(),
        up_changed: BTreeMap::new(),
        down_destroyed: BTreeMap::new(),
        schema_diff: Vec::new(),
        per_migration: Vec::new(),
        up_down_up: false,
        bytes_per_row,
    };
    if !ok {
        run.skipped = skipped;
        run.statements = statements;
        return Ok((run, made));
    }
    let after_up = catalog::snapshot(client)?;
    let rows_after_up = catalog::rows(client, &after_up)?;
    run.up_changed = catalog::lost(&rows_before, &rows_after_up);
    // Write as the new version would: rows in new tables, values in new columns.
    let old_tables = catalog::tables(&before);
    let new_tables: Vec<String> = catalog::tables(&after_up)
        .into_keys()
        .filter(|t| !old_tables.contains_key(t))
        .collect();
    skipped.extend(seed::seed(client, &new_tables, rows)?);
    for (t, cols) in catalog::tables(&after_up) {
        if let Some(old) = old_tables.get(&t) {
            let new: Vec<String> = cols.into_iter().filter(|c| !old.contains(c)).collect();
            if !new.is_empty() {
                skipped.extend(seed::fill_columns(client, &t, &new)?);
            }
        }
    }
    let written = catalog::rows(client, &after_up)?;
    let mut already: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, m) in r.deploy.iter().enumerate().rev() {
        meter.step(&format!("rows {rows}: down {}/{}", i + 1, r.deploy.len()));
        let Some(down) = &m.down else {
            ok = false;
            break;
        };
        let src = m.down_source.as_deref().unwrap_or(&m.up_source);
        let t = match via.as_mut() {
            Some(v) => vec![v.down(i, m)?],
            None => run_statements(client, src, down, "down", mdl)?,
        };
        ok &= t.iter().all(|t| t.error.is_none()) && (via.is_some() || t.len() == down.len());
        statements.extend(t);
        if !ok {
            break;
        }
        if let Some(b) = before_each.get(i) {
            let now = catalog::snapshot(client)?;
            let all = catalog::diff(b, &now);
            let keys: BTreeSet<(String, String)> = all
                .iter()
                .map(|d| (d.kind.clone(), d.object.clone()))
                .collect();
            let new: Vec<SchemaDifference> = all
                .into_iter()
                .filter(|d| !already.contains(&(d.kind.clone(), d.object.clone())))
                .collect();
            already = keys;
            if !new.is_empty() {
                run.per_migration.push(MigrationDiff {
                    migration: m.up_source.clone(),
                    differences: new,
                });
            }
        }
    }
    if ok {
        let after_down: Catalog = catalog::snapshot(client)?;
        run.schema_diff = catalog::diff(&before, &after_down);
        let rows_after_down = catalog::rows(client, &after_down)?;
        run.down_destroyed = catalog::lost(&written, &rows_after_down);
        for (i, m) in r.deploy.iter().enumerate() {
            meter.step(&format!(
                "rows {rows}: up again {}/{}",
                i + 1,
                r.deploy.len()
            ));
            let t = match via.as_mut() {
                Some(v) => vec![v.up(i, m, "up_again")?],
                None => run_statements(client, &m.up_source, &m.up, "up_again", mdl)?,
            };
            ok &= t.iter().all(|t| t.error.is_none()) && (via.is_some() || t.len() == m.up.len());
            statements.extend(t);
            if !ok {
                break;
            }
        }
    }
    run.up_down_up = ok;
    run.skipped = skipped;
    run.statements = statements;
    Ok((run, made))
}

#[cfg(test)]
mod tests;
