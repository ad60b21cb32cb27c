//! `kind: code` — application code shipped as a new version of one or more services.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};

change_struct! {
    /// Application code: a new version of the services it names.
    pub struct Code {}
}

impl super::Validate for Code {}

/// Application code: revealed by a new version, which the reader takes for a release of the
/// services the brief names (a version next to no named service stays unmapped work).
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "code",
    triggers: &[
        // "shipping billing-api 5.2.0": a version right after the deployed thing's name.
        Trigger {
            name: "version shipped",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:ship|ships|shipping|deploy|deploys|deploying|releasing|roll\s+out|rolls\s+out|rolling\s+out|upgrading)\s+`?[a-z][[:word:]./-]*`?\s+`?(v?[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-[[:word:].]+)?)(?-u:\b)`?",
                words: &["ship", "deploy", "releasing", "roll", "upgrading"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        // "invoice-worker 7.3.1 goes out": a hyphenated name right before a three-part version
        // is a release of that service (an engine or tool is one word: "PostgreSQL 15.4").
        Trigger {
            name: "name and version",
            found: Pattern {
                regex: r"(?i)(?-u:\b)`?[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+`?\s+`?(v?[0-9]+\.[0-9]+\.[0-9]+(?:-[[:word:].]+)?)(?-u:\b)`?",
                words: &["-", "_"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "version named",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:version|release|tag|becomes|will\s+be)\s*:?\s+`?(v?[0-9]+\.[0-9]+[[:word:].+-]*)`?",
                words: &["version", "release", "tag", "becomes", "will"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "v-prefixed version",
            found: Pattern {
                regex: r"(?i)(?-u:\b)v([0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-[[:word:].]+)?)(?-u:\b)",
                words: &["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Code,
    name: "code",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Reversible,
    time: TimeModel::Redeploy,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::PlatformPreconditions,
            when: "the platform needs a step before a rollback (Argo CD auto-sync off)",
            reverses: "nothing by itself: keeps the platform from undoing the rollback",
            does_not_reverse: "anything",
        },
        MechanismDecl {
            id: MechanismId::Redeploy,
            when: "",
            reverses: "the running version of each service, traffic first where the old version still runs",
            does_not_reverse: "data written by the new version, config kept outside the artifact, what left the system",
        },
        MechanismDecl {
            id: MechanismId::PlatformCleanup,
            when: "the platform needs a step after a rollback (auto-sync back on)",
            reverses: "the preconditions",
            does_not_reverse: "anything else",
        },
    ],
    signals: &[
        SignalDecl::on_services("error ratio"),
        SignalDecl::on_services("p99 latency"),
        SignalDecl::on_services("health check"),
    ],
    staging: "canary or progressive rollout of the new version",
    staged_by_own_targets: false,
    prevention: &["the previous version's platform id is recorded"],
    prevention_in_go_no_go: false,
    data_recovery: "code keeps no data of its own: rows it wrote stay in the database",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[
        Audience::Engineering,
        Audience::Support,
        Audience::Customers,
    ],
    may_cut_own_tooling: false,
};
