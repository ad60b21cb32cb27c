//! Feature-flag services: kill switch, state check, percentage changes.
//!
//! Every API call is a `curl -fsS` with the token read from an environment variable named in the
//! command (never a value); JSON bodies are built with serde_json and passed as one quoted word.

use super::{Action, fmt_pct, known, mark, splice, url_seg};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProvider, FlagProviderKind};
use serde_json::json;

/// The provider in force for a flag: the flag's own, else the organisation's.
pub fn provider_kind(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
) -> Option<FlagProviderKind> {
    flag.provider.or(provider.map(|p| p.kind))
}

/// Turns the flag off (the kill switch), with a verification of its state.
pub fn turn_off(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Action {
    let key = flag.key.as_str();
    let kind = provider_kind(provider, flag);
    let base = Action::new(format!("Turn off feature flag {key}"), key).minutes(1);
    let Some(kind) = kind else {
        let c = ph.hole(
            &format!("{}_FLAG_OFF_COMMAND", slug(key)),
            "Command that turns the flag off (no flag provider declared)",
            "architecture.flag_provider.kind",
        );
        return base
            .cmd(Cmd::default().word(c))
            .success(format!("flag {key} serves its off value everywhere"))
            .minutes(2)
            .note("No flag provider is declared, so rollbook cannot write the command.");
    };
    let ctx = Ctx::new(provider, flag, kind, ph);
    let verify = read_state(provider, flag, ph);
    let (cmd, success, note) = match kind {
        FlagProviderKind::Launchdarkly => {
            let body = json!({
                "environmentKey": ctx.env_raw,
                "comment": "rollbook: kill switch during rollback",
                "instructions": [{"kind": "turnFlagOff"}]
            });
            (
                curl("PATCH", &ctx.ld_url(), Some(&body.to_string()))
                    .opt("-H", Word::lit("\"Authorization: $LD_API_TOKEN\""))
                    .opt("-H", Word::val("Content-Type: application/json; domain-model=launchdarkly.semanticpatch")),
                "`on` is false for the environment",
                "SDKs with streaming pick the change up within seconds; polling SDKs only at their next poll.",
            )
        }
        FlagProviderKind::Unleash => (
            curl("POST", &format!("{}/off", ctx.unleash_env_url()), None)
                .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\"")),
            "the environment shows `enabled: false`",
            "Unleash SDKs poll (default 15 s) and serve their cached state until the next poll.",
        ),
        FlagProviderKind::Flagsmith => {
            let body = json!({"feature": {"name": key}, "enabled": false});
            (
                curl(
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
                "the feature state shows `enabled: false`",
                "This endpoint is marked experimental and is refused when the environment requires change requests; then use the dashboard. Segment and identity overrides still apply.",
            )
        }
        FlagProviderKind::Flipt => {
            let body = json!({"key": key, "name": key, "enabled": false});
            (
                curl("PUT", &ctx.flipt_url(), Some(&body.to_string()))
                    .opt(
                        "-H",
                        Word::lit("\"Authorization: Bearer $FLIPT_API_TOKEN\""),
                    )
                    .opt("-H", Word::val("Content-Type: application/json")),
                "the flag shows `enabled: false`",
                "Flipt v1 API: the PUT sets the flag's name to its key; v2 (Git-backed) flags are changed in their repository instead.",
            )
        }
        FlagProviderKind::Configcat => {
            let body =
                json!([{"op": "replace", "path": "/defaultValue/boolValue", "value": false}]);
            (
                curl("PATCH", &ctx.configcat_url(), Some(&body.to_string()))
                    .opt(
                        "-u",
                        Word::lit("\"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\""),
                    )
                    .opt("-H", Word::val("Content-Type: application/json")),
                "defaultValue.boolValue is false",
                "Only the default value changes: targeting rules and percentage options can still serve true; clear them too if they exist. SDKs see the change at their next config poll.",
            )
        }
        FlagProviderKind::Growthbook => {
            let mut envs = serde_json::Map::new();
            envs.insert(ctx.env_raw.clone(), json!(false));
            let body =
                json!({"environments": envs, "reason": "rollbook: kill switch during rollback"});
            (
                curl(
                    "POST",
                    &format!("{}/api/v2/features/{}/toggle", ctx.api, url_seg(key)),
                    Some(&body.to_string()),
                )
                .opt(
                    "-H",
                    Word::lit("\"Authorization: Bearer $GROWTHBOOK_API_KEY\""),
                )
                .opt("-H", Word::val("Content-Type: application/json")),
                "the environment is disabled for the feature",
                "Refused (403) when approval rules cover the environment, unless the REST API may bypass them. SDKs serve cached features until their next refresh or stream event.",
            )
        }
        FlagProviderKind::Appconfig => (
            Cmd::new("aws appconfig stop-deployment")
                .opt("--application-id", splice(&ctx.project))
                .opt("--environment-id", splice(&ctx.env))
                .opt("--deployment-number", ctx.appconfig_deployment.clone())
                .lit("--allow-revert"),
            "the deployment state is ROLLED_BACK (or REVERTED) and the previous configuration version is in force",
            "--allow-revert reverts a completed deployment only within 72 hours of its end; after that, start a deployment of the previous configuration version (aws appconfig start-deployment ... --configuration-version PREVIOUS). Clients see it at their next poll.",
        ),
        FlagProviderKind::Configmap => {
            let mut data = serde_json::Map::new();
            data.insert(key.to_string(), json!("false"));
            let body = json!({"data": data});
            (
                Cmd::new("kubectl patch configmap")
                    .word(splice(&ctx.configmap))
                    .opt("-n", splice(&ctx.namespace))
                    .lit("--type merge")
                    .opt("-p", Word::val(body.to_string())),
                "the key reads false",
                "Mounted ConfigMaps update in the pods after the kubelet sync (up to about a minute); apps that read the flag from environment variables need `kubectl rollout restart` of their Deployment.",
            )
        }
    };
    base.cmd(cmd).verify(verify).success(success).note(note)
}

/// Reads the flag's current state (for go/no-go and verification).
pub fn read_state(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Cmd {
    let key = flag.key.as_str();
    let Some(kind) = provider_kind(provider, flag) else {
        return Cmd::default().word(ph.hole(
            &format!("{}_FLAG_READ_COMMAND", slug(key)),
            "Command that reads the flag's state (no flag provider declared)",
            "architecture.flag_provider.kind",
        ));
    };
    let ctx = Ctx::new(provider, flag, kind, ph);
    match kind {
        FlagProviderKind::Launchdarkly => {
            curl("GET", &format!("{}?env={}", ctx.ld_url(), ctx.env), None)
                .opt("-H", Word::lit("\"Authorization: $LD_API_TOKEN\""))
        }
        FlagProviderKind::Unleash => curl("GET", &ctx.unleash_feature_url(), None)
            .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\"")),
        FlagProviderKind::Flagsmith => curl(
            "GET",
            &format!(
                "{}/api/v1/environments/{}/featurestates/?feature_name={}",
                ctx.api,
                ctx.env,
                url_seg(key)
            ),
            None,
        )
        .opt(
            "-H",
            Word::lit("\"Authorization: Api-Key $FLAGSMITH_API_KEY\""),
        ),
        FlagProviderKind::Flipt => curl("GET", &ctx.flipt_url(), None).opt(
            "-H",
            Word::lit("\"Authorization: Bearer $FLIPT_API_TOKEN\""),
        ),
        FlagProviderKind::Configcat => curl("GET", &ctx.configcat_url(), None).opt(
            "-u",
            Word::lit("\"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\""),
        ),
        FlagProviderKind::Growthbook => curl(
            "GET",
            &format!("{}/api/v1/features/{}", ctx.api, url_seg(key)),
            None,
        )
        .opt(
            "-H",
            Word::lit("\"Authorization: Bearer $GROWTHBOOK_API_KEY\""),
        ),
        FlagProviderKind::Appconfig => Cmd::new("aws appconfig get-deployment")
            .opt("--application-id", splice(&ctx.project))
            .opt("--environment-id", splice(&ctx.env))
            .opt("--deployment-number", ctx.appconfig_deployment.clone())
            .opt("--query", Word::val("[State,ConfigurationVersion]")),
        FlagProviderKind::Configmap => {
            let path = format!("{{.data.{}}}", key.replace('.', "\\."));
            Cmd::new("kubectl get configmap")
                .word(splice(&ctx.configmap))
                .opt("-n", splice(&ctx.namespace))
                .opt("-o", Word::lit("jsonpath=").then(Word::val(path)))
        }
    }
}

/// Sets the flag's rollout percentage, where the provider's API allows it from the command line.
pub fn set_percent(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    percent: f64,
    ph: &mut Placeholders,
) -> Option<Cmd> {
    // Only Unleash takes a percentage in one plain call (its flexibleRollout strategy); the others
    // need variation or rule ids and are better changed in their dashboards.
    if provider_kind(provider, flag)? != FlagProviderKind::Unleash {
        return None;
    }
    let ctx = Ctx::new(provider, flag, FlagProviderKind::Unleash, ph);
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
            &format!("{}/strategies/{sid}", ctx.unleash_env_url()),
            Some(&body.to_string()),
        )
        .opt("-H", Word::lit("\"Authorization: $UNLEASH_API_TOKEN\""))
        .opt("-H", Word::val("Content-Type: application/json")),
    )
}

/// `curl -fsS -X METHOD URL [--data BODY]`; URL and body may hold placeholder sentinels.
fn curl(method: &str, url: &str, body: Option<&str>) -> Cmd {
    let mut c = Cmd::new("curl -fsS");
    if method != "GET" {
        c = c.lit("-X").lit(method);
    }
    c = c.word(splice(url));
    if let Some(b) = body {
        c = c.opt("--data", splice(b));
    }
    c
}

/// The provider-specific names every call needs, placeholders where unknown (as sentinel text).
struct Ctx {
    key: String,
    api: String,
    project: String,
    env: String,
    /// The environment as plain text, for JSON bodies.
    env_raw: String,
    /// Provider-specific id: ConfigCat setting id, ConfigMap name.
    id: String,
    configmap: String,
    namespace: String,
    appconfig_deployment: Word,
}

impl Ctx {
    fn new(
        provider: Option<&FlagProvider>,
        flag: &FlagChange,
        kind: FlagProviderKind,
        ph: &mut Placeholders,
    ) -> Ctx {
        let p = provider.filter(|p| p.kind == kind);
        let fs = slug(&flag.key);
        let (pname, pslug) = kind_name(kind);
        let text = |ph: &mut Placeholders,
                    v: Option<&str>,
                    name: &str,
                    desc: &str,
                    fill: &str,
                    enc: bool| match known(v) {
            Some(v) if enc => url_seg(v),
            Some(v) => v.to_string(),
            None => mark(&ph.hole(name, desc, fill)),
        };
        let api = match kind {
            FlagProviderKind::Unleash | FlagProviderKind::Flipt => text(
                ph,
                p.and_then(|p| p.api_url.as_deref()),
                &format!("{pslug}_API_URL"),
                &format!("{pname} API base URL"),
                "architecture.flag_provider.api_url",
                false,
            ),
            FlagProviderKind::Flagsmith => known(p.and_then(|p| p.api_url.as_deref()))
                .unwrap_or("https://api.flagsmith.com")
                .to_string(),
            FlagProviderKind::Growthbook => known(p.and_then(|p| p.api_url.as_deref()))
                .unwrap_or("https://api.growthbook.io")
                .to_string(),
            _ => String::new(),
        };
        let api = api.trim_end_matches('/').to_string();
        let enc = kind != FlagProviderKind::Appconfig;
        let project_src = match kind {
            FlagProviderKind::Unleash => {
                known(flag.provider_id.as_deref()).or(p.and_then(|p| p.project.as_deref()))
            }
            _ => p.and_then(|p| p.project.as_deref()),
        };
        let project_desc = match kind {
            FlagProviderKind::Appconfig => "AppConfig application id",
            FlagProviderKind::Flipt => "Flipt namespace",
            _ => "project key",
        };
        let project = if matches!(
            kind,
            FlagProviderKind::Launchdarkly
                | FlagProviderKind::Unleash
                | FlagProviderKind::Flipt
                | FlagProviderKind::Appconfig
        ) {
            text(
                ph,
                project_src,
                &format!("{pslug}_PROJECT"),
                &format!("{pname} {project_desc}"),
                "architecture.flag_provider.project",
                enc,
            )
        } else {
            String::new()
        };
        let env = if matches!(kind, FlagProviderKind::Flipt | FlagProviderKind::Configmap) {
            String::new()
        } else {
            text(
                ph,
                p.and_then(|p| p.environment.as_deref()),
                &format!("{pslug}_ENVIRONMENT"),
                &format!("{pname} environment key or id (production)"),
                "architecture.flag_provider.environment",
                enc,
            )
        };
        let env_raw = match known(p.and_then(|p| p.environment.as_deref())) {
            Some(e) => e.to_string(),
            None => env.clone(),
        };
        let id = if kind == FlagProviderKind::Configcat {
            text(
                ph,
                flag.provider_id.as_deref(),
                &format!("{fs}_CONFIGCAT_SETTING_ID"),
                "ConfigCat setting id of the flag",
                "feature_flag.flag.provider_id",
                true,
            )
        } else {
            String::new()
        };
        let (configmap, namespace) = if kind == FlagProviderKind::Configmap {
            (
                text(
                    ph,
                    flag.provider_id.as_deref(),
                    &format!("{fs}_CONFIGMAP"),
                    "ConfigMap that holds the flag",
                    "feature_flag.flag.provider_id",
                    false,
                ),
                text(
                    ph,
                    p.and_then(|p| p.namespace.as_deref()),
                    "FLAG_CONFIGMAP_NAMESPACE",
                    "Kubernetes namespace of the flag ConfigMap",
                    "architecture.flag_provider.namespace",
                    false,
                ),
            )
        } else {
            (String::new(), String::new())
        };
        let appconfig_deployment = if kind == FlagProviderKind::Appconfig {
            ph.hole(
                &format!("{fs}_APPCONFIG_DEPLOYMENT_NUMBER"),
                "AppConfig deployment number of this change",
                "the deploy's AppConfig output",
            )
        } else {
            Word::lit("")
        };
        Ctx {
            key: url_seg(&flag.key),
            api,
            project,
            env,
            env_raw,
            id,
            configmap,
            namespace,
            appconfig_deployment,
        }
    }

    fn ld_url(&self) -> String {
        format!(
            "https://app.launchdarkly.com/api/v2/flags/{}/{}",
            self.project, self.key
        )
    }
    fn unleash_feature_url(&self) -> String {
        format!(
            "{}/api/admin/projects/{}/features/{}",
            self.api, self.project, self.key
        )
    }
    fn unleash_env_url(&self) -> String {
        format!("{}/environments/{}", self.unleash_feature_url(), self.env)
    }
    fn flipt_url(&self) -> String {
        format!(
            "{}/api/v1/namespaces/{}/flags/{}",
            self.api, self.project, self.key
        )
    }
    fn configcat_url(&self) -> String {
        format!(
            "https://api.configcat.com/v2/environments/{}/settings/{}/value",
            self.env, self.id
        )
    }
}

fn kind_name(kind: FlagProviderKind) -> (&'static str, &'static str) {
    match kind {
        FlagProviderKind::Launchdarkly => ("LaunchDarkly", "LD"),
        FlagProviderKind::Unleash => ("Unleash", "UNLEASH"),
        FlagProviderKind::Flagsmith => ("Flagsmith", "FLAGSMITH"),
        FlagProviderKind::Flipt => ("Flipt", "FLIPT"),
        FlagProviderKind::Configcat => ("ConfigCat", "CONFIGCAT"),
        FlagProviderKind::Growthbook => ("GrowthBook", "GROWTHBOOK"),
        FlagProviderKind::Appconfig => ("AWS AppConfig", "APPCONFIG"),
        FlagProviderKind::Configmap => ("ConfigMap", "CONFIGMAP"),
    }
}
