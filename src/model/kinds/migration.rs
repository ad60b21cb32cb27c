//! `kind: migration` — a schema migration, judged from its SQL.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A schema migration.
    pub struct Migration {
        /// Path, directory or glob of migration files (read as evidence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub path: Option<String>,
        /// Inline SQL of the forward (up) step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sql: Option<String>,
        /// Inline SQL of the down step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub down_sql: Option<String>,
        /// Path of the down migration file, when separate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub down_path: Option<String>,
        /// The migration tool.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tool: Option<MigrationTool>,
        /// The data store (by name from `architecture.data_stores`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub database: Option<String>,
        /// Does the previous application version keep working on the new schema?
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub backward_compatible: Option<bool>,
        /// The migration version to return to (tool-specific id), for targeted downs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_migration: Option<String>,
        /// The app label (Django).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub app: Option<String>,
    }
}

impl super::Validate for Migration {}

/// A schema migration: "database migration", "add a column", "drop table".
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "migration",
    triggers: &[Trigger {
        name: "schema migration",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(?:(?:database|schema|db)\s+migrations?|migrations?|schema\s+changes?|(?:alter|create|drop)\s+table|(?:add|adds|adding|added)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[[:word:]`]+\s+)?columns?|(?:create|creates|creating|add|adds|adding|build|builds|drop|drops|dropping)\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:unique\s+)?(?:[[:word:]`]+\s+)?index(?:es)?|(?:drop|drops|dropping|remove|removes|removing|rename|renames|renaming)\s+(?:the\s+|a\s+)?(?:[[:word:]`.]+\s+)?(?:column|table)s?)(?-u:\b)",
            // The verbs and nouns every match starts with, and what it changes.
            words: &[
                "database", "schema", "db", "migration", "alter", "creat", "drop", "add", "build",
                "remov", "renam",
            ],
            leading: true,
            and_words: &["migration", "change", "table", "column", "index"],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

/// Sentences whose tables, columns and indexes are not a database schema's: the columns of a
/// file the change writes (CSV, report, export, spreadsheet) and the indexes of a search engine.
/// A sentence holding one of these creates no migration.
pub const NOT_SCHEMA: Pattern = Pattern {
    regex: r"(?i)(?-u:\b)(?:columns?\s+(?:to|in|of|from)\s+(?:the\s+|each\s+|every\s+)?(?:[[:word:]-]+\s+)?(?:csv|tsv|file|files|report|reports|export|exports|spreadsheet|sheet|dashboard|ui|table\s+view)|csv|tsv|spreadsheet|elasticsearch|opensearch|solr|meilisearch|typesense|_reindex|_aliases|search\s+index|index\s+alias|alias)(?-u:\b)",
    words: &[
        "csv", "tsv", "file", "report", "export", "spreadsheet", "sheet", "dashboard", "ui", "view",
        "elasticsearch", "opensearch", "solr", "meilisearch", "typesense", "_reindex", "_aliases",
        "search", "alias",
    ],
    leading: false,
    and_words: &[],
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Migration,
    name: "migration",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::ProportionalToData,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::ReverseMigrationBeforeCode,
            when: "the previous version does not run on the new schema and nothing was destroyed",
            reverses: "the schema, before the old code starts",
            does_not_reverse: "rows written to what the down drops",
        },
        MechanismDecl {
            id: MechanismId::RestoreFromBackup,
            when: "the migration destroyed data",
            reverses: "the lost data, restored into a separate instance and copied back",
            does_not_reverse: "writes after the backup to what was destroyed",
        },
        MechanismDecl {
            id: MechanismId::KeepSchema,
            when: "the migration is additive or the previous version runs on it",
            reverses: "nothing: the schema stays, on purpose",
            does_not_reverse: "the schema change",
        },
        MechanismDecl {
            id: MechanismId::ReverseMigrationAfterCode,
            when: "otherwise",
            reverses: "the schema, after the code",
            does_not_reverse: "rows written to what the down drops",
        },
    ],
    signals: &[
        SignalDecl {
            signal: "lock waits and replication lag",
            on_services: false,
            condition: "any session waiting on a lock for more than 5 s, or replication lag above the lag before the migration",
            window: "while it runs, then 15m",
            action: "cancel the migration",
            query: "LOCK_WAITS_QUERY",
            measure: "sessions waiting on locks and replica lag in the data store (PostgreSQL: pg_stat_activity where wait_event_type = 'Lock', pg_stat_replication replay_lag; MySQL: performance_schema.data_lock_waits, SHOW REPLICA STATUS)",
        },
        SignalDecl {
            signal: "errors on the changed tables",
            on_services: false,
            condition: "above the rate before the migration",
            window: "5m",
            action: "roll back",
            query: "TABLE_ERRORS_QUERY",
            measure: "errors of the queries on the tables the migration changes (application errors, lock timeouts)",
        },
    ],
    staging: "expand and contract: additive first, destructive in a later deploy",
    staged_by_own_targets: false,
    prevention: &[
        "a verified backup younger than the policy's limit",
        "the down migration is rehearsed",
    ],
    prevention_in_go_no_go: false,
    data_recovery: "from the migration's SQL: dropped data is restored from backup, additive changes stay",
    changes_data_store: true,
    irreversible_mitigation: Some(
        "`{label}`: data removed by the migration returns only from a backup: take a fresh backup, restore the pre-deploy backup into a separate instance, and copy the lost rows or columns back; reverse the schema only if the old code needs it.",
    ),
    audience: &[Audience::Engineering, Audience::DataOwners],
    may_cut_own_tooling: false,
};
/// Migration tools rollbook knows the down commands of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationTool {
    Flyway,
    Liquibase,
    Alembic,
    Rails,
    Django,
    GolangMigrate,
    Goose,
    Dbmate,
    Sqlx,
    Diesel,
    Prisma,
    Atlas,
    Sqitch,
    Knex,
    Ecto,
    Typeorm,
    Sequelize,
    EfCore,
    Laravel,
    /// Plain SQL run by hand or by a custom runner.
    Sql,
}
