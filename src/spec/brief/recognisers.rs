//! Each change kind's recogniser: the words and patterns that reveal it in a brief, and the
//! words that negate them. One self-contained constant per kind (each will live in its kind's file
//! under `src/model/kinds/`); the brief reader builds its matchers from them.

use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};

/// Application code: revealed by the release's version and services, not by a trigger word.
pub const CODE: Recogniser = Recogniser {
    kind: "code",
    triggers: &[],
    negations: NEGATION_WORDS,
};

/// A schema migration: "database migration", "add a column", "drop table".
pub const MIGRATION: Recogniser = Recogniser {
    kind: "migration",
    triggers: &[Trigger {
        name: "schema migration",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(?:(?:database|schema|db)\s+migrations?|migrations?|schema\s+changes?|(?:alter|create|drop)\s+table|(?:add|adds|adding|added)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[[:word:]`]+\s+)?columns?|(?:create|creates|creating|add|adds|adding|build|builds|drop|drops|dropping)\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:unique\s+)?(?:[[:word:]`]+\s+)?index(?:es)?|(?:drop|drops|dropping|remove|removes|removing|rename|renames|renaming)\s+(?:the\s+|a\s+)?(?:[[:word:]`.]+\s+)?(?:column|table)s?)(?-u:\b)",
            words: &["migration", "change", "table", "column", "index"],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

/// Configuration: "config change", "environment variable", "SSM parameter".
pub const CONFIG: Recogniser = Recogniser {
    kind: "config",
    triggers: &[Trigger {
        name: "configuration",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(config(?:uration)?\s+(?:change|changes|key|keys|value|values|update|updates)|configmap|environment\s+variables?|env\s+vars?|ssm\s+parameters?|parameter\s+store)(?-u:\b)",
            words: &["config", "env", "ssm", "parameter"],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

/// A feature flag: "feature flag", "toggle".
pub const FEATURE_FLAG: Recogniser = Recogniser {
    kind: "feature_flag",
    triggers: &[Trigger {
        name: "feature flag",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(?:feature[- ]flags?|feature[- ]toggles?|flags?|toggles?)(?-u:\b)",
            words: &["flag", "toggle"],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

/// Infrastructure: Terraform and its kin, a cluster upgrade.
pub const INFRASTRUCTURE: Recogniser = Recogniser {
    kind: "infrastructure",
    triggers: &[Trigger {
        name: "infrastructure",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(terraform|opentofu|cloudformation|pulumi|(?:eks|gke|aks|kubernetes|k8s|cluster)\s+(?:version\s+)?upgrade|upgrad[[:word:]]*\s+(?:the\s+)?(?:eks\s+|gke\s+|aks\s+|kubernetes\s+|k8s\s+)?cluster)(?-u:\b)",
            words: &[
                "terraform",
                "opentofu",
                "cloudformation",
                "pulumi",
                "upgrad",
            ],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

/// A dependency bump: an upgrade verb beside a library, runtime or base image (an infrastructure
/// change in the same sentence takes precedence).
pub const DEPENDENCY: Recogniser = Recogniser {
    kind: "dependency",
    triggers: &[Trigger {
        name: "dependency",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(bump[[:word:]]*|upgrad[[:word:]]*|updat[[:word:]]*)(?-u:\b)",
            words: &["bump", "upgrad", "updat"],
        },
        also: Some(Pattern {
            regex: r"(?i)(?-u:\b)(dependency|dependencies|library|package|sdk|runtime|base\s+image|gem|crate|node\.?js|jdk)(?-u:\b)",
            words: &[
                "dependenc",
                "library",
                "package",
                "sdk",
                "runtime",
                "image",
                "gem",
                "crate",
                "node",
                "jdk",
            ],
        }),
    }],
    negations: NEGATION_WORDS,
};

/// Side effects outside the system, one trigger per effect (an email needs a verb of sending unless
/// the word is plural; data to partners counts only when no other effect names how).
pub const EXTERNAL_SIDE_EFFECT: Recogniser = Recogniser {
    kind: "external_side_effect",
    triggers: &[
        Trigger {
            name: "email",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(e-?mails?)(?-u:\b)",
                words: &["mail"],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(send|sends|sending|sent|trigger|triggers|triggered|dispatch[[:word:]]*|notif[[:word:]]*|receive|receives|go\s+out|goes\s+out|deliver[[:word:]]*)(?-u:\b)",
                words: &[
                    "send", "sent", "trigger", "dispatch", "notif", "receive", "go", "deliver",
                ],
            }),
        },
        Trigger {
            name: "sms",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(sms|text\s+messages?)(?-u:\b)",
                words: &["sms", "text"],
            },
            also: None,
        },
        Trigger {
            name: "push notification",
            found: Pattern {
                regex: r"(?i)(?-u:\b)push\s+notifications?(?-u:\b)",
                words: &["push"],
            },
            also: None,
        },
        Trigger {
            name: "webhook",
            found: Pattern {
                regex: r"(?i)(?-u:\b)webhooks?(?-u:\b)",
                words: &["webhook"],
            },
            also: None,
        },
        Trigger {
            name: "payment",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(charging|charged|charges?\s+(?:the\s+|all\s+|their\s+)?(?:customers|cards|users|accounts)|refunding|refunded|(?:process[[:word:]]*|captur[[:word:]]*|collect[[:word:]]*|tak(?:e|es|ing)|mak(?:e|es|ing)|initiat[[:word:]]*|issu[[:word:]]*|send[[:word:]]*|trigger[[:word:]]*)\s+(?:[[:word:]]+\s+){0,2}?(?:payments?|refunds?|payouts?))(?-u:\b)",
                words: &["charg", "refund", "payment", "payout"],
            },
            also: None,
        },
        Trigger {
            name: "trade",
            found: Pattern {
                regex: r"(?i)(?-u:\b)trades?(?-u:\b)",
                words: &["trade"],
            },
            also: None,
        },
        Trigger {
            name: "event published",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(kafka|sns|eventbridge|kinesis|rabbitmq|pub/sub)(?-u:\b)",
                words: &[
                    "kafka",
                    "sns",
                    "eventbridge",
                    "kinesis",
                    "rabbitmq",
                    "pub/sub",
                ],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(publish[[:word:]]*|emit[[:word:]]*|produc[[:word:]]*|events?)(?-u:\b)",
                words: &["publish", "emit", "produc", "event"],
            }),
        },
        Trigger {
            name: "third party data",
            found: Pattern {
                regex: r"(?i)(?-u:\b)partners?(?-u:\b)",
                words: &["partner"],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(send[[:word:]]*|sent|sync[[:word:]]*|export[[:word:]]*|shar[[:word:]]*|upload[[:word:]]*|forward[[:word:]]*)(?-u:\b)",
                words: &[
                    "send", "sent", "sync", "export", "shar", "upload", "forward",
                ],
            }),
        },
    ],
    negations: NEGATION_WORDS,
};

/// Data operations, one trigger per operation.
pub const DATA_OPERATION: Recogniser = Recogniser {
    kind: "data_operation",
    triggers: &[
        Trigger {
            name: "backfill",
            found: Pattern {
                regex: r"(?i)(?-u:\b)backfill(?:s|ed|ing)?(?-u:\b)",
                words: &["backfill"],
            },
            also: None,
        },
        Trigger {
            name: "bulk delete",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:bulk[- ]delet[[:word:]]*|(?:delete|deletes|deleting|purge|purges|purging)\s+(?:[[:word:],]+\s+){0,3}?(?:rows|records|documents|entries|data))(?-u:\b)",
                words: &["delet", "purg"],
            },
            also: None,
        },
        Trigger {
            name: "bulk update",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:bulk[- ]updat[[:word:]]*|(?:update|updates|updating|rewrite|rewrites|rewriting|overwrite|overwrites|overwriting)\s+(?:[[:word:],]+\s+){0,3}?(?:rows|records|documents|entries))(?-u:\b)",
                words: &["updat", "rewrit", "overwrit"],
            },
            also: None,
        },
        Trigger {
            name: "script against production",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:one-off\s+)?script\s+(?:against|on|in)\s+(?:the\s+)?prod(?:uction)?|(?:run|runs|running)\s+(?:a\s+|the\s+)?(?:one-off\s+)?script)(?-u:\b)",
                words: &["script"],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// Every kind's recogniser.
pub const ALL: [Recogniser; 8] = [
    CODE,
    MIGRATION,
    CONFIG,
    FEATURE_FLAG,
    INFRASTRUCTURE,
    DEPENDENCY,
    EXTERNAL_SIDE_EFFECT,
    DATA_OPERATION,
];
