//! Data stores: backups, restores, restore-time estimates, and running a check query.

use super::{Action, known, mark, splice};
use crate::base::parts::Check;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{BackupMethod, DataStore, Engine, Hosting};

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

/// How a store is reached by rollbook's commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rds,
    Aurora,
    CloudSql,
    SelfPostgres,
    SelfMysql,
    Unsupported,
}

fn kind(store: &DataStore) -> Kind {
    match (store.hosting, store.engine) {
        (_, e) if !e.is_sql() => Kind::Unsupported,
        (Some(Hosting::Rds), _) => Kind::Rds,
        (Some(Hosting::Aurora), _) => Kind::Aurora,
        (Some(Hosting::CloudSql), _) => Kind::CloudSql,
        (Some(Hosting::Other), _) => Kind::Unsupported,
        (Some(Hosting::SelfHosted) | None, Engine::Postgres) => Kind::SelfPostgres,
        (Some(Hosting::SelfHosted) | None, _) => Kind::SelfMysql,
    }
}

/// Takes a backup right now (before a destructive rollback step). `label` names it.
pub fn backup_now(store: &DataStore, label: &str, ph: &mut Placeholders) -> Action {
    let name = store.name.as_str();
    let snap = snapshot_id(label);
    let a = Action::new(format!("Back up {name} now ({label})"), name);
    match kind(store) {
        Kind::Rds => {
            a.cmd(aws(
                Cmd::new("aws rds create-db-snapshot")
                    .opt("--db-instance-identifier", ident(store, ph))
                    .opt("--db-snapshot-identifier", Word::val(snap.clone())),
                store,
                ph,
            ))
            .verify(aws(
                Cmd::new("aws rds wait db-snapshot-available")
                    .opt("--db-snapshot-identifier", Word::val(snap)),
                store,
                ph,
            ))
            .success("the waiter returns: the snapshot is available")
            .minutes(10)
            .note("Snapshots are incremental after the first; a large first snapshot takes longer.")
        }
        Kind::Aurora => a
            .cmd(aws(
                Cmd::new("aws rds create-db-cluster-snapshot")
                    .opt("--db-cluster-identifier", ident(store, ph))
                    .opt("--db-cluster-snapshot-identifier", Word::val(snap.clone())),
                store,
                ph,
            ))
            .verify(aws(
                Cmd::new("aws rds wait db-cluster-snapshot-available")
                    .opt("--db-cluster-snapshot-identifier", Word::val(snap)),
                store,
                ph,
            ))
            .success("the waiter returns: the cluster snapshot is available")
            .minutes(10),
        Kind::CloudSql => a
            .cmd(
                Cmd::new("gcloud sql backups create")
                    .opt_eq("--instance", ident(store, ph))
                    .opt_eq("--description", Word::val(label)),
            )
            .verify(
                Cmd::new("gcloud sql backups list")
                    .opt_eq("--instance", ident(store, ph))
                    .lit("--limit=1"),
            )
            .success("the newest backup has status SUCCESSFUL and this description")
            .minutes(10),
        Kind::SelfPostgres => {
            let file = dump_file(store, label, "dump");
            a.cmd(
                Cmd::new("pg_dump")
                    .word(db_url())
                    .lit("-Fc")
                    .opt("-f", Word::val(file.clone())),
            )
            .verify(Cmd::new("pg_restore --list").val(file.clone()))
            .verify(Cmd::new("ls -l").val(file))
            .success("pg_dump exits 0 and pg_restore --list prints the archive's table of contents")
            .minutes(dump_minutes(store))
        }
        Kind::SelfMysql => {
            let file = dump_file(store, label, "sql");
            a.cmd(
                mysql_base("mysqldump")
                    .lit("--single-transaction --routines --triggers")
                    .word(Word::lit("--result-file=").then(Word::val(file.clone())))
                    .word(database(store, ph)),
            )
            .verify(Cmd::new("ls -l").val(file.clone()))
            .verify(Cmd::new("tail -n 1").val(file))
            .success("mysqldump exits 0 and the file ends with `-- Dump completed`")
            .minutes(dump_minutes(store))
            .note("--single-transaction gives a consistent dump of InnoDB tables only.")
        }
        Kind::Unsupported => unsupported(store, "BACKUP_COMMAND", "take a backup", a, ph),
    }
}

/// Restores the store to a point before the deploy (PITR, snapshot or dump, per its backup method).
pub fn restore(store: &DataStore, ph: &mut Placeholders) -> Action {
    let name = store.name.as_str();
    let p = slug(name);
    let method = store.backup.as_ref().and_then(|b| b.method);
    let (est, basis) = restore_estimate(store);
    let minutes = est.unwrap_or(60);
    let a = Action::new(
        format!("Restore {name} to its state before the deploy"),
        name,
    )
    .minutes(minutes)
    .note(format!("Estimate: {basis}"));
    let time = |ph: &mut Placeholders| {
        ph.hole(
            &format!("{p}_RESTORE_TIME"),
            "UTC time just before the deploy started, e.g. 2026-12-01T13:59:00Z",
            "the deploy start time",
        )
    };
    match kind(store) {
        Kind::Rds => {
            let target = suffixed(store, "-restore", ph);
            let c = if method == Some(BackupMethod::Snapshot) {
                let snap = ph.hole(
                    &format!("{p}_SNAPSHOT_ID"),
                    "Snapshot taken before the deploy",
                    "the pre-deploy backup step",
                );
                Cmd::new("aws rds restore-db-instance-from-db-snapshot")
                    .opt("--db-instance-identifier", target.clone())
                    .opt("--db-snapshot-identifier", snap)
            } else {
                let t = time(ph);
                Cmd::new("aws rds restore-db-instance-to-point-in-time")
                    .opt("--source-db-instance-identifier", ident(store, ph))
                    .opt("--target-db-instance-identifier", target.clone())
                    .opt("--restore-time", t)
            };
            a.cmd(aws(c, store, ph))
                .verify(aws(Cmd::new("aws rds wait db-instance-available").opt("--db-instance-identifier", target), store, ph))
                .success("the new instance is available; its data ends at the restore point")
                .note("This creates a new instance with default parameter and security groups unless given: attach the production ones, then repoint the application (endpoint or DNS) to it.")
                .note("Blocks load lazily from S3: the first queries on the restored instance are slow.")
        }
        Kind::Aurora => {
            let target = suffixed(store, "-restore", ph);
            let inst = suffixed(store, "-restore-1", ph);
            let t = time(ph);
            let class = ph.hole(
                &format!("{p}_INSTANCE_CLASS"),
                "Instance class for the restored cluster's writer",
                "the production writer's class",
            );
            let engine = if store.engine == Engine::Postgres {
                "aurora-postgresql"
            } else {
                "aurora-mysql"
            };
            a.cmd(aws(Cmd::new("aws rds restore-db-cluster-to-point-in-time")
                .opt("--source-db-cluster-identifier", ident(store, ph))
                .opt("--db-cluster-identifier", target.clone())
                .opt("--restore-to-time", t), store, ph))
                .cmd(aws(Cmd::new("aws rds create-db-instance")
                    .opt("--db-instance-identifier", inst.clone())
                    .opt("--db-cluster-identifier", target.clone())
                    .opt("--db-instance-class", class)
                    .opt("--engine", Word::lit(engine)), store, ph))
                .verify(aws(Cmd::new("aws rds wait db-cluster-available").opt("--db-cluster-identifier", target), store, ph))
                .verify(aws(Cmd::new("aws rds wait db-instance-available").opt("--db-instance-identifier", inst), store, ph))
                .success("the new cluster and its writer are available; data ends at the restore point")
                .note("A cluster restore creates no instances: the create-db-instance step adds the writer. Repoint the application to the new cluster endpoint.")
                .note(if store.engine.is_mysql_family() {
                    "Aurora MySQL with backtracking enabled can rewind the cluster in place in minutes instead: aws rds backtrack-db-cluster --db-cluster-identifier ID --backtrack-to TIME (whole cluster, window up to 72 h)."
                } else {
                    "Aurora PostgreSQL has no backtrack: point-in-time restore to a new cluster is the route."
                })
        }
        Kind::CloudSql => {
            if method == Some(BackupMethod::Pitr) {
                let target = suffixed(store, "-restore", ph);
                let t = time(ph);
                a.cmd(
                    Cmd::new("gcloud sql instances clone")
                        .word(ident(store, ph))
                        .word(target.clone())
                        .opt_eq("--point-in-time", t),
                )
                .verify(
                    Cmd::new("gcloud sql instances describe")
                        .word(target)
                        .opt_eq("--format", Word::val("value(state)")),
                )
                .success("the clone's state is RUNNABLE")
                .note("The clone is a new instance: repoint the application to it.")
            } else {
                let backup = ph.hole(
                    &format!("{p}_BACKUP_ID"),
                    "Cloud SQL backup id taken before the deploy",
                    "gcloud sql backups list",
                );
                a.cmd(Cmd::new("gcloud sql backups restore").word(backup).opt_eq("--restore-instance", ident(store, ph)))
                    .verify(Cmd::new("gcloud sql operations list").opt_eq("--instance", ident(store, ph)).lit("--limit=1"))
                    .success("the restore operation is DONE")
                    .note("Restoring a backup overwrites the instance's data in place: everything written since the backup is lost.")
                    .destructive_now()
            }
        }
        Kind::SelfPostgres => {
            let file = ph.hole(
                &format!("{p}_DUMP_FILE"),
                "Dump file taken before the deploy (pg_dump -Fc)",
                "the pre-deploy backup step",
            );
            // Into a separate, empty database, as the managed engines restore into a new
            // instance: the live database keeps what was written since the dump.
            // https://www.postgresql.org/docs/current/app-pgrestore.html
            a.cmd(Cmd::new("pg_restore --exit-on-error --no-owner -j 4 -d").word(Word::lit("\"$RESTORED_DATABASE_URL\"")).word(file))
                .verify(Cmd::new("psql").word(Word::lit("\"$RESTORED_DATABASE_URL\"")).lit("-X -At -c").val("SELECT now()"))
                .success("pg_restore exits 0 and the restored copy answers queries")
                .note("`$RESTORED_DATABASE_URL` names a separate, empty database (`createdb` it first, on another server when the live one is short of disk); the live database is not touched. For point-in-time recovery from WAL archives, restore a base backup with recovery_target_time into that separate server instead.")
        }
        Kind::SelfMysql => {
            let file = ph.hole(
                &format!("{p}_DUMP_FILE"),
                "Dump file taken before the deploy (mysqldump)",
                "the pre-deploy backup step",
            );
            // Into a separate server, as the managed engines restore into a new instance.
            a.cmd(Cmd::new("mysql").word(Word::lit("--defaults-extra-file=\"$RESTORED_MYSQL_DEFAULTS_FILE\"")).word(database(store, ph)).lit("<").word(file))
                .success("mysql exits 0 and the restored copy holds the dumped tables")
                .note("`$RESTORED_MYSQL_DEFAULTS_FILE` names an option file for a separate server (create the database there first); the live database is not touched. Binlogs can replay later transactions up to a point (mysqlbinlog --stop-datetime).")
        }
        Kind::Unsupported => unsupported(store, "RESTORE_COMMAND", "restore it", a, ph),
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
    let (commands, expect) = match kind(store) {
        Kind::Rds => (
            vec![
                aws(Cmd::new("aws rds describe-db-snapshots")
                    .opt("--db-instance-identifier", ident(store, ph))
                    .opt("--query", Word::val("max_by(DBSnapshots, &SnapshotCreateTime).[DBSnapshotIdentifier,SnapshotCreateTime,Status]"))
                    .lit("--output text"), store, ph),
                aws(Cmd::new("aws rds describe-db-instances")
                    .opt("--db-instance-identifier", ident(store, ph))
                    .opt("--query", Word::val("DBInstances[0].[BackupRetentionPeriod,LatestRestorableTime]"))
                    .lit("--output text"), store, ph),
            ],
            "the newest snapshot is `available` and recent enough, and LatestRestorableTime is minutes old (retention > 0)",
        ),
        Kind::Aurora => (
            vec![aws(Cmd::new("aws rds describe-db-cluster-snapshots")
                .opt("--db-cluster-identifier", ident(store, ph))
                .opt("--query", Word::val("max_by(DBClusterSnapshots, &SnapshotCreateTime).[DBClusterSnapshotIdentifier,SnapshotCreateTime,Status]"))
                .lit("--output text"), store, ph)],
            "the newest cluster snapshot is `available` and recent enough",
        ),
        Kind::CloudSql => (
            vec![Cmd::new("gcloud sql backups list").opt_eq("--instance", ident(store, ph)).lit("--limit=5")],
            "the newest backup is SUCCESSFUL and recent enough",
        ),
        Kind::SelfPostgres | Kind::SelfMysql | Kind::Unsupported => {
            let loc = ph.val_or(
                store.backup.as_ref().and_then(|b| b.location.as_deref()),
                &format!("{}_BACKUP_LOCATION", slug(name)),
                &format!("Where backups of {name} are kept"),
                "architecture.data_stores[].backup.location",
            );
            let c = if store.backup.as_ref().and_then(|b| b.location.as_deref()).is_some_and(|l| l.starts_with("s3://")) {
                Cmd::new("aws s3 ls").word(loc)
            } else {
                Cmd::new("ls -lt").word(loc)
            };
            (vec![c], "the newest backup file is recent enough and not empty")
        }
    };
    Check {
        queries: Vec::new(),
        title,
        commands,
        expect: format!("{expect}{tested}"),
    }
}

/// Estimated minutes for a full restore and the basis of the figure; `None` minutes when the size is unknown.
pub fn restore_estimate(store: &DataStore) -> (Option<u32>, String) {
    let managed = matches!(kind(store), Kind::Rds | Kind::Aurora | Kind::CloudSql);
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

trait Destructive {
    fn destructive_now(self) -> Self;
}
impl Destructive for Action {
    fn destructive_now(mut self) -> Self {
        self.destructive = true;
        self
    }
}

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
