//! What a kind declares about itself, as data: the types every kind file fills in.
//!
//! The plan's builders read these declarations instead of matching on kinds: the procedure walks
//! [`PHASES`] and, in each, runs the builder of every mechanism the kinds declare for it; the
//! rollout and Go / No-Go sections read a kind's staging and prevention from its declaration.

use super::ChangeKind;
use crate::base::recogniser::Recogniser;

/// Whether a change of a kind can be undone, before any evidence is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reversibility {
    /// Undone by the platform or provider, as a matter of course (redeploy, flag off).
    Reversible,
    /// Depends on what the change does: the evidence (SQL, plan JSON, diff) decides.
    DependsOnEvidence,
    /// What left the system cannot be recalled; only compensated.
    Irreversible,
}

/// How long undoing a change of a kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeModel {
    /// Seconds: a switch (flag off, traffic back).
    Seconds,
    /// Minutes: a redeploy or a re-apply of known content.
    Redeploy,
    /// Grows with the data touched (reverse migration, restore, repair).
    ProportionalToData,
    /// Not bounded by rollbook: stopping only limits what is added.
    OpenEnded,
}

/// The phases of a rollback, in the order they run. The order is the reasoning of the
/// procedure: what cannot be recalled is stopped first, switches before redeploys, what the old
/// code needs before the code, what it does not after, one verification last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Stop what keeps doing damage: sends that cannot be recalled, jobs still writing.
    StopTheBleeding,
    /// Flags that disable the change: seconds, no redeploy.
    Flags,
    /// Platform preconditions of a rollback (Argo CD auto-sync off, ...).
    Preconditions,
    /// Config kept outside the artifact, before the code, so restarted instances read old values.
    Config,
    /// Reverse migrations the previous version cannot run without.
    SchemaBeforeCode,
    /// The code, service by service; traffic switches before redeploys.
    Code,
    /// Migrations the previous version runs on: reversed after the code, restored, or kept.
    SchemaAfterCode,
    /// Data repairs and infrastructure, after the code, in the order the changes are declared.
    DataAndInfrastructure,
    /// Platform steps after a rollback (auto-sync back on, ...).
    Cleanup,
    /// Work rollbook could not map, then one verification of the whole.
    Verify,
}

/// How a phase visits its mechanisms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Each mechanism in turn, over every change that declares it.
    ByMechanism,
    /// Each change in turn, running every mechanism its kind declares in the phase.
    ByChange,
}

/// One phase and the mechanisms that run in it, in order.
#[derive(Debug, Clone, Copy)]
pub struct PhaseDecl {
    pub phase: Phase,
    pub walk: Walk,
    pub mechanisms: &'static [MechanismId],
}

/// The order of a rollback procedure. Mechanisms not tied to one change (the brief's own
/// backout, the platform steps, the verification) are listed here, the rest come from kinds.
pub const PHASES: &[PhaseDecl] = &[
    PhaseDecl {
        phase: Phase::StopTheBleeding,
        walk: Walk::ByMechanism,
        mechanisms: &[
            MechanismId::StopSends,
            MechanismId::HaltPush,
            MechanismId::HaltClientRelease,
            MechanismId::BriefBackout,
            MechanismId::StopDataOperation,
        ],
    },
    PhaseDecl {
        phase: Phase::Flags,
        walk: Walk::ByMechanism,
        mechanisms: &[MechanismId::FlagOff, MechanismId::RemoteSwitchOff],
    },
    PhaseDecl {
        phase: Phase::Preconditions,
        walk: Walk::ByMechanism,
        mechanisms: &[
            MechanismId::PlatformPreconditions,
            MechanismId::OutOfBandAccess,
        ],
    },
    PhaseDecl {
        phase: Phase::Config,
        walk: Walk::ByMechanism,
        mechanisms: &[
            MechanismId::AccessBack,
            MechanismId::ConfigRevert,
            MechanismId::RepushKnownGood,
            MechanismId::NetworkRevert,
        ],
    },
    PhaseDecl {
        phase: Phase::SchemaBeforeCode,
        walk: Walk::ByMechanism,
        mechanisms: &[MechanismId::ReverseMigrationBeforeCode],
    },
    PhaseDecl {
        phase: Phase::Code,
        walk: Walk::ByMechanism,
        mechanisms: &[
            MechanismId::ModelBack,
            MechanismId::Redeploy,
            MechanismId::ShipFixedBuild,
        ],
    },
    PhaseDecl {
        phase: Phase::SchemaAfterCode,
        walk: Walk::ByChange,
        mechanisms: &[
            MechanismId::RestoreFromBackup,
            MechanismId::KeepSchema,
            MechanismId::ReverseMigrationAfterCode,
        ],
    },
    PhaseDecl {
        phase: Phase::DataAndInfrastructure,
        walk: Walk::ByChange,
        mechanisms: &[
            MechanismId::DataRepair,
            MechanismId::InfraRevert,
            MechanismId::DatabaseOperationBack,
            MechanismId::StreamSettingBack,
            MechanismId::IndexCacheBack,
            MechanismId::RecoverHosts,
            MechanismId::PlatformBack,
            MechanismId::CutoverBack,
        ],
    },
    PhaseDecl {
        phase: Phase::Cleanup,
        walk: Walk::ByMechanism,
        mechanisms: &[MechanismId::PlatformCleanup],
    },
    PhaseDecl {
        phase: Phase::Verify,
        walk: Walk::ByMechanism,
        mechanisms: &[MechanismId::UnmappedUndo, MechanismId::FinalVerification],
    },
];

/// Declares [`MechanismId`] and [`MechanismId::ALL`] from one list, so a new mechanism is one
/// variant here and the list of every mechanism (what the registry tests walk) follows.
macro_rules! mechanism_ids {
    ($( $(#[doc = $doc:literal])* $variant:ident, )*) => {
        /// A way of undoing or containing a change. Each runs in one phase of [`PHASES`] and has
        /// one builder in the plan's mechanism registry (`plan/sections/procedure/mod.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MechanismId {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl MechanismId {
            /// Every mechanism, in the order declared.
            pub const ALL: &'static [MechanismId] = &[ $( MechanismId::$variant, )* ];
        }
    };
}

mechanism_ids! {
    /// Pause the sender of what leaves the system.
    StopSends,
    /// Halt a push to a fleet so the content reaches no more hosts.
    HaltPush,
    /// Pause a phased release, halt a staged rollout or an OTA campaign: the build reaches no more
    /// devices.
    HaltClientRelease,
    /// The backout the brief's author named, quoted.
    BriefBackout,
    /// Stop a data operation still running.
    StopDataOperation,
    /// Return or turn off the flags.
    FlagOff,
    /// Turn off the server-side switch (remote config, kill switch) installed clients read.
    RemoteSwitchOff,
    /// Platform preconditions before a code rollback.
    PlatformPreconditions,
    /// Reach network devices out of band when the change can cut our own access.
    OutOfBandAccess,
    /// Revert config kept outside the artifact.
    ConfigRevert,
    /// Push the previous known-good content to a fleet.
    RepushKnownGood,
    /// Put a network change back: vendor rollback, the recorded DNS record, the previous CDN
    /// version or certificate.
    NetworkRevert,
    /// Run the down migration before the code.
    ReverseMigrationBeforeCode,
    /// Send a model's traffic or registry alias back to the previous version.
    ModelBack,
    /// Redeploy or switch traffic back to the previous version.
    Redeploy,
    /// Ship a fixed client build (a higher version number, through review or OTA): the only way
    /// installed copies change.
    ShipFixedBuild,
    /// Restore destroyed data from a backup into a separate instance, then copy it back.
    RestoreFromBackup,
    /// Leave an additive migration in place.
    KeepSchema,
    /// Run the down migration after the code.
    ReverseMigrationAfterCode,
    /// Back up, then repair the rows a data operation changed.
    DataRepair,
    /// Revert or re-apply the previous infrastructure.
    InfraRevert,
    /// Undo a database operation by its own way back (switch back, previous parameter, old
    /// cluster or restore), after checking the host and the lag.
    DatabaseOperationBack,
    /// Recover, out of band, the hosts a push cannot reach.
    RecoverHosts,
    /// Restore access first (the rest of the rollback may need it): the previous policy
    /// version, the grants, the previous secret version or certificate.
    AccessBack,
    /// Set a stream's or queue's setting back to the value recorded before.
    StreamSettingBack,
    /// Move an alias back to the previous index, or set a cache setting back.
    IndexCacheBack,
    /// Move workloads back to what was kept on the old version of a platform (node pool,
    /// standby cluster), set a platform setting back, or restore its state snapshot.
    PlatformBack,
    /// Switch reads and writes back to the old system of a cutover, and reconcile the two.
    CutoverBack,
    /// Platform steps after a rollback.
    PlatformCleanup,
    /// A placeholder for work rollbook could not map.
    UnmappedUndo,
    /// One verification of the whole.
    FinalVerification,
}

impl MechanismId {
    /// The phase this mechanism runs in (from [`PHASES`]).
    pub fn phase(self) -> Option<Phase> {
        PHASES
            .iter()
            .find(|p| p.mechanisms.contains(&self))
            .map(|p| p.phase)
    }
}

/// A rollback mechanism a kind declares: what it undoes and what it leaves.
#[derive(Debug, Clone, Copy)]
pub struct MechanismDecl {
    pub id: MechanismId,
    /// When it is the one that runs (empty: always, for a change of the kind).
    pub when: &'static str,
    pub reverses: &'static str,
    pub does_not_reverse: &'static str,
}

/// Who must hear about a change of a kind going wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The team that deploys and runs the service.
    Engineering,
    /// Customer support, who hear from users first.
    Support,
    /// The users of the system: when it fails they notice, so a status page tells them.
    Customers,
    /// Partners the change sends to (recipients, webhooks, payment providers).
    Partners,
    /// Owners of the data (analytics, finance, compliance).
    DataOwners,
}

/// What a kind declares it must be watched by, after the deploy.
#[derive(Debug, Clone, Copy)]
pub struct SignalDecl {
    /// What is watched, e.g. `send volume against the expected volume`.
    pub signal: &'static str,
    /// Measured on the services the change runs in, by what they serve (HTTP, gRPC, queue,
    /// batch); otherwise measured on the change itself, by [`query`](Self::query).
    pub on_services: bool,
    /// When it fires, e.g. `> 120% of the expected volume`.
    pub condition: &'static str,
    pub window: &'static str,
    /// What to do when it fires.
    pub action: &'static str,
    /// The placeholder (no brackets) that stands for the query of a change-level signal.
    pub query: &'static str,
    /// What that query measures: the placeholder's description.
    pub measure: &'static str,
}

impl SignalDecl {
    /// A signal measured on the services the change runs in.
    pub const fn on_services(signal: &'static str) -> Self {
        SignalDecl {
            signal,
            on_services: true,
            condition: "",
            window: "",
            action: "",
            query: "",
            measure: "",
        }
    }
}

/// Everything a kind declares, in its file.
#[derive(Debug, Clone, Copy)]
pub struct KindDecl {
    pub kind: ChangeKind,
    /// The name after `kind:` in a spec.
    pub name: &'static str,
    /// What reveals a change of the kind in a free-text brief (read by `spec::brief`).
    pub recogniser: Recogniser,
    pub reversibility: Reversibility,
    pub time: TimeModel,
    pub mechanisms: &'static [MechanismDecl],
    /// What shows the change is hurting (fed to the triggers).
    pub signals: &'static [SignalDecl],
    /// How it is staged so a failure touches few.
    pub staging: &'static str,
    /// It reaches its own targets (hosts, topics, devices, principals), not service instances:
    /// the Canary & Progressive Rollout section writes [`staging`](Self::staging) as its
    /// mechanism instead of leaving it to the instance ladder.
    pub staged_by_own_targets: bool,
    /// Go / No-Go checks that prevent a bad rollback before the deploy.
    pub prevention: &'static [&'static str],
    /// Go / No-Go writes [`prevention`](Self::prevention) as its checks. `false` where the plan
    /// still writes the kind's checks by hand (backups, migration dry runs); turning it on changes
    /// every plan that holds the kind.
    pub prevention_in_go_no_go: bool,
    /// What the Data Recovery Strategy says about it.
    pub data_recovery: &'static str,
    /// It changes a data store (schema or rows): recovery, backups and store checks apply.
    pub changes_data_store: bool,
    /// What limits the damage when it cannot be rolled back (`{label}` is the change's label);
    /// `None`: contain the damage, then fix forward.
    pub irreversible_mitigation: Option<&'static str>,
    pub audience: &'static [Audience],
    /// A failure can take down the team's own tooling (network, identity, chat, CI): the
    /// communication plan names a fallback channel.
    pub may_cut_own_tooling: bool,
}

impl KindDecl {
    /// Whether this kind tells an audience.
    pub fn tells(&self, a: Audience) -> bool {
        self.audience.contains(&a)
    }
}

impl KindDecl {
    /// Whether this kind declares a mechanism.
    pub fn declares(&self, id: MechanismId) -> bool {
        self.mechanisms.iter().any(|m| m.id == id)
    }

    /// The mechanisms this kind runs in a phase, in the phase's order.
    pub fn in_phase(&self, phase: &PhaseDecl) -> impl Iterator<Item = MechanismId> + '_ {
        phase
            .mechanisms
            .iter()
            .copied()
            .filter(|id| self.declares(*id))
    }
}

/// What a kind's own validation finds wrong with a change (beyond its types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field at fault, under the change.
    pub field: &'static str,
    /// What is wrong, after "<kind> change '<label>'".
    pub message: &'static str,
    pub help: &'static str,
}
