//! What a brief says about its network change beyond the sentence that reveals it: the area
//! (firewall, routing, DNS, ...), the platform, an auto-revert, whether our own access depends on
//! it and how the devices are reached out of band, the TTL, the DNS zone and record with its
//! previous value. The patterns are declared by the kind (`model::kinds::network_change`); every
//! sentence of the brief is read, since the impact and backout lines usually say these things.

use super::fields::quote;
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, collapse, negated};
use crate::model::kinds::network_change::{RECOGNISER, brief::*};
use crate::model::kinds::{NetworkArea, NetworkPlatform};
use crate::model::*;

static OWN: Matcher = Matcher::of(&OWN_ACCESS);
static OOB: Matcher = Matcher::of(&OUT_OF_BAND);
static REVERT: Matcher = Matcher::of(&AUTO_REVERT);
static TTL_SECONDS: Matcher = Matcher::of(&TTL);
static ZONE_NAME: Matcher = Matcher::of(&ZONE);
static POINTS: Matcher = Matcher::of(&POINTS_TO);
static RTYPE: Matcher = Matcher::of(&RECORD_TYPE);
static NAME: Matcher = Matcher::of(&FQDN);
static VENDOR: Matcher = Matcher::of(&PLATFORM);

/// The areas in the order one wins over another when a brief names several: the device whose
/// configuration is changed first, then the record that points at a CDN, then the CDN itself.
const AREA_ORDER: [(&str, NetworkArea); 7] = [
    ("firewall", NetworkArea::Firewall),
    ("routing", NetworkArea::Routing),
    ("link", NetworkArea::Link),
    ("load balancer", NetworkArea::LoadBalancer),
    ("dns", NetworkArea::Dns),
    ("tls certificate", NetworkArea::Tls),
    ("cdn", NetworkArea::Cdn),
];

static AREAS: std::sync::LazyLock<Vec<(NetworkArea, Matcher)>> = std::sync::LazyLock::new(|| {
    AREA_ORDER
        .iter()
        .map(|(name, area)| (*area, Matcher::found(RECOGNISER.trigger(name))))
        .collect()
});

/// Fills the fields of the brief's network change from its sentences.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    let Some(i) = cx
        .spec
        .deployment
        .changes
        .iter()
        .position(|c| c.kind() == ChangeKind::NetworkChange)
    else {
        return;
    };
    let mut area: Option<(usize, NetworkArea, usize, String)> = None;
    let mut platforms: Vec<(usize, String)> = Vec::new();
    let mut names: Vec<(usize, String)> = Vec::new();
    for sent in &doc.sentences {
        let Some(s) = cx.text.get(sent.start..sent.end) else {
            continue;
        };
        let base = sent.start;
        for (rank, (a, m)) in AREAS.iter().enumerate() {
            if let Some(h) = m.find(s).filter(|h| !negated(s, h.start(), h.end()))
                && area.as_ref().is_none_or(|(r, ..)| rank < *r)
            {
                area = Some((rank, *a, base + h.start(), h.as_str().to_string()));
            }
        }
        for m in VENDOR.find_iter(s) {
            platforms.push((base + m.start(), m.as_str().to_string()));
        }
        for m in NAME.find_iter(s) {
            names.push((base + m.start(), m.as_str().to_string()));
        }
        read_sentence(cx, s, base, i);
    }
    let Some(n) = cx
        .spec
        .deployment
        .changes
        .get_mut(i)
        .and_then(Change::as_network_change_mut)
    else {
        return;
    };
    let mut notes = Vec::new();
    if n.area.is_none()
        && let Some((_, a, at, words)) = area
    {
        n.area = Some(a);
        notes.push((at, words, format!("network area: {}", area_name(a))));
    }
    if n.platform.is_none() {
        let fits = |p: NetworkPlatform| platform_fits(p, n.area);
        if let Some((at, words, p)) = platforms
            .into_iter()
            .filter_map(|(at, w)| platform(&w).map(|p| (at, w, p)))
            .find(|(_, _, p)| fits(*p))
        {
            n.platform = Some(p);
            notes.push((at, words.clone(), format!("applied through {words}")));
        }
    }
    // The record: the first name of the brief in the zone, wherever the zone is named.
    if n.record.is_none()
        && let Some(zone) = n.zone.clone()
    {
        let suffix = format!(".{zone}");
        if let Some((at, name)) = names
            .into_iter()
            .find(|(_, name)| name.to_lowercase().ends_with(&suffix))
        {
            n.record = Some(name.to_lowercase());
            notes.push((at, name.clone(), format!("DNS record `{name}`")));
        }
    }
    for (at, w, t) in notes {
        cx.note(at, &w, t);
    }
}

/// The facts one sentence gives.
fn read_sentence(cx: &mut Ctx, s: &str, base: usize, i: usize) {
    let mut notes: Vec<(usize, String, String)> = Vec::new();
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    let Some(n) = cx
        .spec
        .deployment
        .changes
        .get_mut(i)
        .and_then(Change::as_network_change_mut)
    else {
        return;
    };
    if n.own_access.is_none()
        && let Some(m) = hit(&OWN)
    {
        n.own_access = Some(true);
        quote(&mut notes, &m, "our own access depends on what is changed");
    }
    if n.out_of_band.is_none()
        && let Some(m) = hit(&OOB)
    {
        let said: String = collapse(s)
            .trim_end_matches(['.', ';', ':'])
            .chars()
            .take(160)
            .collect();
        n.out_of_band = Some(said);
        quote(&mut notes, &m, "out-of-band access named");
    }
    if n.auto_revert.is_none()
        && let Some(c) = REVERT.captures(s)
        && let Some(m) = c.get(0)
        && !negated(s, m.start(), m.end())
    {
        n.auto_revert = Some(true);
        let minutes = c
            .get(1)
            .and_then(|x| x.as_str().parse::<u32>().ok())
            .or_else(|| {
                let h = c.get(2)?.as_str().parse::<u32>().ok()?;
                let min = c.get(3)?.as_str().parse::<u32>().ok()?;
                Some(h * 60 + min)
            });
        n.auto_revert_minutes = minutes;
        quote(
            &mut notes,
            &m,
            format!(
                "applied with an auto-revert{}",
                minutes
                    .map(|x| format!(" after {x} min"))
                    .unwrap_or_default()
            ),
        );
    }
    if n.ttl_seconds.is_none()
        && let Some(c) = TTL_SECONDS.captures(s)
        && let Some(v) = c.get(1).and_then(|x| x.as_str().parse::<u64>().ok())
    {
        let unit = c
            .get(2)
            .map(|u| u.as_str().to_lowercase())
            .unwrap_or_default();
        let seconds = match unit.chars().next() {
            Some('m') => v * 60,
            Some('h') => v * 3600,
            _ => v,
        };
        n.ttl_seconds = Some(seconds);
        if let Some(m) = c.get(0) {
            quote(&mut notes, &m, format!("TTL {seconds} s"));
        }
    }
    if n.zone.is_none()
        && let Some(c) = ZONE_NAME.captures(s)
        && let Some(m) = c.get(1)
    {
        n.zone = Some(m.as_str().trim_end_matches('.').to_lowercase());
        quote(&mut notes, &m, format!("DNS zone `{}`", m.as_str()));
    }
    if n.record_type.is_none()
        && let Some(c) = RTYPE.captures(s)
        && let Some(m) = c.get(1)
    {
        n.record_type = Some(m.as_str().to_string());
    }
    for c in POINTS.captures_iter(s) {
        let (Some(verb), Some(value)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let v = value.as_str().trim_end_matches('.').to_string();
        if !verb.as_str().to_lowercase().starts_with("will") && n.previous_value.is_none() {
            notes.push((
                value.start(),
                v.clone(),
                format!("previous record value `{v}`"),
            ));
            n.previous_value = Some(v);
        }
    }
    for (at, w, t) in notes {
        cx.note(base + at, &w, t);
    }
}

fn area_name(a: NetworkArea) -> &'static str {
    match a {
        NetworkArea::Firewall => "firewall policy",
        NetworkArea::Routing => "routing",
        NetworkArea::Link => "link",
        NetworkArea::LoadBalancer => "load balancer",
        NetworkArea::Dns => "DNS",
        NetworkArea::Cdn => "CDN configuration",
        NetworkArea::Tls => "TLS certificate",
    }
}

/// The platform a word names (`BIND` only in capitals: "bind" is a verb).
fn platform(w: &str) -> Option<NetworkPlatform> {
    let l = w.to_lowercase().replace([' ', '-'], "");
    Some(match l.as_str() {
        "junos" | "juniper" => NetworkPlatform::Junos,
        "iosxr" => NetworkPlatform::IosXr,
        "arista" => NetworkPlatform::AristaEos,
        "route53" => NetworkPlatform::Route53,
        "fastly" => NetworkPlatform::Fastly,
        "cloudflare" => NetworkPlatform::Cloudflare,
        "cloudfront" => NetworkPlatform::Cloudfront,
        "bind" if w == "BIND" => NetworkPlatform::Bind,
        _ => return None,
    })
}

/// Whether a platform can apply a change of the area (a DNS change goes through Route 53, not
/// through the CDN the record points at).
fn platform_fits(p: NetworkPlatform, area: Option<NetworkArea>) -> bool {
    use NetworkPlatform::*;
    match area {
        Some(NetworkArea::Dns) => matches!(p, Route53 | Bind | Cloudflare),
        Some(NetworkArea::Cdn) => matches!(p, Fastly | Cloudflare | Cloudfront),
        Some(NetworkArea::Tls) => true,
        _ => matches!(p, Junos | IosXr | Ios | AristaEos),
    }
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [
        &OWN,
        &OOB,
        &REVERT,
        &TTL_SECONDS,
        &ZONE_NAME,
        &POINTS,
        &RTYPE,
        &NAME,
        &VENDOR,
    ]
    .into_iter()
    .chain(AREAS.iter().map(|(_, m)| m))
}
