//! HashiCorp Nomad job: every `nomad job run` makes a new job version; a rollback reverts the job
//! to the version that ran before, and the `update` block stages the rollout.
//! https://developer.hashicorp.com/nomad/commands/job/revert

use super::common::{RECORD, rolling_minutes};
use super::{DeployPlatform, Staging, is_progressive};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service, Strategy};
use crate::platforms::{Action, known};

pub struct Nomad;

const VERSION_DESC: &str = "Nomad job version that ran before the deploy (nomad job history)";

impl DeployPlatform for Nomad {
    fn platform(&self) -> Platform {
        Platform::Nomad
    }

    fn words(&self) -> &'static [&'static str] {
        &["nomad"]
    }

    fn unit_nouns(&self) -> &'static [&'static str] {
        &["job"]
    }

    // https://developer.hashicorp.com/nomad/commands/job/history
    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = nomad("nomad job history", svc).val(svc.resource_name());
        let v = ph.text(&version_name(svc), VERSION_DESC, RECORD);
        (
            vec![c],
            format!("the Version of the newest entry with Stable = true: it fills {v}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let job = svc.resource_name();
        // `job revert <job> <version|tag>` submits that version's specification as a new version.
        let v = ph.hole(&version_name(svc), VERSION_DESC, RECORD);
        let revert = nomad("nomad job revert", svc).val(job).word(v);
        vec![
            Action::new(format!("Roll back Nomad job {job} to the recorded version"), name)
                .cmd(revert)
                .verify(latest_deployment(svc))
                .success("the latest deployment runs a new job version with the recorded version's specification and its status is successful")
                .minutes(rolling_minutes(svc))
                .note("The revert restores the job specification only: Nomad Variables, Vault secrets and Consul KV values the tasks read stay as they are.")
                .note("Jobs that use Vault or Consul tokens may need -vault-token or -consul-token on the revert: the token that ran the old version is not stored."),
        ]
    }

    // Failing the deployment stops new placements; with `auto_revert` Nomad rolls back to the last
    // stable version. https://developer.hashicorp.com/nomad/commands/deployment/fail
    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        let id = ph.hole(
            &format!("{}_NOMAD_DEPLOYMENT_ID", slug(&svc.name)),
            "Nomad deployment id of this deploy (nomad job deployments -latest)",
            "the deploy's nomad job run output",
        );
        Some(nomad("nomad deployment fail", svc).word(id))
    }

    // Restarts the tasks in place, without a new job version.
    // https://developer.hashicorp.com/nomad/commands/job/restart
    fn restart(&self, svc: &Service, _ph: &mut Placeholders) -> Option<Cmd> {
        Some(nomad("nomad job restart", svc).val(svc.resource_name()))
    }

    // https://developer.hashicorp.com/nomad/commands/job/status
    fn workload_status(&self, svc: &Service, _ph: &mut Placeholders) -> Option<Cmd> {
        Some(nomad("nomad job status", svc).val(svc.resource_name()))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "Nomad Variables, Vault secrets and Consul KV values the tasks read (a revert restores the job specification only)",
            "data written to host volumes and CSI volumes",
        ]
    }

    // https://developer.hashicorp.com/nomad/docs/job-specification/update
    // https://developer.hashicorp.com/nomad/commands/job/promote
    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        let first = stages.first().map(|s| s.bake_minutes).unwrap_or(0);
        let mut s = String::from(
            "# job specification, group or job level: one allocation at a time, reverted when it fails\nupdate {\n  max_parallel = 1\n  auto_revert  = true\n",
        );
        if is_progressive(svc) {
            // Blue-green is a canary as large as the group.
            let canaries = match (svc.strategy, svc.replicas) {
                (Some(Strategy::BlueGreen), Some(n)) => n.to_string(),
                (Some(Strategy::BlueGreen), None) => ph.text(
                    &format!("{}_NOMAD_GROUP_COUNT", slug(&svc.name)),
                    "count of the job's task group (canaries for blue-green)",
                    "architecture.services[].replicas",
                ),
                _ => "1".to_string(),
            };
            let promote = nomad("nomad job promote", svc).val(svc.resource_name());
            s.push_str(&format!(
                "  canary       = {canaries}\n  auto_promote = false\n}}\n# once the canaries are healthy, hold for the bake ({first} min) and watch the triggers, then:\n{promote}\n"
            ));
        } else {
            s.push_str("}\n");
        }
        Some(Staging {
            name: if is_progressive(svc) {
                "Nomad canary deployment with manual promotion".to_string()
            } else {
                "Nomad rolling update with auto-revert".to_string()
            },
            snippet: s,
            language: "hcl",
        })
    }
}

/// `nomad <subcommand>` with `-namespace` and `-region` when the spec declares them; without
/// them the CLI uses NOMAD_NAMESPACE / NOMAD_REGION or the agent's defaults.
fn nomad(subcommand: &str, svc: &Service) -> Cmd {
    let mut c = Cmd::new(subcommand);
    if let Some(ns) = known(svc.namespace.as_deref()) {
        c = c.opt_eq("-namespace", Word::val(ns));
    }
    if let Some(r) = known(svc.region.as_deref()) {
        c = c.opt_eq("-region", Word::val(r));
    }
    c
}

// https://developer.hashicorp.com/nomad/commands/job/deployments
fn latest_deployment(svc: &Service) -> Cmd {
    nomad("nomad job deployments", svc)
        .lit("-latest")
        .val(svc.resource_name())
}

fn version_name(svc: &Service) -> String {
    format!("{}_NOMAD_JOB_VERSION", slug(&svc.name))
}
