//! `kind: database_operation` — work on a database server itself rather than on its rows or
//! schema: a switchover or failover, a parameter change, a major version upgrade, a restore, a
//! reindex, a change of replication (a replica re-seeded, re-pointed or rebuilt).
//!
//! The questions a DBA asks of such a plan: what is destroyed if the operation hits the wrong host
//! (GitLab 2017 removed the data directory of the primary it took for the replica:
//! https://about.gitlab.com/blog/2017/02/10/postmortem-of-database-outage-of-january-31/), what
//! the recovery point and time are and whether the recovery path has been proven (GitLab's five
//! backup mechanisms had not been tested), and which signals show the database is unhealthy
//! (replication lag, connections against the maximum, which host is primary, WAL or binlog
//! position, errors, disk). A failover across sites can leave writes on both sides with no way
//! back that keeps both (GitHub 2018: https://github.blog/2018-10-30-oct21-post-incident-analysis/).

use super::declare::*;
use crate::model::Engine;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A database operation: switchover, failover, parameter change, major upgrade, restore,
    /// reindex, replication change.
    pub struct DatabaseOperation {
        /// What is done to the database.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<DatabaseOperationKind>,
        /// The data store (by name from `architecture.data_stores`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub database: Option<String>,
        /// The engine, when no data store is declared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub engine: Option<Engine>,
        /// What drives the operation: Patroni, orchestrator, the cloud provider, or a person.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub manager: Option<DatabaseManager>,
        /// The cluster (Patroni scope, orchestrator cluster alias) or the cloud instance identifier.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cluster: Option<String>,
        /// The host the operation acts on: the leader before a switchover, the replica re-seeded,
        /// the server upgraded. The host checked by name right before anything destructive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub host: Option<String>,
        /// The host that takes over (the switchover or failover candidate).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub candidate: Option<String>,
        /// The parameter changed (`max_connections`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parameter: Option<String>,
        /// The cloud parameter group that holds it (RDS, Aurora).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parameter_group: Option<String>,
        /// The value or version before the operation: what the way back returns to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// The value or version after it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
        /// The parameter takes effect only after a restart (static, `pending-reboot`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub requires_restart: Option<bool>,
        /// The old cluster, instance or replica is kept, untouched, until the new one has proved
        /// itself (a major upgrade without `--link`, a blue/green copy): the way back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub old_kept: Option<bool>,
        /// The recovery point the way back restores to: a snapshot id, a backup, a PITR time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recovery_point: Option<String>,
        /// The index rebuilt (reindex).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub index: Option<String>,
    }
}

impl super::Validate for DatabaseOperation {}

/// Words that place a switchover, failover or restore on a database, not on traffic or a cache.
const DB_WORDS: Pattern = Pattern {
    regex: r"(?i)(?-u:\b)(?:postgres(?:ql)?|pg|mysql|mariadb|patroni|patronictl|orchestrator|repmgr|rds|aurora|database|databases|db|primary|primaries|replica|replicas|standby|leader|master|wal|binlog)(?-u:\b)",
    words: &[
        "postgres",
        "pg",
        "mysql",
        "mariadb",
        "patroni",
        "orchestrator",
        "repmgr",
        "rds",
        "aurora",
        "database",
        "db",
        "primar",
        "replica",
        "standby",
        "leader",
        "master",
        "wal",
        "binlog",
    ],
    leading: true,
    and_words: &[],
};

/// A database operation, one trigger per operation; the trigger's name is the operation
/// ([`DatabaseOperationKind::from_trigger`]).
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "database_operation",
    triggers: &[
        Trigger {
            name: "switchover",
            found: Pattern {
                // "switchover", or "switch over" followed by what is switched on a database:
                // "switch over traffic to green" is a traffic switch, not this.
                regex: r"(?i)(?-u:\b)(?:switch-?overs?|switch(?:es|ed|ing)?\s+over\s+(?:the\s+)?(?:primary|leader|master|database|db|cluster|to\s+(?:the\s+)?(?:replica|standby|secondary)))(?-u:\b)",
                words: &["switch"],
                leading: true,
                and_words: &[],
            },
            also: Some(DB_WORDS),
        },
        Trigger {
            name: "failover",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:fail(?:s|ed|ing)?[- ]?over|promot(?:e|es|ed|ing)\s+(?:a\s+|the\s+)?(?:new\s+)?(?:[[:word:]`-]+\s+)?(?:primary|master|leader|replica|standby)|(?:cross-region|cross-site|automatic|automated)\s+promotion)(?-u:\b)",
                words: &["fail", "promot", "automated", "automatic", "cross"],
                leading: true,
                and_words: &[],
            },
            also: Some(DB_WORDS),
        },
        Trigger {
            name: "major upgrade",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:major\s+(?:version\s+|engine\s+)?upgrades?|pg_upgrade|allow-major-version-upgrade|(?:postgres(?:ql)?|mysql|mariadb)\s+(?:engine\s+)?(?:version\s+)?upgrades?|upgrad(?:e|es|ed|ing)\s+(?:the\s+)?(?:[[:word:]`-]+\s+){0,3}?(?:from\s+)?(?:postgres(?:ql)?|mysql|mariadb)\s+[0-9]+)(?-u:\b)",
                words: &["upgrad"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "parameter change",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:db\s+|database\s+)?parameter\s+groups?|(?:static|dynamic)\s+parameters?|alter\s+system|pg_reload_conf|max_connections|shared_buffers|work_mem|max_wal_senders|wal_level|innodb_[[:word:]]+|set\s+(?:global|persist)\s+[[:word:]]+)(?-u:\b)",
                words: &[
                    "parameter",
                    "alter",
                    "pg_reload_conf",
                    "max_connections",
                    "shared_buffers",
                    "work_mem",
                    "max_wal_senders",
                    "wal_level",
                    "innodb_",
                    "set",
                ],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "replication change",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:pg_basebackup|re-?seed(?:s|ed|ing)?|(?:re-?build|re-?builds|re-?building|resync|resyncs|resyncing|re-?point|re-?points|re-?pointing)\s+(?:the\s+|a\s+)?(?:[[:word:]`-]+\s+)?(?:replica|replicas|standby|secondary)|change\s+(?:replication\s+source|master)\s+to)(?-u:\b)",
                words: &["pg_basebackup", "seed", "build", "resync", "point", "change"],
                leading: false,
                and_words: &[],
            },
            also: Some(DB_WORDS),
        },
        Trigger {
            name: "restore",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:restore-db-(?:instance|cluster)-[[:word:]-]+|pg_restore|point[- ]in[- ]time\s+(?:restore|recovery)\s+(?:of|into|to)|restor(?:e|es|ing)\s+(?:the\s+)?(?:[[:word:]`-]+\s+)?(?:database|db|instance|cluster)\s+(?:to|from|into))(?-u:\b)",
                words: &["restor", "point", "pg_"],
                leading: true,
                and_words: &[],
            },
            also: Some(DB_WORDS),
        },
        Trigger {
            name: "reindex",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:reindex\s+(?:\([[:word:] ,]+\)\s+)?(?:table|index|database|schema|system|concurrently)|reindexdb|pg_repack)(?-u:\b)",
                words: &["reindex", "pg_repack"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::DatabaseOperation,
    name: "database_operation",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Redeploy,
    mechanisms: &[MechanismDecl {
        id: MechanismId::DatabaseOperationBack,
        when: "",
        reverses: "the operation by its own way back: a switchover back to the former leader, the previous parameter value, the old cluster kept or a restore, a rebuilt index",
        does_not_reverse: "commits on the old primary not yet replicated when it lost the role (unreplicated writes to reconcile by hand), writes made on a new major version (no downgrade), data removed from a host",
    }],
    signals: &[
        SignalDecl {
            signal: "replication lag and replica state",
            on_services: false,
            condition: "lag above the lag before the operation for 2 minutes, or any replica not streaming",
            window: "2m",
            action: "stop the operation; do not switch or fail over to a lagging replica",
            query: "REPLICATION_LAG_QUERY",
            measure: "replication lag and state per replica (PostgreSQL: pg_stat_replication replay_lag and state, postgres_exporter pg_replication_lag; MySQL: SHOW REPLICA STATUS Seconds_Behind_Source, Replica_IO_Running, Replica_SQL_Running)",
        },
        SignalDecl {
            signal: "which host is primary, and that it is up",
            on_services: false,
            condition: "no primary, two primaries, or the primary on a host the plan did not name",
            window: "1m",
            action: "roll back; pause automated failover before acting by hand",
            query: "PRIMARY_ROLE_QUERY",
            measure: "the role of each host and whether it answers (PostgreSQL: SELECT pg_is_in_recovery() per host, pg_up; patronictl list; MySQL: SELECT @@read_only per host, orchestrator-client -c topology)",
        },
        SignalDecl {
            signal: "connections against the maximum, and database errors",
            on_services: false,
            condition: "connections above 90% of max_connections, or connection or query errors above the rate before the operation",
            window: "5m",
            action: "roll back",
            query: "DB_CONNECTIONS_QUERY",
            measure: "connections in use against max_connections, and failed connections and query errors (PostgreSQL: count(*) from pg_stat_activity against current_setting('max_connections'), pg_stat_database xact_rollback and deadlocks; MySQL: Threads_connected against max_connections, Aborted_connects)",
        },
        SignalDecl {
            signal: "WAL or binlog retention and free disk",
            on_services: false,
            condition: "free disk below 15% on any database host, or WAL/binlog kept for a replica growing without bound",
            window: "5m",
            action: "stop the operation",
            query: "DB_DISK_QUERY",
            measure: "free disk on each database host and the WAL or binlog kept for replicas (PostgreSQL: pg_replication_slots restart_lsn against pg_current_wal_lsn(); MySQL: SHOW BINARY LOGS)",
        },
    ],
    staging: "a replica or a copy first, then the primary in a maintenance window; rehearsed on staging with the same topology",
    staged_by_own_targets: false,
    prevention: &[
        "a backup restored in a test restore within the policy's limit, with its duration known (a backup that was only listed is not proven)",
        "the exact host and its role are checked right before any destructive command (`hostname`; `SELECT pg_is_in_recovery()` or `SELECT @@read_only`)",
        "replication lag is 0 on the replica that takes over, and every replica is streaming",
        "a snapshot or backup taken right before the operation, its id written into the plan",
        "automated failover paused (Patroni `pause`, orchestrator `disable-global-recoveries`) for network or host maintenance that can trigger an unplanned one; a planned Patroni switchover runs with it on",
        "the operation rehearsed on a copy with the same topology and version",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "from the operation: a switchover or parameter change loses no data when lag is 0; a failover can leave unreplicated writes on the old primary to reconcile; a major upgrade or a removed data directory comes back only from the kept old cluster or a restore, losing writes since",
    changes_data_store: true,
    irreversible_mitigation: Some(
        "`{label}`: there is no downgrade or undo: keep the old cluster or replica untouched until the new one has proved itself, fix forward on the new one, or restore the snapshot taken before into a new instance and accept losing the writes since.",
    ),
    audience: &[
        Audience::Engineering,
        Audience::DataOwners,
        Audience::Customers,
    ],
    may_cut_own_tooling: false,
};

/// What a database operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseOperationKind {
    /// A planned change of primary with both hosts up (Patroni `switchover`).
    Switchover,
    /// A promotion of a replica when the primary is lost or fenced (Patroni `failover`,
    /// orchestrator recovery).
    Failover,
    /// A server parameter changed (`ALTER SYSTEM`, a parameter group).
    ParameterChange,
    /// A major version upgrade: no downgrade.
    MajorUpgrade,
    /// A restore of a backup or a point in time.
    Restore,
    /// Indexes rebuilt.
    Reindex,
    /// Replication set up, re-pointed, or a replica re-seeded.
    ReplicationChange,
}

impl DatabaseOperationKind {
    /// The operation a trigger of [`RECOGNISER`] reveals.
    pub fn from_trigger(name: &str) -> Option<Self> {
        Some(match name {
            "switchover" => Self::Switchover,
            "failover" => Self::Failover,
            "major upgrade" => Self::MajorUpgrade,
            "parameter change" => Self::ParameterChange,
            "replication change" => Self::ReplicationChange,
            "restore" => Self::Restore,
            "reindex" => Self::Reindex,
            _ => return None,
        })
    }

    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Switchover => "switchover",
            Self::Failover => "failover",
            Self::ParameterChange => "parameter change",
            Self::MajorUpgrade => "major version upgrade",
            Self::Restore => "restore",
            Self::Reindex => "reindex",
            Self::ReplicationChange => "replication change",
        }
    }
}

/// What drives a database operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DatabaseManager {
    /// Patroni (`patronictl`).
    Patroni,
    /// orchestrator for MySQL (`orchestrator-client`).
    Orchestrator,
    /// The cloud provider's API (RDS, Aurora, Cloud SQL).
    Cloud,
    /// By hand, on the host.
    Manual,
}
