//! Google Cloud Run service: traffic moves between revisions.
//! https://cloud.google.com/sdk/gcloud/reference/run/services/update-traffic

use super::common::{RECORD, gcloud};
use super::{DeployPlatform, Staging};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::{Action, mark, splice};

pub struct CloudRun;

const PREVIOUS_DESC: &str = "Cloud Run revision serving 100% of traffic before the deploy";

impl DeployPlatform for CloudRun {
    fn platform(&self) -> Platform {
        Platform::CloudRun
    }

    fn words(&self) -> &'static [&'static str] {
        &["cloud run"]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = describe(svc, ph);
        let v = ph.text(&previous_name(svc), PREVIOUS_DESC, RECORD);
        (
            vec![c],
            format!("the revision name that serves 100% of traffic: it fills {v}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        // `--to-revisions` takes revision names (`REVISION=PERCENT`), recorded by Go / No-Go.
        // https://cloud.google.com/sdk/gcloud/reference/run/services/update-traffic
        let v = mark(&ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD));
        let c = gcloud(
            Cmd::new("gcloud run services update-traffic")
                .val(svc.resource_name())
                .word(Word::lit("--to-revisions=").then(splice(&format!("{v}=100")))),
            svc,
            ph,
        );
        vec![
            Action::new(format!("Send all traffic of {name} to the previous revision"), name)
                .cmd(c)
                .verify(describe(svc, ph))
                .success("status.traffic lists the previous revision at percent 100")
                .minutes(2)
                .note("The service stays pinned to that revision: later deploys get no traffic until `update-traffic --to-latest`."),
        ]
    }

    /// Midway, the abort is the rollback's traffic switch itself.
    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        self.rollback(svc, ph)
            .into_iter()
            .next()?
            .commands
            .into_iter()
            .next()
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "secrets referenced as `latest` in Secret Manager",
            "service-level settings (ingress, IAM, domain mappings) changed with the deploy",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        let new = mark(&ph.hole(
            &format!("{}_NEW_REVISION", slug(&svc.name)),
            "Cloud Run revision created by this deploy",
            "deployment.version",
        ));
        let old = mark(&ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD));
        let mut s = String::new();
        for st in stages {
            let pct = st.traffic_percent.clamp(0.0, 100.0).round() as u32;
            let split = if pct >= 100 {
                format!("{new}=100")
            } else {
                format!("{new}={pct},{old}={}", 100 - pct)
            };
            let c = gcloud(
                Cmd::new("gcloud run services update-traffic")
                    .val(svc.resource_name())
                    .word(Word::lit("--to-revisions=").then(splice(&split))),
                svc,
                ph,
            );
            s.push_str(&format!(
                "# {}: {pct}% for {} min\n{c}\n",
                st.name, st.bake_minutes
            ));
        }
        Some(Staging {
            name: "Cloud Run traffic split".to_string(),
            snippet: s,
            language: "shell",
        })
    }
}

fn describe(svc: &Service, ph: &mut Placeholders) -> Cmd {
    gcloud(
        Cmd::new("gcloud run services describe")
            .val(svc.resource_name())
            .opt("--format", Word::val("value(status.traffic)")),
        svc,
        ph,
    )
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_REVISION", slug(&svc.name))
}
