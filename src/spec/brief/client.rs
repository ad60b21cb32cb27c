//! What a brief says about its client release or model version beyond the sentence that reveals
//! it: the store or channel, phases, a server-side switch, a build that can brick a device, the
//! previous firmware image kept; the serving, its resource, a canary, features changed with the
//! model. The patterns are declared by the kinds (`model::kinds::{client_release, ml_model}::brief`);
//! every sentence is read, since the rollout and risks usually say these things.

use super::fields::{Notes, each_sentence, quote};
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, negated};
use crate::model::kinds::client_release::brief as cr;
use crate::model::kinds::ml_model::brief as ml;
use crate::model::kinds::{ClientChannel, ClientRelease, MlModel, ModelServing};
use crate::model::*;

static CHANNEL: Matcher = Matcher::of(&cr::CHANNEL);
static PHASED: Matcher = Matcher::of(&cr::PHASED);
static REMOTE: Matcher = Matcher::of(&cr::REMOTE_SWITCH);
static BREAKS: Matcher = Matcher::of(&cr::BREAKS_UPDATER);
static IMAGE: Matcher = Matcher::of(&cr::PREVIOUS_IMAGE);
static RECOVERY: Matcher = Matcher::of(&cr::RECOVERY);
static SERVING: Matcher = Matcher::of(&ml::SERVING);
static ENDPOINT: Matcher = Matcher::of(&ml::ENDPOINT);
static NAMESPACE: Matcher = Matcher::of(&ml::NAMESPACE);
static CANARY: Matcher = Matcher::of(&ml::CANARY);
static FEATURES: Matcher = Matcher::of(&ml::FEATURES_CHANGED);

fn channel_of(w: &str) -> ClientChannel {
    let w = w.to_lowercase();
    if w.contains("app store") || w == "testflight" || w == "ios" {
        ClientChannel::AppStore
    } else if w.contains("play") || w == "android" {
        ClientChannel::GooglePlay
    } else if w == "firmware" || w == "ota" || w == "over-the-air" {
        ClientChannel::Firmware
    } else {
        ClientChannel::Desktop
    }
}

/// Fills the fields of the first client release from the brief's sentences.
pub(super) fn client_facts(cx: &mut Ctx, doc: &Doc) {
    each_sentence(
        cx,
        doc,
        ChangeKind::ClientRelease,
        Change::as_client_release_mut,
        read_client,
    );
}

/// The client release's fields one sentence gives.
fn read_client(r: &mut ClientRelease, s: &str, notes: &mut Notes) {
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    for m in CHANNEL.captures_iter(s).filter_map(|c| c.get(1)) {
        let c = channel_of(m.as_str());
        if !r.channels.contains(&c) {
            r.channels.push(c);
            quote(notes, &m, format!("released through {}", m.as_str()));
        }
    }
    if r.phased.is_none()
        && let Some(m) = hit(&PHASED)
    {
        r.phased = Some(true);
        quote(notes, &m, "released in phases");
    }
    if r.remote_switch.is_none()
        && let Some(c) = REMOTE.captures(s)
        && let Some(m) = c.get(0)
        && !negated(s, m.start(), m.end())
    {
        let name = c
            .get(1)
            .map_or_else(|| m.as_str().to_lowercase(), |k| k.as_str().to_string());
        quote(notes, &m, format!("server-side switch `{name}`"));
        r.remote_switch = Some(name);
    }
    if r.breaks_updater.is_none()
        && let Some(m) = hit(&BREAKS)
    {
        r.breaks_updater = Some(true);
        quote(
            notes,
            &m,
            "a bad build can stop a device from taking the fix",
        );
    }
    if r.previous_image_kept.is_none()
        && let Some(m) = hit(&IMAGE)
    {
        r.previous_image_kept = Some(true);
        quote(notes, &m, "the previous image stays on a second partition");
    }
    if r.recovery.is_none()
        && let Some(c) = RECOVERY.captures(s)
        && let Some(m) = c.get(1)
    {
        r.recovery = Some(m.as_str().to_string());
        quote(notes, &m, format!("devices recovered by {}", m.as_str()));
    }
}

/// Fills the fields of the first model version from the brief's sentences.
pub(super) fn model_facts(cx: &mut Ctx, doc: &Doc) {
    each_sentence(
        cx,
        doc,
        ChangeKind::MlModel,
        Change::as_ml_model_mut,
        read_model,
    );
}

/// The model change's fields one sentence gives.
fn read_model(m: &mut MlModel, s: &str, notes: &mut Notes) {
    if m.serving.is_none()
        && let Some(h) = SERVING.find(s)
    {
        let w = h.as_str().to_lowercase();
        m.serving = Some(match w.as_str() {
            "kserve" | "inferenceservice" => ModelServing::Kserve,
            "sagemaker" => ModelServing::Sagemaker,
            "mlflow" => ModelServing::Mlflow,
            _ => ModelServing::Seldon,
        });
        quote(notes, &h, format!("served by {}", h.as_str()));
    }
    for (pat, slot, what) in [
        (&ENDPOINT, &mut m.endpoint, "serving resource"),
        (&NAMESPACE, &mut m.namespace, "namespace"),
    ] {
        if slot.is_none()
            && let Some(c) = pat.captures(s)
            && let Some(k) = c.get(1)
        {
            *slot = Some(k.as_str().to_string());
            quote(notes, &k, format!("{what} `{}`", k.as_str()));
        }
    }
    if m.canary_percent.is_none()
        && let Some(c) = CANARY.captures(s)
        && let Some(k) = c.get(1).or_else(|| c.get(2))
        && let Ok(p) = k.as_str().parse::<f64>()
        && (0.0..=100.0).contains(&p)
    {
        m.canary_percent = Some(p);
        quote(
            notes,
            &k,
            format!("canary with {p}% of traffic; the previous version serves the rest"),
        );
    }
    if m.features_changed.is_none()
        && let Some(h) = FEATURES.find(s).filter(|h| !negated(s, h.start(), h.end()))
    {
        m.features_changed = Some(true);
        quote(notes, &h, "features or embeddings change with the model");
    }
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [
        &CHANNEL, &PHASED, &REMOTE, &BREAKS, &IMAGE, &RECOVERY, &SERVING, &ENDPOINT, &NAMESPACE,
        &CANARY, &FEATURES,
    ]
    .into_iter()
}
