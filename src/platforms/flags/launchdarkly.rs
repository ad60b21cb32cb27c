//! LaunchDarkly: semantic patch `turnFlagOff` on the flag's environment.
//! https://launchdarkly.com/docs/api/feature-flags/update-feature-flag

use super::{Ctx, FlagProviderUnit, Needs, Off, curl};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProviderKind};
use serde_json::json;

pub struct Launchdarkly;

impl FlagProviderUnit for Launchdarkly {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Launchdarkly
    }

    fn words(&self) -> &'static [&'static str] {
        &["launchdarkly"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("LaunchDarkly", "LD")
    }

    fn needs(&self) -> Needs {
        Needs {
            project: Some("project key"),
            ..Needs::NONE
        }
    }

    fn turn_off(&self, ctx: &Ctx, _flag: &FlagChange) -> Off {
        let body = json!({
            "environmentKey": ctx.env_raw,
            "comment": "rollbook: kill switch during rollback",
            "instructions": [{"kind": "turnFlagOff"}]
        });
        Off {
            cmd: curl("PATCH", &url(ctx), Some(&body.to_string()))
                .opt("-H", Word::lit("\"Authorization: $LD_API_TOKEN\""))
                .opt(
                    "-H",
                    Word::val(
                        "Content-Type: application/json; domain-model=launchdarkly.semanticpatch",
                    ),
                ),
            success: "`on` is false for the environment",
            note: "SDKs with streaming pick the change up within seconds; polling SDKs only at their next poll.",
        }
    }

    fn read_state(&self, ctx: &Ctx, _flag: &FlagChange) -> Cmd {
        curl("GET", &format!("{}?env={}", url(ctx), ctx.env), None)
            .opt("-H", Word::lit("\"Authorization: $LD_API_TOKEN\""))
    }
}

fn url(ctx: &Ctx) -> String {
    format!(
        "https://app.launchdarkly.com/api/v2/flags/{}/{}",
        ctx.project, ctx.key
    )
}
