//! Deploy platforms: recording the current revision, rolling back, verifying, what is not reverted,
//! and the platform's own progressive-delivery mechanism.
//!
//! Each platform is one unit (`<platform>.rs`) implementing [`DeployPlatform`], registered once in
//! [`PLATFORMS`]. The public functions below are what the plan builders call; they dispatch
//! through the registry, and fall back to placeholder steps when no platform is declared.

mod common;

pub mod argo_cd;
pub mod argo_rollouts;
pub mod cloud_run;
pub mod ecs;
pub mod helm;
pub mod kubernetes;
pub mod lambda;
pub mod netlify;
pub mod nomad;
pub mod systemd;
pub mod vercel;

#[cfg(test)]
mod tests;

use super::Action;
use crate::base::parts::{Check, Mechanism, Stage};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Platform, Service, Strategy};
use common::rolling_minutes;

/// Every deploy platform rollbook writes commands for: one line per unit.
pub const PLATFORMS: &[&dyn DeployPlatform] = &[
    &kubernetes::Kubernetes,
    &helm::Helm,
    &argo_rollouts::ArgoRollouts,
    &argo_cd::ArgoCd,
    &ecs::Ecs,
    &lambda::Lambda,
    &cloud_run::CloudRun,
    &systemd::Systemd,
    &nomad::Nomad,
    &netlify::Netlify,
    &vercel::Vercel,
];

/// Platforms that run on another one's substrate: one service may be named with several of them
/// (a brief saying "Kubernetes" and "Argo Rollouts"), the more specific one being the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Runs workloads on a Kubernetes cluster (kubectl, Helm, Argo CD, Argo Rollouts).
    Kubernetes,
}

/// A platform's staging mechanism: its name, the snippet, and the snippet's language.
pub struct Staging {
    pub name: String,
    pub snippet: String,
    pub language: &'static str,
}

/// What one deploy platform knows about rolling back on it.
///
/// Placeholders are registered in the order the methods ask for them, which is part of the
/// plan's output: a unit keeps the order of its calls.
pub trait DeployPlatform: Sync {
    /// The model value this unit serves.
    fn platform(&self) -> Platform;

    /// The words that name this platform in a brief (lowercase, single spaces; plurals listed).
    fn words(&self) -> &'static [&'static str];

    /// The platform's own word for one deployable (a Netlify site, a Lambda function): in a brief
    /// naming the platform, "site `acme-www`" names a service.
    fn unit_nouns(&self) -> &'static [&'static str] {
        &[]
    }

    /// The family this platform belongs to, when it runs on a shared substrate.
    fn family(&self) -> Option<Family> {
        None
    }

    /// Within its family, how specific this platform is (higher: more specific). A brief naming
    /// two platforms of one family for a service keeps the more specific one.
    fn specificity(&self) -> u8 {
        0
    }

    /// Go / No-Go: the commands that record the running (known-good) revision before the
    /// deploy, and what to read from their output (which placeholder it fills).
    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String);

    /// The rollback itself, to the target recorded by [`DeployPlatform::record_target`].
    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action>;

    /// The command that aborts a rollout midway (a no-go trigger fired), when there is one.
    fn abort(&self, _svc: &Service, _ph: &mut Placeholders) -> Option<Cmd> {
        None
    }

    /// Restarts the instances without changing the version, so processes that read config only
    /// at start pick up reverted values; `None` where config is part of the version.
    fn restart(&self, _svc: &Service, _ph: &mut Placeholders) -> Option<Cmd> {
        None
    }

    /// What a rollback on this platform does not revert.
    fn not_reverted(&self) -> &'static [&'static str];

    /// The platform's own progressive-delivery mechanism for these stages, when it has one.
    fn staging(
        &self,
        _svc: &Service,
        _stages: &[Stage],
        _ph: &mut Placeholders,
    ) -> Option<Staging> {
        None
    }

    /// The platform's own view of whether the workload runs (not an HTTP request): what a
    /// service that serves no HTTP is checked with. `None` where the platform has none.
    fn workload_status(&self, _svc: &Service, _ph: &mut Placeholders) -> Option<Cmd> {
        None
    }

    /// The check that the service answers after a rollback: its health endpoint by default.
    fn verify(&self, svc: &Service, ph: &mut Placeholders) -> Cmd {
        health_endpoint_check(svc, ph)
    }
}

/// The unit of a platform; `None` only if a platform were missing from [`PLATFORMS`] (a test
/// proves none is), in which case the plan falls back to the undeclared-platform steps.
pub fn unit(platform: Platform) -> Option<&'static dyn DeployPlatform> {
    PLATFORMS.iter().copied().find(|u| u.platform() == platform)
}

/// The family of a platform, from its unit.
pub fn family(platform: Platform) -> Option<Family> {
    unit(platform).and_then(|u| u.family())
}

/// Whether `named` refines `current`: both of one family, `named` the more specific (a brief
/// naming Kubernetes, then Argo Rollouts, for one service means Argo Rollouts).
pub fn refines(named: Platform, current: Platform) -> bool {
    let (Some(n), Some(c)) = (unit(named), unit(current)) else {
        return false;
    };
    n.family().is_some() && n.family() == c.family() && n.specificity() > c.specificity()
}

fn unit_of(svc: &Service) -> Option<&'static dyn DeployPlatform> {
    svc.platform.and_then(unit)
}

/// Blue-green and canary: the rollback is a traffic switch, not a redeploy.
pub(crate) fn is_progressive(svc: &Service) -> bool {
    matches!(svc.strategy, Some(Strategy::BlueGreen | Strategy::Canary))
}

/// Commands that write down the currently running (known-good) revision before the deploy.
pub fn record_current(svc: &Service, ph: &mut Placeholders) -> Check {
    let title = format!("Record the running (known-good) revision of {}", svc.name);
    let (commands, expect) = match unit_of(svc) {
        Some(u) => u.record_target(svc, ph),
        None => {
            let v = ph.text(
                &redeploy_name(svc),
                "Command that redeploys the previous version (platform not declared)",
                "architecture.services[].platform",
            );
            (
                Vec::new(),
                format!(
                    "the version serving {} now and the command that redeploys it: it fills {v}",
                    svc.name
                ),
            )
        }
    };
    Check {
        queries: Vec::new(),
        title,
        commands,
        expect,
    }
}

/// Steps needed before any rollback of this service (e.g. turning off Argo CD auto-sync).
pub fn pre_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    if !argo_cd::manages(svc) {
        return Vec::new();
    }
    vec![argo_cd::turn_off_auto_sync(svc, ph)]
}

/// The rollback itself: a traffic switch for blue-green and canary, else a redeploy of the
/// previous version. The target is always the identifier the platform's own command takes, as
/// recorded by [`record_current`] before the deploy, never the release label `previous_version`.
pub fn rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    if let Some(u) = unit_of(svc) {
        return u.rollback(svc, ph);
    }
    let name = svc.name.as_str();
    let r = ph.hole(
        &redeploy_name(svc),
        "Command that redeploys the previous version (platform not declared)",
        "architecture.services[].platform",
    );
    vec![
        Action::new(format!("Redeploy the previous version of {name}"), name)
            .cmd(Cmd::default().word(r))
            .verify(health_check(svc, ph))
            .success("the previous version serves all traffic and the health check passes")
            .minutes(rolling_minutes(svc))
            .note("The platform is not declared, so rollbook cannot write the exact command: set architecture.services[].platform."),
    ]
}

/// Steps after the rollback (e.g. re-enabling auto-sync once Git holds the old version).
pub fn post_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    if !argo_cd::manages(svc) {
        return Vec::new();
    }
    argo_cd::revert_and_resume_sync(svc, ph)
}

/// Command that aborts an in-progress rollout (no-go trigger fired midway).
pub fn abort_rollout(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    unit_of(svc)?.abort(svc, ph)
}

/// A health check of the service's health endpoint.
pub fn health_check(svc: &Service, ph: &mut Placeholders) -> Cmd {
    match unit_of(svc) {
        Some(u) => u.verify(svc, ph),
        None => health_endpoint_check(svc, ph),
    }
}

fn health_endpoint_check(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let url = ph.val_or(
        svc.health_endpoint.as_deref(),
        &format!("{}_HEALTH_URL", slug(&svc.name)),
        &format!("Health endpoint URL of {}", svc.name),
        "architecture.services[].health_endpoint",
    );
    Cmd::new("curl -fsS --max-time 5").word(url)
}

/// The platform's own status of a service's workload, for services that serve no HTTP.
pub fn workload_status(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    unit_of(svc)?.workload_status(svc, ph)
}

/// Restarts the instances of a service without changing its version, so processes that read
/// config only at start pick up reverted values. `None` where config is part of the version
/// (Lambda, Cloud Run: a new version or revision is needed).
pub fn restart(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    unit_of(svc)?.restart(svc, ph)
}

/// What a rollback on this platform does not revert.
pub fn not_reverted(svc: &Service) -> Vec<String> {
    let out: &[&str] = match unit_of(svc) {
        Some(u) => u.not_reverted(),
        None => &["anything beyond the application artifact (platform not declared)"],
    };
    out.iter().map(|s| s.to_string()).collect()
}

/// The platform's own mechanism for the given stages, when it has one.
pub fn mechanism(svc: &Service, stages: &[Stage]) -> Option<Mechanism> {
    let mut ph = Placeholders::default();
    mechanism_with(svc, stages, &mut ph)
}

/// As [`mechanism`], recording the placeholders of the snippet in `ph`.
pub fn mechanism_with(svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Mechanism> {
    let s = unit_of(svc)?.staging(svc, stages, ph)?;
    Some(Mechanism {
        service: svc.name.clone(),
        name: s.name,
        snippet: s.snippet,
        language: s.language.to_string(),
    })
}

fn redeploy_name(svc: &Service) -> String {
    format!("{}_REDEPLOY_COMMAND", slug(&svc.name))
}
