//! What a brief says about a stream, queue, search index or cache change beyond the sentence
//! that reveals it: the operation (the name of the trigger that fired), the system, the topic or
//! alias and indexes, the setting and its values, whether shorter retention is stated, whether
//! the previous index is kept. The patterns are declared by the kinds
//! (`model::kinds::{stream_queue, index_cache}::brief`).

use super::fields::{Notes, each_sentence, quote};
use super::generic::fired;
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, negated};
use crate::model::kinds::index_cache::brief as ix;
use crate::model::kinds::stream_queue::brief as st;
use crate::model::kinds::{
    IndexCache, IndexCacheOperation, IndexCacheSystem, StreamOperation, StreamSystem,
};
use crate::model::*;

static ST_SYSTEM: Matcher = Matcher::of(&st::SYSTEM);
static ST_TARGET: Matcher = Matcher::of(&st::TARGET);
static ST_VALUES: Matcher = Matcher::of(&st::SETTING_VALUES);
static ST_CLUSTER: Matcher = Matcher::of(&st::CLUSTER);
static ST_BACKUP: Matcher = Matcher::of(&st::BACKUP);
static IX_SYSTEM: Matcher = Matcher::of(&ix::SYSTEM);
static IX_ALIAS: Matcher = Matcher::of(&ix::ALIAS_FROM_TO);
static IX_NEW: Matcher = Matcher::of(&ix::NEW_INDEX);
static IX_SOURCE: Matcher = Matcher::of(&ix::SOURCE_INDEX);
static IX_KEPT: Matcher = Matcher::of(&ix::KEPT);

/// Retention said to go down or up: "reduce retention", "retention ... shortened".
static SHORTER: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:(reduc|lower|shorten|decreas|cut|trim)[[:word:]]*|(increas|rais|extend|lengthen)[[:word:]]*)\s+(?:the\s+)?(?:[[:word:]`-]+\s+){0,2}?retention(?-u:\b)",
    &[
        "reduc", "lower", "shorten", "decreas", "cut", "trim", "increas", "rais", "extend",
        "lengthen",
    ],
);

/// "from `noeviction` to `allkeys-lru`": the values of a cache setting.
static TICKED_FROM_TO: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)from\s+`([^`\s]+)`\s+to\s+`([^`\s]+)`",
    &["from"],
);

/// The first capture of `m` in `s` that is not negated.
fn capture(m: &Matcher, s: &str) -> Option<(usize, String)> {
    let c = m.captures(s)?;
    let g = (1..c.len()).find_map(|i| c.get(i))?;
    (!negated(s, g.start(), g.end())).then(|| (g.start(), g.as_str().to_string()))
}

/// Fills the brief's stream or queue change and its index or cache change from its sentences.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    // The whole change: a shorter retention is the change's own `destructive`.
    each_sentence(cx, doc, ChangeKind::StreamQueue, whole, stream_facts);
    each_sentence(
        cx,
        doc,
        ChangeKind::IndexCache,
        Change::as_index_cache_mut,
        index_facts,
    );
}

/// The change itself, as [`each_sentence`] views it.
fn whole(c: &mut Change) -> Option<&mut Change> {
    Some(c)
}

fn stream_facts(c: &mut Change, s: &str, notes: &mut Notes) {
    let trigger = fired(ChangeKind::StreamQueue, s);
    let shorter = SHORTER
        .captures(s)
        .filter(|c| c.get(0).is_some_and(|m| !negated(s, m.start(), m.end())));
    if let Some(c0) = &shorter
        && c.destructive().is_none()
        && let Some(m) = c0.get(0)
    {
        let down = c0.get(1).is_some();
        *c.destructive_mut() = Some(down);
        let says = if down {
            "retention goes down: older messages are deleted"
        } else {
            "retention goes up: nothing is deleted"
        };
        notes.push((m.start(), m.as_str().to_string(), says.to_string()));
    }
    let Some(q) = c.as_stream_queue_mut() else {
        return;
    };
    if q.operation.is_none()
        && let Some((name, (a, b))) = trigger
    {
        q.operation = match name {
            "retention" => Some(StreamOperation::Retention),
            "partitions" => Some(StreamOperation::Partitions),
            "delete or purge" => Some(StreamOperation::Delete),
            "setting" => Some(StreamOperation::Setting),
            _ => None,
        };
        notes.push((
            a,
            s[a..b].to_string(),
            format!("stream or queue operation: {name}"),
        ));
    }
    if q.system.is_none()
        && let Some(m) = ST_SYSTEM.find(s)
    {
        let w = m.as_str().to_lowercase();
        q.system = Some(match w.as_str() {
            "kafka" | "msk" => StreamSystem::Kafka,
            "kinesis" => StreamSystem::Kinesis,
            "sqs" => StreamSystem::Sqs,
            "rabbitmq" => StreamSystem::Rabbitmq,
            _ => StreamSystem::Pubsub,
        });
        quote(notes, &m, format!("stream system: {w}"));
    }
    if trigger.is_some()
        && q.target.is_none()
        && let Some((at, t)) = capture(&ST_TARGET, s)
    {
        notes.push((at, t.clone(), format!("topic or queue `{t}`")));
        q.target = Some(t);
    }
    if q.cluster.is_none()
        && let Some((at, t)) = capture(&ST_CLUSTER, s)
    {
        notes.push((at, t.clone(), format!("cluster `{t}`")));
        q.cluster = Some(t);
    }
    if q.setting.is_none()
        && let Some(c) = ST_VALUES.captures(s)
        && let (Some(k), Some(f), Some(t)) = (c.get(1), c.get(2), c.get(3))
    {
        q.setting = Some(k.as_str().to_string());
        q.from = Some(f.as_str().to_string());
        q.to = Some(t.as_str().to_string());
        notes.push((
            k.start(),
            c[0].to_string(),
            format!("`{}` from {} to {}", k.as_str(), f.as_str(), t.as_str()),
        ));
    }
    if q.backup.is_none()
        && let Some(m) = ST_BACKUP
            .find(s)
            .filter(|m| !negated(s, m.start(), m.end()))
    {
        q.backup = Some(m.as_str().to_string());
        quote(notes, &m, "the messages are copied elsewhere");
    }
}

fn index_facts(x: &mut IndexCache, s: &str, notes: &mut Notes) {
    let trigger = fired(ChangeKind::IndexCache, s);
    if x.operation.is_none()
        && let Some((name, (a, b))) = trigger
    {
        x.operation = match name {
            "reindex" => Some(IndexCacheOperation::Reindex),
            "alias swap" => Some(IndexCacheOperation::AliasSwap),
            "mapping" => Some(IndexCacheOperation::Mapping),
            "cache flush" => Some(IndexCacheOperation::Flush),
            "cache setting" => Some(IndexCacheOperation::CacheSetting),
            _ => None,
        };
        notes.push((
            a,
            s[a..b].to_string(),
            format!("index or cache operation: {name}"),
        ));
    }
    if x.system.is_none()
        && let Some(m) = IX_SYSTEM.find(s)
    {
        let w = m.as_str().to_lowercase();
        x.system = Some(if w.starts_with("opensearch") {
            IndexCacheSystem::Opensearch
        } else if w.starts_with("elastic") && w != "elasticache" {
            IndexCacheSystem::Elasticsearch
        } else if w.starts_with("memcache") {
            IndexCacheSystem::Memcached
        } else {
            IndexCacheSystem::Redis
        });
        quote(notes, &m, format!("index or cache system: {w}"));
    }
    if x.alias.is_none()
        && let Some(c) = IX_ALIAS.captures(s)
        && let Some(a) = c.get(1)
    {
        x.alias = Some(a.as_str().to_string());
        quote(notes, &a, format!("alias `{}`", a.as_str()));
    }
    if x.index.is_none()
        && let Some((at, t)) = capture(&IX_NEW, s)
    {
        notes.push((at, t.clone(), format!("new index `{t}`")));
        x.index = Some(t);
    }
    if x.previous_index.is_none()
        && let Some((at, t)) = capture(&IX_SOURCE, s)
    {
        notes.push((at, t.clone(), format!("previous index `{t}`")));
        x.previous_index = Some(t);
    }
    if x.previous_kept.is_none()
        && let Some(m) = IX_KEPT.find(s).filter(|m| !negated(s, m.start(), m.end()))
    {
        x.previous_kept = Some(true);
        quote(notes, &m, "the previous index is kept");
    }
    if x.operation == Some(IndexCacheOperation::CacheSetting)
        && x.from.is_none()
        && trigger.is_some()
        && let Some(c) = TICKED_FROM_TO.captures(s)
        && let (Some(f), Some(t)) = (c.get(1), c.get(2))
    {
        x.from = Some(f.as_str().to_string());
        x.to = Some(t.as_str().to_string());
        notes.push((
            f.start(),
            c[0].to_string(),
            format!("cache setting from `{}` to `{}`", f.as_str(), t.as_str()),
        ));
    }
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [
        &ST_SYSTEM,
        &ST_TARGET,
        &ST_VALUES,
        &ST_CLUSTER,
        &ST_BACKUP,
        &IX_SYSTEM,
        &IX_ALIAS,
        &IX_NEW,
        &IX_SOURCE,
        &IX_KEPT,
        &SHORTER,
        &TICKED_FROM_TO,
    ]
    .into_iter()
}
