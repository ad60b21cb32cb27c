//! `kind: data_operation` — a backfill, update, delete or script run against production.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A data operation: backfill, delete, a script run against production.
    pub struct DataOperation {
        /// Inline SQL of the operation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sql: Option<String>,
        /// The data store (by name from `architecture.data_stores`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub database: Option<String>,
        /// What kind of operation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<DataOperationKind>,
        /// The table or collection touched.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub table: Option<String>,
        /// Rows expected to be touched.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rows: Option<u64>,
        /// Path of the script run against production.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub script: Option<String>,
        /// Runs in batches that can be paused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub batched: Option<bool>,
    }
}

impl super::Validate for DataOperation {}

/// Data operations, one trigger per operation.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "data_operation",
    triggers: &[
        Trigger {
            name: "backfill",
            found: Pattern {
                regex: r"(?i)(?-u:\b)backfill(?:s|ed|ing)?(?-u:\b)",
                words: &["backfill"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "bulk delete",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:bulk[- ]delet[[:word:]]*|(?:delete|deletes|deleting|purge|purges|purging)\s+(?:[[:word:],]+\s+){0,3}?(?:rows|records|documents|entries|data))(?-u:\b)",
                words: &["delet", "purg", "bulk"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "bulk update",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:bulk[- ]updat[[:word:]]*|(?:update|updates|updating|rewrite|rewrites|rewriting|overwrite|overwrites|overwriting)\s+(?:[[:word:],]+\s+){0,3}?(?:rows|records|documents|entries))(?-u:\b)",
                words: &["updat", "rewrit", "overwrit", "bulk"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "script against production",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:one-off\s+)?script\s+(?:against|on|in)\s+(?:the\s+)?prod(?:uction)?|(?:run|runs|running)\s+(?:a\s+|the\s+)?(?:one-off\s+)?script|(?:run|runs|running)\s+(?:a\s+|the\s+|our\s+)?(?:[[:word:]]+-)?(?:maintenance|clean-?up|deletion|purge|repair)\s+script)(?-u:\b)",
                words: &["script"],
                leading: false,
                and_words: &["prod", "run"],
            },
            also: None,
        },
        // Deleting for good, whatever is deleted (rows, accounts, sites, tenants).
        Trigger {
            name: "permanent delete",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:permanent(?:ly)?\s+(?:delet|eras|purg)[[:word:]]*|hard[- ]delet[[:word:]]*)(?-u:\b)",
                words: &["permanent", "hard"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::DataOperation,
    name: "data_operation",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::ProportionalToData,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::StopDataOperation,
            when: "",
            reverses: "nothing: it stops further writes",
            does_not_reverse: "the rows already changed",
        },
        MechanismDecl {
            id: MechanismId::DataRepair,
            when: "the rows' previous values are kept or the operation can be inverted",
            reverses: "the rows changed, after a backup of their current state",
            does_not_reverse: "rows deleted without a copy",
        },
    ],
    signals: &[
        SignalDecl {
            signal: "rows touched against the expected count",
            on_services: false,
            condition: "above the expected count, or still rising after the operation should have ended",
            window: "while it runs",
            action: "stop the operation",
            query: "ROWS_TOUCHED_QUERY",
            measure: "the number of rows the operation has changed so far (a count on what it writes, or its own progress log)",
        },
        SignalDecl {
            signal: "errors on the table touched",
            on_services: false,
            condition: "above the rate before the operation",
            window: "5m",
            action: "stop the operation, then assess",
            query: "TABLE_ERRORS_QUERY",
            measure: "errors of the queries on the tables the operation touches (application errors, lock timeouts)",
        },
    ],
    staging: "a small batch first, counted, before the rest",
    staged_by_own_targets: false,
    prevention: &[
        "a verified backup or a copy of the rows touched",
        "the expected row count",
        "a dry run lists what the operation will touch from its real input: how many, and that each is of the type meant (the records themselves, not their owners or parents); the count matches the expected one",
        "if it deletes: a mark for deletion first (a soft delete, a trash or retention window) where the system offers one; the permanent delete runs later, once nobody has asked for anything back",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "from the operation: kept prior values are copied back, deleted rows come from backup",
    changes_data_store: true,
    irreversible_mitigation: Some(
        "`{label}`: restore the touched rows from the backup taken before the operation (or a point-in-time restore into a separate instance) and copy them back, instead of reverting in place.",
    ),
    audience: &[
        Audience::Engineering,
        Audience::DataOwners,
        Audience::Customers,
    ],
    may_cut_own_tooling: false,
};

/// Data operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DataOperationKind {
    /// Fills new columns or tables from existing data.
    Backfill,
    /// Overwrites existing values.
    Update,
    /// Deletes rows.
    Delete,
    /// A script run against production.
    Script,
}
