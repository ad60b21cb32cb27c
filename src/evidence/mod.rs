//! Evidence: readers of the artifacts a spec points at. Each item keeps where it came from, so
//! every judgement can cite a file and line.

pub mod config;
pub mod helm;
pub mod k8s;
pub mod k8s_enrich;
pub mod rehearsal;
pub mod sql;
pub mod terraform;

pub use crate::base::evidence::{Artifact, Evidence};

/// Everything read from the artifacts a spec points at.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub migrations: Vec<sql::Migration>,
    pub objects: Vec<k8s::K8sObject>,
    pub resources: Vec<terraform::ResourceChange>,
    /// Plan files as read (plan-wide facts: `errored`, format problems); their resources are in `resources`.
    pub plans: Vec<terraform::PlanFile>,
    pub configs: Vec<config::ConfigKeyDiff>,
    /// Every file read, in path order, once.
    pub artifacts: Vec<Artifact>,
}

/// Runs every reader on the spec's artifacts.
pub fn gather(input: &crate::spec::Input) -> crate::base::error::Result<Gathered> {
    let (migrations, mut artifacts) = sql::read_for_spec(input)?;
    let (objects, a) = k8s::read_for_spec(input)?;
    artifacts.extend(a);
    let (plans, a) = terraform::read_plans_for_spec(input)?;
    let resources = plans.iter().flat_map(|p| p.resources.clone()).collect();
    artifacts.extend(a);
    let (configs, a) = config::read_for_spec(input)?;
    artifacts.extend(a);
    artifacts.sort_by(|a, b| (&a.path, &a.kind).cmp(&(&b.path, &b.kind)));
    artifacts.dedup_by(|a, b| a.path == b.path);
    Ok(Gathered {
        migrations,
        objects,
        resources,
        plans,
        configs,
        artifacts,
    })
}
