//! `kind: index_cache` — a change to a search index or a cache: the copies of data that readers
//! query, rebuilt from a source of truth (an Elasticsearch or OpenSearch index, its mapping,
//! a reindex and the alias that points at it; a Redis or Memcached cache, its TTLs, eviction
//! policy or a flush).
//!
//! The question its operator asks: what does the change delete or expose, and does reverting
//! bring it back?
//!
//! - An index read through an alias comes back in one atomic call when the previous index is
//!   kept: `POST _aliases` with a `remove` and an `add` action
//!   (https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-aliases.html).
//!   Deleting the previous index, or reindexing in place, leaves only a reindex from the source
//!   (hours for a large index).
//! - The mapping of an existing field cannot be changed in place: a new mapping means a new index
//!   and a reindex (https://www.elastic.co/guide/en/elasticsearch/reference/current/explicit-mapping.html).
//! - A cache flush loses nothing the origin does not hold, but cannot be undone: every miss goes
//!   to the origin at once (a thundering herd). A TTL or eviction setting comes back with
//!   `CONFIG SET` of the value recorded with `CONFIG GET`
//!   (https://redis.io/docs/latest/commands/config-set/); keys already evicted stay evicted.
//! - Signals are the reader's: query errors and latency, result quality (zero-result rate,
//!   document count against the source), cache hit ratio and the load on the origin.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A change to a search index or a cache: a reindex and alias swap, a mapping, a flush, TTLs
    /// or the eviction policy.
    pub struct IndexCache {
        /// The system that holds it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub system: Option<IndexCacheSystem>,
        /// What is changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<IndexCacheOperation>,
        /// The cluster or endpoint (an Elasticsearch URL, a Redis host).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub endpoint: Option<String>,
        /// The alias readers query (`products`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alias: Option<String>,
        /// The index the alias points at after the change (`products-v8`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub index: Option<String>,
        /// The index the alias pointed at before (`products-v7`): the way back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_index: Option<String>,
        /// The previous index is kept, not deleted, until the new one is proven.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_kept: Option<bool>,
        /// The cache setting changed (`maxmemory-policy`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub setting: Option<String>,
        /// The value before the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// The value after it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
    }
}

impl super::Validate for IndexCache {}

/// What holds the index or cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IndexCacheSystem {
    Elasticsearch,
    Opensearch,
    Redis,
    Memcached,
    Other,
}

impl IndexCacheSystem {
    /// A cache, as opposed to a search index.
    pub fn is_cache(self) -> bool {
        matches!(self, IndexCacheSystem::Redis | IndexCacheSystem::Memcached)
    }
}

/// What an index or cache change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexCacheOperation {
    /// A new index built by a reindex, then the alias moved to it.
    Reindex,
    /// Only the alias moved to another index.
    AliasSwap,
    /// The mapping or settings of an index changed in place.
    Mapping,
    /// An index deleted.
    DeleteIndex,
    /// Cached keys flushed or invalidated.
    Flush,
    /// A cache setting: TTLs, the eviction policy, the memory limit.
    CacheSetting,
}

/// A cache store named: the system, its flush commands, or an application's own cache. "Cache"
/// alone is not enough: DNS resolvers and CDNs cache too, and their TTLs are the network's.
const CACHE_WORDS: Pattern = Pattern {
    regex: r"(?i)(?-u:\b)(?:redis|memcached?|valkey|elasticache|flushall|flushdb|flush_all|(?:application|app|object|session|query|result|response|in-memory|read-through|write-through)\s+caches?)(?-u:\b)",
    words: &[
        "redis", "memcache", "valkey", "elasticache", "flush", "application", "app", "object",
        "session", "query", "result", "response", "in-memory", "read-through", "write-through",
    ],
    leading: true,
    and_words: &[],
};

/// A change to a search index or a cache, named next to the system or its API.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "index_cache",
    triggers: &[
        Trigger {
            name: "reindex",
            found: Pattern {
                regex: r"(?i)(?:(?-u:\b)re-?index(?:es|ed|ing)?|_reindex)(?-u:\b)",
                words: &["reindex", "re-index"],
                leading: false,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(?:elasticsearch|opensearch|elastic\s+cloud|search|alias(?:es)?|_aliases|mappings?|(?:search\s+)?index\s+`[^`]+`|docs|documents)(?-u:\b)",
                words: &["elastic", "opensearch", "search", "alias", "mapping", "index", "doc"],
                leading: false,
                and_words: &[],
            }),
        },
        Trigger {
            name: "alias swap",
            found: Pattern {
                regex: r"(?i)(?:(?-u:\b)(?:alias\s+swap|swap\s+(?:the\s+)?alias|(?:move|moves|moving|point|points|pointing|repoint|switch|switches|switching)\s+(?:the\s+)?(?:index\s+)?alias)|_aliases)(?-u:\b)",
                words: &["alias"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "mapping",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:new|changed?|updated?)\s+(?:index\s+)?mappings?|_mapping|put\s+mapping)(?-u:\b)",
                words: &["mapping"],
                leading: false,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(?:elasticsearch|opensearch|index|search)(?-u:\b)",
                words: &["elastic", "opensearch", "index", "search"],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "cache flush",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:flushall|flushdb|flush_all|(?:flush|flushes|flushing|purge|purges|purging|clear|clears|clearing|invalidat[[:word:]]*|wipe|wipes|wiping)\s+(?:the\s+|all\s+)?(?:[[:word:]`-]+\s+){0,2}?(?:cache|caches|cached\s+keys|keys))(?-u:\b)",
                words: &["flush", "purg", "clear", "invalidat", "wip"],
                leading: true,
                and_words: &[],
            },
            also: Some(CACHE_WORDS),
        },
        Trigger {
            name: "cache setting",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:maxmemory(?:-policy)?|eviction\s+polic(?:y|ies)|config\s+set|(?:cache\s+)?ttls?|time[- ]to[- ]live|expir(?:y|ation)\s+(?:time|of))(?-u:\b)",
                words: &["maxmemory", "eviction", "config", "ttl", "time", "expir", "cache"],
                leading: true,
                and_words: &[],
            },
            also: Some(CACHE_WORDS),
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about an index or cache change beyond the trigger.
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The system named.
    pub const SYSTEM: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(elasticsearch|elastic\s+cloud|opensearch|redis|valkey|elasticache|memcached?)(?-u:\b)",
        words: &["elastic", "opensearch", "redis", "valkey", "memcache"],
        leading: true,
        and_words: &[],
    };

    /// "alias `products` from v7 to v8", "move alias `products` from `products-v7` to `products-v8`".
    pub const ALIAS_FROM_TO: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)alias\s+`([^`\s]+)`\s+from\s+`?([[:word:].-]+)`?\s+to\s+`?([[:word:].-]+[[:word:]])`?",
        words: &["alias"],
        leading: true,
        and_words: &[],
    };

    /// The index created or reindexed into: "create index `products-v8`", "into `x`".
    pub const NEW_INDEX: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:create|creates|creating|new|build|builds)\s+(?:the\s+)?index\s+`([^`\s]+)`",
        words: &["creat", "new", "build"],
        leading: true,
        and_words: &[],
    };

    /// The index reindexed from: "`_reindex` from `products-v7`".
    pub const SOURCE_INDEX: Pattern = Pattern {
        regex: r"(?i)(?:_re-?index|(?-u:\b)re-?index)`?\s+from\s+`([^`\s]+)`",
        words: &["reindex", "re-index"],
        leading: false,
        and_words: &[],
    };

    /// The previous index is kept: "`products-v7` is kept for 7 days", "keep the old index".
    pub const KEPT: Pattern = Pattern {
        regex: r"(?i)(?:`[^`\s]+`\s+(?:is|stays|remains)\s+(?:kept|retained|in\s+place)|(?-u:\b)(?:keep|keeps|keeping)\s+(?:the\s+)?(?:old|previous)\s+index|(?-u:\b)(?:old|previous)\s+index\s+(?:is\s+)?(?:kept|retained|stays))(?-u:\b)",
        words: &["kept", "retained", "place", "keep", "stays"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::IndexCache,
    name: "index_cache",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Seconds,
    mechanisms: &[MechanismDecl {
        id: MechanismId::IndexCacheBack,
        when: "",
        reverses: "the alias, back to the previous index kept; a cache setting, by the value recorded before",
        does_not_reverse: "a deleted index (only a reindex from the source brings it back), cached keys flushed or evicted (they refill from the origin)",
    }],
    signals: &[
        SignalDecl {
            signal: "query errors and latency of the index or cache",
            on_services: false,
            condition: "search or cache command errors above the hour before, or query latency p99 above 1.5x that hour",
            window: "5m",
            action: "move the alias back, or set the previous cache setting back",
            query: "INDEX_CACHE_ERRORS_QUERY",
            measure: "failed searches and their latency on the alias (Elasticsearch/OpenSearch: search rejections and query time from `_nodes/stats/indices/search`), or failed cache commands and their latency (Redis `INFO commandstats`)",
        },
        SignalDecl {
            signal: "result quality: zero-result rate and document count against the source",
            on_services: false,
            condition: "zero-result rate above the hour before the change, or the new index's document count below the source's",
            window: "15m",
            action: "move the alias back to the previous index",
            query: "SEARCH_QUALITY_QUERY",
            measure: "the share of searches that return no result, and the document count of the index (`_count`) against the rows in the source of truth",
        },
        SignalDecl {
            signal: "cache hit ratio and load on the origin",
            on_services: false,
            condition: "hit ratio below the hour before by 20 points, or the origin's load (database queries, CPU, connections) above its headroom",
            window: "5m",
            action: "set the previous cache setting back; rate-limit or shed load on the origin while the cache refills",
            query: "CACHE_HIT_RATIO_QUERY",
            measure: "cache hits against misses (Redis `INFO stats` keyspace_hits and keyspace_misses, evicted_keys) and the origin's query rate and CPU behind it",
        },
    ],
    staging: "the new index is built beside the old one and compared (document count, sample queries) before the alias moves, with the old index kept; a cache change goes to one node, one key prefix or a small share of keys first, with the origin's headroom watched",
    staged_by_own_targets: true,
    prevention: &[
        "a search index: the previous index stays, untouched and not deleted, until the new one is proven, so moving the alias back is one `_aliases` call",
        "a search index: the new index's document count matches the source, and sample queries give the same top results and zero-result rate as the previous index",
        "a cache flush, a shorter TTL or another eviction policy: the origin has headroom for a cold cache (request coalescing, rate limits or a warm-up planned)",
        "a cache setting: the current value is recorded (`CONFIG GET`), so the way back is `CONFIG SET` of the exact previous value",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "an index or cache holds copies of a source of truth: a deleted index comes back only by a reindex from the source (hours for a large index), and flushed or evicted keys refill from the origin, which takes the load meanwhile",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: what was deleted comes back only from the source: keep the previous index until the new one is proven, reindex from the source if it is gone, and let a flushed cache refill behind rate limits so the origin is not overwhelmed.",
    ),
    audience: &[Audience::Engineering, Audience::Support, Audience::Customers],
    may_cut_own_tooling: false,
};
