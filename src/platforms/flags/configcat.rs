//! ConfigCat: the Public Management API replaces the setting's default value.

use super::{Ctx, FlagProviderUnit, Off, curl, text};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProvider, FlagProviderKind};
use serde_json::json;

pub struct Configcat;

impl FlagProviderUnit for Configcat {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Configcat
    }

    fn words(&self) -> &'static [&'static str] {
        &["configcat"]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("ConfigCat", "CONFIGCAT")
    }

    fn flag_values(
        &self,
        ctx: &mut Ctx,
        flag: &FlagChange,
        _p: Option<&FlagProvider>,
        ph: &mut Placeholders,
    ) {
        ctx.id = text(
            ph,
            flag.provider_id.as_deref(),
            &format!("{}_CONFIGCAT_SETTING_ID", slug(&flag.key)),
            "ConfigCat setting id of the flag",
            "feature_flag.flag.provider_id",
            true,
        );
    }

    fn turn_off(&self, ctx: &Ctx, _flag: &FlagChange) -> Off {
        let body = json!([{"op": "replace", "path": "/defaultValue/boolValue", "value": false}]);
        Off {
            cmd: curl("PATCH", &url(ctx), Some(&body.to_string()))
                .opt(
                    "-u",
                    Word::lit("\"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\""),
                )
                .opt("-H", Word::val("Content-Type: application/json")),
            success: "defaultValue.boolValue is false",
            note: "Only the default value changes: targeting rules and percentage options can still serve true; clear them too if they exist. SDKs see the change at their next config poll.",
        }
    }

    fn read_state(&self, ctx: &Ctx, _flag: &FlagChange) -> Cmd {
        curl("GET", &url(ctx), None).opt(
            "-u",
            Word::lit("\"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\""),
        )
    }
}

fn url(ctx: &Ctx) -> String {
    format!(
        "https://api.configcat.com/v2/environments/{}/settings/{}/value",
        ctx.env, ctx.id
    )
}
