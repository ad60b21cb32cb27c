//! What a rollout stage's percentage counts. A service canary shifts a share of traffic; a change
//! pushed to hosts, devices or clusters, made to topics, released to installed apps or run over
//! records is staged by a share of those targets. Calling that share "traffic" tells the engineer
//! at 3 a.m. to look for a load balancer weight that does not exist.

use crate::base::parts::Mechanism;
use crate::model::{ChangeKind, Spec};

/// The unit of a rollout whose stages shift requests (a service canary, a model's traffic split,
/// a flag's percentage).
pub const TRAFFIC: &str = "traffic";

/// The targets one stage of a change of this kind is a share of, when it is not traffic.
fn targets_of(kind: ChangeKind) -> Option<&'static str> {
    use ChangeKind as K;
    match kind {
        K::FleetPush => Some("hosts"),
        K::NetworkChange => Some("devices, PoPs or regions"),
        K::ClientRelease => Some("users (installs)"),
        K::StreamQueue => Some("topics or partitions"),
        K::PlatformUpgrade => Some("nodes or clusters"),
        K::IndexCache => Some("cache nodes or keys"),
        K::AccessChange => Some("principals or environments"),
        K::Cutover => Some("accounts or tenants"),
        K::DataOperation => Some("records"),
        K::ExternalSideEffect => Some("recipients"),
        K::Infrastructure => Some("zones or node pools"),
        K::DatabaseOperation => Some("database hosts (replicas first)"),
        // A model version is served a share of requests; code, config, dependencies, migrations
        // and flags ride on a service's or a flag's own traffic.
        K::MlModel | K::Code | K::Config | K::Dependency | K::Migration | K::FeatureFlag => None,
    }
}

/// What each stage's percentage is a share of: traffic when services are canaried or a flag
/// drives the rollout, else the targets of the first change staged by its own targets.
pub fn share_of(spec: &Spec, flag_driven: bool) -> String {
    if flag_driven || !super::deployed_services(spec).is_empty() {
        return TRAFFIC.to_string();
    }
    spec.deployment
        .changes
        .iter()
        .find_map(|c| targets_of(c.kind()))
        .unwrap_or(TRAFFIC)
        .to_string()
}

/// The staging each change staged by its targets declares, for the changes not already listed
/// in `listed`: the stages say how much, this says how (a small counted batch of records first,
/// one replica before the primary).
pub fn target_staging(
    spec: &Spec,
    listed: &[Mechanism],
    staged_by_traffic: bool,
) -> Vec<Mechanism> {
    if staged_by_traffic {
        return Vec::new();
    }
    spec.deployment
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| targets_of(c.kind()).is_some())
        .map(|(i, c)| {
            let d = c.declaration();
            Mechanism {
                service: c.label(i),
                name: format!("{} staging", d.name.replace('_', " ")),
                snippet: d.staging.to_string(),
                language: "text".to_string(),
            }
        })
        .filter(|m| {
            !listed
                .iter()
                .any(|l| l.service == m.service && l.name == m.name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_unit_names_targets_not_traffic() {
        for d in crate::model::kinds::KINDS {
            if let Some(u) = targets_of(d.kind) {
                assert!(!u.contains("traffic"), "{}: {u}", d.name);
            }
        }
    }
}
