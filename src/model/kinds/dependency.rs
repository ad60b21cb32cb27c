//! `kind: dependency` — a library, runtime or base image bumped, shipped with the code.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};

change_struct! {
    /// A dependency bump (library, runtime, base image); it ships, and rolls back, with the code.
    pub struct Dependency {
        /// The package, runtime or image.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub package: Option<String>,
        /// Version before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// Version after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
    }
}

impl super::Validate for Dependency {}

/// A dependency bump: an upgrade verb beside a library, runtime or base image (an infrastructure
/// change in the same sentence takes precedence).
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "dependency",
    triggers: &[Trigger {
        name: "dependency",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(bump[[:word:]]*|upgrad[[:word:]]*|updat[[:word:]]*)(?-u:\b)",
            words: &["bump", "upgrad", "updat"],
            leading: true,
            and_words: &[],
        },
        also: Some(Pattern {
            regex: r"(?i)(?-u:\b)(dependency|dependencies|library|package|sdk|runtime|base\s+image|gem|crate|node\.?js|jdk)(?-u:\b)",
            words: &[
                "dependenc",
                "library",
                "package",
                "sdk",
                "runtime",
                "image",
                "gem",
                "crate",
                "node",
                "jdk",
            ],
            leading: false,
            and_words: &[],
        }),
    }],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Dependency,
    name: "dependency",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Reversible,
    time: TimeModel::Redeploy,
    mechanisms: &[MechanismDecl {
        id: MechanismId::Redeploy,
        when: "",
        reverses: "the dependency, with the artifact that bundles it",
        does_not_reverse: "state the new version wrote in a newer format (caches, files, rows)",
    }],
    signals: &[
        SignalDecl::on_services("error ratio"),
        SignalDecl::on_services("p99 latency"),
        SignalDecl::on_services("crash or restart count"),
    ],
    staging: "canary of the artifact that bundles it",
    staged_by_own_targets: false,
    prevention: &["the previous artifact is still in the registry"],
    prevention_in_go_no_go: false,
    data_recovery: "a dependency keeps no data; formats it wrote stay as written",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: false,
};
