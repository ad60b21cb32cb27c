//! The brief reader's patterns, each with the words that gate it (see [`Matcher`]). Word
//! characters and boundaries are ASCII (`[[:word:]]`, `(?-u:\b)`): Unicode ones multiply the
//! compile time of a pattern tenfold, and every word these patterns look for is ASCII.

use super::matcher::Matcher;
use crate::model::RiskKind;
use crate::model::kinds;
use std::sync::LazyLock;

pub(super) static BACKTICK: Matcher = Matcher::leading(r"`([^`\n]{1,128})`", &["`"]);
pub(super) static IDENT: Matcher = Matcher::new(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$", &[]);
pub(super) static SVC_SUFFIX: Matcher = Matcher::new(
    r"(?i)[-_](?:api|service|svc|worker|web|gateway|consumer|server|app)$",
    &[
        "api", "service", "svc", "worker", "web", "gateway", "consumer", "server", "app",
    ],
);
pub(super) static SVC_AFTER: Matcher = Matcher::new(
    r"(?i)^\s+(?:service|api|worker|microservice|deployment|consumer)(?-u:\b)",
    &[
        "service",
        "api",
        "worker",
        "microservice",
        "deployment",
        "consumer",
    ],
);
pub(super) static SVC_BEFORE: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:service|services|worker|workers)\s+$",
    &["service", "worker"],
);
pub(super) static SVC_WORD_NEXT: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)\s+(?:service|api|worker|microservice)(?-u:\b)",
    &["service", "api", "worker", "microservice"],
)
.and(&["-", "_"]);
pub(super) static SVC_WORD_SUFFIX: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:api|service|svc|worker|gateway|consumer))(?-u:\b)",
    &[
        "-api",
        "-service",
        "-svc",
        "-worker",
        "-gateway",
        "-consumer",
    ],
);
pub(super) static STRATEGY: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(blue[-/ ]green|canary|rolling(?:\s+(?:update|deploy[[:word:]]*|restart|upgrade))?|recreate)(?-u:\b)",
    &["blue", "canary", "rolling", "recreate"],
);
pub(super) static ROLLING_BACK: Matcher = Matcher::new(r"(?i)^rolling\s+back", &["rolling"]);
// "cluster `prod-billing`", "ECS cluster prod-billing", "prod-billing cluster".
pub(super) static CLUSTER_AFTER: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:ecs|eks|gke|aks|kubernetes|k8s)?\s*cluster\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9][A-Za-z0-9_.:/-]{0,99})`",
    &["cluster"],
);
pub(super) static STORE_CLUSTER: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:cluster|instance)(?:\s+(?:id|identifier|name))?\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9][A-Za-z0-9-]{0,62})`",
    &["cluster", "instance"],
);
pub(super) static STORE_DATABASE: Matcher = Matcher::new(
    r"(?i)(?-u:\b)database\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9_$][A-Za-z0-9_$-]{0,63})`",
    &["database"],
);
pub(super) static PITR: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(point[- ]in[- ]time[- ]recovery|pitr|continuous\s+backups?)(?-u:\b)",
    &["point", "pitr", "continuous"],
);
pub(super) static RESTORE_TEST: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:last\s+)?(?:tested\s+)?restore(?:\s+test(?:ed)?)?(?:\s+(?:on|was|at))?\s*:?\s+([0-9]{4}-[0-9]{2}-[0-9]{2})(?-u:\b)",
    &["restore"],
);
pub(super) static NS_BEFORE: Matcher = Matcher::new(
    r"(?i)`?([a-z0-9][a-z0-9-]{0,62})`?\s+(?:kubernetes\s+|k8s\s+)?namespace(?-u:\b)",
    &["namespace"],
);
pub(super) static NS_AFTER: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)namespace\s*(?:[:=]|is)?\s*`?([a-z0-9][a-z0-9-]{0,62})`?",
    &["namespace"],
);
pub(super) static REGION: Matcher = Matcher::new(
    r"(?i)(?-u:\b)((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9])(?-u:\b)",
    &["north", "south", "east", "west", "central"],
);
pub(super) static REPLICAS: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([0-9]{1,5})\s+(?:replicas|pods|tasks)(?-u:\b)|(?-u:\b)replicas\s*[:=]\s*([0-9]{1,5})(?-u:\b)",
    &["replicas", "pods", "tasks"],
);
pub(super) static URL: Matcher = Matcher::leading(r#"https?://[^\s<>()\[\]`'"]+"#, &["http"]);
pub(super) static HEALTH_END: Matcher = Matcher::new(
    r"(?i)/(?:healthz?|readyz?|livez?|_health|healthcheck|health-check|ping|ready|status)/?$",
    &["health", "ready", "live", "ping", "status"],
);
pub(super) static HOSTING: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(rds|aurora|cloud\s*sql|self[- ](?:hosted|managed))(?-u:\b)",
    &["rds", "aurora", "cloud", "self"],
);
pub(super) static SIZE: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*(tb|tib|gb|gib|mb|mib)(?-u:\b)",
    &["tb", "tib", "gb", "gib", "mb", "mib"],
);
pub(super) static DB_WORD: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(database|db|table|tables|dataset)(?-u:\b)",
    &["database", "db", "table", "dataset"],
);
pub(super) static MIGRATION: Matcher = Matcher::found(
    kinds::migration::DECLARATION
        .recogniser
        .trigger("schema migration"),
);
pub(super) static NOT_SCHEMA: Matcher = Matcher::of(&kinds::migration::NOT_SCHEMA);
// What a service serves, when the brief says so: its signals are its own (issue 10).
pub(super) static SERVES_GRPC: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:grpc|protobuf)(?-u:\b)",
    &["grpc", "protobuf"],
);
pub(super) static SERVES_QUEUE: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:(?:queue|stream|kafka|rabbitmq|sqs|pub/?sub|nats|kinesis|message)\s+(?:consumer|worker|subscriber|processor)s?|consumer|consumes|consuming|subscriber|subscribes|(?:takes|reads|pulls|receives)\s+messages|messages\s+from\s+(?:the\s+)?(?:[[:word:]`.-]+\s+)?(?:queue|topic|stream|subscription))(?-u:\b)",
    &["consum", "subscrib", "messages", "worker", "processor"],
)
.and(&[
    "queue", "stream", "kafka", "rabbitmq", "sqs", "pub", "nats", "kinesis", "message", "consum",
    "subscri",
]);
pub(super) static SERVES_BATCH: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:cron\s*jobs?|cron|batch\s+jobs?|nightly\s+(?:batch|job|run|export|import)|scheduled\s+(?:job|task|run)s?|runs\s+(?:daily|nightly|hourly|every\s+(?:day|night|hour)))(?-u:\b)",
    &[
        "cron",
        "batch",
        "nightly",
        "scheduled",
        "daily",
        "hourly",
        "every",
    ],
);
pub(super) static DESTRUCTIVE: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:drop|drops|dropped|dropping|delete|deletes|deleted|deleting|truncate|truncates|truncated|truncating|purge|purges|purged|purging|overwrite|overwrites|overwritten|overwriting|(?:remove|removes|removed|removing)\s+(?:the\s+|a\s+)?(?:[[:word:]`.]+\s+)?(?:column|table)s?)(?-u:\b)",
    &["drop", "delet", "truncat", "purg", "overwrit", "remov"],
);
// What follows a destructive verb when nothing with data is destroyed: an index, a constraint,
// a view, a trigger or a function is rebuilt from the data or the code.
pub(super) static NO_DATA_OBJECT: Matcher = Matcher::new(
    r"(?i)^\s+(?:(?:index|constraint|view|trigger|function)\s+)?(?:concurrently\s+)?(?:if\s+exists\s+)?(?:the\s+|an?\s+|unused\s+|old\s+|legacy\s+)*(?:[[:word:]`.-]+\s+)?(?:index|indexes|indices|constraint|constraints|view|views|trigger|triggers|function|functions)(?-u:\b)|^\s+(?:index|constraint|view|trigger|function)(?-u:\b)",
    &[
        "index",
        "indexes",
        "indices",
        "constraint",
        "view",
        "trigger",
        "function",
    ],
);
pub(super) static IRREVERSIBLE: Matcher = Matcher::leading(
    r"(?i)(?:cannot|can't|can’t|can\s+not)\s+be\s+(?:undone|reversed|rolled\s+back)|(?-u:\b)irreversible(?-u:\b)|(?-u:\b)not\s+reversible(?-u:\b)|(?-u:\b)one[- ]way(?-u:\b)|(?-u:\b)no\s+way\s+back(?-u:\b)|(?-u:\b)no\s+going\s+back(?-u:\b)",
    &["can", "irreversible", "one", "no"],
)
.and(&["undone", "revers", "rolled", "way", "going"]);
// A point of no return: a boundary inside the change's life, not a statement that the whole
// change cannot be undone.
pub(super) static POINT_OF_NO_RETURN: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)points?\s+of\s+no\s+return(?-u:\b)",
    &["point"],
);
pub(super) static COMPAT: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(backwards?[- ]compatible|backwards?[- ]incompatible|old\s+code\s+keeps\s+working|(?:old|previous)\s+(?:version|code|release)\s+(?:keeps|continues|will\s+keep|will\s+continue)\s+(?:to\s+)?work(?:ing)?|breaking)(?-u:\b)",
    &["compatible", "old", "previous", "breaking", "backward"],
);
pub(super) static FLAG: Matcher = Matcher::found(
    kinds::feature_flag::DECLARATION
        .recogniser
        .trigger("feature flag"),
);
pub(super) static FLAG_WORD_KEY: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:flag|toggle)\s+(?:named\s+|called\s+)?([a-z0-9]+(?:[-_.][a-z0-9]+)+)(?-u:\b)|(?-u:\b)([a-z0-9]+(?:[-_.][a-z0-9]+)+)\s+(?:feature\s+)?(?:flag|toggle)(?-u:\b)",
    &["flag", "toggle"],
);
pub(super) static PERCENT: Matcher = Matcher::new(r"([0-9]{1,3}(?:\.[0-9]+)?)\s?%", &["%"]);
pub(super) static FROM_TO_PERCENT: Matcher = Matcher::new(
    r"(?i)(?-u:\b)from\s+([0-9]{1,3}(?:\.[0-9]+)?)\s?%\s+to\s+([0-9]{1,3}(?:\.[0-9]+)?)\s?%",
    &["%"],
)
.and(&["from"]);
pub(super) static CONFIG: Matcher = Matcher::found(
    kinds::config::DECLARATION
        .recogniser
        .trigger("configuration"),
);
pub(super) static UPPER_KEY: Matcher = Matcher::new(r"^[A-Z][A-Z0-9_]{2,}$", &[]);
pub(super) static INFRA: Matcher = Matcher::found(
    kinds::infrastructure::DECLARATION
        .recogniser
        .trigger("infrastructure"),
);
pub(super) static BUMP: Matcher = Matcher::found(
    kinds::dependency::DECLARATION
        .recogniser
        .trigger("dependency"),
);
pub(super) static DEP_WORD: Matcher = Matcher::also(
    kinds::dependency::DECLARATION
        .recogniser
        .trigger("dependency"),
);
pub(super) static FROM_TO: Matcher = Matcher::new(
    // A version has a dot or a `v`: "from 2025 to 2026" (a year) and "from 4 to 5" (a value)
    // are not releases. The arrow forms are how tickets and tables write it.
    r"(?i)(?:(?-u:\b)from\s+`?(v[0-9][[:word:].+-]*|[0-9]+\.[0-9][[:word:].+-]*)`?\s+to\s+`?(v[0-9][[:word:].+-]*|[0-9]+\.[0-9][[:word:].+-]*)`?|(?-u:\b)`?(v?[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-[[:word:].]+)?)`?\s*(?:->|=>|→|⇒)\s*`?(v?[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-[[:word:].]+)?)(?-u:\b)`?)",
    &["from", "->", "=>", "→", "⇒"],
);
pub(super) static EMAIL: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("email"),
);
pub(super) static SEND_VERB: Matcher = Matcher::also(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("email"),
);
pub(super) static SMS: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("sms"),
);
pub(super) static PUSH: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("push notification"),
);
pub(super) static WEBHOOK: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("webhook"),
);
pub(super) static WEBHOOK_SENT: Matcher = Matcher::also(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("webhook"),
);
pub(super) static PAYMENT: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("payment"),
);
pub(super) static TRADE: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("trade"),
);
pub(super) static BROKER: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("event published"),
);
pub(super) static PUBLISH: Matcher = Matcher::also(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("event published"),
);
pub(super) static PARTNER: Matcher = Matcher::found(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("third party data"),
);
pub(super) static SHARE_VERB: Matcher = Matcher::also(
    kinds::external_side_effect::DECLARATION
        .recogniser
        .trigger("third party data"),
);
pub(super) static RECIPIENTS: Matcher = Matcher::new(
    r"(?i)(?-u:\b)to\s+((?:all\s+|every\s+|our\s+|existing\s+)?(?:[0-9][0-9,]*\s+)?(?:customers|users|merchants|partners|subscribers|members|clients))(?-u:\b)",
    &[
        "customers",
        "users",
        "merchants",
        "partners",
        "subscribers",
        "members",
        "clients",
    ],
);
pub(super) static VOLUME: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*(k|m|thousand|million)?\s+(?:emails|messages|notifications|sms|charges|webhooks|customers|users|recipients)(?-u:\b)",
    &[
        "emails",
        "messages",
        "notifications",
        "sms",
        "charges",
        "webhooks",
        "customers",
        "users",
        "recipients",
    ],
);
pub(super) static BACKFILL: Matcher = Matcher::found(
    kinds::data_operation::DECLARATION
        .recogniser
        .trigger("backfill"),
);
pub(super) static BULK_DELETE: Matcher = Matcher::found(
    kinds::data_operation::DECLARATION
        .recogniser
        .trigger("bulk delete"),
);
pub(super) static BULK_UPDATE: Matcher = Matcher::found(
    kinds::data_operation::DECLARATION
        .recogniser
        .trigger("bulk update"),
);
pub(super) static SCRIPT: Matcher = Matcher::found(
    kinds::data_operation::DECLARATION
        .recogniser
        .trigger("script against production"),
);
pub(super) static TABLE: Matcher = Matcher::new(
    r"(?i)`?([A-Za-z_][[:word:].]{0,62})`?\s+(?:table|collection)(?-u:\b)|(?-u:\b)(?:table|collection)\s+`?([A-Za-z_][[:word:].]{0,62})`?",
    &["table", "collection"],
);
pub(super) static ROWS: Matcher = Matcher::new(
    r"(?i)(?-u:\b)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*(k|m|million|billion|thousand)?\s+(?:rows|records|documents)(?-u:\b)",
    &["rows", "records", "documents"],
);
pub(super) static BATCHED: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(in\s+batches|batched|batches\s+of|batch\s+size|in\s+chunks)(?-u:\b)",
    &["batch", "chunks"],
);
pub(super) static SQL_DESTRUCTIVE: Matcher = Matcher::new(
    // An index holds no data of its own: dropping one slows queries, it loses nothing.
    r"(?i)(?-u:\b)(drop\s+(?:table|column|schema|database)|truncate|delete\s+from)(?-u:\b)",
    // Read in code blocks, which are copies: not gated.
    &[],
);
pub(super) static ROLE_NAME: Matcher = Matcher::new(
    r"(?i:(release\s+captain|rollback\s+owner|incident\s+commander|decision[- ]maker))\s*(?:is|:|-|–|—|=)?\s*(@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)",
    &["captain", "owner", "commander", "maker"],
);
pub(super) static DECIDES: Matcher = Matcher::new(
    r"(@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:\(([^)]{1,60})\)\s+)?(?i:decides|makes\s+the\s+(?:rollback\s+)?call|owns\s+the\s+rollback)",
    &["decides", "makes", "owns"],
);
pub(super) static DEPLOYER: Matcher = Matcher::leading(
    r"(?i:deployer|deployed\s+by|executed\s+by|driven\s+by)\s*:?\s*(@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)",
    &["deployer", "deployed", "executed", "driven"],
);
pub(super) static APPROVERS: Matcher = Matcher::leading(
    r"(?i:approv(?:ed|al|als|er|ers)(?:\s+(?:from|by))?)\s*:?\s*((?:@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:\s*(?:,|and|&)\s*(?:@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))*)",
    &["approv"],
);
pub(super) static NAME: Matcher = Matcher::new(
    r"@[[:word:]-]+(?:\.[[:word:]-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?",
    &[],
);
pub(super) static CHANNEL: Matcher =
    Matcher::new(r"(?:^|[\s(`'\x22])(#[a-z0-9][a-z0-9._*-]{0,79})", &["#"]);
pub(super) static STATUS_PAGE: Matcher =
    Matcher::leading(r"(?i)(?-u:\b)status\s+page(?-u:\b)", &["status"]);
pub(super) static PLANNED: Matcher = Matcher::leading(
    r"(?-u:\b)([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2})(:[0-9]{2})?\s*(Z|UTC|[+-][0-9]{2}:?[0-9]{2})(\[[A-Za-z_]+(?:/[A-Za-z_+-]+)*\])?",
    &DIGITS,
);
/// Every digit: the words of a pattern whose matches start with one.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
pub(super) static VERSION_V: Matcher = Matcher::found(
    kinds::code::DECLARATION
        .recogniser
        .trigger("v-prefixed version"),
);
pub(super) static VERSION_SHIPPED: Matcher = Matcher::found(
    kinds::code::DECLARATION
        .recogniser
        .trigger("version shipped"),
);
pub(super) static VERSION_AFTER_NAME: Matcher = Matcher::found(
    kinds::code::DECLARATION
        .recogniser
        .trigger("name and version"),
);
pub(super) static VERSION_WORD: Matcher =
    Matcher::found(kinds::code::DECLARATION.recogniser.trigger("version named"));
pub(super) static PREVIOUS: Matcher = Matcher::leading(
    r"(?i)(?:\(\s*(?:from|was|previously)|(?-u:\b)(?:rolling\s+back\s+to|roll\s+back\s+to|rollback\s+target(?:\s+is)?:?|currently(?:\s+running|\s+on|\s+at)?|current\s+version(?:\s+is)?:?|previous\s+version(?:\s+is)?:?|(?:it|this|that)\s+was|last\s+known[- ]good(?:\s+version)?(?:\s+is)?:?))\s+`?(v?[0-9]+\.[0-9]+[[:word:].+-]*)`?",
    &[
        "(", "roll", "current", "previous", "it", "this", "that", "last",
    ],
);
// "cannot be undone", "has no supported downgrade", "irreversible": the brief saying there is no way back.
pub(super) static NO_WAY_BACK: Matcher = Matcher::any(&NO_WAY_BACK_ALTERNATIVES);
static NO_WAY_BACK_ALTERNATIVES: [Matcher; 3] = [
    Matcher::leading(
        r"(?i)(?-u:\b)(?:cannot|can't|can’t|can\s+not|could\s+not|won't|will\s+not)\s+(?:simply\s+|easily\s+|ever\s+)?(?:be\s+)?(?:undone|unsent|un-?sent|reversed|reverted|rolled\s+back|downgraded|downgrade[[:word:]]*|recalled|brought\s+back|reused|published\s+again|re-?released|retracted|unpublished|un-?deleted|recovered|changed|modified|amended|go\s+back|roll\s+back|revert)(?-u:\b)",
        &["can", "could", "won", "will"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:there\s+is\s+|has\s+|have\s+)?no\s+(?:[[:word:]-]+\s+){0,2}?(?:rollback|roll[- ]back|downgrade|back-?out|way\s+back|going\s+back|undo)(?-u:\b)",
        &["there", "has", "have", "no"],
    )
    .and(&["roll", "downgrade", "back", "undo"]),
    Matcher::leading(
        r"(?i)(?-u:\b)irreversibl[ey](?-u:\b)|(?-u:\b)not\s+reversible(?-u:\b)|(?-u:\b)one[- ]way(?-u:\b)|(?-u:\b)permanent(?:ly)?\s+(?:delet[[:word:]]*|remov[[:word:]]*|destroy[[:word:]]*|eras[[:word:]]*)(?-u:\b)|(?-u:\b)anti[- ]rollback(?-u:\b)|(?-u:\b)downgrades?\s+(?:is|are)\s+not\s+(?:supported|possible)(?-u:\b)",
        &[
            "irreversibl",
            "not",
            "one",
            "permanent",
            "anti",
            "downgrade",
        ],
    )
    .and(&[
        "revers", "way", "delet", "remov", "destroy", "eras", "rollback", "supported", "possible",
    ]),
];
// "no downgrade is needed": a no-way-back phrase that says nothing of the sort.
pub(super) static NOT_NEEDED_AFTER: Matcher = Matcher::new(
    r"(?i)^\s*(?:(?:is|are|will\s+be)\s+)?(?:needed|required|necessary|planned|expected)(?-u:\b)",
    &["needed", "required", "necessary", "planned", "expected"],
);
// Work the brief names: an action whose undo rollbook must know. Its alternatives, as
// MECHANISM's, group nothing: only the whole match is read.
pub(super) static ACTION: Matcher = Matcher::any(&ACTION_ALTERNATIVES);
static ACTION_ALTERNATIVES: [Matcher; 8] = [
    Matcher::leading(
        r"(?i)(?-u:\b)(?:upgrad(?:e|es|ed|ing))(?-u:\b)",
        &["upgrad"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:push(?:es|ed|ing)?\s+(?:[[:word:]`.-]+\s+){0,6}?to)(?-u:\b)",
        &["push"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:migrat(?:e|es|ed|ing)|cut(?:s|ting)?\s*over|cutover|rotat(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|wip(?:e|es|ed|ing)|re-?index[[:word:]]*|replac(?:e|es|ed|ing))(?-u:\b)",
        // Whole verbs, not stems: "migration" or "deletion" is no action here.
        &[
            "migrate",
            "migrating",
            "cut",
            "rotate",
            "rotating",
            "delete",
            "deleting",
            "wipe",
            "wiping",
            "reindex",
            "re-index",
            "replac",
        ],
    ),
    // Apart from the verbs above (no match of theirs starts where a failover does), so that
    // "failed" alone does not compile them.
    Matcher::leading(
        r"(?i)(?-u:\b)(?:fail(?:s|ing)?\s*over|failover)(?-u:\b)",
        &["fail"],
    )
    .and(&["over"]),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:switch(?:es|ed|ing)?\s+(?:[[:word:]`.-]+\s+){0,4}?(?:to|from|over))(?-u:\b)",
        &["switch"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:roll(?:s|ing)?\s+out\s+(?:[[:word:]`.-]+\s+){0,4}?to\s+(?:[[:word:]`.-]+\s+){0,3}?(?:fleet|hosts|nodes|devices|endpoints|servers|machines|routers|edge))(?-u:\b)",
        &["roll"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:decommission[[:word:]]*|re-?imag[[:word:]]*|flash(?:es|ed|ing)?|promot(?:e|es|ed|ing)|resync[[:word:]]*|reshard[[:word:]]*|rebalanc[[:word:]]*|re-?point[[:word:]]*)(?-u:\b)",
        &[
            "decommission",
            "reimag",
            "re-imag",
            "flash",
            "promot",
            "resync",
            "reshard",
            "rebalanc",
            "repoint",
            "re-point",
        ],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:mov(?:e|es|ed|ing)\s+(?:[[:word:]`.-]+\s+){0,4}?to)(?-u:\b)",
        &["mov"],
    ),
];
pub(super) static DESTRUCTION: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(delet[[:word:]]*|wip(?:e|es|ed|ing)|drop(?:s|ped|ping)?|purg[[:word:]]*|destroy[[:word:]]*|eras(?:e|es|ed|ing)|truncat[[:word:]]*)(?-u:\b)",
    &["delet", "wip", "drop", "purg", "destroy", "eras", "truncat"],
);
// A heading or ticket label that opens the brief's own backout.
pub(super) static BACKOUT_HEADING: Matcher = Matcher::new(
    r"(?i)^[^[:word:]]*(?:back-?out|roll-?back|revert|undo|fallback|recovery)(?:\s+(?:plan|procedure|steps|strategy|section))?[^[:word:]]*$",
    &["back", "roll", "revert", "undo", "recovery"],
);
// `–` and `—` as alternatives, not in a class: a class holding them compiles only with Unicode.
pub(super) static BACKOUT_LABEL: Matcher = Matcher::new(
    r"(?i)^[^[:word:]]*(?:back-?out|roll-?back|revert|undo|fallback)(?:\s+(?:plan|procedure|steps|strategy))?\s*\**\s*(?:[:-]|–|—)\s*\**\s*",
    &["back", "roll", "revert", "undo"],
)
.and(&[":", "-", "–", "—"]);
// A ticket line `Backout: …` inside a longer paragraph: the rest of the line is the backout.
pub(super) static BACKOUT_LINE: Matcher = Matcher::new(
    r"(?im)^[\s*_>-]*(?:back-?out|roll-?back|revert|undo|fallback)(?:\s+(?:plan|procedure|steps|strategy))?\s*\**\s*:\s*\**\s*(\S[^\n]*)$",
    &["back", "roll", "revert", "undo"],
)
.and(&[":"]);
// A rollback mechanism the brief names, wherever it is.
pub(super) static MECHANISM: Matcher = Matcher::any(&MECHANISM_ALTERNATIVES);
static MECHANISM_ALTERNATIVES: [Matcher; 10] = [
    Matcher::leading(r"(?i)(?-u:\b)(?:kill[- ]?switch[[:word:]]*)", &["kill"]),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:known[- ]good\s+(?:[[:word:]]+\s+)?(?:config[[:word:]]*|image|version|state|build|release|snapshot))",
        &["known"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:saved\s+(?:[[:word:]]+\s+)?config[[:word:]]*)",
        &["saved"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:commit\s+confirmed|previous\s+alias)",
        &["commit", "previous"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:(?:old|previous)\s+(?:node\s+)?(?:pool|cluster|replica|environment|stack|platform)\s+(?:[[:word:]]+\s+){0,2}?(?:is\s+|are\s+|stays?\s+|remains?\s+)?(?:kept|running|untouched|in\s+place|available))",
        &["old", "previous"],
    )
    .and(&["pool", "cluster", "replica", "environment", "stack", "platform"]),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:toggl[[:word:]]*\s+(?:[[:word:]]+\s+){0,2}?(?:off|back))",
        &["toggl"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:(?:roll(?:s|ed|ing)?\s+back|revert[[:word:]]*|back(?:s|ed|ing)?\s+out)\s+(?:[[:word:]]+\s+){0,3}?by(?-u:\b))",
        &["roll", "revert", "back"],
    )
    .and(&["by"]),
    Matcher::new(
        r"(?i)(?-u:\b)(?:to\s+(?:roll\s+back|revert|back\s+out|undo)(?-u:\b))",
        &["roll", "revert", "back", "undo"],
    ),
    Matcher::new(
        r"(?i)(?-u:\b)(?:(?:switch(?:es|ing)?|go(?:es|ing)?|roll(?:s|ing)?|mov(?:e|es|ing)|way)\s+back\s*(?:is|means|=|:)|^\s*back\s*[=:])",
        &["back"],
    ),
    Matcher::leading(
        r"(?i)(?-u:\b)(?:(?:previous|old|prior)\s+(?:[[:word:]`./-]+\s+){0,3}?(?:is|are|stays?|remains?)\s+(?:kept|on\s+disk|in\s+place|available|retained|untouched)(?-u:\b))",
        &["previous", "old", "prior"],
    )
    .and(&["kept", "disk", "place", "available", "retained", "untouched"]),
];
// A table row whose first cell names the backout: `| back | switch over again |`.
pub(super) static BACKOUT_ROW: Matcher = Matcher::new(
    r"(?im)^\s*\|\s*\**(?:back-?out|roll-?back|revert|undo|fallback|back|way\s+back)(?:\s+(?:plan|procedure|steps|strategy))?\**\s*\|\s*([^|\n]*[^|\s][^|\n]*)\|",
    &["back", "roll", "revert", "undo"],
)
.and(&["|"]);
pub(super) static NO_RISK: Matcher = Matcher::new(
    r"(?i)^\s*(?:none|n/a|no\s+(?:known\s+)?risks?)(?-u:\b)",
    &["no", "n/a"],
)
.and(&["none", "n/a", "risk"]);
pub(super) static TICKET: Matcher = Matcher::new(
    r"(?i)/pull/[0-9]|/merge_requests/[0-9]|/browse/[A-Z]+-[0-9]|/issues/[0-9]",
    &["/pull/", "/merge_requests/", "/browse/", "/issues/"],
);

/// The known risks a sentence names.
pub(super) static RISKS: [(Matcher, RiskKind); 10] = [
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(first\s+deploy(?:ment)?\s+(?:to|on)|new\s+(?:cluster|infrastructure|region|account)|newly\s+provisioned|first\s+time\s+on)(?-u:\b)",
            &["first", "new"],
        )
        .and(&[
            "deploy", "cluster", "infrastructure", "region", "account", "provisioned", "time",
        ]),
        RiskKind::FirstDeployToNewInfrastructure,
    ),
    (
        Matcher::new(
            r"(?i)(?-u:\b)(major\s+refactor[[:word:]]*|rewrite|rewritten|re-?architect[[:word:]]*|large\s+refactor[[:word:]]*)(?-u:\b)",
            &["refactor", "rewrit", "architect"],
        ),
        RiskKind::MajorRefactor,
    ),
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(schema\s+migrations?|schema\s+changes?)(?-u:\b)",
            &["schema"],
        ),
        RiskKind::SchemaMigration,
    ),
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(third[- ]part(?:y|ies)|external\s+(?:api|apis|provider|vendor)|vendor\s+api)(?-u:\b)",
            &["third", "external", "vendor"],
        ),
        RiskKind::ThirdPartyDependency,
    ),
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(peak\s+traffic|black\s+friday|cyber\s+monday|holiday\s+(?:sale|season|traffic)|high\s+traffic|traffic\s+spike|peak\s+season|peak\s+hours|(?:big|seasonal|flash)\s+sale)(?-u:\b)",
            &[
                "peak", "black", "cyber", "holiday", "traffic", "sale", "big", "flash", "high",
                "seasonal",
            ],
        ),
        RiskKind::PeakTraffic,
    ),
    (
        Matcher::new(
            r"(?i)(?-u:\b)(large\s+(?:table|tables|data\s+volume|dataset)|(?:hundreds\s+of\s+)?millions\s+of\s+rows|billions?\s+(?:of\s+)?rows|[0-9]+(?:\.[0-9]+)?\s*(?:million|m|billion|b)\s+rows)(?-u:\b)",
            &["large", "rows"],
        ),
        RiskKind::LargeDataVolume,
    ),
    (
        Matcher::new(
            r"(?i)(?-u:\b)(no\s+staging(?:\s+parity)?|staging\s+(?:does\s+not|doesn't|cannot)\s+(?:match|mirror|reproduce)|not\s+tested\s+in\s+staging|staging\s+parity)(?-u:\b)",
            &["staging"],
        ),
        RiskKind::NoStagingParity,
    ),
    (
        Matcher::new(
            r"(?i)(?-u:\b)(another\s+team|other\s+teams?|cross-team|coordinat[[:word:]]+\s+with)(?-u:\b)",
            &["team", "coordinat"],
        ),
        RiskKind::CrossTeamDependency,
    ),
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(security|authentication|authorization|encryption|iam\s+(?:policy|policies|role|roles))(?-u:\b)",
            &[
                "security",
                "authentication",
                "authorization",
                "encryption",
                "iam",
            ],
        ),
        RiskKind::SecurityChange,
    ),
    (
        Matcher::leading(
            r"(?i)(?-u:\b)(compliance|gdpr|pci(?:[- ]dss)?|sox|hipaa|soc\s?2|regulators?|regulated|fca|core\s+banking|bank\s+accounts?|banking\s+(?:platform|system|group))(?-u:\b)",
            &[
                "compliance",
                "gdpr",
                "pci",
                "sox",
                "hipaa",
                "soc",
                "regulat",
                "fca",
                "banking",
                "bank",
                "core",
            ],
        ),
        RiskKind::Compliance,
    ),
];
// "2026-12-07 at 10:00 Europe/Amsterdam": a local time in a named zone.
pub(super) static LOCAL_IN_ZONE: Matcher = Matcher::new(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:,?\s+at\s+|\s+|T)([0-9]{1,2}:[0-9]{2})(?::([0-9]{2}))?\s*[(\[]?([A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)",
    &["/"],
);

// A zone after a time: an abbreviation of `spec::time::ZONE_ABBREVIATIONS` (a test keeps the two
// in step) or an IANA name.
macro_rules! zone_after_time {
    () => {
        r"\s*\(?(UTC|GMT|BST|WEST|WET|CEST|CET|EEST|EET|EST|EDT|ET|CDT|CT|MST|MDT|MT|PST|PDT|PT|JST|KST|SGT|HKT|AEST|AEDT|NZST|NZDT|[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)(?-u:\b)"
    };
}
// "2026-12-10 at 09:30 UTC", "2026-12-10 14:00 PT": a date and time with a zone abbreviation.
pub(super) static DATE_TIME_ABBREVIATED: Matcher = Matcher::new(
    concat!(
        r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:,?\s+at\s+|\s+|T)([0-9]{1,2}:[0-9]{2})",
        zone_after_time!()
    ),
    &[":"],
);
// "Tue 22:00 CET", "Friday at 17:30 PT": a weekday and a time in a zone, with no date.
pub(super) static WEEKDAY_TIME: Matcher = Matcher::new(
    concat!(
        r"(?i:(?-u:\b)(mon|tues?|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?)\.?,?\s+(?:at\s+)?([0-9]{1,2}:[0-9]{2})",
        zone_after_time!()
    ),
    &[":"],
);
// "One-line change in `footer.html`", "fixes the rounding in `cart.ts`": a source file of the
// shipped code is edited, so the deploy ships code even when no version is named.
pub(super) static CHANGED_SOURCE: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:change|changes|changed|edit|edits|edited|update|updates|updated|fix|fixes|fixed|tweak|tweaks|rewrite|rewrites)(?-u:\b)[^.`]{0,40}`([^`\s]{1,80}\.(?:html?|css|scss|sass|less|jsx?|tsx?|mjs|vue|svelte|astro|py|go|rb|java|kt|swift|rs|php|cs|erb|hbs|liquid|njk|mdx?))`",
    &["change", "edit", "update", "fix", "tweak", "rewrite"],
)
.and(&["`"]);
// "change freeze from 2026-12-18 to 2027-01-04", "code freeze starts 2026-12-18".
pub(super) static FREEZE: Matcher = Matcher::new(
    r"(?i)(?-u:\b)(?:change|code|deploy(?:ment)?|release|holiday|production)\s+freeze(?-u:\b)[^.\n]{0,40}?([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^.\n0-9]{0,20}?(?-u:\b)(?:to|until|till|through|thru|and)\s+([0-9]{4}-[0-9]{2}-[0-9]{2})|\s*(?:-|\u{2013}|\.\.)\s*([0-9]{4}-[0-9]{2}-[0-9]{2}))?",
    &["freeze"],
);

/// Every matcher of this file, for the word gate.
pub(super) static ALL: LazyLock<Vec<&'static Matcher>> = LazyLock::new(|| {
    let mut all: Vec<&'static Matcher> = vec![
        &BACKTICK,
        &IDENT,
        &SVC_SUFFIX,
        &SVC_AFTER,
        &SVC_BEFORE,
        &SVC_WORD_NEXT,
        &SVC_WORD_SUFFIX,
        &STRATEGY,
        &ROLLING_BACK,
        &CLUSTER_AFTER,
        &STORE_CLUSTER,
        &STORE_DATABASE,
        &PITR,
        &RESTORE_TEST,
        &NS_BEFORE,
        &NS_AFTER,
        &REGION,
        &REPLICAS,
        &URL,
        &HEALTH_END,
        &HOSTING,
        &SIZE,
        &DB_WORD,
        &MIGRATION,
        &NOT_SCHEMA,
        &DESTRUCTIVE,
        &SERVES_GRPC,
        &SERVES_QUEUE,
        &SERVES_BATCH,
        &NO_DATA_OBJECT,
        &IRREVERSIBLE,
        &COMPAT,
        &FLAG,
        &FLAG_WORD_KEY,
        &PERCENT,
        &FROM_TO_PERCENT,
        &CONFIG,
        &UPPER_KEY,
        &INFRA,
        &BUMP,
        &DEP_WORD,
        &FROM_TO,
        &EMAIL,
        &SEND_VERB,
        &SMS,
        &PUSH,
        &WEBHOOK,
        &WEBHOOK_SENT,
        &PAYMENT,
        &TRADE,
        &BROKER,
        &PUBLISH,
        &PARTNER,
        &SHARE_VERB,
        &RECIPIENTS,
        &VOLUME,
        &BACKFILL,
        &BULK_DELETE,
        &BULK_UPDATE,
        &SCRIPT,
        &TABLE,
        &ROWS,
        &BATCHED,
        &SQL_DESTRUCTIVE,
        &ROLE_NAME,
        &DECIDES,
        &DEPLOYER,
        &APPROVERS,
        &NAME,
        &CHANNEL,
        &STATUS_PAGE,
        &PLANNED,
        &VERSION_V,
        &VERSION_SHIPPED,
        &VERSION_WORD,
        &VERSION_AFTER_NAME,
        &PREVIOUS,
        &NO_WAY_BACK,
        &POINT_OF_NO_RETURN,
        &NOT_NEEDED_AFTER,
        &ACTION,
        &DESTRUCTION,
        &BACKOUT_HEADING,
        &BACKOUT_LABEL,
        &BACKOUT_LINE,
        &MECHANISM,
        &BACKOUT_ROW,
        &NO_RISK,
        &TICKET,
        &LOCAL_IN_ZONE,
        &FREEZE,
        &CHANGED_SOURCE,
        &DATE_TIME_ABBREVIATED,
        &WEEKDAY_TIME,
    ];
    all.extend(RISKS.iter().map(|(m, _)| m));
    all.extend(super::generic::matchers());
    all.extend(super::access::matchers());
    all.extend(super::client::matchers());
    all.extend(super::fleet::matchers());
    all.extend(super::network::matchers());
    all.extend(super::pickup::matchers());
    all.extend(super::platform::matchers());
    all.extend(super::streams::matchers());
    all
});
