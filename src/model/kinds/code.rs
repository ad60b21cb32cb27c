//! `kind: code` — application code shipped as a new version of one or more services.

use super::declare::*;

change_struct! {
    /// Application code: a new version of the services it names.
    pub struct Code {}
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Code,
    name: "code",
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
    prevention: &["the previous version's platform id is recorded"],
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
