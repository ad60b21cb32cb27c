//! GrowthBook: the REST API toggles the feature per environment.

use super::{Api, Ctx, FlagProviderUnit, Needs, Off, curl};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProviderKind};
use crate::platforms::url_seg;
use serde_json::json;

pub struct Growthbook;

impl FlagProviderUnit for Growthbook {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Growthbook
    }

    fn words(&self) -> &'static [&'static str] {
        &["growthbook"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("GrowthBook", "GROWTHBOOK")
    }

    fn needs(&self) -> Needs {
        Needs {
            api: Api::Default("https://api.growthbook.io"),
            ..Needs::NONE
        }
    }

    fn turn_off(&self, ctx: &Ctx, flag: &FlagChange) -> Off {
        let mut envs = serde_json::Map::new();
        envs.insert(ctx.env_raw.clone(), json!(false));
        let body = json!({"environments": envs, "reason": "rollbook: kill switch during rollback"});
        Off {
            cmd: curl(
                "POST",
                &format!("{}/api/v2/features/{}/toggle", ctx.api, url_seg(&flag.key)),
                Some(&body.to_string()),
            )
            .opt(
                "-H",
                Word::lit("\"Authorization: Bearer $GROWTHBOOK_API_KEY\""),
            )
            .opt("-H", Word::val("Content-Type: application/json")),
            success: "the environment is disabled for the feature",
            note: "Refused (403) when approval rules cover the environment, unless the REST API may bypass them. SDKs serve cached features until their next refresh or stream event.",
        }
    }

    fn read_state(&self, ctx: &Ctx, flag: &FlagChange) -> Cmd {
        curl(
            "GET",
            &format!("{}/api/v1/features/{}", ctx.api, url_seg(&flag.key)),
            None,
        )
        .opt(
            "-H",
            Word::lit("\"Authorization: Bearer $GROWTHBOOK_API_KEY\""),
        )
    }
}
