//! Deploy platforms: recording the current revision, rolling back, verifying, what is not reverted,
//! and the platform's own progressive-delivery mechanism.

use super::Action;
use crate::plan::model::{Check, Mechanism, Stage};
use crate::plan::placeholders::Placeholders;
use crate::shell::Cmd;
use crate::spec::model::Service;

/// Commands that write down the currently running (known-good) revision before the deploy.
pub fn record_current(svc: &Service, ph: &mut Placeholders) -> Check {
    let _ = (svc, ph);
    todo!()
}

/// Steps needed before any rollback of this service (e.g. turning off Argo CD auto-sync).
pub fn pre_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    let _ = (svc, ph);
    todo!()
}

/// The rollback itself: a traffic switch for blue-green and canary, else a redeploy of the
/// previous version. `previous_version` is the spec's known-good version, if any.
pub fn rollback(
    svc: &Service,
    previous_version: Option<&str>,
    ph: &mut Placeholders,
) -> Vec<Action> {
    let _ = (svc, previous_version, ph);
    todo!()
}

/// Steps after the rollback (e.g. re-enabling auto-sync once Git holds the old version).
pub fn post_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    let _ = (svc, ph);
    todo!()
}

/// Command that aborts an in-progress rollout (no-go trigger fired midway).
pub fn abort_rollout(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    let _ = (svc, ph);
    todo!()
}

/// A health check of the service's health endpoint.
pub fn health_check(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let _ = (svc, ph);
    todo!()
}

/// What a rollback on this platform does not revert.
pub fn not_reverted(svc: &Service) -> Vec<String> {
    let _ = svc;
    todo!()
}

/// The platform's own mechanism for the given stages, when it has one.
pub fn mechanism(svc: &Service, stages: &[Stage]) -> Option<Mechanism> {
    let _ = (svc, stages);
    todo!()
}
