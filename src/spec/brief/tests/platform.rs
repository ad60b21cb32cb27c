//! Platform upgrades and cutovers read from briefs: their fields, and what they take over from
//! the infrastructure, dependency and schema migration readings.

use super::*;

fn platform(i: &Input) -> PlatformUpgrade {
    i.spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_platform_upgrade().cloned())
        .expect("a platform upgrade")
}

fn cutover(i: &Input) -> Cutover {
    i.spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_cutover().cloned())
        .expect("a cutover")
}

#[test]
fn a_node_pool_upgrade_keeps_the_old_pool_and_invents_no_service() {
    let i = run(
        "b.md",
        "Upgrade the AKS node pools of cluster `prod-weu` from 1.29 to 1.30 on Monday.\n\nA new pool `np130` is created alongside `np129`; cordon np129 after a day.\n",
    );
    let p = platform(&i);
    assert_eq!(p.component, Some(PlatformComponent::Nodes));
    assert_eq!(p.target.as_deref(), Some("prod-weu"));
    assert_eq!(p.new_pool.as_deref(), Some("np130"));
    assert_eq!(p.old_pool.as_deref(), Some("np129"));
    assert_eq!(
        (p.from.as_deref(), p.to.as_deref()),
        (Some("1.29"), Some("1.30"))
    );
    assert!(i.spec.architecture.services.is_empty());
    assert!(
        i.spec
            .deployment
            .changes
            .iter()
            .all(|c| c.kind() == ChangeKind::PlatformUpgrade),
        "{:#?}",
        i.spec.deployment.changes
    );
}

#[test]
fn a_control_plane_without_downgrade_and_its_state_snapshot() {
    let i = run(
        "b.md",
        "Upgrade the GKE control plane to 1.31 on Tuesday. GKE control planes cannot be downgraded. We take an etcd snapshot before.\n",
    );
    let p = platform(&i);
    assert_eq!(p.component, Some(PlatformComponent::ControlPlane));
    assert_eq!(p.downgrade, Some(false));
    assert_eq!(p.state_snapshot.as_deref(), Some("etcd snapshot"));
    assert_eq!(p.system.as_deref(), Some("gke"));
}

#[test]
fn a_cutover_reads_its_systems_and_what_keeps_the_old_one_current() {
    let i = run(
        "b.md",
        "Switch invoice reads and writes from DynamoDB to Aurora on Thursday. Writes made in Aurora are synced back to DynamoDB for two weeks; a reconciliation job compares both nightly.\n",
    );
    let c = cutover(&i);
    assert_eq!(c.from.as_deref(), Some("DynamoDB"));
    assert_eq!(c.to.as_deref(), Some("Aurora"));
    assert_eq!(c.reverse_sync, Some(true));
    assert!(c.reconciliation.is_some());
    assert!(
        !i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::Migration),
        "{:#?}",
        i.spec.deployment.changes
    );
}

#[test]
fn a_migration_between_platforms_is_a_cutover_not_a_schema_migration() {
    let i = run(
        "b.md",
        "# Card migration to Ledgerly\n\nMigrate every card account from the old card platform to Ledgerly in one weekend.\n",
    );
    cutover(&i);
    assert!(
        !i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::Migration),
        "{:#?}",
        i.spec.deployment.changes
    );
}
