//! Feature-flag services: kill switch, state check, percentage changes.
//!
//! Every API call is a `curl -fsS` with the token read from an environment variable named in the
//! command (never a value); JSON bodies are built with serde_json and passed as one quoted word.
//!
//! Each provider is one unit (`<provider>.rs`) implementing [`FlagProviderUnit`], registered once
//! in [`PROVIDERS`]; the public functions dispatch through the registry.

pub mod appconfig;
pub mod configcat;
pub mod configmap;
pub mod flagsmith;
pub mod flipt;
pub mod growthbook;
pub mod launchdarkly;
pub mod unleash;

#[cfg(test)]
mod tests;

use super::{Action, known, mark, splice, url_seg};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProvider, FlagProviderKind};

/// Every flag provider rollbook writes commands for: one line per unit.
pub const PROVIDERS: &[&dyn FlagProviderUnit] = &[
    &launchdarkly::Launchdarkly,
    &unleash::Unleash,
    &flagsmith::Flagsmith,
    &flipt::Flipt,
    &configcat::Configcat,
    &growthbook::Growthbook,
    &appconfig::Appconfig,
    &configmap::Configmap,
];

/// The kill switch of a provider: the command, what success looks like, and the caveat.
pub struct Off {
    pub cmd: Cmd,
    pub success: &'static str,
    pub note: &'static str,
}

/// Where a provider's API lives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// No base URL (a fixed host, or not an HTTP API).
    None,
    /// Self-hosted: `flag_provider.api_url`, a placeholder when missing.
    Required,
    /// `flag_provider.api_url`, else this SaaS default.
    Default(&'static str),
}

/// The names a provider's calls need; each becomes a placeholder when the spec lacks it.
#[derive(Clone, Copy)]
pub struct Needs {
    pub api: Api,
    /// The project (or namespace, or application id) and how to describe it.
    pub project: Option<&'static str>,
    /// The flag's `provider_id` names the project (Unleash).
    pub project_from_flag_id: bool,
    /// An environment key or id.
    pub environment: bool,
    /// Values go into URLs and are percent-encoded.
    pub url_encoded: bool,
}

impl Needs {
    pub const NONE: Needs = Needs {
        api: Api::None,
        project: None,
        project_from_flag_id: false,
        environment: true,
        url_encoded: true,
    };
}

/// What one flag provider knows about turning a flag off and reading it back.
pub trait FlagProviderUnit: Sync {
    /// The model value this unit serves.
    fn kind(&self) -> FlagProviderKind;

    /// The words that name this provider in a brief (lowercase, single spaces).
    fn words(&self) -> &'static [&'static str];

    /// Display name and placeholder prefix (`LaunchDarkly`, `LD`).
    fn names(&self) -> (&'static str, &'static str);

    /// The names its calls need.
    fn needs(&self) -> Needs {
        Needs::NONE
    }

    /// Provider-specific values named after the flag (setting ids, deployment numbers), in the
    /// order they are asked for.
    fn flag_values(
        &self,
        _ctx: &mut Ctx,
        _flag: &FlagChange,
        _p: Option<&FlagProvider>,
        _ph: &mut Placeholders,
    ) {
    }

    /// The kill switch (rollback): turns the flag off.
    fn turn_off(&self, ctx: &Ctx, flag: &FlagChange) -> Off;

    /// Reads the flag's current state (Go / No-Go record and verification).
    fn read_state(&self, ctx: &Ctx, flag: &FlagChange) -> Cmd;

    /// Whether [`FlagProviderUnit::set_percent`] has a plain call to offer.
    fn sets_percent(&self) -> bool {
        false
    }

    /// Staging: sets the rollout percentage, where one plain call can.
    fn set_percent(
        &self,
        _ctx: &Ctx,
        _flag: &FlagChange,
        _percent: f64,
        _ph: &mut Placeholders,
    ) -> Option<Cmd> {
        None
    }
}

/// The unit of a provider, if registered (a test proves every provider is).
pub fn unit(kind: FlagProviderKind) -> Option<&'static dyn FlagProviderUnit> {
    PROVIDERS.iter().copied().find(|u| u.kind() == kind)
}

/// The provider in force for a flag: the flag's own, else the organisation's.
pub fn provider_kind(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
) -> Option<FlagProviderKind> {
    flag.provider.or(provider.map(|p| p.kind))
}

fn provider_unit(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
) -> Option<&'static dyn FlagProviderUnit> {
    provider_kind(provider, flag).and_then(unit)
}

/// Turns the flag off (the kill switch), with a verification of its state.
pub fn turn_off(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Action {
    let key = flag.key.as_str();
    let base = Action::new(format!("Turn off feature flag {key}"), key).minutes(1);
    let Some(unit) = provider_unit(provider, flag) else {
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
    let ctx = Ctx::new(provider, flag, unit, ph);
    let verify = read_state(provider, flag, ph);
    let off = unit.turn_off(&ctx, flag);
    base.cmd(off.cmd)
        .verify(verify)
        .success(off.success)
        .note(off.note)
}

/// Reads the flag's current state (for go/no-go and verification).
pub fn read_state(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Cmd {
    let key = flag.key.as_str();
    let Some(unit) = provider_unit(provider, flag) else {
        return Cmd::default().word(ph.hole(
            &format!("{}_FLAG_READ_COMMAND", slug(key)),
            "Command that reads the flag's state (no flag provider declared)",
            "architecture.flag_provider.kind",
        ));
    };
    let ctx = Ctx::new(provider, flag, unit, ph);
    unit.read_state(&ctx, flag)
}

/// Sets the flag's rollout percentage, where the provider's API allows it from the command line.
pub fn set_percent(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    percent: f64,
    ph: &mut Placeholders,
) -> Option<Cmd> {
    let unit = provider_unit(provider, flag)?;
    // Only a provider that takes a percentage in one plain call answers; asking for its context
    // first would register placeholders for providers that have no such call.
    if !unit.sets_percent() {
        return None;
    }
    let ctx = Ctx::new(provider, flag, unit, ph);
    unit.set_percent(&ctx, flag, percent, ph)
}

/// `curl -fsS -X METHOD URL [--data BODY]`; URL and body may hold placeholder sentinels.
pub(crate) fn curl(method: &str, url: &str, body: Option<&str>) -> Cmd {
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
pub struct Ctx {
    /// The flag key, percent-encoded.
    pub key: String,
    pub api: String,
    pub project: String,
    pub env: String,
    /// The environment as plain text, for JSON bodies.
    pub env_raw: String,
    /// Provider-specific id: ConfigCat setting id.
    pub id: String,
    pub configmap: String,
    pub namespace: String,
    pub deployment_number: Word,
}

impl Ctx {
    fn new(
        provider: Option<&FlagProvider>,
        flag: &FlagChange,
        unit: &dyn FlagProviderUnit,
        ph: &mut Placeholders,
    ) -> Ctx {
        let kind = unit.kind();
        let needs = unit.needs();
        let p = provider.filter(|p| p.kind == kind);
        let (pname, pslug) = unit.names();
        let api = match needs.api {
            Api::Required => text(
                ph,
                p.and_then(|p| p.api_url.as_deref()),
                &format!("{pslug}_API_URL"),
                &format!("{pname} API base URL"),
                "architecture.flag_provider.api_url",
                false,
            ),
            Api::Default(url) => known(p.and_then(|p| p.api_url.as_deref()))
                .unwrap_or(url)
                .to_string(),
            Api::None => String::new(),
        };
        let api = api.trim_end_matches('/').to_string();
        let enc = needs.url_encoded;
        let project_src = if needs.project_from_flag_id {
            known(flag.provider_id.as_deref()).or(p.and_then(|p| p.project.as_deref()))
        } else {
            p.and_then(|p| p.project.as_deref())
        };
        let project = match needs.project {
            Some(project_desc) => text(
                ph,
                project_src,
                &format!("{pslug}_PROJECT"),
                &format!("{pname} {project_desc}"),
                "architecture.flag_provider.project",
                enc,
            ),
            None => String::new(),
        };
        let env = if needs.environment {
            text(
                ph,
                p.and_then(|p| p.environment.as_deref()),
                &format!("{pslug}_ENVIRONMENT"),
                &format!("{pname} environment key or id (production)"),
                "architecture.flag_provider.environment",
                enc,
            )
        } else {
            String::new()
        };
        let env_raw = match known(p.and_then(|p| p.environment.as_deref())) {
            Some(e) => e.to_string(),
            None => env.clone(),
        };
        let mut ctx = Ctx {
            key: url_seg(&flag.key),
            api,
            project,
            env,
            env_raw,
            id: String::new(),
            configmap: String::new(),
            namespace: String::new(),
            deployment_number: Word::lit(""),
        };
        unit.flag_values(&mut ctx, flag, p, ph);
        ctx
    }
}

/// A known value (percent-encoded when `enc`), else the placeholder's sentinel text.
pub(crate) fn text(
    ph: &mut Placeholders,
    v: Option<&str>,
    name: &str,
    desc: &str,
    fill: &str,
    enc: bool,
) -> String {
    match known(v) {
        Some(v) if enc => url_seg(v),
        Some(v) => v.to_string(),
        None => mark(&ph.hole(name, desc, fill)),
    }
}
