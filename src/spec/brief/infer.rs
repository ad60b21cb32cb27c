//! The matchers: each finding becomes a spec value plus an assumption quoting its words.

use super::changes::{change_for, changes};
use super::finish::finish;
use super::matcher::{BriefScope, Matcher};
use super::patterns::*;
use super::people::{observability, people, risk_bullets, risks};
use super::services::{service_facts, services};
use super::statements::{backout_units, statements, unmapped_work};
use super::stores::stores;
use super::text::{self, Doc, Section, Sentence, UnitKind, collapse, negated, standalone};
use super::versions::versions;
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
    Serves(Protocol),
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
    super::fleet::facts(&mut cx, &doc);
    super::streams::facts(&mut cx, &doc);
    super::access::facts(&mut cx, &doc);
    super::platform::facts(&mut cx, &doc);
    super::network::facts(&mut cx, &doc);
    super::client::client_facts(&mut cx, &doc);
    super::client::model_facts(&mut cx, &doc);
    super::pickup::facts(&mut cx, &doc);
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
    if let Some((a, b)) = hits(&DESTRUCTIVE, s)
        .into_iter()
        .find(|&(_, b)| !NO_DATA_OBJECT.is_match(s.get(b..).unwrap_or("")))
    {
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

/// The facts found about services, applied to the services they name (or to every service).
pub(super) fn apply_service_facts(cx: &mut Ctx) {
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
                SvcFact::Serves(p) => {
                    if svc.serves.is_some() {
                        continue;
                    }
                    svc.serves = Some(*p);
                    format!("service `{name}` serves {}", p.as_str())
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
}
