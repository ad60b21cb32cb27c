//! `kind: external_side_effect` — what leaves the system and cannot be recalled.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A side effect outside the system: emails, webhooks, payments, events, data sent to third
    /// parties.
    pub struct ExternalSideEffect {
        /// What leaves the system.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub effect: Option<SideEffect>,
        /// Who receives it (customers, partner X, payment provider, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recipients: Option<String>,
        /// How many are expected (emails, calls, charges).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub volume: Option<u64>,
    }
}

impl super::Validate for ExternalSideEffect {}

/// Side effects outside the system, one trigger per effect (an email needs a verb of sending unless
/// the word is plural; data to partners counts only when no other effect names how).
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "external_side_effect",
    triggers: &[
        Trigger {
            name: "email",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(e-?mails?)(?-u:\b)",
                words: &["e-mail", "email"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(send|sends|sending|sent|trigger|triggers|triggered|dispatch[[:word:]]*|notif[[:word:]]*|receive|receives|go\s+out|goes\s+out|deliver[[:word:]]*)(?-u:\b)",
                words: &[
                    "send", "sent", "trigger", "dispatch", "notif", "receive", "go", "deliver",
                ],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "sms",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(sms|text\s+messages?)(?-u:\b)",
                words: &["sms", "text"],
                leading: true,
                and_words: &["sms", "message"],
            },
            also: None,
        },
        Trigger {
            name: "push notification",
            found: Pattern {
                regex: r"(?i)(?-u:\b)push\s+notifications?(?-u:\b)",
                words: &["push"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "webhook",
            found: Pattern {
                regex: r"(?i)(?-u:\b)webhooks?(?-u:\b)",
                words: &["webhook"],
                leading: true,
                and_words: &[],
            },
            // Only webhooks the change sends: "webhooks are driven by jobs in MySQL" describes
            // the architecture, not a delivery.
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(send|sends|sending|sent|deliver[[:word:]]*|fire|fires|fired|firing|call|calls|called|calling|post|posts|posted|posting|dispatch[[:word:]]*|retr(?:y|ies|ied|ying)|emit[[:word:]]*|trigger|triggers|triggered|notif[[:word:]]*|receive|receives|received|go\s+out|goes\s+out)(?-u:\b)",
                words: &[
                    "send", "sent", "deliver", "fir", "call", "post", "dispatch", "retr", "emit",
                    "trigger", "notif", "receive", "go",
                ],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "payment",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(charging|charged|charges?\s+(?:the\s+|all\s+|their\s+)?(?:customers|cards|users|accounts)|refunding|refunded|(?:process[[:word:]]*|captur[[:word:]]*|collect[[:word:]]*|tak(?:e|es|ing)|mak(?:e|es|ing)|initiat[[:word:]]*|issu[[:word:]]*|send[[:word:]]*|trigger[[:word:]]*)\s+(?:[[:word:]]+\s+){0,2}?(?:payments?|refunds?|payouts?))(?-u:\b)",
                // The verbs every match starts with, and what is charged, refunded or paid.
                words: &[
                    "charg", "refund", "process", "captur", "collect", "tak", "mak", "initiat",
                    "issu", "send", "trigger",
                ],
                leading: true,
                and_words: &["charg", "refund", "payment", "payout"],
            },
            also: None,
        },
        Trigger {
            name: "trade",
            found: Pattern {
                regex: r"(?i)(?-u:\b)trades?(?-u:\b)",
                words: &["trade"],
                leading: true,
                and_words: &[],
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
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(publish[[:word:]]*|emit[[:word:]]*|produc[[:word:]]*|events?)(?-u:\b)",
                words: &["publish", "emit", "produc", "event"],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "third party data",
            found: Pattern {
                regex: r"(?i)(?-u:\b)partners?(?-u:\b)",
                words: &["partner"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(send[[:word:]]*|sent|sync[[:word:]]*|export[[:word:]]*|shar[[:word:]]*|upload[[:word:]]*|forward[[:word:]]*)(?-u:\b)",
                words: &[
                    "send", "sent", "sync", "export", "shar", "upload", "forward",
                ],
                leading: true,
                and_words: &[],
            }),
        },
    ],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::ExternalSideEffect,
    name: "external_side_effect",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Irreversible,
    time: TimeModel::OpenEnded,
    mechanisms: &[MechanismDecl {
        id: MechanismId::StopSends,
        when: "no flag gates the sends (a flag is then the kill switch)",
        reverses: "nothing: it stops further sends",
        does_not_reverse: "what was already sent, which can only be compensated",
    }],
    // Email thresholds: Amazon SES puts a sender under review at a 5% bounce or 0.1% complaint
    // rate (https://docs.aws.amazon.com/ses/latest/dg/faqs-enforcement.html).
    signals: &[
        SignalDecl {
            signal: "send volume against the expected volume",
            on_services: false,
            condition: "above 120% of the expected volume, or any send to recipients outside the intended audience",
            window: "5m",
            action: "stop the sender now",
            query: "SEND_VOLUME_QUERY",
            measure: "what the change sends per minute (the provider's dashboard or the sender's own counter), and to whom",
        },
        SignalDecl {
            signal: "provider bounces, rejections or complaints",
            on_services: false,
            condition: "bounce rate above 5% or complaint rate above 0.1% (email), or any rise in rejections (webhooks, payments)",
            window: "15m",
            action: "stop the sender, then assess",
            query: "PROVIDER_REJECTIONS_QUERY",
            measure: "bounces, complaints or rejections reported by the provider or the receiving partner",
        },
    ],
    staging: "a small first batch of recipients before the rest",
    staged_by_own_targets: false,
    prevention: &[
        "a kill switch that stops the sends is tested",
        "the compensation is written",
    ],
    prevention_in_go_no_go: false,
    data_recovery: "what left the system is not data rollbook can recover: compensate it",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[
        Audience::Engineering,
        Audience::Support,
        Audience::Customers,
        Audience::Partners,
    ],
    may_cut_own_tooling: false,
};

/// Side effects that leave the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SideEffect {
    Email,
    Sms,
    PushNotification,
    Webhook,
    Payment,
    Trade,
    EventPublished,
    ThirdPartyData,
}

impl SideEffect {
    pub fn describe(self) -> &'static str {
        match self {
            SideEffect::Email => "emails",
            SideEffect::Sms => "SMS messages",
            SideEffect::PushNotification => "push notifications",
            SideEffect::Webhook => "webhook calls",
            SideEffect::Payment => "payments",
            SideEffect::Trade => "trades",
            SideEffect::EventPublished => "published events",
            SideEffect::ThirdPartyData => "data sent to third parties",
        }
    }
}
