//! Data stores: backups, restores, restore-time estimates, and running a check query.
//!
//! Each way a store is reached is one unit (`<hosting>.rs`: RDS, Aurora, Cloud SQL, self-hosted
//! PostgreSQL, self-hosted MySQL) implementing [`StoreUnit`], registered once in [`STORES`]; a
//! store no unit serves gets placeholder steps. The engines a brief can name are in [`ENGINES`].

pub mod aurora;
pub mod cloud_sql;
pub mod rds;
pub mod self_mysql;
pub mod self_postgres;

#[cfg(test)]
mod tests;

use super::{Action, known, mark, splice};
use crate::base::parts::Check;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{BackupMethod, DataStore, Engine, Hosting};

/// Every way rollbook reaches a data store: one line per unit.
pub const STORES: &[&dyn StoreUnit] = &[
    &rds::Rds,
    &aurora::Aurora,
    &cloud_sql::CloudSql,
    &self_postgres::SelfPostgres,
    &self_mysql::SelfMysql,
];

/// A data-store engine as a brief names it: its words, and the words that also say the hosting.
pub struct EngineWords {
    pub engine: Engine,
    pub words: &'static [&'static str],
    pub hosted_words: &'static [(&'static str, Hosting)],
}

/// Every engine of the model: one line per engine.
pub const ENGINES: &[EngineWords] = &[
    EngineWords {
        engine: Engine::Postgres,
        words: &["postgresql", "postgres"],
        hosted_words: &[
            ("aurora postgresql", Hosting::Aurora),
            ("aurora postgres", Hosting::Aurora),
        ],
    },
    EngineWords {
        engine: Engine::Mysql,
        words: &["mysql"],
        hosted_words: &[("aurora mysql", Hosting::Aurora)],
    },
    EngineWords {
        engine: Engine::Mariadb,
        words: &["mariadb"],
        hosted_words: &[],
    },
    EngineWords {
        engine: Engine::Redis,
        words: &["redis"],
        hosted_words: &[],
    },
    EngineWords {
        engine: Engine::Mongodb,
        words: &["mongodb", "mongo"],
        hosted_words: &[],
    },
    // "other" names no engine.
    EngineWords {
        engine: Engine::Other,
        words: &[],
        hosted_words: &[],
    },
];

/// What one kind of data store (an engine on a hosting) knows about backing up and restoring.
pub trait StoreUnit: Sync {
    /// Whether this unit serves the store (its engine and hosting).
    fn serves(&self, store: &DataStore) -> bool;

    /// A managed service that restores into a new instance from snapshots or point in time.
    fn managed(&self) -> bool {
        false
    }

    /// Takes a backup right now, filling the titled action `a`.
    fn backup_now(
        &self,
        store: &DataStore,
        label: &str,
        a: Action,
        ph: &mut Placeholders,
    ) -> Action;

    /// Restores to a point before the deploy, filling the titled and timed action `a`.
    fn restore(&self, store: &DataStore, a: Action, ph: &mut Placeholders) -> Action;

    /// Go / No-Go: the commands that prove a recent backup exists, and what they should show.
    fn verify_backup(&self, store: &DataStore, ph: &mut Placeholders) -> (Vec<Cmd>, &'static str) {
        backup_listing(store, ph)
    }
}

/// The unit that serves a store, if any.
pub fn unit_of(store: &DataStore) -> Option<&'static dyn StoreUnit> {
    STORES.iter().copied().find(|u| u.serves(store))
}

/// Takes a backup right now (before a destructive rollback step). `label` names it.
pub fn backup_now(store: &DataStore, label: &str, ph: &mut Placeholders) -> Action {
    let name = store.name.as_str();
    let a = Action::new(format!("Back up {name} now ({label})"), name);
    match unit_of(store) {
        Some(u) => u.backup_now(store, label, a, ph),
        None => unsupported(store, "BACKUP_COMMAND", "take a backup", a, ph),
    }
}

/// Restores the store to a point before the deploy (PITR, snapshot or dump, per its backup method).
pub fn restore(store: &DataStore, ph: &mut Placeholders) -> Action {
    let name = store.name.as_str();
    let (est, basis) = restore_estimate(store);
    let minutes = est.unwrap_or(60);
    let a = Action::new(
        format!("Restore {name} to its state before the deploy"),
        name,
    )
    .minutes(minutes)
    .note(format!("Estimate: {basis}"));
    match unit_of(store) {
        Some(u) => u.restore(store, a, ph),
        None => unsupported(store, "RESTORE_COMMAND", "restore it", a, ph),
    }
}

/// Proves a recent backup exists (for go/no-go).
pub fn verify_backup(store: &DataStore, ph: &mut Placeholders) -> Check {
    let name = store.name.as_str();
    let title = format!("A recent, restorable backup of {name} exists");
    let tested = store
        .backup
        .as_ref()
        .and_then(|b| b.last_tested_restore.as_deref())
        .map(|d| format!(" (last tested restore: {d})"))
        .unwrap_or_else(|| " (no tested restore recorded)".to_string());
    let (commands, expect) = match unit_of(store) {
        Some(u) => u.verify_backup(store, ph),
        None => backup_listing(store, ph),
    };
    Check {
        queries: Vec::new(),
        title,
        commands,
        expect: format!("{expect}{tested}"),
    }
}

/// The backup files where the spec says they are kept (self-hosted stores).
fn backup_listing(store: &DataStore, ph: &mut Placeholders) -> (Vec<Cmd>, &'static str) {
    let name = store.name.as_str();
    let loc = ph.val_or(
        store.backup.as_ref().and_then(|b| b.location.as_deref()),
        &format!("{}_BACKUP_LOCATION", slug(name)),
        &format!("Where backups of {name} are kept"),
        "architecture.data_stores[].backup.location",
    );
    let c = if store
        .backup
        .as_ref()
        .and_then(|b| b.location.as_deref())
        .is_some_and(|l| l.starts_with("s3://"))
    {
        Cmd::new("aws s3 ls").word(loc)
    } else {
        Cmd::new("ls -lt").word(loc)
    };
    (
        vec![c],
        "the newest backup file is recent enough and not empty",
    )
}

/// The UTC time to restore to: just before the deploy started.
fn restore_time(store: &DataStore, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_RESTORE_TIME", slug(&store.name)),
        "UTC time just before the deploy started, e.g. 2026-12-01T13:59:00Z",
        "the deploy start time",
    )
}

/// Estimated minutes for a full restore and the basis of the figure; `None` minutes when the size is unknown.
pub fn restore_estimate(store: &DataStore) -> (Option<u32>, String) {
    let managed = unit_of(store).is_some_and(|u| u.managed());
    let method = store.backup.as_ref().and_then(|b| b.method);
    let (overhead, default_rate, what) = if managed {
        (
            20.0,
            5.0,
            "managed snapshot or point-in-time restore: about 20 min to provision plus about 5 GB/min (estimate; on AWS blocks then load lazily, so early queries are slow)",
        )
    } else if method == Some(BackupMethod::Physical) {
        (
            10.0,
            2.0,
            "physical copy back: 2 GB/min plus 10 min to prepare and start (estimate)",
        )
    } else {
        (
            10.0,
            0.5,
            "single-threaded logical restore: 0.5 GB/min including index rebuild, plus 10 min setup (estimate)",
        )
    };
    let Some(size) = store.size_gb.filter(|s| s.is_finite() && *s >= 0.0) else {
        return (
            None,
            format!("size unknown (set data_stores[].size_gb); basis would be {what}"),
        );
    };
    let measured = store
        .backup
        .as_ref()
        .and_then(|b| b.restore_gb_per_minute)
        .filter(|r| r.is_finite() && *r > 0.0);
    let (rate, basis) = match measured {
        Some(r) => (
            r,
            format!(
                "{size} GB at {r} GB/min measured in a restore drill, plus {overhead} min fixed overhead"
            ),
        ),
        None => (
            default_rate,
            format!("{size} GB; {what}; calibrate with a restore drill"),
        ),
    };
    let minutes = (size / rate + overhead).ceil().min(f64::from(u32::MAX));
    (Some(minutes as u32), basis)
}

/// A command that runs one SQL query against the store (psql / mysql), read-only.
pub fn query(store: &DataStore, sql: &str, ph: &mut Placeholders) -> Cmd {
    if store.engine == Engine::Postgres {
        // The session refuses writes, whatever the query says.
        Cmd::default()
            .word(Word::lit("PGOPTIONS='-c default_transaction_read_only=on'"))
            .lit("psql")
            .word(db_url())
            .lit("-X -A -t -v ON_ERROR_STOP=1 -c")
            .val(sql)
    } else if store.engine.is_mysql_family() {
        mysql_base("mysql")
            .lit("--batch --skip-column-names")
            .word(database(store, ph))
            .opt(
                "-e",
                Word::val(format!("SET SESSION TRANSACTION READ ONLY; {sql}")),
            )
    } else {
        Cmd::default().word(ph.hole(
            &format!("{}_QUERY_COMMAND", slug(&store.name)),
            "Read-only query command for this engine",
            "architecture.data_stores[].engine",
        ))
    }
}

// ---- helpers ----

fn unsupported(
    store: &DataStore,
    what: &str,
    verb: &str,
    a: Action,
    ph: &mut Placeholders,
) -> Action {
    let c = ph.hole(
        &format!("{}_{what}", slug(&store.name)),
        &format!(
            "Command to {verb} ({:?} on {:?} is not covered by rollbook)",
            store.engine, store.hosting
        ),
        "architecture.data_stores[]",
    );
    a.cmd(Cmd::default().word(c))
        .success("the command finishes and the data is checked")
        .minutes(30)
        .note("rollbook has no commands for this engine or hosting: write the exact one into the plan before the deploy.")
}

fn db_url() -> Word {
    Word::lit("\"$DATABASE_URL\"")
}

/// mysql client programs read credentials from an option file named by an env variable, so no
/// password ever appears on a command line.
fn mysql_base(program: &str) -> Cmd {
    Cmd::new(program).word(Word::lit("--defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\""))
}

fn database(store: &DataStore, ph: &mut Placeholders) -> Word {
    ph.val_or(
        store.database.as_deref(),
        &format!("{}_DATABASE", slug(&store.name)),
        &format!("Database name inside {}", store.name),
        "architecture.data_stores[].database",
    )
}

fn ident(store: &DataStore, ph: &mut Placeholders) -> Word {
    ph.val_or(
        store.identifier.as_deref(),
        &format!("{}_IDENTIFIER", slug(&store.name)),
        &format!("Instance or cluster id of {}", store.name),
        "architecture.data_stores[].identifier",
    )
}

/// The identifier with a suffix (a new instance's name), placeholder-aware.
fn suffixed(store: &DataStore, suffix: &str, ph: &mut Placeholders) -> Word {
    let base = mark(&ident(store, ph));
    splice(&format!("{base}{suffix}"))
}

fn aws(c: Cmd, store: &DataStore, ph: &mut Placeholders) -> Cmd {
    let r = ph.val_or(
        store.region.as_deref(),
        &format!("{}_REGION", slug(&store.name)),
        &format!("Cloud region of {}", store.name),
        "architecture.data_stores[].region",
    );
    c.opt("--region", r)
}

/// RDS snapshot ids: letters, digits and hyphens, starting with a letter, no double hyphen.
pub(crate) fn snapshot_id(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(
            0,
            if out.is_empty() {
                "rollbook"
            } else {
                "rollbook-"
            },
        );
    }
    out.truncate(200);
    out
}

fn dump_file(store: &DataStore, label: &str, ext: &str) -> String {
    let file = format!("{}.{ext}", snapshot_id(label));
    match known(store.backup.as_ref().and_then(|b| b.location.as_deref())) {
        Some(l) if l.starts_with('/') => format!("{}/{file}", l.trim_end_matches('/')),
        _ => file,
    }
}

fn dump_minutes(store: &DataStore) -> u32 {
    match store.size_gb.filter(|s| s.is_finite() && *s >= 0.0) {
        Some(s) => (s + 2.0).ceil().min(10_000.0) as u32,
        None => 15,
    }
}
