//! Services and the facts about them: platform, strategy, namespace, cluster, region, replicas, health.

use super::infer::*;
use super::patterns::*;
use super::text::{negated, standalone};
use super::vocabulary::{self, ENGINE, PLATFORM};
use crate::model::*;

pub(super) fn services(cx: &mut Ctx, s: &str, base: usize) -> Vec<String> {
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let mut workloads: Vec<(String, &'static str)> = Vec::new();
    for c in BACKTICK.captures_iter(s) {
        let (Some(all), Some(id)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let name = id.as_str();
        if !IDENT.is_match(name) {
            continue;
        }
        let after = s.get(all.end()..).unwrap_or("");
        let before = s.get(..all.start()).unwrap_or("");
        let next = SVC_AFTER.find(after);
        let unit = platform_unit_before(s, before);
        if let Some(noun) = unit {
            workloads.push((name.to_string(), noun));
        }
        let named = SVC_SUFFIX.is_match(name)
            || next.is_some()
            || SVC_BEFORE.is_match(before)
            || unit.is_some();
        if named && !negated(s, all.start(), all.end()) {
            let end = all.end() + next.map(|m| m.end()).unwrap_or(0);
            found.push((
                all.start(),
                name.to_string(),
                s.get(all.start()..end).unwrap_or(name).to_string(),
            ));
        }
    }
    for re in [&SVC_WORD_NEXT, &SVC_WORD_SUFFIX] {
        for c in re.captures_iter(s) {
            let (Some(all), Some(id)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let inside_ticks = s
                .get(..id.start())
                .is_some_and(|b| b.matches('`').count() % 2 == 1);
            if inside_ticks
                || !standalone(s, id.start(), id.end())
                || negated(s, all.start(), all.end())
            {
                continue;
            }
            found.push((
                all.start(),
                id.as_str().to_string(),
                all.as_str().to_string(),
            ));
        }
    }
    found.sort_by_key(|(at, _, _)| *at);
    let mut names = Vec::new();
    for (at, name, excerpt) in found {
        let known = cx
            .spec
            .architecture
            .services
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(&name));
        if !known {
            cx.spec.architecture.services.push(Service::named(&name));
            cx.note(base + at, &excerpt, format!("service `{name}`"));
        }
        if !names.iter().any(|n: &String| n.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    // "Kubernetes StatefulSet `x`": the noun is the workload kind kubectl acts on.
    for (name, noun) in workloads {
        let kind = [
            WorkloadKind::Statefulset,
            WorkloadKind::Daemonset,
            WorkloadKind::Cronjob,
        ]
        .into_iter()
        .find(|k| k.as_str() == noun);
        if let Some(kind) = kind
            && let Some(svc) = cx
                .spec
                .architecture
                .services
                .iter_mut()
                .find(|x| x.name.eq_ignore_ascii_case(&name) && x.workload.is_none())
        {
            svc.workload = Some(kind);
        }
    }
    names
}

pub(super) fn service_facts(cx: &mut Ctx, s: &str, base: usize, names: &[String]) {
    let push = |cx: &mut Ctx, fact: SvcFact, at: usize, excerpt: &str| {
        cx.svc_facts.push(Pending {
            fact,
            at: base + at,
            excerpt: excerpt.to_string(),
            targets: names.to_vec(),
        })
    };
    for (a, b) in hits(&PLATFORM, s) {
        let w = s.get(a..b).unwrap_or("");
        let Some(p) = vocabulary::platform(w) else {
            continue;
        };
        push(cx, SvcFact::Platform(p), a, w);
    }
    for (a, b) in hits(&STRATEGY, s) {
        let w = s.get(a..b).unwrap_or("");
        if ROLLING_BACK.is_match(s.get(a..).unwrap_or("")) {
            continue;
        }
        let lw = w.to_lowercase();
        let st = if lw.starts_with("blue") {
            Strategy::BlueGreen
        } else if lw.starts_with("canary") {
            Strategy::Canary
        } else if lw.starts_with("rolling") {
            Strategy::Rolling
        } else {
            Strategy::Recreate
        };
        push(cx, SvcFact::Strategy(st), a, w);
    }
    let mut ns_done = false;
    for re in [&NS_BEFORE, &NS_AFTER] {
        if ns_done {
            break;
        }
        for c in re.captures_iter(s) {
            let (Some(all), Some(v)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if WORD_STOP.contains(&v.as_str().to_lowercase().as_str())
                || negated(s, all.start(), all.end())
            {
                continue;
            }
            push(
                cx,
                SvcFact::Namespace(v.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
            ns_done = true;
            break;
        }
    }
    // A cluster named in a sentence about a database is the database's, not the service's.
    if !ENGINE.is_match(s)
        && let Some(c) = CLUSTER_AFTER.captures(s)
        && let (Some(all), Some(v)) = (c.get(0), c.get(1))
        && !negated(s, all.start(), all.end())
    {
        push(
            cx,
            SvcFact::Cluster(v.as_str().to_string()),
            all.start(),
            all.as_str(),
        );
    }
    for c in REGION.captures_iter(s) {
        if let Some(m) = c.get(1) {
            push(
                cx,
                SvcFact::Region(m.as_str().to_lowercase()),
                m.start(),
                m.as_str(),
            );
        }
    }
    for c in REPLICAS.captures_iter(s) {
        let (Some(all), Some(n)) = (c.get(0), c.get(1).or_else(|| c.get(2))) else {
            continue;
        };
        if let Ok(n) = n.as_str().parse::<u32>() {
            push(cx, SvcFact::Replicas(n), all.start(), all.as_str());
        }
    }
    // "pricing-svc is a gRPC service; callers are a and b": the sentence's subject, its first
    // name, is the one that serves; the others are named beside it.
    let serves = [
        (&SERVES_GRPC, Protocol::Grpc),
        (&SERVES_QUEUE, Protocol::QueueConsumer),
        (&SERVES_BATCH, Protocol::Batch),
    ]
    .into_iter()
    .find_map(|(re, p)| first_hit(re, s).map(|h| (h, p)));
    if let Some(((a, b), p)) = serves {
        let subject = names
            .iter()
            .filter_map(|n| s.find(n.as_str()).map(|i| (i, n)))
            .min_by_key(|(i, _)| *i)
            .map(|(_, n)| n.clone());
        cx.svc_facts.push(Pending {
            fact: SvcFact::Serves(p),
            at: base + a,
            excerpt: s.get(a..b).unwrap_or("").to_string(),
            targets: subject.into_iter().collect(),
        });
    }
    for m in URL.find_iter(s) {
        let url = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if HEALTH_END.is_match(url) {
            push(cx, SvcFact::Health(url.to_string()), m.start(), url);
        }
    }
}

/// The deployable's noun of a platform the sentence names, when it is the word right before a
/// name: "Netlify, site `acme-www`", "the Lambda function `resize`", "Kubernetes CronJob `x`".
fn platform_unit_before(sentence: &str, before: &str) -> Option<&'static str> {
    let word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if word.is_empty() {
        return None;
    }
    let lower = sentence.to_lowercase();
    crate::platforms::deploy::PLATFORMS.iter().find_map(|p| {
        let noun = p.unit_nouns().iter().find(|n| **n == word)?;
        p.words()
            .iter()
            .any(|w| {
                lower
                    .match_indices(w)
                    .any(|(at, _)| standalone(&lower, at, at + w.len()))
            })
            .then_some(*noun)
    })
}
