//! `kind: config` — configuration keys changed outside (or inside) the artifact.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// Configuration keys.
    pub struct Config {
        /// The keys that change.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub keys: Vec<ConfigKey>,
        /// Where the config lives.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub location: Option<ConfigLocation>,
        /// The file as it is before the deploy (`.env`, YAML, JSON, TOML), to diff.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub before_path: Option<String>,
        /// The file as it is after the deploy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub after_path: Option<String>,
    }
}

impl super::Validate for Config {}

/// Configuration: "config change", "environment variable", "SSM parameter".
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "config",
    triggers: &[Trigger {
        name: "configuration",
        found: Pattern {
            regex: r"(?i)(?-u:\b)(config(?:uration)?\s+(?:change|changes|key|keys|value|values|update|updates)|configmap|environment\s+variables?|env\s+vars?|ssm\s+parameters?|parameter\s+store)(?-u:\b)",
            words: &["config", "env", "ssm", "parameter"],
            leading: true,
            and_words: &[],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Config,
    name: "config",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Reversible,
    time: TimeModel::Redeploy,
    mechanisms: &[MechanismDecl {
        id: MechanismId::ConfigRevert,
        when: "the config lives outside the artifact (bundled config reverts with the code)",
        reverses: "the keys, to their values before the deploy, and restarts what reads them at start",
        does_not_reverse: "what the service did while it read the new values",
    }],
    signals: &[
        SignalDecl {
            signal: "errors of what reads the keys, after the change",
            on_services: false,
            condition: "above the rate before the change",
            window: "5m, sustained 10m",
            action: "revert the config",
            query: "CONFIG_ERRORS_QUERY",
            measure: "the error rate of the processes that read the changed keys, before and after the change",
        },
        SignalDecl {
            signal: "the behaviour the keys control",
            on_services: false,
            condition: "differs from what the change intended",
            window: "10m",
            action: "revert the config",
            query: "CONFIG_BEHAVIOUR_CHECK",
            measure: "a query or check of the behaviour the changed keys control (a limit, a timeout, a route)",
        },
    ],
    staging: "one instance or environment reads the new values first",
    staged_by_own_targets: false,
    prevention: &["the values before the deploy are recorded"],
    prevention_in_go_no_go: false,
    data_recovery: "config keeps no data; what the service wrote under the new values stays",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: false,
};

fn is_false(b: &bool) -> bool {
    !*b
}

/// A config key that changes. Values of secrets are never printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigKey {
    /// The key.
    pub key: String,
    /// Value before the deploy (absent: key is added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Value after the deploy (absent: key is removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The value is a secret: only the key is ever printed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
}

/// Where configuration lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigLocation {
    /// The kind of store.
    pub store: ConfigStore,
    /// Its name: ConfigMap or Secret name, SSM parameter path, file path, AppConfig profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Config stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigStore {
    /// Kubernetes ConfigMap.
    Configmap,
    /// Kubernetes Secret.
    Secret,
    /// Environment variables of the service (task definition, unit file, platform settings).
    Env,
    /// A file shipped or edited on hosts.
    File,
    /// AWS Systems Manager Parameter Store.
    Ssm,
    /// AWS AppConfig.
    Appconfig,
    /// Shipped with the code artifact (reverts with it).
    Bundled,
}
