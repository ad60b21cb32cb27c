//! `kind: infrastructure` — Terraform, cluster upgrades, DNS and the like.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// Infrastructure (Terraform, cluster upgrade, DNS, ...).
    pub struct Infrastructure {
        /// How it is applied.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub apply: Option<InfraTool>,
        /// What is changed (resource, cluster, zone).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target: Option<String>,
        /// The change has no downgrade path (cluster upgrade, deployed contract, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub no_downgrade_path: Option<bool>,
        /// Path to a plan JSON (`terraform show -json plan.out`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan: Option<String>,
        /// The working directory of the IaC root module.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub workdir: Option<String>,
    }
}

impl super::Validate for Infrastructure {}

/// Infrastructure: Terraform and its kin, a cluster upgrade.
pub const RECOGNISER: Recogniser = Recogniser {
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
            leading: false,
            and_words: &[],
        },
        also: None,
    }],
    negations: NEGATION_WORDS,
};

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::Infrastructure,
    name: "infrastructure",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Redeploy,
    mechanisms: &[MechanismDecl {
        id: MechanismId::InfraRevert,
        when: "",
        reverses: "the declared infrastructure, by re-applying the previous configuration",
        does_not_reverse: "resources destroyed or replaced (their data), an upgrade with no downgrade",
    }],
    signals: &[
        SignalDecl {
            signal: "reachability from outside",
            on_services: false,
            condition: "a probe from outside the changed network fails 3 times in a row",
            window: "1m probes",
            action: "roll back",
            query: "REACHABILITY_CHECK",
            measure: "a probe from outside the changed network (a synthetic check, or a command run from another network) to what runs behind the change",
        },
        SignalDecl {
            signal: "the health of what runs on it",
            on_services: false,
            condition: "more unhealthy or unreachable resources than before the change",
            window: "5m",
            action: "roll back",
            query: "RESOURCE_HEALTH_QUERY",
            measure: "the health of the resources the change touches (nodes ready, targets healthy, peers up)",
        },
    ],
    staging: "one environment, zone or node pool before the rest",
    staged_by_own_targets: false,
    prevention: &[
        "the plan shows no destroy or replace of a stateful resource",
        "the previous configuration is committed",
    ],
    prevention_in_go_no_go: false,
    data_recovery: "destroyed or replaced resources come back empty: restore their data from backup",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: there is no downgrade: fix forward, or build a replacement on the old version and restore data into it; keep the old resources until the new ones have proved themselves.",
    ),
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: true,
};

/// How infrastructure is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InfraTool {
    Terraform,
    Opentofu,
    Cloudformation,
    Pulumi,
    Helm,
    Kubectl,
    /// Cluster or platform version upgrade (EKS, GKE, RDS engine version, ...).
    PlatformUpgrade,
    Manual,
}
