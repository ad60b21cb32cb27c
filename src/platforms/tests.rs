use super::*;
use crate::base::parts::Stage;
use crate::base::placeholders::Placeholders;
use crate::model::*;

pub(super) fn svc(p: Option<Platform>, s: Option<Strategy>) -> Service {
    let mut v = Service::named("checkout");
    v.platform = p;
    v.strategy = s;
    v
}

pub(super) fn full(p: Platform, s: Option<Strategy>) -> Service {
    let mut v = svc(Some(p), s);
    v.namespace = Some("shop".into());
    v.cluster = Some("prod-eu".into());
    v.region = Some("eu-west-1".into());
    v.project = Some("acme-prod".into());
    v.task_family = Some("checkout-task".into());
    v.codedeploy_app = Some("checkout-app".into());
    v.codedeploy_group = Some("checkout-dg".into());
    v.hosts = vec!["web1".into(), "web2".into()];
    v.deploy_dir = Some("/srv/checkout/".into());
    v.replicas = Some(8);
    v.health_endpoint = Some("https://shop.example.com/healthz".into());
    v
}

pub(super) fn stage(name: &str, pct: f64, bake: u32) -> Stage {
    Stage {
        name: name.into(),
        traffic_percent: pct,
        bake_minutes: bake,
        watch: String::new(),
        advance_if: String::new(),
        abort_if: String::new(),
    }
}

pub(super) fn r(cmds: &[crate::base::shell::Cmd]) -> Vec<String> {
    cmds.iter().map(|c| c.render()).collect()
}

pub(super) fn tokens(ph: &Placeholders) -> Vec<String> {
    ph.list().iter().map(|p| p.token.clone()).collect()
}

// ---- helpers ----

#[test]
fn splice_quotes_text_and_leaves_holes_bare() {
    let s = format!("a b{}c", mark_name("X"));
    assert_eq!(splice(&s).to_string(), "'a b'<X>c");
    assert_eq!(splice("").to_string(), "''");
    assert_eq!(url_seg("a b/é"), "a%20b%2F%C3%A9");
    assert_eq!(fmt_pct(2.5), "2.5");
    assert_eq!(fmt_pct(f64::NAN), "0");
    assert_eq!(fmt_pct(250.0), "100");
}

pub(super) fn flag(key: &str) -> FlagChange {
    FlagChange {
        key: key.into(),
        provider: None,
        default: Some(false),
        from_percent: None,
        to_percent: None,
        rollout: Vec::new(),
        provider_id: None,
    }
}

// ---- data stores ----

pub(super) fn store(engine: Engine, hosting: Option<Hosting>) -> DataStore {
    DataStore {
        name: "orders db".into(),
        engine,
        version: None,
        hosting,
        identifier: Some("orders-prod".into()),
        database: Some("orders".into()),
        region: Some("eu-west-1".into()),
        size_gb: Some(100.0),
        backup: None,
    }
}

/// Every placeholder in `cmds` is recorded in `ph`.
pub(super) fn check_holes_registered(cmds: &[crate::base::shell::Cmd], ph: &Placeholders) {
    let known = tokens(ph);
    for c in cmds {
        for h in c.holes() {
            assert!(known.contains(&format!("<{h}>")), "<{h}> in {c}");
        }
    }
}
