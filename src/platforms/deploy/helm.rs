//! Kubernetes workload released with Helm.
//! https://helm.sh/docs/helm/helm_rollback/

use super::common::{RECORD, helm, rolling_minutes};
use super::kubernetes::{rolling_update, rollout_restart};
use super::{DeployPlatform, Family, Staging};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::Cmd;
use crate::model::{Platform, Service};
use crate::platforms::Action;

pub struct Helm;

const REVISION_DESC: &str = "Helm revision that ran before the deploy";

impl DeployPlatform for Helm {
    fn platform(&self) -> Platform {
        Platform::Helm
    }

    fn words(&self) -> &'static [&'static str] {
        &["helm"]
    }

    fn family(&self) -> Option<Family> {
        Some(Family::Kubernetes)
    }

    fn specificity(&self) -> u8 {
        2
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = helm(
            Cmd::new("helm history")
                .val(svc.resource_name())
                .lit("--max 5"),
            svc,
            ph,
        );
        let rev = ph.text(&revision_name(svc), REVISION_DESC, RECORD);
        (
            vec![c],
            format!("the REVISION of the row with STATUS deployed: it fills {rev}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let rev = ph.hole(&revision_name(svc), REVISION_DESC, RECORD);
        let c = helm(
            Cmd::new("helm rollback").val(svc.resource_name()).word(rev),
            svc,
            ph,
        )
        .lit("--wait --timeout 10m");
        let status = helm(Cmd::new("helm status").val(svc.resource_name()), svc, ph);
        let hist = helm(
            Cmd::new("helm history")
                .val(svc.resource_name())
                .lit("--max 3"),
            svc,
            ph,
        );
        vec![
            Action::new(format!("Roll back Helm release {}", svc.resource_name()), name)
                .cmd(c)
                .verify(status)
                .verify(hist)
                .success("`helm status` shows STATUS deployed and the newest history row says \"Rollback to\" the recorded revision")
                .minutes(rolling_minutes(svc))
                .note("Helm rollback never touches CRDs and cannot shrink PVCs; hooks come from the older chart."),
        ]
    }

    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(
            helm(Cmd::new("helm rollback").val(svc.resource_name()), svc, ph)
                .lit("--wait --timeout 10m"),
        )
    }

    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(rollout_restart(svc, ph))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "CRDs in the chart's crds/ directory (Helm never upgrades or deletes them)",
            "PersistentVolumeClaims that grew (they cannot shrink) and immutable fields (the rollback fails on them)",
            "partial changes left by a failed upgrade",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        Some(rolling_update(svc, stages, ph))
    }
}

fn revision_name(svc: &Service) -> String {
    format!("{}_HELM_REVISION", slug(&svc.name))
}
