//! Kubernetes Deployment (or StatefulSet / DaemonSet) applied with kubectl.
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/

use super::common::{RECORD, deployment, kube, rolling_minutes};
use super::{DeployPlatform, Family, Staging, is_progressive};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service, WorkloadKind};

#[path = "kubernetes_cronjob.rs"]
mod cronjob;
use crate::platforms::Action;

pub struct Kubernetes;

impl DeployPlatform for Kubernetes {
    fn platform(&self) -> Platform {
        Platform::Kubernetes
    }

    fn words(&self) -> &'static [&'static str] {
        &["kubernetes", "k8s", "gke", "eks", "aks"]
    }

    fn unit_nouns(&self) -> &'static [&'static str] {
        &["deployment", "statefulset", "daemonset", "cronjob"]
    }

    fn family(&self) -> Option<Family> {
        Some(Family::Kubernetes)
    }

    fn specificity(&self) -> u8 {
        1
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        if is_cronjob(svc) {
            return cronjob::record_target(svc, ph);
        }
        let c = kube(
            Cmd::new("kubectl rollout history").word(deployment(svc)),
            svc,
            ph,
        );
        let rev = revision(svc, ph);
        (
            vec![c],
            format!("the highest REVISION number listed: it fills {rev} in the rollback step"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        if is_cronjob(svc) {
            return cronjob::rollback(svc, ph);
        }
        let name = svc.name.as_str();
        let rev = revision(svc, ph);
        let undo = kube(
            Cmd::new("kubectl rollout undo").word(deployment(svc)),
            svc,
            ph,
        )
        .opt_eq("--to-revision", Word::hole(rev.trim_matches(['<', '>'])));
        let mut a = Action::new(format!("Roll back {name} to the previous Deployment revision"), name)
            .cmd(undo)
            .verify(status(svc, ph))
            .success("`rollout status` reports the deployment successfully rolled out, and the health check passes")
            .minutes(rolling_minutes(svc))
            .note("`rollout undo` restores the pod template only: ConfigMaps, Secrets and the replica count stay as they are.");
        if is_progressive(svc) {
            a = a.note("A blue-green or canary switch on plain Deployments lives outside Kubernetes (Service selector, ingress weights): switch it back first.");
        }
        vec![a]
    }

    // Undo without a revision returns to the previous one; a paused Deployment cannot be undone.
    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        if is_cronjob(svc) {
            return Some(cronjob::suspend(svc, ph, true));
        }
        Some(kube(
            Cmd::new("kubectl rollout undo").word(deployment(svc)),
            svc,
            ph,
        ))
    }

    // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_restart/
    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        // A CronJob's next run starts fresh pods: nothing to restart.
        (!is_cronjob(svc)).then(|| rollout_restart(svc, ph))
    }

    fn workload_status(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(if is_cronjob(svc) {
            cronjob::last_runs(svc, ph)
        } else {
            status(svc, ph)
        })
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "ConfigMap and Secret contents (a Deployment rollback restores the pod template only)",
            "the replica count and HPA settings",
            "the kubectl last-applied-configuration annotation",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        (!is_cronjob(svc)).then(|| rolling_update(svc, stages, ph))
    }
}

fn is_cronjob(svc: &Service) -> bool {
    svc.workload == Some(WorkloadKind::Cronjob)
}

/// `kubectl rollout restart`: the workloads behind Helm releases and Argo CD apps too.
pub(super) fn rollout_restart(svc: &Service, ph: &mut Placeholders) -> Cmd {
    kube(
        Cmd::new("kubectl rollout restart").word(deployment(svc)),
        svc,
        ph,
    )
}

/// A rolling update held by `rollout pause` for the first bake: plain Deployments and Helm charts.
pub(super) fn rolling_update(svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Staging {
    let pause = kube(
        Cmd::new("kubectl rollout pause").word(deployment(svc)),
        svc,
        ph,
    );
    let resume = kube(
        Cmd::new("kubectl rollout resume").word(deployment(svc)),
        svc,
        ph,
    );
    let first = stages.first().map(|s| s.bake_minutes).unwrap_or(0);
    let snippet = format!(
        "# Deployment spec: one new pod at a time, never below full capacity\nstrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 0\n# once the first new pods are Ready, hold the rollout for the bake ({first} min):\n{pause}\n# watch the triggers, then continue:\n{resume}\n"
    );
    Staging {
        name: "Kubernetes rolling update with pause/resume".to_string(),
        snippet,
        language: "yaml",
    }
}

fn status(svc: &Service, ph: &mut Placeholders) -> Cmd {
    kube(
        Cmd::new("kubectl rollout status").word(deployment(svc)),
        svc,
        ph,
    )
    .lit("--timeout=10m")
}

fn revision(svc: &Service, ph: &mut Placeholders) -> String {
    ph.text(
        &format!("{}_REVISION", slug(&svc.name)),
        "Deployment revision that ran before the deploy (kubectl rollout history)",
        RECORD,
    )
}
