//! Statements kept verbatim: no-way-back words, back-out sections, unmapped work.

use super::*;

fn statements_of(text: &str, kind: StatementKind) -> Vec<String> {
    run("s.md", text)
        .spec
        .statements
        .into_iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.words)
        .collect()
}

#[test]
fn no_way_back_words_are_kept_whatever_is_beside_them() {
    for (text, words) in [
        (
            "Upgrade the control plane. EKS control planes cannot be downgraded.",
            "EKS control planes cannot be downgraded.",
        ),
        (
            "Tenants are purged nightly; permanent deletion cannot be undone.",
            "permanent deletion cannot be undone.",
        ),
        (
            "## Backout\nThere is no rollback: the firmware has anti-rollback fuses.",
            "There is no rollback: the firmware has anti-rollback fuses.",
        ),
        (
            "Kubernetes has no supported downgrade.",
            "Kubernetes has no supported downgrade.",
        ),
    ] {
        assert_eq!(
            statements_of(text, StatementKind::NoWayBack),
            vec![words.to_string()],
            "{text}"
        );
    }
}

#[test]
fn negated_no_way_back_words_are_not_statements() {
    for text in [
        "The change can be rolled back by redeploying.",
        "This step is not irreversible.",
        "No downgrade is needed: the old pool stays.",
        "No rollback required for a docs change.",
    ] {
        assert!(
            statements_of(text, StatementKind::NoWayBack).is_empty(),
            "{text}"
        );
    }
}

#[test]
fn the_backout_section_and_named_mechanisms_are_kept() {
    let ticket = "# CHG-1\n\n## Change\nApply the new ACL to the edge routers.\n\n## Backout\nLoad the saved known-good config from flash.\n";
    assert_eq!(
        statements_of(ticket, StatementKind::Backout),
        vec!["Load the saved known-good config from flash.".to_string()]
    );
    let text = "If errors rise, flip the kill switch `sensor.content.v2` off.";
    assert_eq!(statements_of(text, StatementKind::Backout).len(), 1);
    assert!(statements_of("Backout: none.", StatementKind::Backout).is_empty());
}

#[test]
fn work_no_change_covers_is_unmapped_and_covered_work_is_not() {
    let reimage = "Re-image the 300 store kiosks with image 14 at 04:00.";
    assert_eq!(
        statements_of(reimage, StatementKind::UnmappedAction).len(),
        1
    );
    // Recognised as a fleet push: the push is covered.
    let push = "Push channel file 291 to every sensor in the fleet at 04:00.";
    assert!(statements_of(push, StatementKind::UnmappedAction).is_empty());
    // Recognised as a dependency bump: the upgrade is covered.
    let bump = "Upgrade the `requests` library from 2.31.0 to 2.32.3 in billing-api.";
    assert!(statements_of(bump, StatementKind::UnmappedAction).is_empty());
    // Nothing recognised at all: the first sentence stands for the work.
    let vague = "## Deployment\nTonight we do the thing on the backbone.";
    assert_eq!(
        statements_of(vague, StatementKind::UnmappedAction),
        vec!["Tonight we do the thing on the backbone.".to_string()]
    );
}

#[test]
fn a_backout_line_inside_a_ticket_paragraph_is_the_backout() {
    let ticket = "Summary: deny rules on the core firewalls\nChange: `set security policies ...`\nBackout: `rollback 1` then `commit`; or let the timer expire.\n";
    assert_eq!(
        statements_of(ticket, StatementKind::Backout),
        vec!["`rollback 1` then `commit`; or let the timer expire.".to_string()]
    );
}

#[test]
fn a_version_beside_no_named_service_is_no_code_release() {
    // "from 1.23 to 1.24" of a cluster: no service of that name exists to redeploy.
    let i = run(
        "k.md",
        "# Kubernetes 1.23 -> 1.24 on the legacy cluster\n\nUpgrade the control plane from 1.23 to 1.24 with `kubeadm upgrade apply` on Kubernetes.\n",
    );
    assert!(
        !i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::Code),
        "{:?}",
        i.spec.deployment.changes
    );
}
