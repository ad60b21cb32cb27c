//! `kind: platform_upgrade` — the platform the services run on, upgraded or reconfigured: a
//! cluster's control plane or nodes (EKS, GKE, AKS, kubeadm), the nodes' OS image, service
//! discovery or a mesh (Consul, Istio, Linkerd, etcd). A database engine's major upgrade is a
//! `database_operation` (its operation `major_upgrade`), not this kind.
//!
//! What a platform engineer asks, and where the answers come from:
//!
//! - *Does a downgrade exist at all?* Not for a Kubernetes control plane: EKS "can't downgrade"
//!   a cluster (https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html), GKE
//!   control planes cannot go back a minor version, and kubeadm supports no downgrade. An OS
//!   image is pinned back by replacing the nodes again; a Consul or etcd upgrade may rewrite the
//!   raft state on disk, so its way back is the snapshot taken before.
//! - *What must be kept to get back?* The old node pool or group left running and cordoned, a
//!   standby cluster on the old version, a snapshot of etcd or the raft state
//!   (https://developer.hashicorp.com/consul/commands/snapshot/restore,
//!   https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/), the previous
//!   image id.
//! - *What shows it is hurting?* Nodes NotReady, pods pending or restarting, the API server's
//!   errors and latency, raft leader elections and commit time (Roblox 2021: Consul streaming
//!   under load, https://blog.roblox.com/2022/01/roblox-return-to-service-10-28-10-31-2021/), pod
//!   networking on a new OS image (Datadog 2023: a systemd update removed Cilium's routes on
//!   every node at once, https://www.datadoghq.com/blog/engineering/2023-03-08-deep-dive-into-platform-level-impact/).

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// The platform the services run on, upgraded or reconfigured: a cluster's control plane or
    /// nodes, the nodes' OS image, service discovery or a mesh.
    pub struct PlatformUpgrade {
        /// What is upgraded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub component: Option<PlatformComponent>,
        /// The platform named: `eks`, `gke`, `aks`, `kubeadm`, `consul`, `istio`, `etcd`, ...
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub system: Option<String>,
        /// The cluster or system (EKS cluster name, Consul datacenter).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target: Option<String>,
        /// Version or image before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// Version or image after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
        /// Whether a downgrade exists (false: a Kubernetes control plane, a raft format change).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub downgrade: Option<bool>,
        /// The node pool or group left running on the old version, cordoned, to move back to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub old_pool: Option<String>,
        /// The node pool or group created on the new version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub new_pool: Option<String>,
        /// A standby cluster (or replica) still on the old version that can take the workloads.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub standby: Option<String>,
        /// The snapshot of the platform's state taken right before (etcd, Consul or raft).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_snapshot: Option<String>,
        /// The previous image, AMI or runtime pinned back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_image: Option<String>,
        /// The platform setting turned on or changed (`use_streaming_backend`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub setting: Option<String>,
        /// The setting's value before, set back on a rollback.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub setting_previous: Option<String>,
        /// The nodes update themselves (unattended-upgrades, auto-upgrade channels): a change
        /// pushed to every node at once outside any deploy. The brief's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auto_updates: Option<String>,
    }
}

impl super::Validate for PlatformUpgrade {}

/// The part of the platform upgraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PlatformComponent {
    /// A Kubernetes control plane (API server, etcd, controllers).
    ControlPlane,
    /// The nodes: a node pool or group on a new version.
    Nodes,
    /// The nodes' operating system image (AMI, OS release).
    OsImage,
    /// Service discovery, a mesh or a consensus store (Consul, Istio, Linkerd, etcd, ZooKeeper).
    ServiceDiscovery,
    Other,
}

/// The upgrade words of a platform, or a version arrow.
macro_rules! upgrade_words {
    () => {
        r"(?:upgrad[[:word:]]*|[0-9]+\.[0-9]+(?:\.[0-9]+)?\s*(?:->|→|to)\s*[0-9]+\.[0-9]+)"
    };
}

/// A platform upgrade: a cluster's control plane or nodes with an upgrade word or a version
/// arrow, the cloud's upgrade command, an OS release moved on the nodes, service discovery or a
/// mesh upgraded or reconfigured.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "platform_upgrade",
    triggers: &[
        Trigger {
            name: "control plane",
            found: Pattern {
                regex: concat!(
                    r"(?i)(?-u:\b)(?:(?:eks|gke|aks|kubernetes|k8s|openshift)\s+(?:[[:word:]`'-]+\s+){0,4}?",
                    upgrade_words!(),
                    r"|(?:control\s+plane|node\s+(?:pools?|groups?))\s+(?:[[:word:]`'-]+\s+){0,3}?",
                    upgrade_words!(),
                    r"|upgrad[[:word:]]*\s+(?:[[:word:]`'-]+\s+){0,4}?(?:control\s+plane|node\s+(?:pools?|groups?))|kubeadm\s+upgrade|update-cluster-version|container\s+clusters\s+upgrade|aks\s+upgrade)"
                ),
                words: &[
                    "eks",
                    "gke",
                    "aks",
                    "kubernetes",
                    "k8s",
                    "openshift",
                    "control",
                    "node",
                    "upgrad",
                    "update-cluster",
                    "kubeadm",
                    "container",
                ],
                leading: true,
                and_words: &["upgrad", "->", "→", "to", "update-cluster-version"],
            },
            also: None,
        },
        Trigger {
            name: "node image",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:node|host|vm|worker)s?\s+(?:os\s+)?images?|amis?|(?:os|operating\s+system)\s+(?:image|release)s?)(?-u:\b)",
                words: &["node", "host", "vm", "worker", "ami", "os", "operating"],
                leading: true,
                and_words: &["image", "ami", "release"],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(?:upgrad[[:word:]]*|mov(?:e|es|ed|ing)|migrat[[:word:]]*|replac[[:word:]]*|roll(?:s|ed|ing)?\s+out|from\s+[[:word:]]+\s+[0-9])",
                words: &["upgrad", "mov", "migrat", "replac", "roll", "from"],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "service discovery",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:consul|istio|linkerd|etcd|zookeeper|service\s+mesh)(?-u:\b)",
                words: &["consul", "istio", "linkerd", "etcd", "zookeeper", "mesh"],
                leading: false,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: concat!(
                    r"(?i)(?-u:\b)(?:enabl[[:word:]]*|disabl[[:word:]]*|turn(?:s|ed|ing)?\s+on|",
                    upgrade_words!(),
                    r")"
                ),
                words: &["enabl", "disabl", "turn", "upgrad", "->", "→", "to"],
                leading: false,
                and_words: &[],
            }),
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a platform upgrade beyond the trigger, read from every sentence
/// (`spec::brief` applies them).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The platform named.
    pub const SYSTEM: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(eks|gke|aks|kubeadm|openshift|consul|istio|linkerd|etcd|zookeeper)(?-u:\b)",
        words: &["eks", "gke", "aks", "kubeadm", "openshift", "consul", "istio", "linkerd", "etcd", "zookeeper"],
        leading: true,
        and_words: &[],
    };

    /// The platform says there is no downgrade.
    pub const NO_DOWNGRADE: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:cannot\s+be\s+downgraded|can't\s+be\s+downgraded|can\s+not\s+be\s+downgraded|no\s+(?:supported\s+|in-place\s+)?downgrade|not\s+downgradable|downgrades?\s+(?:is|are)\s+not\s+supported)(?-u:\b)",
        words: &["downgrad"],
        leading: false,
        and_words: &[],
    };

    /// The new pool or group: "new group `ng-130`".
    pub const NEW_POOL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)new\s+(?:node\s+)?(?:group|pool)\s+`([^`\s]+)`",
        words: &["new"],
        leading: true,
        and_words: &[],
    };

    /// The old pool or group, kept beside the new one: "next to `ng-129`", "the old pool
    /// `blue`", "cordon/drain ng-129".
    pub const OLD_POOL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:(?:next\s+to|alongside|beside)\s+(?:the\s+)?(?:old\s+|existing\s+)?(?:node\s+)?(?:(?:group|pool)\s+)?|(?:old|previous|existing)\s+(?:node\s+)?(?:group|pool)\s+|cordon(?:/drain|\s+and\s+drain)?\s+)`?([[:word:]][[:word:].-]*[[:word:]])`?",
        words: &["next", "alongside", "beside", "old", "previous", "existing", "cordon"],
        leading: true,
        and_words: &[],
    };

    /// A standby cluster on the old version: "the standby cluster `prod-eu-b`".
    pub const STANDBY: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:standby|fallback|secondary|spare|old)\s+cluster\s+`([^`\s]+)`",
        words: &["standby", "fallback", "secondary", "spare", "old"],
        leading: true,
        and_words: &[],
    };

    /// The cluster upgraded: "cluster `prod-eu`", "--name prod-eu".
    pub const TARGET: Pattern = Pattern {
        regex: r"(?i)(?:(?-u:\b)cluster\s+`([^`\s]+)`|--(?:name|cluster-name|cluster)[ =]([[:word:]][[:word:].-]*))",
        words: &["cluster", "--name"],
        leading: false,
        and_words: &[],
    };

    /// A snapshot of the platform's state: "the etcd backup", "a Consul snapshot".
    pub const STATE_SNAPSHOT: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:etcd|consul|raft|zookeeper)\s+(?:backup|snapshot)s?(?-u:\b)",
        words: &["etcd", "consul", "raft", "zookeeper"],
        leading: true,
        and_words: &[],
    };

    /// A setting turned on or off: "Enable Consul's streaming backend (`use_streaming_backend`)".
    pub const SETTING: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:enabl|disabl|turn|set)[^`.;]{0,80}`([a-z][a-z0-9_.-]*_[a-z0-9_.-]+)`",
        words: &["enabl", "disabl", "turn", "set"],
        leading: true,
        and_words: &[],
    };

    /// The value set back: "setting the option back to false".
    pub const SETTING_BACK: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)back\s+to\s+`?(false|true|off|on|disabled|enabled|[0-9]+)`?(?-u:\b)",
        words: &["back"],
        leading: true,
        and_words: &[],
    };

    /// The nodes update themselves.
    pub const AUTO_UPDATES: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:unattended-upgrades|unattended\s+upgrades|automatic\s+(?:security\s+)?updates|auto-upgrades?|dnf-automatic|yum-cron)(?-u:\b)",
        words: &["unattended", "automatic", "auto-upgrade", "dnf-automatic", "yum-cron"],
        leading: true,
        and_words: &[],
    };

    /// A version before and after: "1.29 -> 1.30", "from Ubuntu 20.04 (systemd 245) to 22.04".
    pub const FROM_TO: Pattern = Pattern {
        regex: r"(?i)(?:(?-u:\b)([0-9]+\.[0-9]+(?:\.[0-9]+)?)\s*(?:->|→)\s*([0-9]+\.[0-9]+(?:\.[0-9]+)?)|(?-u:\b)from\s+(?:[[:alpha:]]+\s+)?([0-9]+\.[0-9]+(?:\.[0-9]+)?)\s+(?:\([^)]*\)\s+)?to\s+(?:[[:alpha:]]+\s+)?([0-9]+\.[0-9]+(?:\.[0-9]+)?))",
        words: &["->", "→", "from"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::PlatformUpgrade,
    name: "platform_upgrade",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Redeploy,
    mechanisms: &[MechanismDecl {
        id: MechanismId::PlatformBack,
        when: "",
        reverses: "the workloads, moved back to the old node pool or a standby cluster; a setting set back; the state restored from its snapshot",
        does_not_reverse: "a control plane's version (no downgrade), state written in a newer format after the snapshot",
    }],
    // Signals of the platform itself, not of one service's requests: nodes and pods, the control
    // plane's API, the consensus store under it.
    signals: &[
        SignalDecl {
            signal: "nodes NotReady against the count before",
            on_services: false,
            condition: "any node NotReady for more than 2 minutes, or fewer Ready nodes than before the upgrade",
            window: "2m",
            action: "stop the upgrade (no further pool or cluster); move workloads back to the old pool",
            query: "NODES_NOT_READY_QUERY",
            measure: "nodes whose Ready condition is not True, per pool and cluster (`kubectl get nodes`, kube-state-metrics `kube_node_status_condition`), against the count before",
        },
        SignalDecl {
            signal: "pods pending or restarting",
            on_services: false,
            condition: "pods Pending for more than 5 minutes, or container restarts above the hour before the upgrade",
            window: "5m",
            action: "stop the upgrade; cordon the new nodes and move workloads back",
            query: "PODS_PENDING_RESTARTING_QUERY",
            measure: "pods Pending and container restarts per namespace and node pool (kube-state-metrics `kube_pod_status_phase`, `kube_pod_container_status_restarts_total`), and pod networking errors (CNI, DNS)",
        },
        SignalDecl {
            signal: "control-plane API errors and latency",
            on_services: false,
            condition: "API server request errors or latency above the hour before the upgrade, or any admission webhook failing",
            window: "5m",
            action: "stop the upgrade; fix forward on the control plane",
            query: "CONTROL_PLANE_API_QUERY",
            measure: "API server request errors and latency per verb (`apiserver_request_total` by code, `apiserver_request_duration_seconds`), or the platform's own API health",
        },
        SignalDecl {
            signal: "consensus health: leader elections and commit latency",
            on_services: false,
            condition: "any leader election, or raft/etcd commit latency above twice the hour before",
            window: "5m",
            action: "stop; set the change back, or restore the state snapshot",
            query: "CONSENSUS_HEALTH_QUERY",
            measure: "leader changes and commit latency of the consensus store (Consul `consul.raft.commitTime` and `consul.raft.state.candidate`; etcd `etcd_server_leader_changes_seen_total`, `etcd_disk_wal_fsync_duration_seconds`)",
        },
    ],
    staging: "one cluster, region or node pool at a time, a non-production cluster on the same versions first; a new node pool beside the old one (the old one left running, cordoned), a canary pool before the rest; service discovery one agent group or datacenter at a time",
    staged_by_own_targets: true,
    prevention: &[
        "a snapshot of the platform's state is taken right before and its restore was rehearsed on the target version (etcd `etcdctl snapshot save`, `consul snapshot save`)",
        "no workload uses an API, flag or label the target version removes (`kubent` or `pluto`, the release notes' removals)",
        "the old node pool or group stays running, cordoned, until the new one has run a full traffic cycle; the previous image id is recorded",
        "the view used to watch the upgrade does not run only on the platform being upgraded (an independent monitor or a second cluster)",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "workloads keep their data on their own volumes and stores; the platform's state (etcd, Consul's raft and KV) comes back only from the snapshot taken before, losing every write since",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: the upgrade has no downgrade: fix forward on the new version, move the workloads to a node pool or standby cluster kept on the old version, and restore the platform's state from the snapshot taken before only as a last resort (every write since is lost).",
    ),
    audience: &[Audience::Engineering, Audience::Customers],
    may_cut_own_tooling: true,
};
