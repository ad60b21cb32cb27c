//! AWS AppConfig: stop the deployment with `--allow-revert` to return to the previous
//! configuration version.
//! https://docs.aws.amazon.com/cli/latest/reference/appconfig/stop-deployment.html

use super::{Ctx, FlagProviderUnit, Needs, Off};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProvider, FlagProviderKind};
use crate::platforms::splice;

pub struct Appconfig;

impl FlagProviderUnit for Appconfig {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Appconfig
    }

    fn words(&self) -> &'static [&'static str] {
        &["appconfig"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("AWS AppConfig", "APPCONFIG")
    }

    fn needs(&self) -> Needs {
        Needs {
            project: Some("AppConfig application id"),
            url_encoded: false,
            ..Needs::NONE
        }
    }

    fn flag_values(
        &self,
        ctx: &mut Ctx,
        flag: &FlagChange,
        _p: Option<&FlagProvider>,
        ph: &mut Placeholders,
    ) {
        ctx.deployment_number = ph.hole(
            &format!("{}_APPCONFIG_DEPLOYMENT_NUMBER", slug(&flag.key)),
            "AppConfig deployment number of this change",
            "the deploy's AppConfig output",
        );
    }

    fn turn_off(&self, ctx: &Ctx, _flag: &FlagChange) -> Off {
        Off {
            cmd: Cmd::new("aws appconfig stop-deployment")
                .opt("--application-id", splice(&ctx.project))
                .opt("--environment-id", splice(&ctx.env))
                .opt("--deployment-number", ctx.deployment_number.clone())
                .lit("--allow-revert"),
            success: "the deployment state is ROLLED_BACK (or REVERTED) and the previous configuration version is in force",
            note: "--allow-revert reverts a completed deployment only within 72 hours of its end; after that, start a deployment of the previous configuration version (aws appconfig start-deployment ... --configuration-version PREVIOUS). Clients see it at their next poll.",
        }
    }

    fn read_state(&self, ctx: &Ctx, _flag: &FlagChange) -> Cmd {
        Cmd::new("aws appconfig get-deployment")
            .opt("--application-id", splice(&ctx.project))
            .opt("--environment-id", splice(&ctx.env))
            .opt("--deployment-number", ctx.deployment_number.clone())
            .opt("--query", Word::val("[State,ConfigurationVersion]"))
    }
}
