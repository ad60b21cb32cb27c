//! The matchers: each finding becomes a spec value plus an assumption quoting its words.

use super::matcher::{BriefScope, Matcher};
use super::patterns::*;
use super::people::{observability, people, risk_bullets, risks};
use super::services::{service_facts, services};
use super::statements::{backout_units, statements, unmapped_work};
use super::stores::stores;
use super::text::{self, Doc, Section, Sentence, UnitKind, collapse, negated, standalone};
use super::versions::versions;
use super::vocabulary::{self, TOOL};
use crate::base::Evidence;
use crate::base::parts::Assumption;
use crate::base::source::SourceFile;
use crate::model::*;

pub(super) const NAME_STOP: [&str; 8] = [
    "The", "We", "It", "This", "Nobody", "Someone", "Who", "Whoever",
];
pub(super) const WORD_STOP: [&str; 30] = [
    "the",
    "a",
    "an",
    "same",
    "new",
    "this",
    "that",
    "its",
    "their",
    "our",
    "each",
    "every",
    "one",
    "k8s",
    "kubernetes",
    "own",
    "separate",
    "dedicated",
    "and",
    "or",
    "on",
    "in",
    "of",
    "to",
    "for",
    "is",
    "per",
    "which",
    "whole",
    "entire",
];

/// A fact about services found in a sentence, applied once all services are known.
pub(super) enum SvcFact {
    Cluster(String),
    Platform(Platform),
    Strategy(Strategy),
    Namespace(String),
    Region(String),
    Replicas(u32),
    Health(String),
}

pub(super) struct Pending<F> {
    pub(super) fact: F,
    pub(super) at: usize,
    pub(super) excerpt: String,
    /// Names found in the same sentence; empty: all.
    pub(super) targets: Vec<String>,
}

#[derive(Clone)]
pub(super) enum StoreFact {
    Identifier(String),
    Database(String),
    Backup(BackupMethod),
    RestoreTested(String),
    Hosting(Hosting),
    Size(f64),
}

pub(super) struct Ctx<'a> {
    pub(super) path: &'a str,
    pub(super) text: &'a str,
    pub(super) src: SourceFile,
    pub(super) spec: Spec,
    pub(super) notes: Vec<(usize, Assumption)>,
    pub(super) svc_facts: Vec<Pending<SvcFact>>,
    pub(super) store_facts: Vec<Pending<StoreFact>>,
    pub(super) dashboards: Vec<(usize, String)>,
    /// Index of the change last mentioned, and its section.
    pub(super) last_change: (Vec<usize>, Section),
    /// Offset of the first mention of each data store.
    pub(super) store_at: Vec<(usize, String)>,
    /// Per unit: it stands under a backout / rollback heading or label.
    pub(super) backout_units: Vec<bool>,
    /// Per unit: it is a heading.
    pub(super) heading_units: Vec<bool>,
    /// Work named in a sentence, with the change kinds that would cover it; kept when none of
    /// them is found anywhere in the brief.
    pub(super) unmapped: Vec<(BriefStatement, &'static [ChangeKind])>,
    /// The one service was named after the deployment, not found in the brief.
    pub(super) service_invented: bool,
}

impl Ctx<'_> {
    pub(super) fn note(&mut self, at: usize, excerpt: &str, text: String) {
        let (line, col) = self.src.line_col(at);
        self.notes.push((
            at,
            Assumption {
                text,
                evidence: Evidence::at(self.path, line, col).with_excerpt(excerpt.trim()),
            },
        ));
    }
}

pub(super) fn run(path: &str, text: &str) -> (Spec, Vec<Assumption>) {
    let _words = BriefScope::enter(text);
    let doc = text::parse(text);
    let mut cx = Ctx {
        path,
        text,
        src: SourceFile::new(path, text),
        spec: Spec::default(),
        notes: Vec::new(),
        svc_facts: Vec::new(),
        store_facts: Vec::new(),
        dashboards: Vec::new(),
        last_change: (Vec::new(), Section::Description),
        store_at: Vec::new(),
        backout_units: backout_units(text, &doc),
        heading_units: doc
            .units
            .iter()
            .map(|u| u.kind == UnitKind::Heading)
            .collect(),
        unmapped: Vec::new(),
        service_invented: false,
    };
    deployment_name(&mut cx, &doc);
    summary(&mut cx, &doc);
    for s in &doc.sentences {
        sentence(&mut cx, s);
    }
    risk_bullets(&mut cx, &doc);
    code_blocks(&mut cx, &doc);
    finish(&mut cx);
    unmapped_work(&mut cx, &doc);
    let mut notes = cx.notes;
    // Stable: document order, then the order the matchers ran.
    notes.sort_by_key(|(at, _)| *at);
    (cx.spec, notes.into_iter().map(|(_, a)| a).collect())
}

fn deployment_name(cx: &mut Ctx, doc: &Doc) {
    if let Some((at, title)) = &doc.title {
        let name = collapse(title);
        cx.note(
            *at,
            title,
            format!("deployment name `{name}` from the title"),
        );
        cx.spec.deployment.name = name;
        return;
    }
    let file = cx.path.rsplit(['/', '\\']).next().unwrap_or(cx.path);
    let stem = file.split_once('.').map(|(s, _)| s).unwrap_or(file);
    let stem = if stem.is_empty() { "deployment" } else { stem };
    cx.spec.deployment.name = stem.to_string();
    cx.notes.push((
        0,
        Assumption {
            text: format!("deployment name `{stem}` from the file name (the brief has no title)"),
            evidence: Evidence::at(cx.path, 1, 1).with_excerpt(file),
        },
    ));
}

fn summary(cx: &mut Ctx, doc: &Doc) {
    let body = |s: &&Sentence| {
        doc.units
            .get(s.unit)
            .is_some_and(|u| u.kind != UnitKind::Heading)
    };
    let pick = doc
        .sentences
        .iter()
        .filter(body)
        .find(|s| s.section == Section::Deployment)
        .or_else(|| {
            doc.sentences
                .iter()
                .filter(body)
                .find(|s| s.section == Section::Description)
        });
    if let Some(s) = pick {
        let words = cx.text.get(s.start..s.end).unwrap_or("");
        let summary = collapse(words);
        if summary.is_empty() {
            return;
        }
        cx.note(
            s.start,
            words,
            "summary: the first sentence of the deployment description".into(),
        );
        cx.spec.deployment.summary = Some(summary);
    }
}

/// Matches of `re` in the sentence that stand alone and are not negated: (start, end) in the sentence.
pub(super) fn hits(re: &Matcher, s: &str) -> Vec<(usize, usize)> {
    re.find_iter(s)
        .filter(|m| standalone(s, m.start(), m.end()) && !negated(s, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

pub(super) fn first_hit(re: &Matcher, s: &str) -> Option<(usize, usize)> {
    hits(re, s).into_iter().next()
}

fn sentence(cx: &mut Ctx, sent: &Sentence) {
    let Some(s) = cx.text.get(sent.start..sent.end) else {
        return;
    };
    let base = sent.start;
    let names = services(cx, s, base);
    service_facts(cx, s, base, &names);
    stores(cx, s, base);
    let mut touched: Vec<usize> = Vec::new();
    changes(cx, s, base, &names, sent.section, &mut touched);
    statements(cx, s, base, sent, &touched);
    modifiers(cx, s, base, sent.section, &touched);
    versions(cx, s, base);
    observability(cx, s, base);
    people(cx, s, base);
    risks(cx, s, base);
}

/// Which change: kind, side effect, data operation.
type ChangeKey = (ChangeKind, Option<SideEffect>, Option<DataOperationKind>);

/// The change of `key`, created at its first mention.
fn change_for(
    cx: &mut Ctx,
    (kind, effect, op): ChangeKey,
    at: usize,
    words: &str,
    sentence: &str,
    what: &str,
) -> usize {
    let found = cx.spec.deployment.changes.iter().position(|c| {
        c.kind() == kind
            && c.as_side_effect().and_then(|e| e.effect) == effect
            && (kind != ChangeKind::DataOperation
                || c.as_data_operation().and_then(|d| d.operation) == op)
    });
    if let Some(i) = found {
        return i;
    }
    let mut c = Change::new(kind);
    if let Some(e) = c.as_side_effect_mut() {
        e.effect = effect;
    }
    if let Some(d) = c.as_data_operation_mut() {
        d.operation = op;
    }
    let summary = collapse(sentence);
    *c.summary_mut() = Some(summary.chars().take(240).collect());
    cx.spec.deployment.changes.push(c);
    cx.note(at, words, format!("{what} change"));
    cx.spec.deployment.changes.len() - 1
}

fn changes(
    cx: &mut Ctx,
    s: &str,
    base: usize,
    names: &[String],
    section: Section,
    touched: &mut Vec<usize>,
) {
    let add = |cx: &mut Ctx,
               touched: &mut Vec<usize>,
               kind,
               effect,
               op,
               (a, b): (usize, usize),
               what: &str| {
        let words = s.get(a..b).unwrap_or("");
        let i = change_for(cx, (kind, effect, op), base + a, words, s, what);
        if let Some(c) = cx.spec.deployment.changes.get_mut(i) {
            for n in names {
                if !c.services().contains(n) {
                    c.services_mut().push(n.clone());
                }
            }
        }
        if !touched.contains(&i) {
            touched.push(i);
        }
        i
    };
    let infra = first_hit(&INFRA, s);
    let dep = if infra.is_none() && DEP_WORD.is_match(s) {
        first_hit(&BUMP, s)
    } else {
        None
    };

    if let Some(h) = first_hit(&MIGRATION, s) {
        let i = add(
            cx,
            touched,
            ChangeKind::Migration,
            None,
            None,
            h,
            "schema migration",
        );
        if let Some(t) = first_hit(&TOOL, s) {
            let w = s.get(t.0..t.1).unwrap_or("");
            let tool = vocabulary::tool(w);
            if let Some(c) = cx
                .spec
                .deployment
                .changes
                .get_mut(i)
                .and_then(Change::as_migration_mut)
                && c.tool.is_none()
                && tool.is_some()
            {
                c.tool = tool;
                cx.note(base + t.0, w, format!("migration tool {w}"));
            }
        }
    }

    // Feature flags: a key in backticks or glued with separators next to "flag".
    if let Some(h) = first_hit(&FLAG, s) {
        let i = add(
            cx,
            touched,
            ChangeKind::FeatureFlag,
            None,
            None,
            h,
            "feature flag",
        );
        // The key is the identifier nearest the word "flag", after it first ("the flag `x`"),
        // not the first code span of the sentence (which may be a column or a table).
        let mut key: Option<(usize, String)> = BACKTICK
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .filter(|m| {
                let k = m.as_str();
                IDENT.is_match(k) && !names.iter().any(|n| n == k) && !UPPER_KEY.is_match(k)
            })
            .min_by_key(|m| (m.start() < h.0, m.start().abs_diff(h.1)))
            .map(|m| (m.start(), m.as_str().to_string()));
        if key.is_none()
            && let Some(c) = FLAG_WORD_KEY.captures(s)
            && let Some(m) = c.get(1).or_else(|| c.get(2))
        {
            key = Some((m.start(), m.as_str().to_string()));
        }
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            && c.flag.is_none()
            && let Some((at, k)) = &key
        {
            c.flag = Some(FlagChange {
                key: k.clone(),
                provider: None,
                default: None,
                from_percent: None,
                to_percent: None,
                rollout: Vec::new(),
                provider_id: None,
            });
            let (at, k) = (*at, k.clone());
            cx.note(base + at, &k, format!("feature flag key `{k}`"));
        }
        percentages(cx, s, base, i);
    }

    if let Some(h) = first_hit(&CONFIG, s) {
        let i = add(
            cx,
            touched,
            ChangeKind::Config,
            None,
            None,
            h,
            "configuration",
        );
        let w = s.get(h.0..h.1).unwrap_or("").to_lowercase();
        let store = if w.contains("configmap") {
            Some(ConfigStore::Configmap)
        } else if w.contains("env") {
            Some(ConfigStore::Env)
        } else if w.contains("ssm") || w.contains("parameter store") {
            Some(ConfigStore::Ssm)
        } else {
            None
        };
        let mut keys = Vec::new();
        for c in BACKTICK.captures_iter(s) {
            if let Some(m) = c.get(1)
                && UPPER_KEY.is_match(m.as_str())
            {
                keys.push((m.start(), m.as_str().to_string()));
            }
        }
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_config_mut)
        {
            if c.location.is_none()
                && let Some(st) = store
            {
                c.location = Some(ConfigLocation {
                    store: st,
                    name: None,
                });
            }
            for (at, k) in keys {
                if !c.keys.iter().any(|x| x.key == k) {
                    c.keys.push(ConfigKey {
                        key: k.clone(),
                        before: None,
                        after: None,
                        secret: false,
                    });
                    new_notes.push((at, k));
                }
            }
        }
        for (at, k) in new_notes {
            cx.note(base + at, &k, format!("config key `{k}`"));
        }
    }

    if let Some(h) = infra {
        let i = add(
            cx,
            touched,
            ChangeKind::Infrastructure,
            None,
            None,
            h,
            "infrastructure",
        );
        let w = collapse(s.get(h.0..h.1).unwrap_or("")).to_lowercase();
        let tool = match w.as_str() {
            "terraform" => InfraTool::Terraform,
            "opentofu" => InfraTool::Opentofu,
            "cloudformation" => InfraTool::Cloudformation,
            "pulumi" => InfraTool::Pulumi,
            _ => InfraTool::PlatformUpgrade,
        };
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_infrastructure_mut)
            && c.apply.is_none()
        {
            c.apply = Some(tool);
        }
    }

    if let Some(h) = dep {
        let i = add(
            cx,
            touched,
            ChangeKind::Dependency,
            None,
            None,
            h,
            "dependency",
        );
        let pkg = BACKTICK
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .find(|m| !names.iter().any(|n| n == m.as_str()))
            .map(|m| m.as_str().to_string());
        let ft = FROM_TO.captures(s).and_then(|c| {
            Some((
                c.get(1)?.as_str().to_string(),
                c.get(2)?.as_str().to_string(),
            ))
        });
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_dependency_mut)
        {
            if c.package.is_none() {
                c.package = pkg;
            }
            if let (None, Some((f, t))) = (&c.from, ft) {
                c.from = Some(f.trim_end_matches('.').to_string());
                c.to = Some(t.trim_end_matches('.').to_string());
            }
        }
    }

    // Side effects leaving the system.
    let mut effects: Vec<(SideEffect, (usize, usize))> = Vec::new();
    if let Some(h) = first_hit(&EMAIL, s) {
        let plural = s
            .get(h.0..h.1)
            .is_some_and(|w| w.to_lowercase().ends_with('s'));
        if plural || SEND_VERB.is_match(s) {
            effects.push((SideEffect::Email, h));
        }
    }
    if let Some(h) = first_hit(&SMS, s) {
        effects.push((SideEffect::Sms, h));
    }
    if let Some(h) = first_hit(&PUSH, s) {
        effects.push((SideEffect::PushNotification, h));
    }
    if let Some(h) = first_hit(&WEBHOOK, s) {
        effects.push((SideEffect::Webhook, h));
    }
    if let Some(h) = first_hit(&PAYMENT, s) {
        effects.push((SideEffect::Payment, h));
    }
    if let Some(h) = first_hit(&TRADE, s) {
        effects.push((SideEffect::Trade, h));
    }
    if let Some(h) = first_hit(&BROKER, s)
        && PUBLISH.is_match(s)
    {
        effects.push((SideEffect::EventPublished, h));
    }
    // Data sent to partners, unless the sentence already names how (webhooks, events, ...).
    if let Some(h) = first_hit(&PARTNER, s)
        && SHARE_VERB.is_match(s)
        && effects.is_empty()
    {
        effects.push((SideEffect::ThirdPartyData, h));
    }
    effects.sort_by_key(|(_, h)| h.0);
    for (e, h) in effects {
        let i = add(
            cx,
            touched,
            ChangeKind::ExternalSideEffect,
            Some(e),
            None,
            h,
            &format!("external side effect ({})", e.describe()),
        );
        let rec = RECIPIENTS
            .captures(s)
            .and_then(|c| c.get(1))
            .filter(|m| !negated(s, m.start(), m.end()));
        let vol = VOLUME.captures(s).and_then(|c| {
            Some((
                c.get(0)?,
                count(c.get(1)?.as_str(), c.get(2).map(|m| m.as_str()))?,
            ))
        });
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_side_effect_mut)
        {
            if c.recipients.is_none()
                && let Some(m) = rec
            {
                c.recipients = Some(collapse(m.as_str()));
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    format!("recipients: {}", collapse(m.as_str())),
                ));
            }
            if c.volume.is_none()
                && let Some((m, n)) = vol
            {
                c.volume = Some(n);
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    format!("volume: about {n}"),
                ));
            }
        }
        for (at, w, t) in new_notes {
            cx.note(base + at, &w, t);
        }
    }

    // Data operations.
    let mut ops: Vec<(DataOperationKind, (usize, usize))> = Vec::new();
    if let Some(h) = first_hit(&BACKFILL, s) {
        ops.push((DataOperationKind::Backfill, h));
    }
    if let Some(h) = first_hit(&BULK_DELETE, s) {
        ops.push((DataOperationKind::Delete, h));
    }
    if let Some(h) = first_hit(&BULK_UPDATE, s) {
        ops.push((DataOperationKind::Update, h));
    }
    if let Some(h) = first_hit(&SCRIPT, s) {
        ops.push((DataOperationKind::Script, h));
    }
    for (op, h) in ops {
        let what = match op {
            DataOperationKind::Backfill => "data operation (backfill)",
            DataOperationKind::Delete => "data operation (bulk delete)",
            DataOperationKind::Update => "data operation (bulk update)",
            DataOperationKind::Script => "data operation (script against production)",
        };
        let i = add(
            cx,
            touched,
            ChangeKind::DataOperation,
            None,
            Some(op),
            h,
            what,
        );
        let table = TABLE.captures_iter(s).find_map(|c| {
            let m = c.get(1).or_else(|| c.get(2))?;
            let ticked = s.get(..m.start()).is_some_and(|b| b.ends_with('`'));
            let plain = m
                .as_str()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
            ((ticked || plain) && !WORD_STOP.contains(&m.as_str().to_lowercase().as_str()))
                .then(|| (m.start(), m.as_str().to_string()))
        });
        let rows = ROWS.captures(s).and_then(|c| {
            Some((
                c.get(0)?,
                count(c.get(1)?.as_str(), c.get(2).map(|m| m.as_str()))?,
            ))
        });
        let batched = BATCHED.find(s);
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_data_operation_mut)
        {
            if c.table.is_none()
                && let Some((at, t)) = table
            {
                new_notes.push((at, t.clone(), format!("table `{t}`")));
                c.table = Some(t);
            }
            if c.rows.is_none()
                && let Some((m, n)) = rows
            {
                c.rows = Some(n);
                new_notes.push((m.start(), m.as_str().to_string(), format!("about {n} rows")));
            }
            if c.batched.is_none()
                && let Some(m) = batched
            {
                c.batched = Some(true);
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    "runs in batches".to_string(),
                ));
            }
        }
        for (at, w, t) in new_notes {
            cx.note(base + at, &w, t);
        }
    }
    if !touched.is_empty() {
        cx.last_change = (touched.clone(), section);
    }
}

/// A count like `120,000`, `1.2 million`, `40k`.
pub(super) fn count(n: &str, unit: Option<&str>) -> Option<u64> {
    let v: f64 = n.replace(',', "").parse().ok()?;
    let mult = match unit.map(|u| u.to_lowercase()).as_deref() {
        Some("k") | Some("thousand") => 1e3,
        Some("m") | Some("million") => 1e6,
        Some("billion") => 1e9,
        _ => 1.0,
    };
    let r = (v * mult).round();
    (0.0..1e18).contains(&r).then_some(r as u64)
}

fn percentages(cx: &mut Ctx, s: &str, base: usize, i: usize) {
    let parse = |t: &str| t.parse::<f64>().ok().filter(|v| (0.0..=100.0).contains(v));
    let mut note = None;
    if let Some(c) = FROM_TO_PERCENT.captures(s)
        && let (Some(all), Some(f), Some(t)) = (c.get(0), c.get(1), c.get(2))
        && let (Some(f), Some(t)) = (parse(f.as_str()), parse(t.as_str()))
    {
        if let Some(fc) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            .and_then(|c| c.flag.as_mut())
        {
            fc.from_percent = Some(f);
            fc.to_percent = Some(t);
            note = Some((
                all.start(),
                all.as_str().to_string(),
                format!("flag goes from {f}% to {t}%"),
            ));
        }
    } else {
        let all: Vec<(usize, String, f64)> = PERCENT
            .captures_iter(s)
            .filter_map(|c| {
                let m = c.get(0)?;
                Some((
                    m.start(),
                    m.as_str().to_string(),
                    parse(c.get(1)?.as_str())?,
                ))
            })
            .collect();
        if let Some(fc) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            .and_then(|c| c.flag.as_mut())
            && let Some((at, first, v)) = all.first().cloned()
        {
            if all.len() >= 3 {
                fc.rollout = all.iter().map(|x| x.2).collect();
                let words = all
                    .iter()
                    .map(|x| x.1.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                note = Some((at, words.clone(), format!("flag rollout steps {words}")));
            } else if fc.to_percent.is_none() {
                fc.to_percent = Some(v);
                note = Some((at, first, format!("flag goes to {v}%")));
            }
        }
    }
    if let Some((at, w, t)) = note {
        cx.note(base + at, &w, t);
    }
}

/// Destructive verbs, irreversibility and compatibility, on the sentence's changes or the last one.
fn modifiers(cx: &mut Ctx, s: &str, base: usize, section: Section, touched: &[usize]) {
    let fallback: Vec<usize> = if !touched.is_empty() {
        touched.to_vec()
    } else if cx.last_change.1 == section {
        cx.last_change.0.clone()
    } else {
        Vec::new()
    };
    if fallback.is_empty() {
        return;
    }
    if let Some((a, b)) = first_hit(&DESTRUCTIVE, s) {
        let w = s.get(a..b).unwrap_or("").to_string();
        for &i in &fallback {
            if let Some(c) = cx.spec.deployment.changes.get_mut(i)
                && matches!(
                    c.kind(),
                    ChangeKind::Migration
                        | ChangeKind::DataOperation
                        | ChangeKind::Infrastructure
                        | ChangeKind::Config
                )
                && c.destructive().is_none()
            {
                *c.destructive_mut() = Some(true);
                let label = c.kind().as_str();
                cx.note(base + a, &w, format!("{label} change is destructive"));
            }
        }
    }
    if let Some(m) = IRREVERSIBLE.find(s)
        && !negated(s, m.start(), m.end())
    {
        for &i in &fallback {
            if let Some(c) = cx.spec.deployment.changes.get_mut(i)
                && c.reversible().is_none()
            {
                *c.reversible_mut() = Some(false);
                let label = c.kind().as_str();
                cx.note(
                    base + m.start(),
                    m.as_str(),
                    format!("{label} change cannot be reversed"),
                );
            }
        }
    }
    if let Some(c) = COMPAT.captures(s)
        && let Some(m) = c.get(1)
    {
        let lw = m.as_str().to_lowercase();
        let negative_word = lw.contains("incompatible") || lw.starts_with("breaking");
        let neg = negated(s, m.start(), m.end());
        let compatible = negative_word == neg;
        let mut targets: Vec<usize> = fallback
            .iter()
            .copied()
            .filter(|&i| {
                cx.spec
                    .deployment
                    .changes
                    .get(i)
                    .is_some_and(|c| c.kind() == ChangeKind::Migration)
            })
            .collect();
        if targets.is_empty() {
            targets = cx
                .spec
                .deployment
                .changes
                .iter()
                .rposition(|c| c.kind() == ChangeKind::Migration)
                .into_iter()
                .collect();
        }
        for i in targets {
            if let Some(ch) = cx
                .spec
                .deployment
                .changes
                .get_mut(i)
                .and_then(Change::as_migration_mut)
                && ch.backward_compatible.is_none()
            {
                ch.backward_compatible = Some(compatible);
                let t = if compatible {
                    "migration is backward compatible"
                } else {
                    "migration is not backward compatible"
                };
                let start = if neg {
                    s.get(..m.start())
                        .and_then(|b| b.trim_end().rfind(' ').map(|x| x + 1))
                        .unwrap_or(m.start())
                } else {
                    m.start()
                };
                cx.note(
                    base + start,
                    s.get(start..m.end()).unwrap_or(""),
                    t.to_string(),
                );
            }
        }
    }
}

fn code_blocks(cx: &mut Ctx, doc: &Doc) {
    for b in &doc.code_blocks {
        let lang = b.lang.split_whitespace().next().unwrap_or("");
        if !matches!(
            lang,
            "sql" | "postgresql" | "postgres" | "mysql" | "psql" | "plpgsql"
        ) {
            continue;
        }
        let body = b.content.trim_end().to_string();
        if body.is_empty() {
            continue;
        }
        let first_line = body.lines().next().unwrap_or("").to_string();
        let i = change_for(
            cx,
            (ChangeKind::Migration, None, None),
            b.start,
            &first_line,
            &first_line,
            "schema migration (SQL in the brief)",
        );
        let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_migration_mut)
        else {
            continue;
        };
        let slot = if b.down { &mut c.down_sql } else { &mut c.sql };
        match slot {
            Some(prev) => {
                prev.push('\n');
                prev.push_str(&body);
            }
            None => *slot = Some(body.clone()),
        }
        let what = if b.down {
            "down SQL of the migration"
        } else {
            "SQL of the migration"
        };
        let destructive = !b.down && c.destructive.is_none() && SQL_DESTRUCTIVE.is_match(&body);
        if destructive {
            c.destructive = Some(true);
        }
        cx.note(b.start, &first_line, format!("{what} from the code block"));
        if destructive && let Some(m) = SQL_DESTRUCTIVE.find(&body) {
            let at = b.start
                + cx.text
                    .get(b.start..)
                    .and_then(|t| t.find(m.as_str()))
                    .unwrap_or(0);
            cx.note(at, m.as_str(), "migration is destructive".into());
        }
    }
}

fn finish(cx: &mut Ctx) {
    // A platform without a named service: one service named after the deployment.
    let has_platform = cx
        .svc_facts
        .iter()
        .any(|f| matches!(f.fact, SvcFact::Platform(_)));
    if cx.spec.architecture.services.is_empty() && has_platform {
        let name: String = {
            let lower = cx.spec.deployment.name.to_lowercase();
            let mut out = String::new();
            for ch in lower.chars() {
                if ch.is_ascii_alphanumeric() {
                    out.push(ch);
                } else if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
            out.trim_end_matches('-').to_string()
        };
        if !name.is_empty() {
            if let Some(f) = cx
                .svc_facts
                .iter()
                .find(|f| matches!(f.fact, SvcFact::Platform(_)))
            {
                let (at, ex) = (f.at, f.excerpt.clone());
                cx.note(
                    at,
                    &ex,
                    format!(
                        "no service name found: one service `{name}` named after the deployment"
                    ),
                );
            }
            cx.spec.architecture.services.push(Service::named(&name));
            cx.service_invented = true;
        }
    }
    let facts = std::mem::take(&mut cx.svc_facts);
    for f in facts {
        let n = cx.spec.architecture.services.len();
        for i in 0..n {
            let Some(svc) = cx.spec.architecture.services.get_mut(i) else {
                continue;
            };
            if !f.targets.is_empty() && !f.targets.iter().any(|t| t.eq_ignore_ascii_case(&svc.name))
            {
                continue;
            }
            let name = svc.name.clone();
            let text = match &f.fact {
                SvcFact::Platform(p) => {
                    // The units rank their own family (Argo Rollouts over Kubernetes).
                    let upgrade = svc
                        .platform
                        .is_some_and(|c| crate::platforms::deploy::refines(*p, c));
                    if svc.platform.is_some() && !upgrade {
                        continue;
                    }
                    svc.platform = Some(*p);
                    format!("service `{name}` runs on {}", f.excerpt.trim())
                }
                SvcFact::Strategy(st) => {
                    if svc.strategy.is_some() {
                        continue;
                    }
                    svc.strategy = Some(*st);
                    format!(
                        "service `{name}` deploys {}",
                        f.excerpt.trim().to_lowercase()
                    )
                }
                SvcFact::Cluster(v) => {
                    if svc.cluster.is_some() {
                        continue;
                    }
                    svc.cluster = Some(v.clone());
                    format!("service `{name}` in cluster `{v}`")
                }
                SvcFact::Namespace(v) => {
                    if svc.namespace.is_some() {
                        continue;
                    }
                    svc.namespace = Some(v.clone());
                    format!("service `{name}` in namespace `{v}`")
                }
                SvcFact::Region(v) => {
                    if svc.region.is_some() {
                        continue;
                    }
                    svc.region = Some(v.clone());
                    format!("service `{name}` in region {v}")
                }
                SvcFact::Replicas(v) => {
                    if svc.replicas.is_some() {
                        continue;
                    }
                    svc.replicas = Some(*v);
                    format!("service `{name}` has {v} replicas")
                }
                SvcFact::Health(v) => {
                    if svc.health_endpoint.is_some() {
                        continue;
                    }
                    svc.health_endpoint = Some(v.clone());
                    format!("service `{name}` health endpoint {v}")
                }
            };
            cx.note(f.at, &f.excerpt, text);
        }
    }
    let sfacts = std::mem::take(&mut cx.store_facts);
    let single = cx.spec.architecture.data_stores.len() == 1;
    for f in sfacts {
        let n = cx.spec.architecture.data_stores.len();
        for i in 0..n {
            let Some(ds) = cx.spec.architecture.data_stores.get_mut(i) else {
                continue;
            };
            let targeted = if f.targets.is_empty() {
                single
            } else {
                f.targets.contains(&ds.name)
            };
            if !targeted {
                continue;
            }
            let name = ds.name.clone();
            let text = match f.fact.clone() {
                StoreFact::Hosting(h) => {
                    if ds.hosting.is_some()
                        && !(h == Hosting::Aurora && ds.hosting == Some(Hosting::Rds))
                    {
                        continue;
                    }
                    ds.hosting = Some(h);
                    format!("data store `{name}` hosted on {}", f.excerpt.trim())
                }
                StoreFact::Identifier(v) => {
                    if ds.identifier.is_some() {
                        continue;
                    }
                    ds.identifier = Some(v.clone());
                    format!("data store `{name}` identifier `{v}`")
                }
                StoreFact::Database(v) => {
                    if ds.database.is_some() {
                        continue;
                    }
                    ds.database = Some(v.clone());
                    format!("data store `{name}` database `{v}`")
                }
                StoreFact::Backup(m) => {
                    let b = ds.backup.get_or_insert_with(empty_backup);
                    if b.method.is_some() {
                        continue;
                    }
                    b.method = Some(m);
                    format!("data store `{name}` backed up by point-in-time recovery")
                }
                StoreFact::RestoreTested(d) => {
                    let b = ds.backup.get_or_insert_with(empty_backup);
                    if b.last_tested_restore.is_some() {
                        continue;
                    }
                    b.last_tested_restore = Some(d.clone());
                    format!("data store `{name}` restore last tested {d}")
                }
                StoreFact::Size(gb) => {
                    if ds.size_gb.is_some() {
                        continue;
                    }
                    ds.size_gb = Some(gb);
                    format!("data store `{name}` is about {gb} GB")
                }
            };
            cx.note(f.at, &f.excerpt, text);
        }
    }
    // Dashboards only when a metrics system is named (the model needs one).
    let dashboards = std::mem::take(&mut cx.dashboards);
    let mut notes = Vec::new();
    if let Some(o) = cx.spec.architecture.observability.as_mut() {
        for (at, url) in dashboards {
            if !o.dashboards.contains(&url) {
                o.dashboards.push(url.clone());
                notes.push((at, url));
            }
        }
    }
    for (at, url) in notes {
        cx.note(at, &url, "dashboard".into());
    }
    // Migrations and data operations on the only SQL store.
    let sql: Vec<(String, (usize, String))> = cx
        .spec
        .architecture
        .data_stores
        .iter()
        .zip(cx.store_at.iter())
        .filter(|(d, _)| d.engine.is_sql())
        .map(|(d, at)| (d.name.clone(), at.clone()))
        .collect();
    if let [(name, at)] = sql.as_slice() {
        let mut any = false;
        for c in cx.spec.deployment.changes.iter_mut() {
            if let Some(database) = c.database_mut()
                && database.is_none()
            {
                *database = Some(name.clone());
                any = true;
            }
        }
        if any {
            let ((at, ex), name) = (at.clone(), name.clone());
            cx.note(
                at,
                &ex,
                format!(
                    "migrations and data operations run on `{name}`, the only SQL data store named"
                ),
            );
        }
    }
    // A new version of a service ships code, even when the brief only talks about what it adds.
    let has_code = cx
        .spec
        .deployment
        .changes
        .iter()
        .any(|c| matches!(c.kind(), ChangeKind::Code | ChangeKind::Dependency));
    let version_note = cx
        .notes
        .iter()
        .find(|(_, a)| a.text.starts_with("version "))
        .map(|(at, a)| (*at, a.evidence.excerpt.clone().unwrap_or_default()));
    // A version next to no named service ("from 1.23 to 1.24" of a cluster) is not a release of
    // a service rollbook would redeploy: it stays unmapped work.
    if !has_code
        && !cx.spec.architecture.services.is_empty()
        && !cx.service_invented
        && let Some((at, excerpt)) = version_note
    {
        let mut c = Change::new(ChangeKind::Code);
        *c.services_mut() = cx
            .spec
            .architecture
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect();
        cx.spec.deployment.changes.insert(0, c);
        cx.note(
            at,
            &excerpt,
            "code change: a new version ships to the services named".to_string(),
        );
    }
}

fn empty_backup() -> Backup {
    Backup {
        method: None,
        location: None,
        last_backup: None,
        last_tested_restore: None,
        restore_gb_per_minute: None,
    }
}
