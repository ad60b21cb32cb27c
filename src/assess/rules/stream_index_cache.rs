use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;
use crate::model::kinds::{IndexCacheOperation as IxOp, StreamOperation as StOp};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A change to a stream or queue (`stream_queue`: Kafka, Kinesis, SQS, RabbitMQ) or to a
    /// search index or cache (`index_cache`: Elasticsearch, OpenSearch, Redis, Memcached), classed
    /// by what it deletes and whether reverting brings it back.
    ///
    /// ## Why it matters for rollback
    ///
    /// Setting a topic's retention back does not bring back the segments the brokers deleted
    /// under the shorter one, and partitions cannot be decreased: both are irreversible for the
    /// data. Moving an alias back to the previous index is one atomic call, but only while that
    /// index is kept; without it the way back is a reindex from the source. A cache flush loses
    /// nothing the origin does not hold, yet cannot be undone: the cache refills while the origin
    /// takes every miss. Other settings come back with the same command and the value recorded
    /// before.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// - kind: stream_queue
    ///   system: kafka
    ///   operation: retention
    ///   target: clickstream
    ///   setting: retention.ms
    ///   from: "604800000"
    ///   to: "86400000"
    /// ```
    ///
    /// ## Use instead
    ///
    /// Check every consumer group's lag before lowering retention and mirror what may still be
    /// needed; keep the previous index until the new one is proven and swap the alias in one
    /// `_aliases` call; record the current settings (`kafka-configs.sh --describe`,
    /// `CONFIG GET`) so the way back sets the exact previous value.
    pub static STREAM_INDEX_CACHE = { code: "RB026", name: "stream-index-cache", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let field = |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (way, level, evidence) = if let Some(q) = c.as_stream_queue() {
            match q.operation {
                Some(StOp::Retention) => match shorter(q.from.as_deref(), q.to.as_deref(), c.destructive()) {
                    Some(false) => (Way::RetentionLonger, Level::Instant, field("to")),
                    _ => (Way::RetentionShorter, Level::Irreversible, field("to")),
                },
                Some(StOp::Partitions) => (Way::Partitions, Level::Irreversible, field("operation")),
                Some(StOp::Delete) if q.backup.is_some() => (Way::DeleteWithBackup, Level::Complex, field("backup")),
                Some(StOp::Delete) => (Way::Delete, Level::Irreversible, field("operation")),
                Some(StOp::Setting) => (Way::Setting, Level::Instant, field("operation")),
                None => (Way::Unknown, Level::Complex, field("operation")),
            }
        } else if let Some(x) = c.as_index_cache() {
            let kept = x.previous_kept == Some(true) && c.destructive() != Some(true);
            match x.operation {
                Some(IxOp::Reindex | IxOp::AliasSwap) if kept => (Way::AliasBack, Level::Instant, field("previous_kept")),
                Some(IxOp::Reindex | IxOp::AliasSwap) => (Way::AliasNoOldIndex, Level::Complex, field("previous_kept")),
                Some(IxOp::Mapping) => (Way::MappingInPlace, Level::Complex, field("operation")),
                Some(IxOp::DeleteIndex) => (Way::IndexDeleted, Level::Complex, field("operation")),
                Some(IxOp::Flush) => (Way::Flush, Level::Fast, field("operation")),
                Some(IxOp::CacheSetting) => (Way::CacheSetting, Level::Instant, field("operation")),
                None => (Way::Unknown, Level::Complex, field("operation")),
            }
        } else {
            continue;
        };
        let mut f = rule.finding(way, evidence).level(level).change(i);
        if level == Level::Irreversible {
            f = f.severity(Severity::Error);
        }
        out.push(f);
    }
}

/// Whether the new retention is shorter than the old: from the values when both are numbers,
/// else from `destructive`; `None` when nothing tells.
fn shorter(from: Option<&str>, to: Option<&str>, destructive: Option<bool>) -> Option<bool> {
    let num = |v: Option<&str>| v.and_then(|s| s.trim().parse::<u64>().ok());
    match (num(from), num(to)) {
        (Some(f), Some(t)) => Some(t < f),
        _ => destructive,
    }
}

/// How a stream, queue, index or cache change comes back.
enum Way {
    RetentionShorter,
    RetentionLonger,
    Partitions,
    Delete,
    DeleteWithBackup,
    Setting,
    AliasBack,
    AliasNoOldIndex,
    MappingInPlace,
    IndexDeleted,
    Flush,
    CacheSetting,
    Unknown,
}

impl crate::assess::Violation for Way {
    fn message(&self) -> String {
        match self {
            Self::RetentionShorter => "shorter retention (or a retention change whose direction is not given): the brokers delete what is older than the new limit, and setting the old value back does not bring it back; consumers further behind lose messages",
            Self::RetentionLonger => "longer retention: nothing is deleted; the previous value is set back in seconds (watch broker disk meanwhile)",
            Self::Partitions => "partitions or shards added: they cannot be decreased, and keys move to other partitions, so per-key order across the change is lost",
            Self::Delete => "a topic or queue deleted or purged: its messages do not come back",
            Self::DeleteWithBackup => "a topic or queue deleted or purged with a copy kept: it is recreated and its messages replayed from the copy",
            Self::Setting => "a topic or queue setting: the same command sets the value recorded before back in seconds",
            Self::AliasBack => "the alias moves back to the previous index, kept untouched, in one atomic `_aliases` call",
            Self::AliasNoOldIndex => "an alias swap or reindex without the previous index declared kept: if it is gone, the way back is a reindex from the source, as long as the first build",
            Self::MappingInPlace => "a mapping or index setting changed in place: existing fields cannot be remapped, so the way back is a new index and a reindex",
            Self::IndexDeleted => "an index deleted: it comes back only by a reindex from the source of truth",
            Self::Flush => "a cache flush: nothing the origin does not hold is lost, but it cannot be undone; the cache refills while the origin takes every miss",
            Self::CacheSetting => "a cache setting (TTL, eviction, memory): `CONFIG SET` of the value recorded before brings it back in seconds; keys evicted meanwhile refill from the origin",
            Self::Unknown => "a stream, queue, index or cache change of unknown operation: classed for the worst case it cannot exclude (at least complex): name the operation",
        }
        .to_string()
    }
}
