//! Vercel project: deployments are immutable; Instant Rollback points the production domains back
//! at an earlier production deployment with `vercel rollback`.
//! https://vercel.com/docs/cli/rollback and https://vercel.com/docs/instant-rollback

use super::DeployPlatform;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::Action;

pub struct Vercel;

const PREVIOUS_DESC: &str = "URL or id of the Vercel production deployment before this one";

impl DeployPlatform for Vercel {
    fn platform(&self) -> Platform {
        Platform::Vercel
    }

    fn words(&self) -> &'static [&'static str] {
        &["vercel"]
    }

    fn unit_nouns(&self) -> &'static [&'static str] {
        &["project"]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = Cmd::new("vercel list")
            .val(svc.resource_name())
            .lit("--prod");
        let v = ph.text(&previous_name(svc), PREVIOUS_DESC, super::common::RECORD);
        (
            vec![c],
            format!(
                "the newest Ready production deployment, before this deploy: its URL fills {v}"
            ),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let prev: Word = ph.hole(&previous_name(svc), PREVIOUS_DESC, super::common::RECORD);
        vec![
            Action::new(format!("Roll the production domains of {name} back to the previous deployment"), name)
                .cmd(Cmd::new("vercel rollback").word(prev))
                .verify(Cmd::new("vercel rollback status").val(svc.resource_name()))
                .success("the rollback is complete and the production domains serve the previous deployment")
                .minutes(1)
                .note("After a rollback Vercel stops assigning new production deployments to the domains: the fix goes live with `vercel promote`, not by merging alone.")
                .note("The rolled-back deployment keeps the environment variables and cron jobs it was built with."),
        ]
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "project settings and environment variables changed since (the old build keeps the values it was built with)",
            "data written by functions while the bad deployment was live",
        ]
    }
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_DEPLOYMENT", slug(&svc.name))
}
