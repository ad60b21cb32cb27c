//! `kind: ml_model` — a new model version served for ranking, recommendations, fraud scoring,
//! search or an LLM prompt.
//!
//! What an ML engineer on call asks, and where the answers come from:
//!
//! - *How is quality watched beyond errors?* A model can answer every request and still be worse:
//!   the business metric it drives (click-through, conversion, fraud caught and false positives),
//!   the distribution of its predictions against the previous model's, and an online comparison
//!   (shadow or A/B) against the previous version.
//! - *How is it undone?* Traffic goes back to the previous version: KServe keeps the last rolled
//!   out revision and splits traffic by `canaryTrafficPercent`, so 0 sends everything back to it
//!   (https://kserve.github.io/website/docs/model-serving/predictive-inference/rollout-strategies/canary);
//!   a SageMaker endpoint is updated back to its previous endpoint config
//!   (https://docs.aws.amazon.com/cli/latest/reference/sagemaker/update-endpoint.html); an MLflow
//!   registry alias is pointed back at the previous version
//!   (https://mlflow.org/docs/latest/ml/model-registry/). Instant when the previous version is
//!   still loaded, not when the features or embeddings it reads were changed with it.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A new model version served for ranking, recommendations, fraud scoring or an LLM prompt.
    pub struct MlModel {
        /// The model's name (in the registry, or the serving resource).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub model: Option<String>,
        /// The version served now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<String>,
        /// The version it replaces (the rollback target).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous: Option<String>,
        /// What serves it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub serving: Option<ModelServing>,
        /// The serving resource: a KServe InferenceService, a SageMaker endpoint, an MLflow
        /// registered model.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub endpoint: Option<String>,
        /// The Kubernetes namespace of a KServe InferenceService.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        /// The registry alias the serving reads (MLflow `champion`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alias: Option<String>,
        /// The SageMaker endpoint config that served the previous version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_config: Option<String>,
        /// Share of traffic the new version gets first (a canary); the rest stays on the previous
        /// version, still loaded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub canary_percent: Option<f64>,
        /// The previous version stays loaded and serving, so sending traffic back needs no load.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_loaded: Option<bool>,
        /// Features, embeddings or the index the model reads changed with it: the previous model
        /// needs them back too.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub features_changed: Option<bool>,
    }
}

impl super::Validate for MlModel {}

/// A model version served: a model named with a version, retrained or replaced, or a serving
/// resource (InferenceService, SageMaker endpoint, model registry).
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "ml_model",
    triggers: &[
        Trigger {
            name: "model version",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:recommendation|ranking|fraud|scoring|classifier|classification|ml|llm|embedding|prediction|churn|search)\s+model|model\s+v[0-9]+|retrained|model\s+registry|inferenceservice|sagemaker\s+endpoint|kserve|seldon)(?-u:\b)",
                words: &[
                    "recommendation", "ranking", "fraud", "scoring", "classifier", "classification",
                    "ml", "llm", "embedding", "prediction", "churn", "search", "model", "retrained",
                    "inferenceservice", "sagemaker", "kserve", "seldon",
                ],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a model release beyond the trigger (`spec::brief::model`).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The serving named.
    pub const SERVING: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(kserve|inferenceservice|sagemaker|mlflow|seldon)(?-u:\b)",
        words: &["kserve", "inferenceservice", "sagemaker", "mlflow", "seldon"],
        leading: true,
        and_words: &[],
    };

    /// "InferenceService `recs`", "endpoint `fraud-prod`": the serving resource.
    pub const ENDPOINT: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:inferenceservice|endpoint|registered\s+model)\s+`([[:word:].-]+)`",
        words: &["inferenceservice", "endpoint", "registered"],
        leading: true,
        and_words: &[],
    };

    /// "namespace `ml`".
    pub const NAMESPACE: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)namespace\s+`([[:word:].-]+)`",
        words: &["namespace"],
        leading: true,
        and_words: &[],
    };

    /// A canary share: "canary with 10% of traffic", "canaryTrafficPercent: 10".
    pub const CANARY: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:canarytrafficpercent\s*[:=]\s*([0-9]{1,3})|canary\s+(?:with\s+|at\s+|of\s+)?([0-9]{1,3}(?:\.[0-9]+)?)\s*%)",
        words: &["canarytrafficpercent", "canary"],
        leading: true,
        and_words: &[],
    };

    /// Features, embeddings or an index changed with the model.
    pub const FEATURES_CHANGED: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:new|changed|re-?computed|rebuilt|updated|migrated)\s+(?:[[:word:]-]+\s+){0,2}?(?:features?|embeddings?|feature\s+store|vector\s+index|tokeni[sz]er)(?-u:\b)",
        words: &["new", "changed", "computed", "rebuilt", "updated", "migrated"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::MlModel,
    name: "ml_model",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Reversible,
    time: TimeModel::Seconds,
    mechanisms: &[MechanismDecl {
        id: MechanismId::ModelBack,
        when: "",
        reverses: "the model that answers: traffic or the registry alias back on the previous version",
        does_not_reverse: "predictions already served and what was done with them (items shown, transactions let through or blocked), nor features or embeddings changed with the model",
    }],
    // Quality signals: a model fails quietly. The business metric it drives, the distribution of
    // its predictions, and an online comparison with the previous version, besides errors and
    // latency of the serving.
    signals: &[
        SignalDecl {
            signal: "the business metric the model drives (click-through, add-to-cart, conversion; fraud caught and false positives)",
            on_services: false,
            condition: "the new version's metric below the previous version's (or its own pre-deploy baseline) by more than the agreed margin, e.g. 2% relative click-through or conversion, or any rise in fraud let through",
            window: "1h of traffic, compared on the same hours as the previous version",
            action: "send traffic back to the previous model version",
            query: "MODEL_BUSINESS_METRIC_QUERY",
            measure: "the metric the model drives (click-through, add-to-cart, conversion, fraud caught and false-positive rate), per model version, against the previous version on the same traffic",
        },
        SignalDecl {
            signal: "prediction distribution drift and empty or default answers",
            on_services: false,
            condition: "share of empty, default or fallback answers above the previous version's, or the score distribution shifted from it (population stability index above 0.2)",
            window: "30m",
            action: "send traffic back to the previous model version",
            query: "PREDICTION_DRIFT_QUERY",
            measure: "the distribution of the new version's scores or outputs and its share of empty or fallback answers, against the previous version's",
        },
        SignalDecl {
            signal: "errors and latency of the model server",
            on_services: false,
            condition: "inference errors or timeouts above the previous version's, or p99 inference latency above the caller's timeout budget",
            window: "5m",
            action: "send traffic back to the previous model version",
            query: "MODEL_SERVING_ERRORS_QUERY",
            measure: "inference errors, timeouts and p99 latency per model version (the serving's own metrics)",
        },
    ],
    staging: "a canary or shadow first: the new version answers a small share of traffic (KServe `canaryTrafficPercent`, SageMaker canary traffic shifting) or runs in shadow beside the previous one, then grows (5%, 25%, 50%, 100%) while the business metric holds against the previous version; the previous version stays loaded until the new one is promoted",
    staged_by_own_targets: true,
    prevention: &[
        "the previous model version is still registered and loaded (or loadable in minutes), and one command sends traffic back to it",
        "the new version was compared online with the previous one (shadow or A/B), not only offline",
        "the business metric the model drives has a dashboard per model version and an agreed margin",
        "features and embeddings the previous version reads are still produced, or the plan says the rollback also needs them back",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "a model keeps no data; predictions already served (items shown, transactions scored) stay, and decisions made on them are reviewed by their owners",
    changes_data_store: false,
    irreversible_mitigation: None,
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: false,
};

/// What serves a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ModelServing {
    Kserve,
    Sagemaker,
    Mlflow,
    Seldon,
    Other,
}
