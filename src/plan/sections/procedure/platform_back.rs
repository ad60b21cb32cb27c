//! A platform upgrade undone by what was kept on the old version: the workloads moved back to the
//! old node pool (uncordon it, cordon and drain the new one), or to a standby cluster; a platform
//! setting set back and its agents restarted one at a time; the platform's state restored from
//! the snapshot taken before. With nothing kept and no downgrade, the step is the decision to fix
//! forward. Commands:
//! - `kubectl cordon|uncordon|drain --selector`, `drain --ignore-daemonsets
//!   --delete-emptydir-data` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_drain/,
//!   https://kubernetes.io/docs/reference/kubectl/generated/kubectl_uncordon/);
//! - `consul snapshot restore FILE` (https://developer.hashicorp.com/consul/commands/snapshot/restore:
//!   into servers of the same Consul version as took the snapshot);
//! - `etcdutl snapshot restore FILE --data-dir DIR` (https://etcd.io/docs/latest/op-guide/recovery/);
//! - `consul operator raft list-peers` (https://developer.hashicorp.com/consul/commands/operator/raft),
//!   `consul members -status=failed` (https://developer.hashicorp.com/consul/commands/members).

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::{PlatformComponent, PlatformUpgrade};
use crate::plan::placeholders::slug;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let p = c.as_platform_upgrade().cloned().unwrap_or_default();
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    let control_plane = p.component == Some(PlatformComponent::ControlPlane);
    let no_downgrade = p.downgrade == Some(false) || control_plane;
    // A control plane has no downgrade: deciding to fix forward comes first, and what was kept
    // (the old pool for the nodes, a standby cluster for the control plane) is each the answer
    // to one fault, not steps to run one after the other.
    if control_plane {
        b.actions.push(fix_forward(&p, &label));
    }
    let mut acted = false;
    if p.setting.is_some() {
        b.actions
            .push(setting_back(ctx, &p, &label, &field("setting_previous")));
        acted = true;
    }
    if let Some(old) = p.old_pool.as_deref() {
        let mut a = back_to_old_pool(ctx, &p, old, &label, &field("new_pool"));
        if control_plane {
            a.title = format!("If the new nodes are at fault: {}", lower_first(&a.title));
        }
        b.actions.push(a);
        acted = true;
    }
    if let Some(standby) = p.standby.as_deref() {
        let mut a = to_standby(ctx, standby, &label);
        if control_plane {
            a.title = format!(
                "If the control plane is at fault: {}",
                lower_first(&a.title)
            );
        }
        b.actions.push(a);
        acted = true;
    }
    if !acted && no_downgrade && !control_plane {
        b.actions.push(fix_forward(&p, &label));
    } else if !acted && !no_downgrade && (p.previous_image.is_some() || is_nodes(&p)) {
        b.actions
            .push(repin_image(ctx, &p, &label, &field("previous_image")));
    }
    if p.state_snapshot.is_some()
        || (!acted && p.component == Some(PlatformComponent::ServiceDiscovery))
    {
        b.actions
            .push(restore_state(ctx, &p, &label, &field("state_snapshot")));
    } else if !acted && !no_downgrade && !is_nodes(&p) && p.previous_image.is_none() {
        let hole = ctx.ph.hole(
            &format!("{}_PLATFORM_ROLLBACK_COMMAND", slug(&label)),
            "how this platform is set back to the previous version (the vendor's downgrade, a re-pinned version, a rebuilt pool)",
            &field("previous_image"),
        );
        b.actions.push(
            Action::new(format!("Set `{label}` back to the previous version"), label.clone())
                .cmd(Cmd::default().word(hole))
                .success("the platform reports the previous version, and the nodes and pods are back at the count before")
                .minutes(30),
        );
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn is_nodes(p: &PlatformUpgrade) -> bool {
    matches!(
        p.component,
        Some(PlatformComponent::Nodes) | Some(PlatformComponent::OsImage)
    )
}

/// A label selector on one node pool: the pool label key is the operator's (EKS and GKE each set
/// their own), the pool name is the brief's.
fn pool_selector(ctx: &mut Ctx, pool: Word) -> Word {
    let key = ctx.ph.hole(
        "NODE_POOL_LABEL_KEY",
        "the node label that names a node pool or group (the one your cloud or provisioner sets on every node of the pool; see `kubectl get nodes --show-labels`)",
        "by hand in the plan, before the deploy: no spec field names it",
    );
    key.then_lit("=").then(pool)
}

fn back_to_old_pool(
    ctx: &mut Ctx,
    p: &PlatformUpgrade,
    old: &str,
    label: &str,
    new_field: &str,
) -> Action {
    let old_sel = pool_selector(ctx, Word::val(old));
    let new_pool = ctx.ph.val_or(
        p.new_pool.as_deref(),
        "NEW_NODE_POOL",
        "the node pool or group created on the new version",
        new_field,
    );
    let new_sel = pool_selector(ctx, new_pool);
    Action::new(format!("Move workloads back to the old node pool `{old}`"), label.to_string())
            .cmd(Cmd::new("kubectl uncordon --selector").word(old_sel.clone()))
            .cmd(Cmd::new("kubectl cordon --selector").word(new_sel.clone()))
            .cmd(
                Cmd::new("kubectl drain --selector")
                    .word(new_sel)
                    .lit("--ignore-daemonsets --delete-emptydir-data --timeout=15m"),
            )
            .verify(Cmd::new("kubectl get nodes --selector").word(old_sel))
            .verify(Cmd::new("kubectl get pods --all-namespaces --field-selector=status.phase=Pending"))
            .success("the old pool's nodes are Ready and schedulable, the new pool's are cordoned and empty but for DaemonSets, and no pod is Pending")
            .minutes(10)
            .note("Drain respects PodDisruptionBudgets: a drain that hangs names the budget that blocks it; do not add --disable-eviction.")
            .note("emptyDir data on the drained nodes is lost (--delete-emptydir-data): it is scratch space by design.")
            .note(format!("Keep `{old}` running and cordoned until the new pool has run a full traffic cycle; scale it down only then."))
}

fn to_standby(ctx: &mut Ctx, standby: &str, label: &str) -> Action {
    let shift = ctx.ph.hole(
        "SHIFT_TRAFFIC_TO_STANDBY_COMMAND",
        "how traffic is moved to the standby cluster (load balancer target group weights, DNS, the mesh's failover)",
        "by hand in the plan, before the deploy: no spec field names it",
    );
    let context = ctx.ph.hole(
        "STANDBY_KUBE_CONTEXT",
        "the kubectl context of the standby cluster",
        "your kubeconfig",
    );
    Action::new(
        format!("Move workloads to the standby cluster `{standby}`, still on the old version"),
        label.to_string(),
    )
    .cmd(Cmd::default().word(shift))
    .verify(Cmd::new("kubectl --context").word(context.clone()).lit("get nodes"))
    .verify(
        Cmd::new("kubectl --context")
            .word(context)
            .lit("get pods --all-namespaces --field-selector=status.phase=Pending"),
    )
    .success("the standby cluster serves the traffic with every node Ready and no pod failing; the upgraded cluster takes none")
    .minutes(15)
    .note(format!("Check `{standby}` has the capacity for the whole load before moving it: scale it up first."))
}

fn setting_back(ctx: &mut Ctx, p: &PlatformUpgrade, label: &str, field: &str) -> Action {
    let setting = p.setting.clone().unwrap_or_default();
    let value = ctx.ph.text_or(
        p.setting_previous.as_deref(),
        "SETTING_PREVIOUS_VALUE",
        "the setting's value before the change",
        field,
    );
    let edit = ctx.ph.hole(
        "SET_SETTING_BACK_COMMAND",
        "how the setting is written back in the agents' configuration (the config management run, the template)",
        "by hand in the plan, before the deploy: no spec field names it",
    );
    let unit = ctx.ph.hole(
        "AGENT_SERVICE_UNIT",
        "the systemd unit of the agent that reads the setting (e.g. consul)",
        "the hosts' service definitions",
    );
    let a = Action::new(
        format!("Set `{setting}` back to {value} and restart the agents one at a time"),
        label.to_string(),
    )
    .cmd(Cmd::default().word(edit))
    .cmd(Cmd::new("sudo systemctl restart").word(unit));
    let a = if p.system.as_deref() == Some("consul") {
        a.verify(Cmd::new("consul operator raft list-peers"))
            .verify(Cmd::new("consul members -status=failed"))
            .success(format!("`{setting}` reads {value} on every agent; one leader, every voter in the raft peer list, no failed member"))
    } else {
        let health = ctx.ph.hole(
            "PLATFORM_HEALTH_COMMAND",
            "the platform's own health check: its members, its leader, its control plane",
            "by hand in the plan, before the deploy: no spec field names it",
        );
        a.verify(Cmd::default().word(health))
            .success(format!("`{setting}` reads {value} on every agent, and the platform reports every member healthy"))
    };
    a.minutes(10)
    .note("Restart servers one at a time, followers first and the leader last, waiting for each to rejoin: restarting a quorum at once loses the cluster.")
    .note("The commands above read the cluster through itself: watch it also from a monitor that does not depend on it.")
}

fn fix_forward(p: &PlatformUpgrade, label: &str) -> Action {
    let to = p.to.clone().unwrap_or_else(|| "the new version".into());
    Action::new(
        match p.target.as_deref() {
            Some(t) => format!("Decide: fix forward on {to}; `{t}` has no downgrade"),
            None => format!("Decide: fix forward on {to}; there is no downgrade of `{label}`"),
        },
        label.to_string(),
    )
    .success("the decision-maker has chosen the fix: a workload adapted to the new version, an add-on or API server flag changed, or the workloads moved to capacity still on the old version")
    .minutes(15)
    .note("A Kubernetes control plane cannot be downgraded (EKS: https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html; kubeadm supports no downgrade): the way back is forward, or to another cluster.")
}

fn repin_image(ctx: &mut Ctx, p: &PlatformUpgrade, label: &str, field: &str) -> Action {
    let image = ctx.ph.text_or(
        p.previous_image.as_deref().or(p.from.as_deref()),
        "PREVIOUS_NODE_IMAGE",
        "the previous node image id, AMI or OS release",
        field,
    );
    let repin = ctx.ph.hole(
        "REPIN_NODE_IMAGE_COMMAND",
        "how the node pool's image is pinned back (launch template version, node pool image, provisioner config)",
        "by hand in the plan, before the deploy: no spec field names it",
    );
    let node = ctx.ph.hole(
        "NODE_NAME",
        "each node on the new image, in turn",
        "kubectl get nodes",
    );
    Action::new(
        format!("Pin the node image back to {image} and replace the nodes, one cluster at a time"),
        label.to_string(),
    )
    .cmd(Cmd::default().word(repin))
    .cmd(
        Cmd::new("kubectl drain")
            .word(node)
            .lit("--ignore-daemonsets --delete-emptydir-data --timeout=15m"),
    )
    .verify(Cmd::new("kubectl get nodes -o wide"))
    .success("every node runs the previous image and is Ready; no pod is Pending")
    .minutes(60)
    .note("Replacing every node takes hours per cluster: start with the clusters that serve customers, and stop the node image's own automatic updates first.")
}

fn restore_state(ctx: &mut Ctx, p: &PlatformUpgrade, label: &str, field: &str) -> Action {
    let what = p
        .state_snapshot
        .clone()
        .unwrap_or_else(|| "the state snapshot".into());
    let file = ctx.ph.hole(
        "STATE_SNAPSHOT_FILE",
        "the snapshot of the platform's state taken right before the upgrade",
        field,
    );
    let etcd = what.to_lowercase().contains("etcd")
        || p.component == Some(PlatformComponent::ControlPlane);
    let (cmd, verify) = if etcd {
        let dir = ctx.ph.hole(
            "ETCD_RESTORED_DATA_DIR",
            "a new, empty data directory for the restored etcd member",
            "by hand in the plan, before the deploy: no spec field names it",
        );
        (
            Cmd::new("etcdutl snapshot restore")
                .word(file)
                .lit("--data-dir")
                .word(dir),
            Cmd::new("kubectl get --raw").val("/readyz?verbose"),
        )
    } else {
        (
            Cmd::new("consul snapshot restore").word(file),
            Cmd::new("consul operator raft list-peers"),
        )
    };
    let mut a = Action::new(
        format!("Last resort: restore {what} taken before `{label}`"),
        label.to_string(),
    )
    .cmd(cmd)
    .verify(verify)
    .success("the platform's state is back as of the snapshot, on servers of the version that took it; one leader, every member healthy")
    .minutes(45)
    .note("Every write to the platform's state since the snapshot is lost (objects, registrations, keys): only when fixing forward has failed.")
    .note("A snapshot restores on servers of the version that took it: reinstall the previous version on the servers first. Rehearse this restore on the target version before the upgrade.");
    a.destructive = true;
    a
}
