//! `kind: feature_flag` — a flag turned or its rollout changed.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use crate::model::FlagProviderKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A feature flag change.
    pub struct FeatureFlag {
        /// The flag.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub flag: Option<FlagChange>,
    }
}

impl super::Validate for FeatureFlag {
    /// A flag change must name its flag.
    fn problem(&self) -> Option<Problem> {
        self.flag.is_none().then_some(Problem {
            field: "flag",
            message: "has no `flag`",
            help: "add `flag: {key: my-flag}` naming the flag this change turns",
        })
    }
}

/// A feature flag: "feature flag", "toggle".
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "feature_flag",
    triggers: &[Trigger {
        name: "feature flag",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(?:feature[- ]flags?|feature[- ]toggles?|flags?|toggles?)(?-u:\b)",
            words: &["flag", "toggle", "feature"],
            leading: true,
            and_words: &[],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::FeatureFlag,
    name: "feature_flag",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Reversible,
    time: TimeModel::Seconds,
    mechanisms: &[MechanismDecl {
        id: MechanismId::FlagOff,
        when: "",
        reverses: "what the flag gates, in seconds, with no redeploy",
        does_not_reverse: "what the gated code already did (rows written, messages sent)",
    }],
    signals: &[
        SignalDecl::on_services("error ratio of the flagged path"),
        SignalDecl::on_services("the flag's evaluation count"),
    ],
    staging: "percentage rollout of the flag",
    staged_by_own_targets: false,
    prevention: &["the flag's off state is tested and its default is safe"],
    prevention_in_go_no_go: false,
    data_recovery: "a flag keeps no data; what the gated code wrote stays",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: false,
};

/// A feature flag change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagChange {
    /// Flag key.
    pub key: String,
    /// Provider; defaults to `architecture.flag_provider.kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<FlagProviderKind>,
    /// Value served when the flag is off or the provider is unreachable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// Percentage of traffic served the new variation before the deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_percent: Option<f64>,
    /// Percentage after this deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_percent: Option<f64>,
    /// Planned percentages, in order, e.g. `[1, 5, 25, 50, 100]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollout: Vec<f64>,
    /// Provider-specific id where the key is not enough (ConfigCat setting id, Unleash project,
    /// AppConfig profile, ConfigMap name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
}
