//! A network change's fields as briefs give them: area, platform, auto-revert, our own access,
//! out-of-band access, TTL, zone, record and its previous value; and what is not one.

use super::*;
use crate::model::kinds::{NetworkArea, NetworkChange, NetworkPlatform};

fn network(i: &Input) -> Option<&NetworkChange> {
    i.spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_network_change())
}

#[test]
fn a_router_change_over_our_own_access_with_a_commit_timer() {
    let i = run(
        "n.md",
        "Change the route-map on the Arista border routers with `configure session` and `commit timer 00:05:00`.\n\nOur jump hosts and the management network sit behind these routers.\nThe console servers in each site reach both routers.\n",
    );
    let n = network(&i).expect("a network change");
    assert_eq!(n.area, Some(NetworkArea::Routing));
    assert_eq!(n.platform, Some(NetworkPlatform::AristaEos));
    assert_eq!(n.auto_revert, Some(true));
    assert_eq!(n.auto_revert_minutes, Some(5));
    assert_eq!(n.own_access, Some(true));
    assert!(
        n.out_of_band
            .as_deref()
            .is_some_and(|o| o.contains("console servers"))
    );
}

#[test]
fn a_dns_record_swap_gives_zone_record_previous_value_and_ttl() {
    let i = run(
        "d.md",
        "We swap the CNAME record of api.example.org in the hosted zone example.org: it currently points to old-lb.example.net and will point to new-lb.example.net. The TTL is 5 minutes.\n",
    );
    let n = network(&i).expect("a network change");
    assert_eq!(n.area, Some(NetworkArea::Dns));
    assert_eq!(n.zone.as_deref(), Some("example.org"));
    assert_eq!(n.record.as_deref(), Some("api.example.org"));
    assert_eq!(n.record_type.as_deref(), Some("CNAME"));
    assert_eq!(n.previous_value.as_deref(), Some("old-lb.example.net"));
    assert_eq!(n.ttl_seconds, Some(300));
}

#[test]
fn negations_and_other_kinds_are_not_network_changes() {
    // Said not to be done, a code release, and a push to every edge server (a fleet push).
    for text in [
        "Deploy billing 2.1.0; no DNS records change and no firewall rules are touched.\n",
        "We bind the worker to port 8080 and restart it.\n",
        "The new CA bundle is pushed to every edge server in the CDN at once.\n",
    ] {
        let i = run("x.md", text);
        assert!(
            network(&i).is_none(),
            "{text}: {:#?}",
            i.spec.deployment.changes
        );
    }
}

#[test]
fn without_commit_confirmed_there_is_no_auto_revert() {
    let i = run(
        "f.md",
        "Add deny rules on the edge firewalls with a plain commit, without commit confirmed.\n",
    );
    let n = network(&i).expect("a network change");
    assert_eq!(n.area, Some(NetworkArea::Firewall));
    assert_eq!(n.auto_revert, None);
}

#[test]
fn the_record_is_the_first_name_in_the_zone_even_before_the_zone_is_named() {
    let i = run(
        "z.md",
        "We move shop.example.com to the new CDN on Monday. The change is a CNAME swap in Route 53 (hosted zone example.com).\n\nStatus page: status.example.com.\n",
    );
    let n = network(&i).expect("a network change");
    assert_eq!(n.record.as_deref(), Some("shop.example.com"));
}
