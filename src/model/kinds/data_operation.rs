//! `kind: data_operation` — a backfill, update, delete or script run against production.

use super::declare::*;
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

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::DataOperation,
    name: "data_operation",
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
    prevention: &[
        "a verified backup or a copy of the rows touched",
        "the expected row count",
    ],
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
