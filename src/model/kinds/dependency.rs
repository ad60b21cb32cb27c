//! `kind: dependency` — a library, runtime or base image bumped, shipped with the code.

use super::declare::*;

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

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Dependency,
    name: "dependency",
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
    prevention: &["the previous artifact is still in the registry"],
    data_recovery: "a dependency keeps no data; formats it wrote stay as written",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: false,
};
