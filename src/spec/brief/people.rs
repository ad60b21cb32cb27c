//! Observability, flag provider, people and channels, and the risks a brief names.

use super::infer::*;
use super::patterns::*;
use super::text::{Doc, Section, UnitKind, collapse};
use super::vocabulary::{self, METRICS, PROVIDER};
use crate::model::*;

pub(super) fn observability(cx: &mut Ctx, s: &str, base: usize) {
    if let Some((a, b)) = first_hit(&METRICS, s)
        && cx.spec.architecture.observability.is_none()
        && let w = s.get(a..b).unwrap_or("")
        && let Some(m) = vocabulary::metrics(w)
    {
        cx.spec.architecture.observability = Some(Observability {
            metrics: m,
            dashboards: Vec::new(),
            request_metric: None,
            latency_metric: None,
            service_label: None,
        });
        cx.note(base + a, w, format!("metrics system {w}"));
    }
    if let Some((a, b)) = first_hit(&PROVIDER, s)
        && cx.spec.architecture.flag_provider.is_none()
        && let w = s.get(a..b).unwrap_or("")
        && let Some(k) = vocabulary::provider(w)
    {
        cx.spec.architecture.flag_provider = Some(FlagProvider {
            kind: k,
            project: None,
            environment: None,
            api_url: None,
            namespace: None,
        });
        cx.note(base + a, w, format!("feature flag provider {w}"));
    }
    let dash_sentence = s.to_lowercase().contains("dashboard");
    for m in URL.find_iter(s) {
        let url = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let lu = url.to_lowercase();
        if (dash_sentence || lu.contains("grafana") || lu.contains("dashboard"))
            && !HEALTH_END.is_match(url)
            && !TICKET.is_match(url)
        {
            cx.dashboards.push((base + m.start(), url.to_string()));
        }
        if STATUS_PAGE.is_match(s)
            && lu.contains("status")
            && !HEALTH_END.is_match(url)
            && cx.spec.people.channels.status_page.is_none()
        {
            cx.spec.people.channels.status_page = Some(url.to_string());
            cx.note(base + m.start(), url, "status page".into());
        }
    }
}

pub(super) fn people(cx: &mut Ctx, s: &str, base: usize) {
    let ok = |n: &str| !NAME_STOP.contains(&n);
    if cx.spec.people.decision_maker.is_none() {
        let role = ROLE_NAME
            .captures(s)
            .and_then(|c| Some((c.get(0)?, c.get(1)?, c.get(2)?)))
            .filter(|(_, _, n)| ok(n.as_str()));
        if let Some((all, r, n)) = role {
            let v = format!("{} ({})", n.as_str(), collapse(r.as_str()).to_lowercase());
            cx.note(
                base + all.start(),
                all.as_str(),
                format!("decision maker {v}"),
            );
            cx.spec.people.decision_maker = Some(v);
        } else if let Some(c) = DECIDES.captures(s)
            && let (Some(all), Some(n)) = (c.get(0), c.get(1))
            && ok(n.as_str())
        {
            // The role in parentheses is part of who decides: at 3 a.m. the role finds the person.
            let v = match c.get(2) {
                Some(r) => format!("{} ({})", n.as_str(), collapse(r.as_str())),
                None => n.as_str().to_string(),
            };
            cx.note(
                base + all.start(),
                all.as_str(),
                format!("decision maker {v}"),
            );
            cx.spec.people.decision_maker = Some(v);
        }
    }
    if cx.spec.people.deployer.is_none()
        && let Some(c) = DEPLOYER.captures(s)
        && let (Some(all), Some(n)) = (c.get(0), c.get(1))
        && ok(n.as_str())
    {
        cx.note(
            base + all.start(),
            all.as_str(),
            format!("deployer {}", n.as_str()),
        );
        cx.spec.people.deployer = Some(n.as_str().to_string());
    }
    if let Some(c) = APPROVERS.captures(s)
        && let (Some(all), Some(list)) = (c.get(0), c.get(1))
    {
        for n in NAME.find_iter(list.as_str()) {
            let n = n.as_str();
            if ok(n) && !cx.spec.people.approvers.iter().any(|x| x == n) {
                cx.spec.people.approvers.push(n.to_string());
                cx.note(base + all.start(), all.as_str(), format!("approver {n}"));
            }
        }
    }
    for c in CHANNEL.captures_iter(s) {
        let Some(m) = c.get(1) else { continue };
        let ch = m.as_str().trim_end_matches(['.', ',', ';', ':']);
        let lc = ch.to_lowercase();
        // The clause around the channel says what it is for.
        let from = s
            .get(..m.start())
            .and_then(|b| b.rfind([';', ',', '.']))
            .map_or(0, |i| i + 1);
        let to = s
            .get(m.end()..)
            .and_then(|a| a.find([';', ',']))
            .map_or(s.len(), |i| m.end() + i);
        let ls = s.get(from..to).unwrap_or("").to_lowercase();
        let ch_ = &mut cx.spec.people.channels;
        let slot = if lc.contains("incident") {
            &mut ch_.incident
        } else if lc.contains("support") || lc.contains("customer") {
            &mut ch_.support
        } else if lc.contains("deploy") || lc.contains("release") {
            &mut ch_.deploy
        } else if ls.contains("incident") {
            &mut ch_.incident
        } else if ls.contains("support") {
            &mut ch_.support
        } else if ls.contains("announce") || ls.contains("deploy") {
            &mut ch_.deploy
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(ch.to_string());
            let ch = ch.to_string();
            cx.note(base + m.start(), &ch, format!("channel {ch}"));
        }
    }
}

pub(super) fn risks(cx: &mut Ctx, s: &str, base: usize) {
    for (re, kind) in RISKS.iter() {
        let hit = if *kind == RiskKind::NoStagingParity {
            re.find(s).map(|m| (m.start(), m.end()))
        } else {
            first_hit(re, s)
        };
        if let Some((a, b)) = hit
            && !cx.spec.risks.iter().any(|r| r.kind() == Some(*kind))
        {
            cx.spec.risks.push(Risk::Known {
                kind: *kind,
                note: None,
            });
            let w = s.get(a..b).unwrap_or("");
            cx.note(base + a, w, format!("risk: {}", kind.as_str()));
        }
    }
}

/// The notes of what `people` reads from a sentence.
const PEOPLE_NOTES: &[&str] = &["decision maker ", "deployer ", "approver ", "channel "];

pub(super) fn risk_bullets(cx: &mut Ctx, doc: &Doc) {
    let bullets = doc
        .units
        .iter()
        .any(|u| u.section == Section::Risks && u.kind == UnitKind::Bullet);
    for u in &doc.units {
        let wanted = if bullets {
            UnitKind::Bullet
        } else {
            UnitKind::Para
        };
        if u.section != Section::Risks || u.kind != wanted {
            continue;
        }
        if NO_RISK.is_match(cx.text.get(u.start..u.end).unwrap_or("")) {
            continue;
        }
        // A bullet already read as who decides or where to talk is a role, not a risk.
        let names_people = cx.notes.iter().any(|(at, a)| {
            (u.start..u.end).contains(at) && PEOPLE_NOTES.iter().any(|p| a.text.starts_with(p))
        });
        if names_people {
            continue;
        }
        let words = cx.text.get(u.start..u.end).unwrap_or("");
        let t = collapse(words);
        if t.is_empty() {
            continue;
        }
        cx.note(u.start, words, "risk factor from the risks section".into());
        // A bullet naming a known risk explains it: its words become that risk's note, so the
        // plan acts on it once, quoting the brief.
        let known = RISKS
            .iter()
            .find(|(re, _)| first_hit(re, words).is_some())
            .map(|(_, kind)| *kind);
        let explained = cx
            .spec
            .risks
            .iter_mut()
            .find(|r| matches!(r, Risk::Known { kind, note: None } if Some(*kind) == known));
        match explained {
            Some(Risk::Known { note, .. }) => *note = Some(t),
            _ => cx.spec.risks.push(Risk::Text(t)),
        }
    }
}
