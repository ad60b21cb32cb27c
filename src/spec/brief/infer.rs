//! The matchers: each finding becomes a spec value plus an assumption quoting its words.

use super::text::{self, Doc, Section, Sentence, UnitKind, collapse, negated, standalone};
use crate::base::Evidence;
use crate::base::parts::Assumption;
use crate::base::source::SourceFile;
use crate::model::*;
use regex::Regex;
use std::sync::LazyLock;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("static regex"));
    };
}

re!(BACKTICK, r"`([^`\n]{1,128})`");
re!(IDENT, r"^[A-Za-z][A-Za-z0-9_-]{0,62}$");
re!(
    SVC_SUFFIX,
    r"(?i)[-_](?:api|service|svc|worker|web|gateway|consumer|server|app)$"
);
re!(
    SVC_AFTER,
    r"(?i)^\s+(?:service|api|worker|microservice|deployment|consumer)\b"
);
re!(SVC_BEFORE, r"(?i)\b(?:service|services|worker|workers)\s+$");
re!(
    SVC_WORD_NEXT,
    r"(?i)\b([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)\s+(?:service|api|worker|microservice)\b"
);
re!(
    SVC_WORD_SUFFIX,
    r"(?i)\b([a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:api|service|svc|worker|gateway|consumer))\b"
);
re!(
    PLATFORM,
    r"(?i)\b(argo\s+rollouts?|argo\s*cd|helm|kubernetes|k8s|gke|eks|aks|ecs|fargate|lambda|cloud\s+run|systemd|virtual\s+machines?|vms?|ec2\s+(?:hosts?|instances?))\b"
);
re!(
    STRATEGY,
    r"(?i)\b(blue[-/ ]green|canary|rolling(?:\s+(?:update|deploy\w*|restart|upgrade))?|recreate)\b"
);
re!(ROLLING_BACK, r"(?i)^rolling\s+back");
// "cluster `prod-billing`", "ECS cluster prod-billing", "prod-billing cluster".
re!(
    CLUSTER_AFTER,
    r"(?i)\b(?:ecs|eks|gke|aks|kubernetes|k8s)?\s*cluster\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9][A-Za-z0-9_.:/-]{0,99})`"
);
re!(
    STORE_CLUSTER,
    r"(?i)\b(?:cluster|instance)(?:\s+(?:id|identifier|name))?\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9][A-Za-z0-9-]{0,62})`"
);
re!(
    STORE_DATABASE,
    r"(?i)\bdatabase\s*(?:[:=]|is|named)?\s*`([A-Za-z0-9_$][A-Za-z0-9_$-]{0,63})`"
);
re!(
    PITR,
    r"(?i)\b(point[- ]in[- ]time[- ]recovery|pitr|continuous\s+backups?)\b"
);
re!(
    RESTORE_TEST,
    r"(?i)\b(?:last\s+)?(?:tested\s+)?restore(?:\s+test(?:ed)?)?(?:\s+(?:on|was|at))?\s*:?\s+(\d{4}-\d{2}-\d{2})\b"
);
re!(
    NS_BEFORE,
    r"(?i)`?([a-z0-9][a-z0-9-]{0,62})`?\s+(?:kubernetes\s+|k8s\s+)?namespace\b"
);
re!(
    NS_AFTER,
    r"(?i)\bnamespace\s*(?:[:=]|is)?\s*`?([a-z0-9][a-z0-9-]{0,62})`?"
);
re!(
    REGION,
    r"(?i)\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b"
);
re!(
    REPLICAS,
    r"(?i)\b(\d{1,5})\s+(?:replicas|pods|tasks)\b|\breplicas\s*[:=]\s*(\d{1,5})\b"
);
re!(URL, r#"https?://[^\s<>()\[\]`'"]+"#);
re!(
    HEALTH_END,
    r"(?i)/(?:healthz?|readyz?|livez?|_health|healthcheck|health-check|ping|ready|status)/?$"
);
re!(
    ENGINE,
    r"(?i)\b(aurora\s+postgres(?:ql)?|aurora\s+mysql|postgres(?:ql)?|mysql|mariadb|redis|mongo(?:db)?)\b(?:\s+v?(\d{1,2}(?:\.\d{1,3}){0,2})\b)?"
);
re!(
    HOSTING,
    r"(?i)\b(rds|aurora|cloud\s*sql|self[- ](?:hosted|managed))\b"
);
re!(
    SIZE,
    r"(?i)\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(tb|tib|gb|gib|mb|mib)\b"
);
re!(DB_WORD, r"(?i)\b(database|db|table|tables|dataset)\b");
re!(
    MIGRATION,
    r"(?i)\b(?:(?:database|schema|db)\s+migrations?|migrations?|schema\s+changes?|(?:alter|create|drop)\s+table|(?:add|adds|adding|added)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w`]+\s+)?columns?|(?:create|creates|creating|add|adds|adding|build|builds|drop|drops|dropping)\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:unique\s+)?(?:[\w`]+\s+)?index(?:es)?|(?:drop|drops|dropping|remove|removes|removing|rename|renames|renaming)\s+(?:the\s+|a\s+)?(?:[\w`.]+\s+)?(?:column|table)s?)\b"
);
re!(
    DESTRUCTIVE,
    r"(?i)\b(?:drop|drops|dropped|dropping|delete|deletes|deleted|deleting|truncate|truncates|truncated|truncating|purge|purges|purged|purging|overwrite|overwrites|overwritten|overwriting|(?:remove|removes|removed|removing)\s+(?:the\s+|a\s+)?(?:[\w`.]+\s+)?(?:column|table)s?)\b"
);
re!(
    IRREVERSIBLE,
    r"(?i)(?:cannot|can't|can’t|can\s+not)\s+be\s+(?:undone|reversed|rolled\s+back)|\birreversible\b|\bnot\s+reversible\b|\bone[- ]way\b|\bno\s+way\s+back\b|\bno\s+going\s+back\b|\bpoint\s+of\s+no\s+return\b"
);
re!(
    COMPAT,
    r"(?i)\b(backwards?[- ]compatible|backwards?[- ]incompatible|old\s+code\s+keeps\s+working|(?:old|previous)\s+(?:version|code|release)\s+(?:keeps|continues|will\s+keep|will\s+continue)\s+(?:to\s+)?work(?:ing)?|breaking)\b"
);
re!(
    FLAG,
    r"(?i)\b(?:feature[- ]flags?|feature[- ]toggles?|flags?|toggles?)\b"
);
re!(
    FLAG_WORD_KEY,
    r"(?i)\b(?:flag|toggle)\s+(?:named\s+|called\s+)?([a-z0-9]+(?:[-_.][a-z0-9]+)+)\b|\b([a-z0-9]+(?:[-_.][a-z0-9]+)+)\s+(?:feature\s+)?(?:flag|toggle)\b"
);
re!(
    PROVIDER,
    r"(?i)\b(launch\s*darkly|unleash|flagsmith|flipt|configcat|growthbook|appconfig)\b"
);
re!(PERCENT, r"(\d{1,3}(?:\.\d+)?)\s?%");
re!(
    FROM_TO_PERCENT,
    r"(?i)\bfrom\s+(\d{1,3}(?:\.\d+)?)\s?%\s+to\s+(\d{1,3}(?:\.\d+)?)\s?%"
);
re!(
    CONFIG,
    r"(?i)\b(config(?:uration)?\s+(?:change|changes|key|keys|value|values|update|updates)|configmap|environment\s+variables?|env\s+vars?|ssm\s+parameters?|parameter\s+store)\b"
);
re!(UPPER_KEY, r"^[A-Z][A-Z0-9_]{2,}$");
re!(
    INFRA,
    r"(?i)\b(terraform|opentofu|cloudformation|pulumi|(?:eks|gke|aks|kubernetes|k8s|cluster)\s+(?:version\s+)?upgrade|upgrad\w*\s+(?:the\s+)?(?:eks\s+|gke\s+|aks\s+|kubernetes\s+|k8s\s+)?cluster)\b"
);
re!(BUMP, r"(?i)\b(bump\w*|upgrad\w*|updat\w*)\b");
re!(
    DEP_WORD,
    r"(?i)\b(dependency|dependencies|library|package|sdk|runtime|base\s+image|gem|crate|node\.?js|jdk)\b"
);
re!(
    FROM_TO,
    r"(?i)\bfrom\s+`?(v?\d[\w.+-]*)`?\s+to\s+`?(v?\d[\w.+-]*)`?"
);
re!(EMAIL, r"(?i)\b(e-?mails?)\b");
re!(
    SEND_VERB,
    r"(?i)\b(send|sends|sending|sent|trigger|triggers|triggered|dispatch\w*|notif\w*|receive|receives|go\s+out|goes\s+out|deliver\w*)\b"
);
re!(SMS, r"(?i)\b(sms|text\s+messages?)\b");
re!(PUSH, r"(?i)\bpush\s+notifications?\b");
re!(WEBHOOK, r"(?i)\bwebhooks?\b");
re!(
    PAYMENT,
    r"(?i)\b(charging|charged|charges?\s+(?:the\s+|all\s+|their\s+)?(?:customers|cards|users|accounts)|refunding|refunded|(?:process\w*|captur\w*|collect\w*|tak(?:e|es|ing)|mak(?:e|es|ing)|initiat\w*|issu\w*|send\w*|trigger\w*)\s+(?:\w+\s+){0,2}?(?:payments?|refunds?|payouts?))\b"
);
re!(TRADE, r"(?i)\btrades?\b");
re!(
    BROKER,
    r"(?i)\b(kafka|sns|eventbridge|kinesis|rabbitmq|pub/sub)\b"
);
re!(PUBLISH, r"(?i)\b(publish\w*|emit\w*|produc\w*|events?)\b");
re!(PARTNER, r"(?i)\bpartners?\b");
re!(
    SHARE_VERB,
    r"(?i)\b(send\w*|sent|sync\w*|export\w*|shar\w*|upload\w*|forward\w*)\b"
);
re!(
    RECIPIENTS,
    r"(?i)\bto\s+((?:all\s+|every\s+|our\s+|existing\s+)?(?:\d[\d,]*\s+)?(?:customers|users|merchants|partners|subscribers|members|clients))\b"
);
re!(
    VOLUME,
    r"(?i)\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|thousand|million)?\s+(?:emails|messages|notifications|sms|charges|webhooks|customers|users|recipients)\b"
);
re!(BACKFILL, r"(?i)\bbackfill(?:s|ed|ing)?\b");
re!(
    BULK_DELETE,
    r"(?i)\b(?:bulk[- ]delet\w*|(?:delete|deletes|deleting|purge|purges|purging)\s+(?:[\w,]+\s+){0,3}?(?:rows|records|documents|entries|data))\b"
);
re!(
    BULK_UPDATE,
    r"(?i)\b(?:bulk[- ]updat\w*|(?:update|updates|updating|rewrite|rewrites|rewriting|overwrite|overwrites|overwriting)\s+(?:[\w,]+\s+){0,3}?(?:rows|records|documents|entries))\b"
);
re!(
    SCRIPT,
    r"(?i)\b(?:(?:one-off\s+)?script\s+(?:against|on|in)\s+(?:the\s+)?prod(?:uction)?|(?:run|runs|running)\s+(?:a\s+|the\s+)?(?:one-off\s+)?script)\b"
);
re!(
    TABLE,
    r"(?i)`?([A-Za-z_][\w.]{0,62})`?\s+(?:table|collection)\b|\b(?:table|collection)\s+`?([A-Za-z_][\w.]{0,62})`?"
);
re!(
    ROWS,
    r"(?i)\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|million|billion|thousand)?\s+(?:rows|records|documents)\b"
);
re!(
    BATCHED,
    r"(?i)\b(in\s+batches|batched|batches\s+of|batch\s+size|in\s+chunks)\b"
);
re!(
    SQL_DESTRUCTIVE,
    r"(?i)\b(drop\s+(?:table|column|index|schema|database)|truncate|delete\s+from)\b"
);
re!(
    TOOL,
    r"(?i)\b(flyway|liquibase|alembic|rails|django|golang-migrate|goose|dbmate|sqlx|diesel|prisma|sqitch|knex|ecto|typeorm|sequelize|ef\s+core|laravel)\b"
);
re!(METRICS, r"(?i)\b(prometheus|datadog|cloudwatch)\b");
re!(
    ROLE_NAME,
    r"(?i:(release\s+captain|rollback\s+owner|incident\s+commander|decision[- ]maker))\s*(?:is|:|-|–|—|=)?\s*(@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
);
re!(
    DECIDES,
    r"(@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:\(([^)]{1,60})\)\s+)?(?i:decides|makes\s+the\s+(?:rollback\s+)?call|owns\s+the\s+rollback)"
);
re!(
    DEPLOYER,
    r"(?i:deployer|deployed\s+by|executed\s+by|driven\s+by)\s*:?\s*(@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
);
re!(
    APPROVERS,
    r"(?i:approv(?:ed|al|als|er|ers)(?:\s+(?:from|by))?)\s*:?\s*((?:@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:\s*(?:,|and|&)\s*(?:@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))*)"
);
re!(NAME, r"@[\w-]+(?:\.[\w-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?");
re!(CHANNEL, r"(?:^|[\s(`'\x22])(#[a-z0-9][a-z0-9._*-]{0,79})");
re!(STATUS_PAGE, r"(?i)\bstatus\s+page\b");
re!(
    PLANNED,
    r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?\s*(Z|UTC|[+-]\d{2}:?\d{2})(\[[A-Za-z_]+(?:/[A-Za-z_+-]+)*\])?"
);
re!(VERSION_V, r"(?i)\bv(\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?)\b");
// "shipping billing-api 5.2.0": a version right after the deployed thing's name, `v` or not.
re!(
    VERSION_SHIPPED,
    r"(?i)\b(?:shipping|deploying|releasing|rolling\s+out|upgrading)\s+`?[a-z][\w./-]*`?\s+`?(v?\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?)\b`?"
);
re!(
    VERSION_WORD,
    r"(?i)\b(?:version|release|tag|becomes|will\s+be)\s*:?\s+`?(v?\d+\.\d+[\w.+-]*)`?"
);
re!(
    PREVIOUS,
    r"(?i)\b(?:rolling\s+back\s+to|roll\s+back\s+to|rollback\s+target(?:\s+is)?:?|currently(?:\s+running|\s+on|\s+at)?|current\s+version(?:\s+is)?:?|previous\s+version(?:\s+is)?:?|(?:it|this|that)\s+was|last\s+known[- ]good(?:\s+version)?(?:\s+is)?:?)\s+`?(v?\d+\.\d+[\w.+-]*)`?"
);
// "cannot be undone", "has no supported downgrade", "irreversible": the brief saying there is no way back.
re!(
    NO_WAY_BACK,
    r"(?i)\b(?:cannot|can't|can’t|can\s+not|could\s+not|won't|will\s+not)\s+(?:simply\s+|easily\s+|ever\s+)?(?:be\s+)?(?:undone|unsent|un-?sent|reversed|reverted|rolled\s+back|downgraded|downgrade\w*|recalled|brought\s+back|reused|published\s+again|re-?released|retracted|unpublished|un-?deleted|recovered|changed|modified|amended|go\s+back|roll\s+back|revert)\b|\b(?:there\s+is\s+|has\s+|have\s+)?no\s+(?:[\w-]+\s+){0,2}?(?:rollback|roll[- ]back|downgrade|back-?out|way\s+back|going\s+back|undo)\b|\birreversibl[ey]\b|\bnot\s+reversible\b|\bone[- ]way\b|\bpoint\s+of\s+no\s+return\b|\bpermanent(?:ly)?\s+(?:delet\w*|remov\w*|destroy\w*|eras\w*)\b|\banti[- ]rollback\b|\bdowngrades?\s+(?:is|are)\s+not\s+(?:supported|possible)\b"
);
// "no downgrade is needed": a no-way-back phrase that says nothing of the sort.
re!(
    NOT_NEEDED_AFTER,
    r"(?i)^\s*(?:(?:is|are|will\s+be)\s+)?(?:needed|required|necessary|planned|expected)\b"
);
// Work the brief names: an action whose undo rollbook must know.
re!(
    ACTION,
    r"(?i)\b(upgrad(?:e|es|ed|ing)|push(?:es|ed|ing)?\s+(?:[\w`.-]+\s+){0,6}?to|migrat(?:e|es|ed|ing)|cut(?:s|ting)?\s*over|cutover|rotat(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|wip(?:e|es|ed|ing)|re-?index\w*|fail(?:s|ing)?\s*over|failover|replac(?:e|es|ed|ing)|switch(?:es|ed|ing)?\s+(?:[\w`.-]+\s+){0,4}?(?:to|from|over)|roll(?:s|ing)?\s+out\s+(?:[\w`.-]+\s+){0,4}?to\s+(?:[\w`.-]+\s+){0,3}?(?:fleet|hosts|nodes|devices|endpoints|servers|machines|routers|edge)|decommission\w*|re-?imag\w*|flash(?:es|ed|ing)?|promot(?:e|es|ed|ing)|resync\w*|reshard\w*|rebalanc\w*|re-?point\w*|mov(?:e|es|ed|ing)\s+(?:[\w`.-]+\s+){0,4}?to)\b"
);
re!(
    DESTRUCTION,
    r"(?i)\b(delet\w*|wip(?:e|es|ed|ing)|drop(?:s|ped|ping)?|purg\w*|destroy\w*|eras(?:e|es|ed|ing)|truncat\w*)\b"
);
// A heading or ticket label that opens the brief's own backout.
re!(
    BACKOUT_HEADING,
    r"(?i)^\W*(?:back-?out|roll-?back|revert|undo|fallback|recovery)(?:\s+(?:plan|procedure|steps|strategy|section))?\W*$"
);
re!(
    BACKOUT_LABEL,
    r"(?i)^\W*(?:back-?out|roll-?back|revert|undo|fallback)(?:\s+(?:plan|procedure|steps|strategy))?\s*\**\s*[:–—-]\s*\**\s*"
);
// A ticket line `Backout: …` inside a longer paragraph: the rest of the line is the backout.
re!(
    BACKOUT_LINE,
    r"(?im)^[\s*_>-]*(?:back-?out|roll-?back|revert|undo|fallback)(?:\s+(?:plan|procedure|steps|strategy))?\s*\**\s*:\s*\**\s*(\S[^\n]*)$"
);
// A rollback mechanism the brief names, wherever it is.
re!(
    MECHANISM,
    r"(?i)\b(kill[- ]?switch\w*|known[- ]good\s+(?:\w+\s+)?(?:config\w*|image|version|state|build|release|snapshot)|saved\s+(?:\w+\s+)?config\w*|commit\s+confirmed|previous\s+alias|(?:old|previous)\s+(?:node\s+)?(?:pool|cluster|replica|environment|stack|platform)\s+(?:\w+\s+){0,2}?(?:is\s+|are\s+|stays?\s+|remains?\s+)?(?:kept|running|untouched|in\s+place|available)|toggl\w*\s+(?:\w+\s+){0,2}?(?:off|back)|(?:roll(?:s|ed|ing)?\s+back|revert\w*|back(?:s|ed|ing)?\s+out)\s+(?:\w+\s+){0,3}?by\b|to\s+(?:roll\s+back|revert|back\s+out|undo)\b)"
);
re!(NO_RISK, r"(?i)^\s*(?:none|n/a|no\s+(?:known\s+)?risks?)\b");
re!(
    TICKET,
    r"(?i)/pull/\d|/merge_requests/\d|/browse/[A-Z]+-\d|/issues/\d"
);

const RISK_PATTERNS: [(&str, RiskKind); 10] = [
    (
        r"(?i)\b(first\s+deploy(?:ment)?\s+(?:to|on)|new\s+(?:cluster|infrastructure|region|account)|newly\s+provisioned|first\s+time\s+on)\b",
        RiskKind::FirstDeployToNewInfrastructure,
    ),
    (
        r"(?i)\b(major\s+refactor\w*|rewrite|rewritten|re-?architect\w*|large\s+refactor\w*)\b",
        RiskKind::MajorRefactor,
    ),
    (
        r"(?i)\b(schema\s+migrations?|schema\s+changes?)\b",
        RiskKind::SchemaMigration,
    ),
    (
        r"(?i)\b(third[- ]part(?:y|ies)|external\s+(?:api|apis|provider|vendor)|vendor\s+api)\b",
        RiskKind::ThirdPartyDependency,
    ),
    (
        r"(?i)\b(peak\s+traffic|black\s+friday|cyber\s+monday|holiday\s+(?:sale|season|traffic)|high\s+traffic|traffic\s+spike|peak\s+season|peak\s+hours|(?:big|seasonal|flash)\s+sale)\b",
        RiskKind::PeakTraffic,
    ),
    (
        r"(?i)\b(large\s+(?:table|tables|data\s+volume|dataset)|(?:hundreds\s+of\s+)?millions\s+of\s+rows|billions?\s+(?:of\s+)?rows|\d+(?:\.\d+)?\s*(?:million|m|billion|b)\s+rows)\b",
        RiskKind::LargeDataVolume,
    ),
    (
        r"(?i)\b(no\s+staging(?:\s+parity)?|staging\s+(?:does\s+not|doesn't|cannot)\s+(?:match|mirror|reproduce)|not\s+tested\s+in\s+staging|staging\s+parity)\b",
        RiskKind::NoStagingParity,
    ),
    (
        r"(?i)\b(another\s+team|other\s+teams?|cross-team|coordinat\w+\s+with)\b",
        RiskKind::CrossTeamDependency,
    ),
    (
        r"(?i)\b(security|authentication|authorization|encryption|iam\s+(?:policy|policies|role|roles))\b",
        RiskKind::SecurityChange,
    ),
    (
        r"(?i)\b(compliance|gdpr|pci(?:[- ]dss)?|sox|hipaa|soc\s?2)\b",
        RiskKind::Compliance,
    ),
];

static RISKS: LazyLock<Vec<(Regex, RiskKind)>> = LazyLock::new(|| {
    RISK_PATTERNS
        .iter()
        .map(|(p, k)| (Regex::new(p).expect("static regex"), *k))
        .collect()
});

const NAME_STOP: [&str; 8] = [
    "The", "We", "It", "This", "Nobody", "Someone", "Who", "Whoever",
];
const WORD_STOP: [&str; 30] = [
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
enum SvcFact {
    Cluster(String),
    Platform(Platform),
    Strategy(Strategy),
    Namespace(String),
    Region(String),
    Replicas(u32),
    Health(String),
}

struct Pending<F> {
    fact: F,
    at: usize,
    excerpt: String,
    /// Names found in the same sentence; empty: all.
    targets: Vec<String>,
}

#[derive(Clone)]
enum StoreFact {
    Identifier(String),
    Database(String),
    Backup(BackupMethod),
    RestoreTested(String),
    Hosting(Hosting),
    Size(f64),
}

struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
    src: SourceFile,
    spec: Spec,
    notes: Vec<(usize, Assumption)>,
    svc_facts: Vec<Pending<SvcFact>>,
    store_facts: Vec<Pending<StoreFact>>,
    dashboards: Vec<(usize, String)>,
    /// Index of the change last mentioned, and its section.
    last_change: (Vec<usize>, Section),
    /// Offset of the first mention of each data store.
    store_at: Vec<(usize, String)>,
    /// Per unit: it stands under a backout / rollback heading or label.
    backout_units: Vec<bool>,
    /// Per unit: it is a heading.
    heading_units: Vec<bool>,
    /// Work named in a sentence, with the change kinds that would cover it; kept when none of
    /// them is found anywhere in the brief.
    unmapped: Vec<(BriefStatement, &'static [ChangeKind])>,
    /// The one service was named after the deployment, not found in the brief.
    service_invented: bool,
}

impl Ctx<'_> {
    fn note(&mut self, at: usize, excerpt: &str, text: String) {
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

/// Work no recognised change covers is kept; and a brief in which no change was recognised and
/// nothing else said what is done keeps its first sentence of the deployment as work rollbook
/// cannot map, so the plan is not instant.
fn unmapped_work(cx: &mut Ctx, doc: &Doc) {
    let version = cx.spec.deployment.version.clone();
    let has_code = cx
        .spec
        .deployment
        .changes
        .iter()
        .any(|c| c.kind() == ChangeKind::Code);
    for (st, covers) in std::mem::take(&mut cx.unmapped) {
        // A sentence naming the release's own version describes the code change.
        let the_release = has_code
            && version
                .as_deref()
                .is_some_and(|v| st.words.contains(v.trim_start_matches('v')));
        let covered = the_release
            || cx
                .spec
                .deployment
                .changes
                .iter()
                .any(|c| covers.contains(&c.kind()));
        if !covered && !cx.spec.statements.contains(&st) {
            cx.spec.statements.push(st);
        }
    }
    let said = cx
        .spec
        .statements
        .iter()
        .any(|st| st.kind != StatementKind::Backout);
    if !cx.spec.deployment.changes.is_empty() || said {
        return;
    }
    let body = |st: &&Sentence| {
        !cx.heading_units.get(st.unit).copied().unwrap_or(false)
            && cx
                .text
                .get(st.start..st.end)
                .is_some_and(|w| w.split_whitespace().count() >= 4)
    };
    let first = doc
        .sentences
        .iter()
        .filter(body)
        .find(|st| st.section == Section::Deployment)
        .or_else(|| {
            doc.sentences
                .iter()
                .filter(body)
                .find(|st| st.section == Section::Description)
        });
    if let Some(st) = first
        && let Some(words) = cx.text.get(st.start..st.end)
    {
        let lead = words.len() - words.trim_start().len();
        let st = statement(
            cx,
            StatementKind::UnmappedAction,
            st.start + lead,
            words,
            DESTRUCTION.is_match(words),
        );
        cx.spec.statements.push(st);
    }
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
fn hits(re: &Regex, s: &str) -> Vec<(usize, usize)> {
    re.find_iter(s)
        .filter(|m| standalone(s, m.start(), m.end()) && !negated(s, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

fn first_hit(re: &Regex, s: &str) -> Option<(usize, usize)> {
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

/// Units under a heading that names the backout, until the next heading, and ticket units that
/// open with a `Backout:` label.
fn backout_units(text: &str, doc: &Doc) -> Vec<bool> {
    let mut under = false;
    doc.units
        .iter()
        .map(|u| {
            let t = text.get(u.start..u.end).unwrap_or("");
            if u.kind == UnitKind::Heading {
                under = BACKOUT_HEADING.is_match(t.trim());
                return false;
            }
            under || BACKOUT_LABEL.is_match(t)
        })
        .collect()
}

/// A statement at byte `at` of the brief, its words on one line and bounded like an excerpt.
fn statement(
    cx: &Ctx,
    kind: StatementKind,
    at: usize,
    words: &str,
    destructive: bool,
) -> BriefStatement {
    let (line, col) = cx.src.line_col(at);
    BriefStatement {
        kind,
        words: Evidence::at(cx.path, line, col)
            .with_excerpt(words.trim())
            .excerpt
            .unwrap_or_default(),
        file: Some(cx.path.to_string()),
        line: Some(line),
        column: Some(col),
        destructive,
    }
}

/// The quoted words of a statement: the clause holding the match, to the sentence's end.
fn clause_from(s: &str, at: usize) -> (usize, &str) {
    let before = s.get(..at).unwrap_or("");
    let mut start = before
        .rfind([';', '(', '—', '–', ':'])
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    if at - start > 100 {
        start = at - 100;
        while !s.is_char_boundary(start) {
            start += 1;
        }
        start = s[start..at].find(' ').map_or(at, |i| start + i + 1);
    }
    let lead = s[start..].len() - s[start..].trim_start().len();
    (start + lead, s[start + lead..].trim_end())
}

/// Sentences that bear on rollback outside the changes rollbook understands: no way back, work it
/// cannot map to a change, and the brief's own backout. Each is kept with its words for the rules.
fn statements(cx: &mut Ctx, s: &str, base: usize, sent: &Sentence, touched: &[usize]) {
    let in_backout = cx.backout_units.get(sent.unit).copied().unwrap_or(false);
    let destructive = DESTRUCTION.is_match(s);
    let record = |cx: &mut Ctx, kind: StatementKind, at: usize| {
        let (from, words) = clause_from(s, at);
        let st = statement(cx, kind, base + from, words, destructive);
        cx.spec.statements.push(st);
    };
    let no_way_back = NO_WAY_BACK.find_iter(s).find(|m| {
        let lead_neg = m.as_str().to_lowercase().starts_with("no ")
            || m.as_str().to_lowercase().starts_with("there is no")
            || m.as_str().to_lowercase().starts_with("has no")
            || m.as_str().to_lowercase().starts_with("have no");
        let neg = !lead_neg && negated(s, m.start(), m.end());
        let not_needed = NOT_NEEDED_AFTER.is_match(s.get(m.end()..).unwrap_or(""));
        !neg && !not_needed
    });
    if let Some(m) = no_way_back {
        record(cx, StatementKind::NoWayBack, m.start());
        return;
    }
    if let Some(body) = BACKOUT_LINE.captures(s).and_then(|c| c.get(1))
        && body.as_str().split_whitespace().count() >= 2
        && !NO_RISK.is_match(body.as_str())
    {
        let st = statement(
            cx,
            StatementKind::Backout,
            base + body.start(),
            body.as_str(),
            destructive,
        );
        cx.spec.statements.push(st);
        return;
    }
    if in_backout {
        let body = BACKOUT_LABEL
            .find(s)
            .map_or(s, |m| s.get(m.end()..).unwrap_or(""));
        if body.split_whitespace().count() >= 2 && !NO_RISK.is_match(body) {
            let at = s.len() - body.len();
            record(cx, StatementKind::Backout, at);
        }
        return;
    }
    if let Some(m) = MECHANISM.find(s)
        && !negated(s, m.start(), m.end())
    {
        record(cx, StatementKind::Backout, m.start());
        return;
    }
    let heading = cx.heading_units.get(sent.unit).copied().unwrap_or(false);
    if heading || !matches!(sent.section, Section::Description | Section::Deployment) {
        return;
    }
    if let Some(m) = ACTION.find(s)
        && !negated(s, m.start(), m.end())
    {
        let covers = covering_kinds(m.as_str());
        let covered = touched.iter().any(|&i| {
            cx.spec
                .deployment
                .changes
                .get(i)
                .is_some_and(|c| covers.contains(&c.kind()))
        });
        if !covered {
            let (from, words) = clause_from(s, m.start());
            let st = statement(
                cx,
                StatementKind::UnmappedAction,
                base + from,
                words,
                destructive,
            );
            cx.unmapped.push((st, covers));
        }
    }
}

/// The change kinds that, found anywhere in the brief, cover an action word: an upgrade is an
/// infrastructure or dependency change, a cutover a migration... A push or roll-out to a fleet has
/// none: rollbook does not model it yet.
fn covering_kinds(action: &str) -> &'static [ChangeKind] {
    use ChangeKind::*;
    let a = action.to_lowercase();
    let starts = |p: &[&str]| p.iter().any(|x| a.starts_with(x));
    if starts(&["upgrad"]) {
        &[Infrastructure, Dependency]
    } else if starts(&["migrat", "cut", "mov"]) {
        &[Migration, DataOperation, Infrastructure]
    } else if starts(&["rotat"]) {
        &[Config]
    } else if starts(&["delet", "wip"]) {
        &[DataOperation, Migration]
    } else if starts(&["reindex", "re-index"]) {
        &[Migration, DataOperation]
    } else if starts(&["switch"]) {
        &[FeatureFlag, Infrastructure, Config]
    } else if starts(&[
        "fail",
        "promot",
        "replac",
        "decommission",
        "re-point",
        "repoint",
        "rebalanc",
        "reshard",
        "resync",
    ]) {
        &[Infrastructure]
    } else {
        &[]
    }
}

fn services(cx: &mut Ctx, s: &str, base: usize) -> Vec<String> {
    let mut found: Vec<(usize, String, String)> = Vec::new();
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
        let named = SVC_SUFFIX.is_match(name) || next.is_some() || SVC_BEFORE.is_match(before);
        if named && !negated(s, all.start(), all.end()) {
            let end = all.end() + next.map(|m| m.end()).unwrap_or(0);
            found.push((
                all.start(),
                name.to_string(),
                s.get(all.start()..end).unwrap_or(name).to_string(),
            ));
        }
    }
    for re in [&*SVC_WORD_NEXT, &*SVC_WORD_SUFFIX] {
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
    names
}

fn service_facts(cx: &mut Ctx, s: &str, base: usize, names: &[String]) {
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
        let lw = collapse(w).to_lowercase();
        let p = match lw.as_str() {
            x if x.starts_with("argo rollout") => Platform::ArgoRollouts,
            x if x.starts_with("argo") => Platform::ArgoCd,
            "helm" => Platform::Helm,
            "kubernetes" | "k8s" | "gke" | "eks" | "aks" => Platform::Kubernetes,
            "ecs" | "fargate" => Platform::Ecs,
            "lambda" => Platform::Lambda,
            "cloud run" => Platform::CloudRun,
            _ => Platform::Systemd,
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
    for re in [&*NS_BEFORE, &*NS_AFTER] {
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
    for m in URL.find_iter(s) {
        let url = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if HEALTH_END.is_match(url) {
            push(cx, SvcFact::Health(url.to_string()), m.start(), url);
        }
    }
}

fn engine_of(w: &str) -> (Engine, &'static str, Option<Hosting>) {
    let lw = collapse(w).to_lowercase();
    match lw.as_str() {
        x if x.starts_with("aurora p") => (Engine::Postgres, "postgres", Some(Hosting::Aurora)),
        x if x.starts_with("aurora m") => (Engine::Mysql, "mysql", Some(Hosting::Aurora)),
        x if x.starts_with("postgres") => (Engine::Postgres, "postgres", None),
        "mysql" => (Engine::Mysql, "mysql", None),
        "mariadb" => (Engine::Mariadb, "mariadb", None),
        "redis" => (Engine::Redis, "redis", None),
        _ => (Engine::Mongodb, "mongodb", None),
    }
}

fn stores(cx: &mut Ctx, s: &str, base: usize) {
    let mut here: Vec<String> = Vec::new();
    for c in ENGINE.captures_iter(s) {
        let (Some(all), Some(e)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if !standalone(s, e.start(), e.end()) || negated(s, all.start(), all.end()) {
            continue;
        }
        let (engine, name, hosting) = engine_of(e.as_str());
        let idx = match cx
            .spec
            .architecture
            .data_stores
            .iter()
            .position(|d| d.engine == engine)
        {
            Some(i) => i,
            None => {
                cx.spec.architecture.data_stores.push(DataStore {
                    name: name.to_string(),
                    engine,
                    version: None,
                    hosting: None,
                    identifier: None,
                    database: None,
                    region: None,
                    size_gb: None,
                    backup: None,
                });
                cx.store_at.push((base + e.start(), e.as_str().to_string()));
                cx.note(
                    base + e.start(),
                    e.as_str(),
                    format!("data store `{name}` ({name})"),
                );
                cx.spec.architecture.data_stores.len() - 1
            }
        };
        let Some(ds) = cx.spec.architecture.data_stores.get_mut(idx) else {
            continue;
        };
        let mut note = None;
        if let (Some(v), None) = (c.get(2), &ds.version) {
            ds.version = Some(v.as_str().to_string());
            note = Some(format!("data store `{}` version {}", ds.name, v.as_str()));
        }
        let mut hosted = None;
        if let (Some(h), None | Some(Hosting::Rds)) = (hosting, ds.hosting) {
            ds.hosting = Some(h);
            hosted = Some(format!(
                "data store `{}` hosted on {}",
                ds.name,
                collapse(e.as_str())
            ));
        }
        if let Some(t) = hosted {
            cx.note(base + e.start(), e.as_str(), t);
        }
        if let Some(n) = note {
            cx.note(base + all.start(), all.as_str(), n);
        }
        here.push(name.to_string());
    }
    let targets = here.clone();
    let db_word = !targets.is_empty() || DB_WORD.is_match(s);
    for (a, b) in hits(&HOSTING, s) {
        let w = s.get(a..b).unwrap_or("");
        let lw = collapse(w).to_lowercase();
        let h = match lw.as_str() {
            "rds" => Hosting::Rds,
            "aurora" => Hosting::Aurora,
            x if x.starts_with("cloud") => Hosting::CloudSql,
            _ => Hosting::SelfHosted,
        };
        if db_word {
            cx.store_facts.push(Pending {
                fact: StoreFact::Hosting(h),
                at: base + a,
                excerpt: w.to_string(),
                targets: targets.clone(),
            });
        }
    }
    if db_word {
        let mut pend = |fact: StoreFact, at: usize, excerpt: &str| {
            cx.store_facts.push(Pending {
                fact,
                at: base + at,
                excerpt: excerpt.to_string(),
                targets: targets.clone(),
            })
        };
        if let Some(c) = STORE_CLUSTER.captures(s)
            && let (Some(all), Some(v)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::Identifier(v.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
        if let Some(c) = STORE_DATABASE.captures(s)
            && let (Some(all), Some(v)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::Database(v.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
        if let Some(m) = PITR.find(s)
            && !negated(s, m.start(), m.end())
        {
            pend(StoreFact::Backup(BackupMethod::Pitr), m.start(), m.as_str());
        }
        if let Some(c) = RESTORE_TEST.captures(s)
            && let (Some(all), Some(d)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::RestoreTested(d.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
    }
    if db_word {
        for c in SIZE.captures_iter(s) {
            let (Some(all), Some(n), Some(u)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let Ok(v) = n.as_str().replace(',', "").parse::<f64>() else {
                continue;
            };
            let gb = match u.as_str().to_lowercase().as_str() {
                "tb" => v * 1000.0,
                "tib" => v * 1024.0,
                "mb" => v / 1000.0,
                "mib" => v / 1024.0,
                _ => v,
            };
            cx.store_facts.push(Pending {
                fact: StoreFact::Size(gb),
                at: base + all.start(),
                excerpt: all.as_str().to_string(),
                targets: targets.clone(),
            });
        }
    }
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
            let tool = match collapse(w).to_lowercase().as_str() {
                "flyway" => Some(MigrationTool::Flyway),
                "liquibase" => Some(MigrationTool::Liquibase),
                "alembic" => Some(MigrationTool::Alembic),
                "rails" => Some(MigrationTool::Rails),
                "django" => Some(MigrationTool::Django),
                "golang-migrate" => Some(MigrationTool::GolangMigrate),
                "goose" => Some(MigrationTool::Goose),
                "dbmate" => Some(MigrationTool::Dbmate),
                "sqlx" => Some(MigrationTool::Sqlx),
                "diesel" => Some(MigrationTool::Diesel),
                "prisma" => Some(MigrationTool::Prisma),
                "sqitch" => Some(MigrationTool::Sqitch),
                "knex" => Some(MigrationTool::Knex),
                "ecto" => Some(MigrationTool::Ecto),
                "typeorm" => Some(MigrationTool::Typeorm),
                "sequelize" => Some(MigrationTool::Sequelize),
                "ef core" => Some(MigrationTool::EfCore),
                "laravel" => Some(MigrationTool::Laravel),
                _ => None,
            };
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

fn versions(cx: &mut Ctx, s: &str, base: usize) {
    // Versions of dependencies, engines and clusters are not the deployment's.
    if INFRA.is_match(s)
        || (DEP_WORD.is_match(s) && BUMP.is_match(s))
        || ENGINE.captures_iter(s).any(|c| c.get(2).is_some())
    {
        return;
    }
    let d = &mut cx.spec.deployment;
    let mut notes: Vec<(usize, String, String)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    if let Some(c) = FROM_TO.captures(s)
        && let (Some(all), Some(f), Some(t)) = (c.get(0), c.get(1), c.get(2))
        && !negated(s, all.start(), all.end())
    {
        taken.push((all.start(), all.end()));
        if d.previous_version.is_none() && d.version.is_none() {
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
    // "2026-12-07 at 10:00 Europe/Amsterdam": a local time in a named zone.
    static LOCAL_IN_ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4}-\d{2}-\d{2})(?:,?\s+at\s+|\s+|T)(\d{1,2}:\d{2})(?::(\d{2}))?\s*[(\[]?([A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)")
            .expect("valid regex")
    });
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
        if let Ok(z) = local
            .parse::<jiff::civil::DateTime>()
            .and_then(|dt| dt.in_tz(zone.as_str()))
        {
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
    for (at, w, t) in notes {
        cx.note(base + at, &w, t);
    }
}

/// Whether the word just before `at` names a platform or engine (`EKS version 1.29`, `Node v20.1`).
fn platform_before(s: &str, at: usize) -> bool {
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

fn observability(cx: &mut Ctx, s: &str, base: usize) {
    if let Some((a, b)) = first_hit(&METRICS, s)
        && cx.spec.architecture.observability.is_none()
    {
        let w = s.get(a..b).unwrap_or("");
        let m = match w.to_lowercase().as_str() {
            "prometheus" => MetricsSystem::Prometheus,
            "datadog" => MetricsSystem::Datadog,
            _ => MetricsSystem::Cloudwatch,
        };
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
    {
        let w = s.get(a..b).unwrap_or("");
        let k = match collapse(w).to_lowercase().replace(' ', "").as_str() {
            "launchdarkly" => FlagProviderKind::Launchdarkly,
            "unleash" => FlagProviderKind::Unleash,
            "flagsmith" => FlagProviderKind::Flagsmith,
            "flipt" => FlagProviderKind::Flipt,
            "configcat" => FlagProviderKind::Configcat,
            "growthbook" => FlagProviderKind::Growthbook,
            _ => FlagProviderKind::Appconfig,
        };
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

fn people(cx: &mut Ctx, s: &str, base: usize) {
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

fn risks(cx: &mut Ctx, s: &str, base: usize) {
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

fn risk_bullets(cx: &mut Ctx, doc: &Doc) {
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
        let words = cx.text.get(u.start..u.end).unwrap_or("");
        let t = collapse(words);
        if t.is_empty() {
            continue;
        }
        cx.note(u.start, words, "risk factor from the risks section".into());
        cx.spec.risks.push(Risk::Text(t));
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
                    let rank = |p: Platform| match p {
                        Platform::Kubernetes => 1,
                        Platform::Helm => 2,
                        Platform::ArgoCd => 3,
                        Platform::ArgoRollouts => 4,
                        _ => 0,
                    };
                    let upgrade = svc
                        .platform
                        .is_some_and(|c| rank(c) > 0 && rank(*p) > rank(c));
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
