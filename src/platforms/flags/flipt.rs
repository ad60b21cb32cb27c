//! Flipt v1 API: the flag is updated with `enabled: false` in its namespace.

use super::{Api, Ctx, FlagProviderUnit, Needs, Off, curl};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProviderKind};
use serde_json::json;

pub struct Flipt;

impl FlagProviderUnit for Flipt {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Flipt
    }

    fn words(&self) -> &'static [&'static str] {
        &["flipt"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("Flipt", "FLIPT")
    }

    fn needs(&self) -> Needs {
        Needs {
            api: Api::Required,
            project: Some("Flipt namespace"),
            environment: false,
            ..Needs::NONE
        }
    }

    fn turn_off(&self, ctx: &Ctx, flag: &FlagChange) -> Off {
        let key = flag.key.as_str();
        let body = json!({"key": key, "name": key, "enabled": false});
        Off {
            cmd: curl("PUT", &url(ctx), Some(&body.to_string()))
                .opt(
                    "-H",
                    Word::lit("\"Authorization: Bearer $FLIPT_API_TOKEN\""),
                )
                .opt("-H", Word::val("Content-Type: application/json")),
            success: "the flag shows `enabled: false`",
            note: "Flipt v1 API: the PUT sets the flag's name to its key; v2 (Git-backed) flags are changed in their repository instead.",
        }
    }

    fn read_state(&self, ctx: &Ctx, _flag: &FlagChange) -> Cmd {
        curl("GET", &url(ctx), None).opt(
            "-H",
            Word::lit("\"Authorization: Bearer $FLIPT_API_TOKEN\""),
        )
    }
}

fn url(ctx: &Ctx) -> String {
    format!(
        "{}/api/v1/namespaces/{}/flags/{}",
        ctx.api, ctx.project, ctx.key
    )
}
