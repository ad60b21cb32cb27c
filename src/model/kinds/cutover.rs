//! `kind: cutover` — reads and writes moved from one system to another: a data store (MongoDB to
//! PostgreSQL), a core platform (a bank's accounts moved to a new core banking system), a
//! provider.
//!
//! What a migration lead asks, and where the answers come from:
//!
//! - *Where is the point of no return?* The first write made only in the new system, the old
//!   system decommissioned, the customers moved: TSB's 2018 migration could be backed out until
//!   the new platform opened to customers, and not after
//!   (https://tsb.co.uk/news-releases/slaughter-and-may.html). Before it, the backout switches
//!   reads and writes back and the old system is still authoritative; after it, only mitigation
//!   is left (copy back the writes made only in the new system, or fix forward).
//! - *How are the two systems reconciled?* Dual writes, counts and checksums compared, a
//!   reconciliation job, a reverse sync of the writes made in the new system (Stripe's online
//!   migrations: dual write, read from the new, then stop writing the old,
//!   https://stripe.com/blog/online-migrations).
//! - *What shows it is hurting?* Mismatches between the two systems, writes failing in the new
//!   one, and the business operations that read the moved data (logins, payments, orders).

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};

change_struct! {
    /// Reads and writes moved from one system to another: a data store, a core platform, a
    /// provider.
    pub struct Cutover {
        /// The system moved from (still authoritative until the point of no return).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// The system moved to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
        /// How reads and writes are switched (a flag, a config value, DNS, a router).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub switch: Option<String>,
        /// The old system keeps being written (dual writes) after the cutover.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dual_writes: Option<bool>,
        /// Writes made in the new system are copied back to the old one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reverse_sync: Option<bool>,
        /// The old system stays in place, running, able to take reads and writes back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub old_kept: Option<bool>,
        /// How the two systems are compared (a reconciliation job, counts and checksums).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reconciliation: Option<String>,
        /// The step after which the old system cannot take over again, in the brief's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub point_of_no_return: Option<String>,
    }
}

impl super::Validate for Cutover {}

/// The nouns of a system moved between: a store, a platform, a provider.
macro_rules! system_nouns {
    () => {
        r"(?:platforms?|systems?|stores?|datastores?|databases?|providers?|backends?|clusters?|mongo(?:db)?|postgres(?:ql)?|mysql|dynamodb|cassandra|oracle|accounts?|customers?|records)"
    };
}

/// A cutover: the word itself beside a system, reads and writes switched from one system to
/// another, dual writes, or a migration from an old system to a new one. A schema migration is a
/// `migration`; "cutover" of DNS alone is a network change.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "cutover",
    triggers: &[
        Trigger {
            name: "cutover",
            found: Pattern {
                regex: r"(?i)(?-u:\b)cut(?:s|ting)?[- ]?over(?-u:\b)",
                words: &["cut"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: concat!(r"(?i)(?-u:\b)", system_nouns!(), r"(?-u:\b)"),
                words: &[
                    "platform", "system", "store", "database", "provider", "backend", "cluster",
                    "mongo", "postgres", "mysql", "dynamodb", "cassandra", "oracle", "account",
                    "customer", "records",
                ],
                leading: false,
                and_words: &[],
            }),
        },
        Trigger {
            name: "reads and writes switched",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:switch|mov|flip|point|cut)[[:word:]]*\s+(?:all\s+|the\s+)?(?:[[:word:]`-]+\s+){0,2}?(?:reads\s+and\s+writes|writes\s+and\s+reads|reads|writes)(?-u:\b)",
                words: &["switch", "mov", "flip", "point", "cut"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)from\s+[^.;]{1,80}?\s+to\s",
                words: &["from"],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "migration between systems",
            found: Pattern {
                regex: concat!(
                    r"(?i)(?-u:\b)migrat[[:word:]]*\s+(?:[[:word:]`',.()-]+\s+){0,14}?from\s+(?:the\s+|our\s+)?(?:old\s+|legacy\s+|existing\s+|current\s+)?(?:[[:word:]`'-]+\s+){0,4}?",
                    system_nouns!(),
                    r"\s+to(?-u:\b)"
                ),
                words: &["migrat"],
                leading: true,
                and_words: &["from"],
            },
            also: None,
        },
        Trigger {
            name: "dual writes",
            found: Pattern {
                regex: r"(?i)(?-u:\b)dual[- ]writ[[:word:]]*(?-u:\b)",
                words: &["dual"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a cutover beyond the trigger, read from every sentence.
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The old system keeps being written.
    pub const DUAL_WRITES: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:dual[- ]writ[[:word:]]*|writ[[:word:]]*\s+to\s+both)(?-u:\b)",
        words: &["dual", "both"],
        leading: false,
        and_words: &[],
    };

    /// Writes made in the new system are copied back to the old one.
    pub const REVERSE_SYNC: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:reverse[- ](?:sync|replication|cdc)|(?:sync|replicat)[[:word:]]*\s+back\s+to)(?-u:\b)",
        words: &["reverse", "back"],
        leading: false,
        and_words: &[],
    };

    /// The old system stays in place: "parts of the old quota system stay in place", "the old
    /// platform is kept running".
    pub const OLD_KEPT: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:old|legacy|previous|existing)\s+(?:[[:word:]-]+\s+){0,3}?(?:system|platform|store|database|provider|cluster)s?\s+(?:stays?|remains?|is\s+kept|are\s+kept|kept)\s+(?:in\s+place|running|available|live|writable)(?-u:\b)",
        words: &["old", "legacy", "previous", "existing"],
        leading: true,
        and_words: &[],
    };

    /// How the two systems are compared.
    pub const RECONCILIATION: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:(?:[[:word:]]+\s+)?reconcil[[:word:]]*(?:\s+(?:job|jobs|run|report))?|checksums?|row\s+counts?)(?-u:\b)",
        words: &["reconcil", "checksum", "row"],
        leading: false,
        and_words: &[],
    };

    /// The system moved from and to: "from MongoDB (`orders` collection) to PostgreSQL", "from
    /// the Lloyds Banking Group platform to our new platform Proteo4UK".
    pub const FROM_TO: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)from\s+(?:the\s+|our\s+)?((?:[[:word:]][[:word:].-]*\s+){0,4}?[[:word:]][[:word:].-]*)\s+(?:\([^)]*\)\s+)?to\s+(?:the\s+|our\s+)?((?:new\s+)?(?:[[:word:]][[:word:].-]*\s+){0,3}?[[:word:]][[:word:].-]*)",
        words: &["from"],
        leading: true,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Cutover,
    name: "cutover",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::ProportionalToData,
    mechanisms: &[MechanismDecl {
        id: MechanismId::CutoverBack,
        when: "",
        reverses: "before the point of no return: reads and writes, switched back to the old system, which is still authoritative",
        does_not_reverse: "writes made only in the new system (copied back by a reverse sync, or lost); anything after the point of no return",
    }],
    signals: &[
        SignalDecl {
            signal: "mismatches between the old and the new system",
            on_services: false,
            condition: "any mismatch the reconciliation finds beyond the last run before the cutover (counts, checksums, balances)",
            window: "each reconciliation run, at least hourly on the first day",
            action: "stop moving more; switch reads and writes back while the old system is still authoritative",
            query: "RECONCILIATION_MISMATCH_QUERY",
            measure: "records that differ between the old and the new system (counts, checksums, totals per account or day), from the reconciliation job",
        },
        SignalDecl {
            signal: "writes failing or missing in the new system",
            on_services: false,
            condition: "any write the new system rejects, or a dual write that reached only one side",
            window: "5m",
            action: "switch writes back to the old system",
            query: "CUTOVER_WRITE_FAILURES_QUERY",
            measure: "writes rejected by the new system, and dual writes that reached one side only",
        },
        SignalDecl {
            signal: "the operations that read the moved data: logins, payments, lookups, orders",
            on_services: false,
            condition: "success rate or volume of the operations that read the moved data below the same hour of the week before",
            window: "15m",
            action: "switch reads back to the old system",
            query: "CUTOVER_BUSINESS_OPERATIONS_QUERY",
            measure: "completed logins, payments, account lookups or orders served from the new system, against the same hour of the week before",
        },
    ],
    staging: "a few accounts, tenants or records first (internal users, then 1%, 10%, ...), each wave reconciled before the next, instead of one event for everyone; the old system stays authoritative and written until the point of no return",
    staged_by_own_targets: true,
    prevention: &[
        "the cutover was rehearsed end to end on production-sized data, and no open test defect blocks go-live",
        "the old and the new system return the same results for the same input (counts, checksums, balances, usage) right before the switch",
        "the point of no return is written down, with the backout before it, who decides to pass it and what must hold first",
        "the old system stays writable and current (dual writes or a reverse sync) until the point of no return",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "before the point of no return the old system is authoritative: switch back and reconcile; writes made only in the new system are copied back (reverse sync) or replayed; after it, reconcile and fix forward",
    changes_data_store: true,
    irreversible_mitigation: Some(
        "`{label}`: past the point of no return the old system cannot take over: fix forward on the new system, reconcile it against the last state of the old one, and copy back or replay by hand what a switch back would lose.",
    ),
    audience: &[
        Audience::Engineering,
        Audience::Support,
        Audience::Customers,
        Audience::DataOwners,
    ],
    may_cut_own_tooling: false,
};
