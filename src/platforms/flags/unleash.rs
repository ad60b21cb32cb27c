//! Unleash (self-hosted or hosted): the Admin API turns the flag off per environment, and its
//! flexibleRollout strategy takes a percentage in one call.
//! https://docs.getunleash.io/api (Admin API: disable a feature flag in an environment)

use super::{Api, Ctx, FlagProviderUnit, Needs, Off, curl};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProviderKind};
use crate::platforms::{fmt_pct, mark};
use serde_json::json;

pub struct Unleash;

impl FlagProviderUnit for Unleash {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Unleash
    }

    fn words(&self) -> &'static [&'static str] {
        &["unleash"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("Unleash", "UNLEASH")
    }

    fn needs(&self) -> Needs {
        Needs {
            api: Api::Required,
            project: Some("project key"),
            project_from_flag_id: true,
            ..Needs::NONE
        }
    }

    fn turn_off(&self, ctx: &Ctx, _flag: &FlagChange) -> Off {
        Off {
            cmd: curl("POST", &format!("{}/off", env_url(ctx)), None)
                .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\"")),
            success: "the environment shows `enabled: false`",
            note: "Unleash SDKs poll (default 15 s) and serve their cached state until the next poll.",
        }
    }

    fn read_state(&self, ctx: &Ctx, _flag: &FlagChange) -> Cmd {
        curl("GET", &feature_url(ctx), None)
            .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\""))
    }

    fn sets_percent(&self) -> bool {
        true
    }

    // Only Unleash takes a percentage in one plain call (its flexibleRollout strategy); the others
    // need variation or rule ids and are better changed in their dashboards.
    fn set_percent(
        &self,
        ctx: &Ctx,
        flag: &FlagChange,
        percent: f64,
        ph: &mut Placeholders,
    ) -> Option<Cmd> {
        let sid = mark(&ph.hole(
            &format!("{}_UNLEASH_STRATEGY_ID", slug(&flag.key)),
            "Id of the flag's flexibleRollout strategy in the environment",
            "the flag's strategies (read_state output)",
        ));
        let body = json!({
            "name": "flexibleRollout",
            "parameters": {"rollout": fmt_pct(percent), "stickiness": "default", "groupId": flag.key}
        });
        Some(
            curl(
                "PUT",
                &format!("{}/strategies/{sid}", env_url(ctx)),
                Some(&body.to_string()),
            )
            .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\""))
            .opt("-H", Word::val("Content-Type: application/json")),
        )
    }
}

fn feature_url(ctx: &Ctx) -> String {
    format!(
        "{}/api/admin/projects/{}/features/{}",
        ctx.api, ctx.project, ctx.key
    )
}

fn env_url(ctx: &Ctx) -> String {
    format!("{}/environments/{}", feature_url(ctx), ctx.env)
}
