//! The deployment's version, previous version, ticket and planned start.

use super::infer::*;
use super::patterns::*;
use super::text::negated;
use super::vocabulary::{ENGINE, PLATFORM};

pub(super) fn versions(cx: &mut Ctx, s: &str, base: usize) {
    // Versions of dependencies, engines and clusters are not the deployment's; nor are the
    // values of a stream's, index's or access change's own sentence (an alias moved from v7 to
    // v8, retention from 7 to 1 day, a policy's version).
    use crate::model::ChangeKind::{AccessChange, IndexCache, StreamQueue};
    let own_values = [StreamQueue, IndexCache, AccessChange]
        .into_iter()
        .any(|k| super::generic::fired(k, s).is_some());
    if own_values
        || INFRA.is_match(s)
        || (DEP_WORD.is_match(s) && BUMP.is_match(s))
        || ENGINE.captures_iter(s).any(|c| c.get(2).is_some())
    {
        return;
    }
    let d = &mut cx.spec.deployment;
    let mut notes: Vec<(usize, String, String)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    if let Some(c) = FROM_TO.captures(s)
        && let (Some(all), Some(f), Some(t)) = (
            c.get(0),
            c.get(1).or_else(|| c.get(3)),
            c.get(2).or_else(|| c.get(4)),
        )
        && !negated(s, all.start(), all.end())
    {
        taken.push((all.start(), all.end()));
        let same_release = d.version.as_deref().map(|v| v.trim_start_matches('v'))
            == Some(t.as_str().trim_end_matches('.').trim_start_matches('v'));
        if d.previous_version.is_none() && same_release {
            let f = f.as_str().trim_end_matches('.');
            d.previous_version = Some(f.to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("previous version {f}"),
            ));
        } else if d.previous_version.is_none() && d.version.is_none() {
            let (f, t) = (
                f.as_str().trim_end_matches('.'),
                t.as_str().trim_end_matches('.'),
            );
            d.previous_version = Some(f.to_string());
            d.version = Some(t.to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("version {t}, previous version {f}"),
            ));
        }
    }
    for c in PREVIOUS.captures_iter(s) {
        let (Some(all), Some(v)) = (c.get(0), c.get(1)) else {
            continue;
        };
        taken.push((all.start(), all.end()));
        if d.previous_version.is_none() {
            let v = v.as_str().trim_end_matches('.');
            d.previous_version = Some(v.to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("previous version {v}"),
            ));
        }
    }
    let free = |a: usize| !taken.iter().any(|&(x, y)| x <= a && a < y);
    let cand = VERSION_WORD
        .captures_iter(s)
        .chain(VERSION_SHIPPED.captures_iter(s))
        .chain(VERSION_AFTER_NAME.captures_iter(s))
        .filter_map(|c| Some((c.get(0)?, c.get(1)?.as_str().to_string())))
        .chain(VERSION_V.find_iter(s).map(|m| (m, m.as_str().to_string())))
        .filter(|(m, _)| free(m.start()) && !negated(s, m.start(), m.end()))
        .filter(|(m, _)| !platform_before(s, m.start()))
        .min_by_key(|(m, _)| m.start());
    if d.version.is_none()
        && let Some((m, v)) = cand
    {
        let v = v.trim_end_matches('.').to_string();
        if d.previous_version.as_deref() != Some(v.as_str()) {
            notes.push((m.start(), m.as_str().to_string(), format!("version {v}")));
            d.version = Some(v);
        }
    }
    if d.ticket.is_none()
        && let Some(m) = URL.find_iter(s).find(|m| TICKET.is_match(m.as_str()))
    {
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':'])
            .to_string();
        notes.push((m.start(), url.clone(), "ticket link".to_string()));
        d.ticket = Some(url);
    }
    if d.planned_start.is_none()
        && let Some(c) = PLANNED.captures(s)
        && let (Some(all), Some(date), Some(hm), Some(off)) =
            (c.get(0), c.get(1), c.get(2), c.get(4))
    {
        let sec = c.get(3).map(|m| m.as_str()).unwrap_or(":00");
        let off = match off.as_str() {
            "Z" | "UTC" => "Z".to_string(),
            o if o.len() == 5 => {
                format!("{}:{}", o.get(..3).unwrap_or(""), o.get(3..).unwrap_or(""))
            }
            o => o.to_string(),
        };
        let ts = format!("{}T{}{sec}{off}", date.as_str(), hm.as_str());
        if ts.parse::<jiff::Timestamp>().is_ok() {
            let zone = c.get(5).map(|m| m.as_str().to_string());
            if let Some(z) = &zone {
                d.timezone = Some(z.trim_matches(['[', ']']).to_string());
            }
            let full = format!("{ts}{}", zone.unwrap_or_default());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("planned start {full}"),
            ));
            d.planned_start = Some(full);
        }
    }
    if d.planned_start.is_none()
        && let Some(c) = LOCAL_IN_ZONE.captures(s)
        && let (Some(all), Some(date), Some(hm), Some(zone)) =
            (c.get(0), c.get(1), c.get(2), c.get(4))
    {
        let hm = if hm.as_str().len() == 4 {
            format!("0{}", hm.as_str())
        } else {
            hm.as_str().to_string()
        };
        let sec = c.get(3).map(|m| m.as_str()).unwrap_or("00");
        let local = format!("{}T{hm}:{sec}", date.as_str());
        if let Ok(z) = local.parse::<jiff::civil::DateTime>().and_then(|dt| {
            crate::spec::time::zones()
                .get(zone.as_str())
                .and_then(|tz| dt.to_zoned_datetime(tz))
        }) {
            let full = z.to_string();
            d.timezone = Some(zone.as_str().to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("planned start {full}"),
            ));
            d.planned_start = Some(full);
        }
    }
    if d.planned_start.is_none()
        && let Some(c) = DATE_TIME_ABBREVIATED.captures(s)
        && let (Some(all), Some(date), Some(hm), Some(zone)) =
            (c.get(0), c.get(1), c.get(2), c.get(3))
        && let Some((iana, read_as)) = zone_named(zone.as_str())
    {
        let local = format!("{}T{:0>5}:00", date.as_str(), hm.as_str());
        if let Ok(z) = local.parse::<jiff::civil::DateTime>().and_then(|dt| {
            crate::spec::time::zones()
                .get(iana)
                .and_then(|tz| dt.to_zoned_datetime(tz))
        }) {
            let full = z.to_string();
            d.timezone = Some(iana.to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("planned start {full}{read_as}"),
            ));
            d.planned_start = Some(full);
        }
    }
    if d.planned_start.is_none()
        && let Some(c) = WEEKDAY_TIME.captures(s)
        && let (Some(all), Some(day), Some(hm), Some(zone)) =
            (c.get(0), c.get(1), c.get(2), c.get(3))
        && let Some((iana, read_as)) = zone_named(zone.as_str())
        && let Some(weekday) = crate::spec::time::weekday_named(day.as_str())
    {
        let weekly = format!("{weekday:?} {:0>5}[{iana}]", hm.as_str());
        if crate::spec::time::parse_weekly_start(&weekly).is_some() {
            d.timezone = Some(iana.to_string());
            notes.push((
                all.start(),
                all.as_str().to_string(),
                format!("planned start {weekly}, no date given{read_as}"),
            ));
            d.planned_start = Some(weekly);
        }
    }
    for (at, w, t) in notes {
        cx.note(base + at, &w, t);
    }
    freezes(cx, s, base);
    if let Some(c) = CHANGED_SOURCE.captures(s)
        && let (Some(all), Some(file)) = (c.get(0), c.get(1))
        && !negated(s, all.start(), all.end())
    {
        cx.note(
            base + all.start(),
            all.as_str(),
            format!("{SOURCE_NOTE}`{}` changes", file.as_str()),
        );
    }
}

/// The start of the note saying a source file of the shipped code changes (read by `finish`).
pub(super) const SOURCE_NOTE: &str = "source file ";

/// The IANA zone a word after a time names, and how an abbreviation was read (for the note).
fn zone_named(word: &str) -> Option<(&str, String)> {
    match crate::spec::time::zone_of_abbreviation(word) {
        Some(z) if z != word => Some((z, format!(" ({word} read as {z})"))),
        Some(z) => Some((z, String::new())),
        None => crate::spec::time::zones()
            .get(word)
            .is_ok()
            .then(|| (word, String::new())),
    }
}

/// A change freeze the brief dates: the window check blocks a risky start inside it and warns
/// when the deploy's bake or rollback would run into it. A freeze with no stated end is taken as
/// its first day, and says so.
fn freezes(cx: &mut Ctx, s: &str, base: usize) {
    let Some(c) = FREEZE.captures(s) else {
        return;
    };
    let (Some(all), Some(from)) = (c.get(0), c.get(1)) else {
        return;
    };
    let to = c.get(2).or(c.get(3));
    let valid = |d: &str| d.parse::<jiff::civil::Date>().is_ok();
    if !valid(from.as_str()) || to.is_some_and(|t| !valid(t.as_str())) {
        return;
    }
    let freeze = crate::model::Freeze {
        from: from.as_str().to_string(),
        to: to.unwrap_or(from).as_str().to_string(),
        reason: Some(match to {
            Some(_) => "from the brief".to_string(),
            None => "from the brief, which does not state its end".to_string(),
        }),
    };
    if cx.spec.policy.freezes.contains(&freeze) {
        return;
    }
    let note = format!("change freeze {}..{}", freeze.from, freeze.to);
    cx.spec.policy.freezes.push(freeze);
    cx.note(base + all.start(), all.as_str(), note);
}

/// Whether the word just before `at` names a platform or engine (`EKS version 1.29`, `Node v20.1`).
pub(super) fn platform_before(s: &str, at: usize) -> bool {
    let before = s.get(..at).unwrap_or("").trim_end();
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    !word.is_empty()
        && (PLATFORM.is_match(word)
            || ENGINE.is_match(word)
            || matches!(
                word.to_lowercase().as_str(),
                "node"
                    | "nodejs"
                    | "python"
                    | "java"
                    | "jdk"
                    | "ruby"
                    | "go"
                    | "rust"
                    | "terraform"
            ))
}
