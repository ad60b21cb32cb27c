//! Argo Rollouts `Rollout` (canary or blue-green), driven with the kubectl plugin.
//! https://argo-rollouts.readthedocs.io/en/stable/generated/kubectl-argo-rollouts/kubectl-argo-rollouts/

use super::common::{RECORD, kube};
use super::{DeployPlatform, Family, Staging};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Platform, Service, Strategy};
use crate::platforms::Action;

pub struct ArgoRollouts;

const REVISION_DESC: &str = "Argo Rollouts revision of the stable ReplicaSet before the deploy";

impl DeployPlatform for ArgoRollouts {
    fn platform(&self) -> Platform {
        Platform::ArgoRollouts
    }

    fn words(&self) -> &'static [&'static str] {
        &["argo rollouts", "argo rollout"]
    }

    fn family(&self) -> Option<Family> {
        Some(Family::Kubernetes)
    }

    fn specificity(&self) -> u8 {
        4
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = kube(
            Cmd::new("kubectl argo rollouts get rollout").val(svc.resource_name()),
            svc,
            ph,
        );
        let rev = ph.text(&revision_name(svc), REVISION_DESC, RECORD);
        (
            vec![c],
            format!("the revision number of the ReplicaSet marked stable: it fills {rev}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let rname = svc.resource_name();
        let abort = kube(Cmd::new("kubectl argo rollouts abort").val(rname), svc, ph);
        let get = kube(
            Cmd::new("kubectl argo rollouts get rollout").val(rname),
            svc,
            ph,
        );
        let rev = ph.hole(&revision_name(svc), REVISION_DESC, RECORD);
        let undo = kube(Cmd::new("kubectl argo rollouts undo").val(rname), svc, ph)
            .opt_eq("--to-revision", rev);
        let status =
            kube(Cmd::new("kubectl argo rollouts status").val(rname), svc, ph).lit("--timeout 10m");
        vec![
            Action::new(format!("Abort the rollout of {name}: traffic back to stable"), name)
                .cmd(abort)
                .verify(get)
                .success("Status Degraded (aborted); all traffic on the stable ReplicaSet, canary or preview weight 0")
                .minutes(1)
                .note("Abort moves traffic only; spec.template still holds the new version until the undo below."),
            Action::new(format!("Undo the Rollout spec of {name} to the stable revision"), name)
                .cmd(undo)
                .verify(status)
                .success("`status` reports Healthy on the stable revision")
                .minutes(2)
                .note("Returning to the stable ReplicaSet's template skips the canary steps. ConfigMaps and Secrets are not reverted."),
        ]
    }

    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(kube(
            Cmd::new("kubectl argo rollouts abort").val(svc.resource_name()),
            svc,
            ph,
        ))
    }

    // https://argo-rollouts.readthedocs.io/en/stable/generated/kubectl-argo-rollouts/kubectl-argo-rollouts_restart/
    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(kube(
            Cmd::new("kubectl argo rollouts restart").val(svc.resource_name()),
            svc,
            ph,
        ))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "ConfigMap and Secret contents",
            "AnalysisRun results and experiments already run",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        if svc.strategy == Some(Strategy::BlueGreen) {
            return Some(blue_green(svc, stages, ph));
        }
        let tpl = analysis_template(svc, ph);
        let mut s = String::from("strategy:\n  canary:\n    steps:\n");
        for st in stages
            .iter()
            .filter(|s| s.traffic_percent > 0.0 && s.traffic_percent < 100.0)
        {
            let w = st.traffic_percent.clamp(1.0, 99.0).round() as u32;
            s.push_str(&format!("      - setWeight: {w}\n"));
            s.push_str(&format!(
                "      - analysis:\n          templates:\n            - templateName: {tpl}\n"
            ));
            if st.bake_minutes > 0 {
                s.push_str(&format!(
                    "      - pause: {{duration: {}m}}\n",
                    st.bake_minutes
                ));
            } else {
                s.push_str("      - pause: {}\n");
            }
        }
        Some(Staging {
            name: "Argo Rollouts canary steps".to_string(),
            snippet: s,
            language: "yaml",
        })
    }
}

fn blue_green(svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Staging {
    let p = slug(&svc.name);
    let bake: u32 = stages.iter().map(|s| s.bake_minutes).sum();
    let delay = (bake.saturating_mul(60)).max(1800);
    let active = ph.text(
        &format!("{p}_ACTIVE_SERVICE"),
        "Kubernetes Service that takes production traffic",
        "the Rollout's activeService",
    );
    let preview = ph.text(
        &format!("{p}_PREVIEW_SERVICE"),
        "Kubernetes Service for the preview (green) version",
        "the Rollout's previewService",
    );
    let tpl = analysis_template(svc, ph);
    let snippet = format!(
        "strategy:\n  blueGreen:\n    activeService: {active}\n    previewService: {preview}\n    autoPromotionEnabled: false\n    # keeps the old ReplicaSet for the whole bake: the instant-rollback window\n    scaleDownDelaySeconds: {delay}\n    prePromotionAnalysis:\n      templates:\n        - templateName: {tpl}\n"
    );
    Staging {
        name: "Argo Rollouts blue-green".to_string(),
        snippet,
        language: "yaml",
    }
}

fn analysis_template(svc: &Service, ph: &mut Placeholders) -> String {
    ph.text(
        &format!("{}_ANALYSIS_TEMPLATE", slug(&svc.name)),
        "AnalysisTemplate that checks the trigger thresholds",
        "an AnalysisTemplate in the cluster",
    )
}

fn revision_name(svc: &Service) -> String {
    format!("{}_ROLLOUT_REVISION", slug(&svc.name))
}
