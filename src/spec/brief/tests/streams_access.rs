//! Stream, index and cache, and access changes read from briefs: the operation from the trigger,
//! their fields from every sentence, and their sentences' other words not read as second changes
//! or as the release's version.

use super::*;
use crate::model::kinds::{AccessOperation, IndexCacheOperation, StreamOperation, StreamSystem};

fn kinds(i: &Input) -> Vec<ChangeKind> {
    i.spec.deployment.changes.iter().map(Change::kind).collect()
}

#[test]
fn a_shorter_retention_is_a_destructive_stream_change_not_a_published_event() {
    let i = run(
        "retention.md",
        "Lower the retention of SQS queue `billing-dlq` (MessageRetentionPeriod 1209600 -> 345600) so fewer old events pile up.\n",
    );
    assert_eq!(kinds(&i), [ChangeKind::StreamQueue]);
    let c = &i.spec.deployment.changes[0];
    let q = c.as_stream_queue().unwrap();
    assert_eq!(q.operation, Some(StreamOperation::Retention));
    assert_eq!(q.system, Some(StreamSystem::Sqs));
    assert_eq!(q.target.as_deref(), Some("billing-dlq"));
    assert_eq!(
        (q.from.as_deref(), q.to.as_deref()),
        (Some("1209600"), Some("345600"))
    );
    assert_eq!(c.destructive(), Some(true));
    assert_eq!(i.spec.deployment.version, None);
}

#[test]
fn an_alias_swap_keeps_its_indexes_and_leaves_the_release_version_alone() {
    let i = run(
        "alias.md",
        "# Listings search\n\nBuild index `listings-2026-12` and reindex from `listings-2026-06`, then switch the alias `listings` from 2026-06 to 2026-12. The old index stays in place for two weeks. OpenSearch 2.17.\n",
    );
    assert_eq!(kinds(&i), [ChangeKind::IndexCache]);
    let x = i.spec.deployment.changes[0].as_index_cache().unwrap();
    assert_eq!(x.operation, Some(IndexCacheOperation::Reindex));
    assert_eq!(x.index.as_deref(), Some("listings-2026-12"));
    assert_eq!(x.previous_index.as_deref(), Some("listings-2026-06"));
    assert_eq!(x.previous_kept, Some(true));
    assert_eq!(i.spec.deployment.version, None);
}

#[test]
fn terraform_that_applies_an_iam_policy_is_the_access_change() {
    let i = run(
        "iam.md",
        "Terraform change: narrow the IAM policy of role `reports-reader` to two buckets. Break-glass: `sec-admin` via SSO.\n",
    );
    assert_eq!(kinds(&i), [ChangeKind::AccessChange]);
    let a = i.spec.deployment.changes[0].as_access_change().unwrap();
    assert_eq!(a.operation, Some(AccessOperation::Policy));
    assert_eq!(a.principal.as_deref(), Some("reports-reader"));
    assert_eq!(a.break_glass.as_deref(), Some("sec-admin"));
}

#[test]
fn words_of_other_systems_do_not_reveal_these_kinds() {
    for text in [
        // DNS: resolvers cache records and a TTL is lowered; not an application cache.
        "Lower the TTL of api.example.com to 60 seconds a day before the cutover; resolvers cache the old record until then.\n",
        // A firewall policy between zones is network, not access to a system.
        "Add `set security policies from-zone untrust to-zone trust policy deny-bad` on the core firewall.\n",
        // Consuming and publishing on a topic is the service's work, not a change to the topic.
        "Deploy orders-consumer 3.1.0, which reads the Kafka topic `orders` as before.\n",
    ] {
        let i = run("other.md", text);
        let found = kinds(&i);
        assert!(
            !found.iter().any(|k| matches!(
                k,
                ChangeKind::StreamQueue | ChangeKind::IndexCache | ChangeKind::AccessChange
            )),
            "{text}: {found:?}"
        );
    }
}
