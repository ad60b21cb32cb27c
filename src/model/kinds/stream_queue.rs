//! `kind: stream_queue` — a change to a stream or queue itself (a Kafka topic, a Kinesis stream,
//! an SQS or RabbitMQ queue): its retention, partitions or shards, or another setting.
//!
//! The question an operator of a log or queue asks: what does the change delete or expose, and
//! does reverting bring it back?
//!
//! - Lowering retention makes the brokers delete every segment older than the new limit; setting
//!   the old value back keeps what is left but does not bring those segments back. Consumers that
//!   are further behind than the new limit lose messages (Kafka topic configs `retention.ms`,
//!   `retention.bytes`: https://kafka.apache.org/documentation/#topicconfigs; SQS
//!   `MessageRetentionPeriod` works the same way).
//! - Kafka "does not support reducing the number of partitions for a topic", and adding
//!   partitions moves keys to other partitions, so per-key order across the change is lost
//!   (https://kafka.apache.org/documentation/#basic_ops_modify_topic).
//! - Other settings come back with the same command that changed them, given the value recorded
//!   before (`kafka-configs.sh --describe`).
//! - Signals are the log's own: consumer lag, under-replicated partitions, producer errors and
//!   throttling, broker disk; not the HTTP requests of a service.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A change to a stream or queue: retention, partitions or shards, another setting, a topic
    /// or queue removed.
    pub struct StreamQueue {
        /// The system that holds it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub system: Option<StreamSystem>,
        /// What is changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<StreamOperation>,
        /// The topic, stream or queue (its name, or an SQS queue URL).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target: Option<String>,
        /// The cluster or its bootstrap servers (`broker-1:9092`), the MSK cluster, the region.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cluster: Option<String>,
        /// The setting changed (`retention.ms`, `MessageRetentionPeriod`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub setting: Option<String>,
        /// The value before the change: what the way back sets again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// The value after it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
        /// The messages the change may delete are copied elsewhere first (a mirror topic, a sink
        /// to object storage), so they can be replayed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub backup: Option<String>,
    }
}

impl super::Validate for StreamQueue {}

/// What holds the stream or queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StreamSystem {
    Kafka,
    Kinesis,
    Sqs,
    Rabbitmq,
    Pubsub,
    Other,
}

/// What a stream or queue change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamOperation {
    /// How long or how much is kept (`retention.ms`, `retention.bytes`, `MessageRetentionPeriod`).
    Retention,
    /// The number of partitions or shards.
    Partitions,
    /// Another setting of the topic or queue (visibility timeout, max message size, cleanup
    /// policy).
    Setting,
    /// The topic, stream or queue is deleted or purged.
    Delete,
}

/// The systems' names: a sentence about a stream or queue names one.
macro_rules! stream_words {
    () => {
        r"(?:kafka|msk|kinesis|sqs|rabbitmq|pub/?sub|(?:the\s+)?(?:topic|queue|stream)\s+`[^`]+`|topics?|queues?|streams?)"
    };
}

/// A change to a stream or queue: retention, partitions or shards, a setting, a deletion or a
/// purge, named next to the system. Publishing to a topic is not this (an external side effect or
/// the service's own work), nor is consuming from it.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "stream_queue",
    triggers: &[
        Trigger {
            name: "retention",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:retention(?:\.ms|\.bytes|\s+period)?|MessageRetentionPeriod|log\.retention\.[[:word:]]+)(?-u:\b)",
                words: &["retention"],
                leading: false,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: concat!(r"(?i)(?-u:\b)", stream_words!(), r"(?-u:\b)"),
                words: &["kafka", "msk", "kinesis", "sqs", "rabbitmq", "pub", "topic", "queue", "stream"],
                leading: false,
                and_words: &[],
            }),
        },
        Trigger {
            name: "partitions",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:add|adds|adding|increase[sd]?|increasing|raise[sd]?|raising|more|new)\s+(?:[[:word:]`-]+\s+){0,3}?(?:partitions|shards)|(?:partitions|shards|partition\s+count|shard\s+count)\s+(?:from\s+[0-9]+\s+)?to\s+[0-9]+|--partitions|update-shard-count|reshard(?:s|ed|ing)?)(?-u:\b)",
                words: &["add", "increas", "rais", "more", "new", "partition", "shard"],
                leading: false,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: concat!(r"(?i)(?-u:\b)", stream_words!(), r"(?-u:\b)"),
                words: &["kafka", "msk", "kinesis", "sqs", "rabbitmq", "pub", "topic", "queue", "stream"],
                leading: false,
                and_words: &[],
            }),
        },
        Trigger {
            name: "delete or purge",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:delete|deletes|deleting|drop|drops|dropping|remove|removes|removing|purge|purges|purging)\s+(?:the\s+|old\s+|unused\s+)?(?:kafka\s+|sqs\s+|kinesis\s+)?(?:topics?|queues?|streams?)|kafka-topics(?:\.sh)?\s+(?:[[:word:]:.-]+\s+)*--delete|delete-queue|purge-queue|delete-stream)(?-u:\b)",
                words: &["delet", "drop", "remov", "purg", "kafka-topics"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: concat!(r"(?i)(?-u:\b)", stream_words!(), r"(?-u:\b)"),
                words: &["kafka", "msk", "kinesis", "sqs", "rabbitmq", "pub", "topic", "queue", "stream"],
                leading: false,
                and_words: &[],
            }),
        },
        Trigger {
            name: "setting",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:kafka-configs(?:\.sh)?|set-queue-attributes|cleanup\.policy|min\.insync\.replicas|max\.message\.bytes|segment\.(?:ms|bytes)|visibility\s*timeout|VisibilityTimeout|x-message-ttl|(?:topic|queue)\s+(?:config(?:uration)?|settings?|attributes?|polic(?:y|ies)))(?-u:\b)",
                words: &[
                    "kafka-configs", "set-queue-attributes", "cleanup", "min", "max", "segment",
                    "visibility", "x-message-ttl", "topic", "queue",
                ],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a stream or queue change beyond the trigger (`spec::brief` applies
/// them to the sentences that reveal it).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The system named.
    pub const SYSTEM: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(kafka|msk|kinesis|sqs|rabbitmq|pub/?sub)(?-u:\b)",
        words: &["kafka", "msk", "kinesis", "sqs", "rabbitmq", "pub"],
        leading: true,
        and_words: &[],
    };

    /// The topic, stream or queue named in backticks.
    pub const TARGET: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:topic|queue|stream)\s+`([^`\s]+)`|`([^`\s]+)`\s+(?:topic|queue|stream)(?-u:\b)",
        words: &["topic", "queue", "stream"],
        leading: false,
        and_words: &[],
    };

    /// The setting and its values: `retention.ms 604800000 -> 86400000`, `retention.ms=86400000`.
    pub const SETTING_VALUES: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)([a-z]+(?:\.[a-z]+)+|MessageRetentionPeriod|VisibilityTimeout)\s*(?:=\s*|\s+(?:from\s+)?)([0-9]+)\s*(?:->|→|to)\s*([0-9]+)(?-u:\b)",
        words: &[".", "messageretentionperiod", "visibilitytimeout"],
        leading: false,
        and_words: &[],
    };

    /// The cluster named in backticks after "cluster".
    pub const CLUSTER: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)cluster\s+`([^`\s]+)`",
        words: &["cluster"],
        leading: true,
        and_words: &[],
    };

    /// A copy of the messages kept elsewhere before the change.
    pub const BACKUP: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:mirror(?:ed|ing)?\s+(?:topic|to)|mirrormaker|replicated\s+to\s+(?:a\s+)?backup|(?:s3|object\s+storage|data\s+lake)\s+sink|archived?\s+to\s+s3)(?-u:\b)",
        words: &["mirror", "replicated", "sink", "archive"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::StreamQueue,
    name: "stream_queue",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Seconds,
    mechanisms: &[MechanismDecl {
        id: MechanismId::StreamSettingBack,
        when: "",
        reverses: "the setting, by the same command with the value recorded before the change",
        does_not_reverse: "messages the brokers deleted under a shorter retention, partitions added (they cannot be removed), a deleted or purged topic or queue",
    }],
    // Signals of the log itself. Under-replicated partitions and consumer lag are the first
    // things Kafka's operations docs say to monitor
    // (https://kafka.apache.org/documentation/#monitoring).
    signals: &[
        SignalDecl {
            signal: "consumer lag per group against the retention limit",
            on_services: false,
            condition: "any group's lag (in time) above half the new retention, or growing for 10 minutes",
            window: "10m",
            action: "set the previous value back before the brokers delete what the group has not read",
            query: "CONSUMER_LAG_QUERY",
            measure: "lag per consumer group and partition, in messages and in time (kafka_consumergroup_lag from kafka_exporter, `kafka-consumer-groups.sh --describe --all-groups`; SQS ApproximateAgeOfOldestMessage; Kinesis GetRecords.IteratorAgeMilliseconds)",
        },
        SignalDecl {
            signal: "under-replicated or offline partitions",
            on_services: false,
            condition: "any under-replicated or offline partition, or in-sync replicas below min.insync.replicas",
            window: "5m",
            action: "stop the change; set the previous value back",
            query: "UNDER_REPLICATED_QUERY",
            measure: "UnderReplicatedPartitions and OfflinePartitionsCount per broker (kafka.server:type=ReplicaManager, kafka.controller:type=KafkaController)",
        },
        SignalDecl {
            signal: "producer errors and throttling",
            on_services: false,
            condition: "producer send errors or throttled requests above the hour before the change",
            window: "5m",
            action: "set the previous value back",
            query: "PRODUCER_ERRORS_QUERY",
            measure: "failed and throttled produce requests (kafka.server FailedProduceRequestsPerSec, produce throttle time; Kinesis WriteProvisionedThroughputExceeded; SQS SendMessage errors)",
        },
        SignalDecl {
            signal: "broker disk",
            on_services: false,
            condition: "free disk below 15% on any broker",
            window: "5m",
            action: "lower retention only after checking every consumer's lag; add disk first",
            query: "BROKER_DISK_QUERY",
            measure: "free disk per broker (node_filesystem_avail_bytes on the log directories; MSK KafkaDataLogsDiskUsed)",
        },
    ],
    staging: "one topic or queue first (a low-traffic one, or the same change on staging with the same consumers), then the others; a retention change is staged by lowering it in steps while every consumer's lag stays well under the new limit",
    staged_by_own_targets: true,
    prevention: &[
        "the current settings are recorded (`kafka-configs.sh --describe`, `aws sqs get-queue-attributes`), so the way back sets the exact previous value",
        "a shorter retention: every consumer group's lag is checked right before the change (`kafka-consumer-groups.sh --describe --all-groups`), and none is further behind than the new limit, or it loses messages",
        "more partitions or shards: they are never decreased, and keys move to other partitions, so consumers that rely on per-key order are checked first",
        "a shorter retention, a purge or a deletion: the messages it may delete are mirrored or sunk elsewhere (a mirror topic, object storage) when anyone still needs them",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "messages deleted by a shorter retention, a purge or a deleted topic do not come back by reverting the setting: only from a mirror or sink kept elsewhere, replayed by the producers or re-ingested",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: reverting the setting neither brings back what the brokers deleted nor removes partitions added: before a shorter retention, check every consumer group's lag and copy what may still be needed to a mirror topic or object storage, lower the value in steps and set the previous value back the moment a group falls behind; before adding partitions, make sure no consumer relies on per-key order across the change.",
    ),
    audience: &[Audience::Engineering, Audience::DataOwners],
    may_cut_own_tooling: false,
};
