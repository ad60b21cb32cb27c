//! Flagsmith: the (experimental) update-flag endpoint, and the environment's feature states.

use super::{Api, Ctx, FlagProviderUnit, Needs, Off, curl};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProviderKind};
use crate::platforms::url_seg;
use serde_json::json;

pub struct Flagsmith;

impl FlagProviderUnit for Flagsmith {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Flagsmith
    }

    fn words(&self) -> &'static [&'static str] {
        &["flagsmith"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("Flagsmith", "FLAGSMITH")
    }

    fn needs(&self) -> Needs {
        Needs {
            api: Api::Default("https://api.flagsmith.com"),
            ..Needs::NONE
        }
    }

    fn turn_off(&self, ctx: &Ctx, flag: &FlagChange) -> Off {
        let body = json!({"feature": {"name": flag.key.as_str()}, "enabled": false});
        Off {
            cmd: curl(
                "POST",
                &format!(
                    "{}/api/experiments/environments/{}/update-flag-v1/",
                    ctx.api, ctx.env
                ),
                Some(&body.to_string()),
            )
            .opt(
                "-H",
                Word::lit("\"Authorization: Api-Key $FLAGSMITH_API_KEY\""),
            )
            .opt("-H", Word::val("Content-Type: application/json")),
            success: "the feature state shows `enabled: false`",
            note: "This endpoint is marked experimental and is refused when the environment requires change requests; then use the dashboard. Segment and identity overrides still apply.",
        }
    }

    fn read_state(&self, ctx: &Ctx, flag: &FlagChange) -> Cmd {
        curl(
            "GET",
            &format!(
                "{}/api/v1/environments/{}/featurestates/?feature_name={}",
                ctx.api,
                ctx.env,
                url_seg(&flag.key)
            ),
            None,
        )
        .opt(
            "-H",
            Word::lit("\"Authorization: Api-Key $FLAGSMITH_API_KEY\""),
        )
    }
}
