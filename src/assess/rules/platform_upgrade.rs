use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;
use crate::model::PlatformComponent;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A platform upgrade (a cluster's control plane or nodes, the nodes' OS image, service
    /// discovery or a mesh), classed by whether a downgrade exists and what was kept on the old
    /// version to get back to.
    ///
    /// ## Why it matters for rollback
    ///
    /// A Kubernetes control plane has no downgrade (EKS, GKE, kubeadm): once upgraded, the way
    /// back is forward, or to another cluster (irreversible). Nodes come back in minutes when the
    /// old node pool was left running and cordoned (fast: uncordon it, drain the new one), in
    /// hours when every node must be replaced on the previous image (complex). A setting of
    /// service discovery is set back and the agents restarted one at a time (fast, while the
    /// cluster still answers); a version upgrade that rewrites its raft state comes back only
    /// from the snapshot taken before (complex), or not at all without one.
    ///
    /// ## Example
    ///
    /// "EKS cluster `prod-eu` control plane 1.29 -> 1.30; EKS control planes cannot be
    /// downgraded."
    ///
    /// ## Use instead
    ///
    /// Create the new node pool beside the old one and keep the old one cordoned until the new
    /// one has run a full traffic cycle; keep a standby cluster on the old version for the
    /// control plane; take a snapshot of etcd or the raft state right before and rehearse its
    /// restore on the target version.
    pub static PLATFORM_UPGRADE = { code: "RB022", name: "platform-upgrade", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(p) = c.as_platform_upgrade() else {
            continue;
        };
        let field = |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let component = p.component;
        let nodes = matches!(component, Some(PlatformComponent::Nodes | PlatformComponent::OsImage));
        let (back, level, evidence) = if component == Some(PlatformComponent::ControlPlane) {
            (Back::ControlPlane { standby: p.standby.as_deref() }, Level::Irreversible, field("component"))
        } else if let Some(s) = p.setting.as_deref() {
            (Back::Setting { setting: s }, Level::Fast, field("setting"))
        } else if let Some(pool) = p.old_pool.as_deref() {
            (Back::OldPool { pool }, Level::Fast, field("old_pool"))
        } else if p.downgrade == Some(false) && p.state_snapshot.is_none() && p.standby.is_none() {
            (Back::NothingKept, Level::Irreversible, field("downgrade"))
        } else if nodes {
            (Back::ReplaceNodes, Level::Complex, field("component"))
        } else if let Some(s) = p.state_snapshot.as_deref() {
            (Back::Snapshot { snapshot: s }, Level::Complex, field("state_snapshot"))
        } else {
            (Back::Unknown, Level::Complex, field("component"))
        };
        let mut finding = rule
            .finding(Found { back, auto_updates: p.auto_updates.as_deref() }, evidence)
            .level(level)
            .change(i);
        if level == Level::Irreversible {
            finding = finding.severity(Severity::Error);
        }
        out.push(finding);
    }
}

/// How a platform upgrade comes back.
enum Back<'a> {
    ControlPlane { standby: Option<&'a str> },
    Setting { setting: &'a str },
    OldPool { pool: &'a str },
    NothingKept,
    ReplaceNodes,
    Snapshot { snapshot: &'a str },
    Unknown,
}

struct Found<'a> {
    back: Back<'a>,
    /// The nodes update themselves: the brief's words.
    auto_updates: Option<&'a str>,
}

impl crate::assess::Violation for Found<'_> {
    fn message(&self) -> String {
        let back = match &self.back {
            Back::ControlPlane { standby: Some(s) } => format!("a control plane has no downgrade: the way back is forward, or moving the workloads to the standby cluster {s} kept on the old version"),
            Back::ControlPlane { standby: None } => "a control plane has no downgrade: the way back is forward, or to another cluster on the old version; its state comes back only from a snapshot taken before, losing every write since".to_string(),
            Back::Setting { setting } => format!("the setting {setting} is set back and the agents restarted one at a time, in minutes, while the cluster still answers"),
            Back::OldPool { pool } => format!("the old node pool {pool} is kept: uncordon it, cordon and drain the new nodes, in minutes"),
            Back::NothingKept => "no downgrade exists and nothing on the old version is kept: only fixing forward is left".to_string(),
            Back::ReplaceNodes => "no old node pool is kept: going back means replacing every node on the previous image, one cluster at a time".to_string(),
            Back::Snapshot { snapshot } => format!("the way back is restoring {snapshot} on the previous version, losing every write to the platform's state since"),
            Back::Unknown => "rollbook cannot tell what was kept on the old version: classed for the worst case it cannot exclude (at least complex); keep the old pool, a standby or a snapshot".to_string(),
        };
        let auto = match self.auto_updates {
            Some(w) => format!("; the nodes update themselves ({w}) on every node at once: a fleet-wide push outside any deploy, stagger or pin it"),
            None => String::new(),
        };
        format!("platform upgrade: {back}{auto}")
    }
}
