//! Helpers several deploy platforms share: kubectl/helm/aws/gcloud scoping, hosts over ssh,
//! CodeDeploy (ECS blue-green and Lambda), and the timing of rolling redeploys.

use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::Service;
use crate::platforms::{Action, known};

/// Where a value recorded by Go / No-Go before the deploy comes from.
pub(super) const RECORD: &str = crate::base::placeholders::AT_DEPLOY;

pub(super) fn codedeploy_stop_cmd(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let id = codedeploy_id(svc, ph);
    aws(
        Cmd::new("aws deploy stop-deployment")
            .opt("--deployment-id", id)
            .lit("--auto-rollback-enabled"),
        svc,
        ph,
    )
}

pub(super) fn codedeploy_stop(svc: &Service, ph: &mut Placeholders) -> Action {
    let id = codedeploy_id(svc, ph);
    let get = aws(
        Cmd::new("aws deploy get-deployment")
            .opt("--deployment-id", id)
            .opt("--query", Word::val("deploymentInfo.[status,rollbackInfo]")),
        svc,
        ph,
    );
    Action::new(
        format!("Stop the CodeDeploy deployment of {} with automatic rollback", svc.name),
        &svc.name,
    )
    .cmd(codedeploy_stop_cmd(svc, ph))
    .verify(get)
    .success("status Stopped, and a rollback deployment that moves traffic back to the original task set or version")
    .minutes(2)
    .note("Works only while the deployment is in progress (including its wait before the original is terminated).")
}

pub(super) fn codedeploy_id(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_CODEDEPLOY_DEPLOYMENT_ID", slug(&svc.name)),
        "CodeDeploy deployment id of this deploy (d-XXXXXXXXX)",
        "the deploy's CodeDeploy output",
    )
}

pub(super) fn codedeploy_app(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.codedeploy_app.as_deref(),
        &format!("{}_CODEDEPLOY_APP", slug(&svc.name)),
        "CodeDeploy application",
        "architecture.services[].codedeploy_app",
    )
}

pub(super) fn codedeploy_group(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.codedeploy_group.as_deref(),
        &format!("{}_CODEDEPLOY_GROUP", slug(&svc.name)),
        "CodeDeploy deployment group",
        "architecture.services[].codedeploy_group",
    )
}

/// `deployment/NAME`, or `statefulset/NAME` / `daemonset/NAME` for those workloads.
pub(super) fn deployment(svc: &Service) -> Word {
    let kind = svc.workload.map(|w| w.as_str()).unwrap_or("deployment");
    Word::lit(format!("{kind}/")).then(Word::val(svc.resource_name()))
}

pub(super) fn namespace(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.namespace.as_deref(),
        &format!("{}_NAMESPACE", slug(&svc.name)),
        &format!("Kubernetes namespace of {}", svc.name),
        "architecture.services[].namespace",
    )
}

/// kubectl (and its argo-rollouts plugin): `-n` and, when known, `--context`.
pub(super) fn kube(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let c = c.opt("-n", namespace(svc, ph));
    match known(svc.cluster.as_deref()) {
        Some(ctx) => c.opt("--context", Word::val(ctx)),
        None => c,
    }
}

pub(super) fn helm(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let c = c.opt("-n", namespace(svc, ph));
    match known(svc.cluster.as_deref()) {
        Some(ctx) => c.opt("--kube-context", Word::val(ctx)),
        None => c,
    }
}

pub(super) fn region(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.region.as_deref(),
        &format!("{}_REGION", slug(&svc.name)),
        &format!("Cloud region of {}", svc.name),
        "architecture.services[].region",
    )
}

pub(super) fn aws(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    c.opt("--region", region(svc, ph))
}

pub(super) fn gcloud(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let r = region(svc, ph);
    let p = ph.val_or(
        svc.project.as_deref(),
        &format!("{}_GCP_PROJECT", slug(&svc.name)),
        &format!("GCP project of {}", svc.name),
        "architecture.services[].project",
    );
    c.opt("--region", r).opt("--project", p)
}

pub(super) fn hosts(svc: &Service, ph: &mut Placeholders) -> Vec<Word> {
    let hs: Vec<Word> = svc
        .hosts
        .iter()
        .filter(|h| !h.trim().is_empty())
        .map(|h| Word::val(h.as_str()))
        .collect();
    if hs.is_empty() {
        vec![ph.hole(
            &format!("{}_HOST", slug(&svc.name)),
            &format!("Host running {}", svc.name),
            "architecture.services[].hosts",
        )]
    } else {
        hs
    }
}

/// `ssh HOST`; `--` first when the host would read as an option.
pub(super) fn ssh(host: Word) -> Cmd {
    if host.to_string().starts_with('-') {
        Cmd::new("ssh --").word(host)
    } else {
        Cmd::new("ssh").word(host)
    }
}

pub(super) fn rolling_minutes(svc: &Service) -> u32 {
    match svc.replicas {
        Some(r) => (3 + r / 4).min(15),
        None => 5,
    }
}
