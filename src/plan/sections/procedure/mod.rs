//! Step-by-Step Rollback Procedure, assembled by phases.
//!
//! The order is data: [`PHASES`] lists the phases (stop the bleeding, flags, preconditions,
//! config, schema before the code, code, schema after the code, data and infrastructure,
//! cleanup, verify) and the mechanisms that run in each. A kind declares its mechanisms in its
//! file (`model/kinds/<kind>.rs`); here each mechanism has one builder, in its own file,
//! registered by one line of [`MECHANISMS`], and [`build`] walks the phases, running each builder
//! once or for every change that declares it. Why this order: what cannot be recalled is stopped
//! first, switches that take seconds come before redeploys, what the old code needs is undone
//! before the code and what it does not after, and one verification of the whole closes the
//! procedure.

mod access_back;
mod brief_backout;
mod cleanup;
mod client_back;
mod config_revert;
mod cutover_back;
mod data_repair;
mod database_back;
mod final_verification;
mod flag_off;
mod halt_push;
mod index_cache_back;
mod infra_revert;
mod keep_schema;
mod model_back;
mod network_revert;
mod not_reverted;
mod out_of_band;
mod platform_back;
mod preconditions;
mod recover_hosts;
mod redeploy;
mod repush_known_good;
mod restore;
mod reverse_migration;
mod stop_data_operation;
mod stop_sends;
mod stream_setting_back;
mod unmapped_undo;

/// What every mechanism builder uses.
mod prelude {
    pub(super) use super::Build;
    pub(super) use crate::base::shell::Cmd;
    pub(super) use crate::plan::Ctx;
    pub(super) use crate::plan::sections::facts::MigrationFacts;
    pub(super) use crate::plan::sections::{flag_only, flags, store_for, tool_of};
    pub(super) use crate::platforms::{
        Action, datastores, deploy, flags as flag_cmds, metrics, migrations,
    };
}

use super::super::Ctx;
use super::super::model::{Procedure, Step};
use super::facts::{self, MigrationFacts};
use crate::assess::Level;
use crate::model::kinds::{KINDS, MechanismId, PHASES, Walk};
use crate::model::{FlagProvider, Service, Spec};
use crate::platforms::Action;
use MechanismId::*;

/// The procedure as it is being built: the steps so far and what later phases need to know.
pub(super) struct Build {
    pub spec: Spec,
    pub level: Level,
    pub actions: Vec<Action>,
    pub ordering: Vec<String>,
    pub provider: Option<FlagProvider>,
    pub migration_facts: Vec<MigrationFacts>,
    /// The services whose code is rolled back, in order.
    pub services: Vec<Service>,
    /// Code is rolled back though no code change was declared (a breaking migration needs it).
    pub undeclared_code: bool,
    /// Services restarted for a config revert when no code is rolled back.
    pub config_services: Vec<Service>,
    /// The step index of the first reverse migration that runs before the code.
    pub first_reverse: Option<usize>,
}

impl Build {
    /// The facts of migration change `i`.
    pub fn facts(&self, i: usize) -> Option<&MigrationFacts> {
        self.migration_facts.iter().find(|m| m.index == i)
    }
}

/// The previous version cannot run on the new schema, and nothing was destroyed: the reverse
/// migration runs before the code.
pub(super) fn runs_before_code(m: &MigrationFacts) -> bool {
    m.backward_compatible == Some(false) && !m.is_destructive()
}

/// How a mechanism's builder runs.
#[derive(Clone, Copy)]
enum Builder {
    /// Once, on the whole deployment (the brief's backout, platform steps, the verification).
    Whole(fn(&mut Ctx, &mut Build)),
    /// Once per change whose kind declares the mechanism.
    PerChange(fn(&mut Ctx, &mut Build, usize)),
}

/// A mechanism and the builder that writes its steps: one line of [`MECHANISMS`].
struct MechanismUnit {
    id: MechanismId,
    builder: Builder,
}

const fn whole(id: MechanismId, run: fn(&mut Ctx, &mut Build)) -> MechanismUnit {
    MechanismUnit {
        id,
        builder: Builder::Whole(run),
    }
}

const fn per_change(id: MechanismId, run: fn(&mut Ctx, &mut Build, usize)) -> MechanismUnit {
    MechanismUnit {
        id,
        builder: Builder::PerChange(run),
    }
}

/// The registry: one line per mechanism, the one place a mechanism meets its builder. When it
/// runs is its place in [`PHASES`]; which changes it runs for, their kinds' declarations.
const MECHANISMS: &[MechanismUnit] = &[
    per_change(StopSends, stop_sends::run),
    per_change(HaltPush, halt_push::run),
    per_change(HaltClientRelease, client_back::halt),
    whole(BriefBackout, brief_backout::run),
    per_change(StopDataOperation, stop_data_operation::run),
    whole(FlagOff, flag_off::run),
    per_change(RemoteSwitchOff, client_back::switch_off),
    whole(PlatformPreconditions, preconditions::run),
    per_change(OutOfBandAccess, out_of_band::run),
    per_change(AccessBack, access_back::run),
    per_change(ConfigRevert, config_revert::run),
    per_change(RepushKnownGood, repush_known_good::run),
    per_change(NetworkRevert, network_revert::run),
    per_change(
        ReverseMigrationBeforeCode,
        reverse_migration::run_before_code,
    ),
    per_change(ModelBack, model_back::run),
    whole(Redeploy, redeploy::run),
    per_change(ShipFixedBuild, client_back::ship_fix),
    per_change(RestoreFromBackup, restore::run),
    per_change(KeepSchema, keep_schema::run),
    per_change(ReverseMigrationAfterCode, reverse_migration::run_after_code),
    per_change(DataRepair, data_repair::run),
    per_change(InfraRevert, infra_revert::run),
    per_change(DatabaseOperationBack, database_back::run),
    per_change(StreamSettingBack, stream_setting_back::run),
    per_change(IndexCacheBack, index_cache_back::run),
    per_change(RecoverHosts, recover_hosts::run),
    per_change(PlatformBack, platform_back::run),
    per_change(CutoverBack, cutover_back::run),
    whole(PlatformCleanup, cleanup::run),
    whole(UnmappedUndo, unmapped_undo::run),
    whole(FinalVerification, final_verification::run),
];

/// The builder registered for a mechanism (every one is: a test holds it).
fn builder(id: MechanismId) -> Option<Builder> {
    MECHANISMS.iter().find(|u| u.id == id).map(|u| u.builder)
}

/// Whether change `i`'s kind declares mechanism `id`.
fn declares(b: &Build, i: usize, id: MechanismId) -> bool {
    b.spec
        .deployment
        .changes
        .get(i)
        .is_some_and(|c| c.declaration().declares(id))
}

pub fn build(ctx: &mut Ctx, level: Level) -> Procedure {
    let spec = ctx.input.spec.clone();
    let (services, undeclared_code) = super::rolled_back_services(ctx);
    let mut b = Build {
        provider: spec.architecture.flag_provider.clone(),
        migration_facts: facts::migrations(ctx),
        spec,
        level,
        actions: Vec::new(),
        ordering: Vec::new(),
        services,
        undeclared_code,
        config_services: Vec::new(),
        first_reverse: None,
    };
    let changes = b.spec.deployment.changes.len();
    for phase in PHASES {
        match phase.walk {
            Walk::ByMechanism => {
                for &id in phase.mechanisms {
                    match builder(id) {
                        Some(Builder::Whole(run)) => run(ctx, &mut b),
                        Some(Builder::PerChange(run)) => {
                            for i in 0..changes {
                                if declares(&b, i, id) {
                                    run(ctx, &mut b, i);
                                }
                            }
                        }
                        None => {}
                    }
                }
            }
            Walk::ByChange => {
                for i in 0..changes {
                    for &id in phase.mechanisms {
                        if let Some(Builder::PerChange(run)) = builder(id)
                            && declares(&b, i, id)
                        {
                            run(ctx, &mut b, i);
                        }
                    }
                }
            }
        }
    }
    debug_assert!(KINDS.iter().all(|k| !k.mechanisms.is_empty()));

    let not_reverted = not_reverted::lines(&b);
    let steps = b
        .actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| Step {
            number: i as u32 + 1,
            title: a.title,
            component: a.component,
            commands: a.commands,
            verify: a.verify,
            success: a.success,
            estimate_minutes: a.minutes,
            estimate_source: Default::default(),
            destructive: a.destructive,
            notes: a.notes,
        })
        .collect();
    Procedure {
        ordering: b.ordering,
        steps,
        not_reverted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mechanism_is_registered_once() {
        for &id in MechanismId::ALL {
            let registered = MECHANISMS.iter().filter(|u| u.id == id).count();
            assert_eq!(
                registered, 1,
                "{id:?} is registered {registered} times in MECHANISMS (plan/sections/procedure/mod.rs): register it exactly once"
            );
        }
    }

    #[test]
    fn every_mechanism_is_in_one_phase() {
        for &id in MechanismId::ALL {
            let phases = PHASES
                .iter()
                .flat_map(|p| p.mechanisms)
                .filter(|&&m| m == id)
                .count();
            assert_eq!(
                phases, 1,
                "{id:?} is in {phases} phases of PHASES (model/kinds/declare.rs): place it in exactly one"
            );
        }
    }

    #[test]
    fn every_declared_mechanism_is_registered() {
        for k in KINDS {
            for m in k.mechanisms {
                assert!(
                    builder(m.id).is_some(),
                    "{:?}, declared by {}, has no builder in MECHANISMS",
                    m.id,
                    k.name
                );
            }
        }
    }

    /// A per-change mechanism no kind declares would never run; a phase walked change by change
    /// runs only per-change builders.
    #[test]
    fn per_change_mechanisms_are_declared_and_walked() {
        for phase in PHASES {
            for &id in phase.mechanisms {
                match builder(id) {
                    Some(Builder::PerChange(_)) => assert!(
                        KINDS.iter().any(|k| k.declares(id)),
                        "{id:?} runs per change but no kind declares it"
                    ),
                    Some(Builder::Whole(_)) => assert!(
                        phase.walk == Walk::ByMechanism,
                        "{id:?} runs once but {:?} is walked change by change",
                        phase.phase
                    ),
                    None => {}
                }
            }
        }
    }
}
