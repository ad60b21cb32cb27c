//! Step-by-Step Rollback Procedure, assembled by phases.
//!
//! The order is data: [`PHASES`] lists the phases (stop the bleeding, flags, preconditions,
//! config, schema before the code, code, schema after the code, data and infrastructure,
//! cleanup, verify) and the mechanisms that run in each. A kind declares its mechanisms in its
//! file (`model/kinds/<kind>.rs`); here each mechanism has one builder, in its own file, and
//! [`build`] walks the phases. Why this order: what cannot be recalled is stopped first, switches
//! that take seconds come before redeploys, what the old code needs is undone before the code and
//! what it does not after, and one verification of the whole closes the procedure.

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

/// Mechanisms that act on one change at a time; the others act once on the whole deployment.
fn per_change(id: MechanismId) -> bool {
    use MechanismId::*;
    matches!(
        id,
        StopSends
            | StopDataOperation
            | ConfigRevert
            | ReverseMigrationBeforeCode
            | RestoreFromBackup
            | KeepSchema
            | ReverseMigrationAfterCode
            | DataRepair
            | InfraRevert
            | DatabaseOperationBack
            | HaltPush
            | RepushKnownGood
            | RecoverHosts
            | AccessBack
            | StreamSettingBack
            | IndexCacheBack
            | PlatformBack
            | CutoverBack
            | OutOfBandAccess
            | NetworkRevert
            | HaltClientRelease
            | RemoteSwitchOff
            | ShipFixedBuild
            | ModelBack
    )
}

/// Runs the builder of one mechanism: the one place a mechanism meets its builder.
fn run(id: MechanismId, ctx: &mut Ctx, b: &mut Build, change: Option<usize>) {
    use MechanismId::*;
    match (id, change) {
        (StopSends, Some(i)) => stop_sends::run(ctx, b, i),
        (BriefBackout, _) => brief_backout::run(ctx, b),
        (StopDataOperation, Some(i)) => stop_data_operation::run(ctx, b, i),
        (FlagOff, _) => flag_off::run(ctx, b),
        (PlatformPreconditions, _) => preconditions::run(ctx, b),
        (ConfigRevert, Some(i)) => config_revert::run(ctx, b, i),
        (ReverseMigrationBeforeCode, Some(i)) => reverse_migration::run_before_code(ctx, b, i),
        (Redeploy, _) => redeploy::run(ctx, b),
        (RestoreFromBackup, Some(i)) => restore::run(ctx, b, i),
        (KeepSchema, Some(i)) => keep_schema::run(b, i),
        (ReverseMigrationAfterCode, Some(i)) => reverse_migration::run_after_code(ctx, b, i),
        (DataRepair, Some(i)) => data_repair::run(ctx, b, i),
        (InfraRevert, Some(i)) => infra_revert::run(ctx, b, i),
        (DatabaseOperationBack, Some(i)) => database_back::run(ctx, b, i),
        (HaltPush, Some(i)) => halt_push::run(ctx, b, i),
        (RepushKnownGood, Some(i)) => repush_known_good::run(ctx, b, i),
        (RecoverHosts, Some(i)) => recover_hosts::run(ctx, b, i),
        (AccessBack, Some(i)) => access_back::run(ctx, b, i),
        (StreamSettingBack, Some(i)) => stream_setting_back::run(ctx, b, i),
        (IndexCacheBack, Some(i)) => index_cache_back::run(ctx, b, i),
        (PlatformBack, Some(i)) => platform_back::run(ctx, b, i),
        (CutoverBack, Some(i)) => cutover_back::run(ctx, b, i),
        (OutOfBandAccess, Some(i)) => out_of_band::run(ctx, b, i),
        (NetworkRevert, Some(i)) => network_revert::run(ctx, b, i),
        (HaltClientRelease, Some(i)) => client_back::halt(ctx, b, i),
        (RemoteSwitchOff, Some(i)) => client_back::switch_off(ctx, b, i),
        (ShipFixedBuild, Some(i)) => client_back::ship_fix(ctx, b, i),
        (ModelBack, Some(i)) => model_back::run(ctx, b, i),
        (PlatformCleanup, _) => cleanup::run(ctx, b),
        (UnmappedUndo, _) => unmapped_undo::run(ctx, b),
        (FinalVerification, _) => final_verification::run(ctx, b),
        (_, None) => {}
    }
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
                    if !per_change(id) {
                        run(id, ctx, &mut b, None);
                        continue;
                    }
                    for i in 0..changes {
                        if declares(&b, i, id) {
                            run(id, ctx, &mut b, Some(i));
                        }
                    }
                }
            }
            Walk::ByChange => {
                for i in 0..changes {
                    for &id in phase.mechanisms {
                        if declares(&b, i, id) {
                            run(id, ctx, &mut b, Some(i));
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
    fn every_declared_mechanism_has_a_phase_and_a_builder() {
        for k in KINDS {
            for m in k.mechanisms {
                assert!(
                    m.id.phase().is_some(),
                    "{:?} of {} is in no phase",
                    m.id,
                    k.name
                );
            }
        }
        // Per-change mechanisms are declared by some kind, or they would never run.
        for phase in PHASES {
            for &id in phase.mechanisms {
                if per_change(id) {
                    assert!(
                        KINDS.iter().any(|k| k.declares(id)),
                        "{id:?} runs per change but no kind declares it"
                    );
                }
            }
        }
    }
}
