//! Netlify site: every deploy is an immutable snapshot, and rolling back publishes an earlier one
//! (the API's `restoreSiteDeploy`, "Publish deploy" in the UI), through `netlify api`.
//! https://cli.netlify.com/commands/api/ and
//! https://docs.netlify.com/api/get-started/#restore-deploy-rollback

use super::DeployPlatform;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::{Action, mark, splice};

pub struct Netlify;

const PREVIOUS_DESC: &str = "id of the Netlify deploy that was published before this one";

impl DeployPlatform for Netlify {
    fn platform(&self) -> Platform {
        Platform::Netlify
    }

    fn words(&self) -> &'static [&'static str] {
        &["netlify"]
    }

    fn unit_nouns(&self) -> &'static [&'static str] {
        &["site"]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = get_site(svc, ph);
        let v = ph.text(&previous_name(svc), PREVIOUS_DESC, super::common::RECORD);
        (
            vec![c],
            format!("published_deploy.id is the live deploy before this one: it fills {v}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let site = mark(&site_id(svc, ph));
        let prev = mark(&ph.hole(&previous_name(svc), PREVIOUS_DESC, super::common::RECORD));
        let body = format!("{{\"site_id\":\"{site}\",\"deploy_id\":\"{prev}\"}}");
        let c = Cmd::new("netlify api restoreSiteDeploy").opt("--data", splice(&body));
        vec![
            Action::new(format!("Publish the previous deploy of {name} again"), name)
                .cmd(c)
                .verify(get_site(svc, ph))
                .success("published_deploy.id is the recorded previous deploy and its state is `ready`")
                .minutes(1)
                .note("The switch is atomic: the CDN serves the earlier snapshot at once, with no build.")
                .note("Then stop the bad commit from being published again: lock publishing on the restored deploy (Deploys > Lock to stop auto publishing) until the fix is merged."),
        ]
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "site settings changed outside the deploy (domains, build settings, environment variables read by functions at run time)",
            "form submissions and other data received while the bad deploy was live",
        ]
    }
}

fn site_id(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_NETLIFY_SITE_ID", slug(&svc.name)),
        "the Netlify site's API ID (Site configuration > Site details), or its domain",
        "by hand: the spec has no field for it",
    )
}

fn get_site(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let site = mark(&site_id(svc, ph));
    Cmd::new("netlify api getSite").opt("--data", splice(&format!("{{\"site_id\":\"{site}\"}}")))
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_DEPLOY_ID", slug(&svc.name))
}
