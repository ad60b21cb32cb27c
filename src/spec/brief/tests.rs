//! Fixture briefs and the tricky matchers.

use super::text::{negated, split_sentences};
use super::{MAX_BRIEF_BYTES, infer};
use crate::base::error::Error;
use crate::base::parts::Assumption;
use crate::model::*;
use crate::spec::{Input, InputForm};

const FLAG: &str = include_str!("../../../tests/fixtures/briefs/flag-bump.md");
const K8S: &str = include_str!("../../../tests/fixtures/briefs/k8s-stateless.md");
const ECS: &str = include_str!("../../../tests/fixtures/briefs/ecs-bluegreen-mysql.md");
const DESTRUCTIVE: &str = include_str!("../../../tests/fixtures/briefs/destructive-emails.md");
const PLAIN: &str = include_str!("../../../tests/fixtures/briefs/plain.txt");
const NEGATIONS: &str = include_str!("../../../tests/fixtures/briefs/negations.md");

const ALL: [(&str, &str); 6] = [
    ("briefs/flag-bump.md", FLAG),
    ("briefs/k8s-stateless.md", K8S),
    ("briefs/ecs-bluegreen-mysql.md", ECS),
    ("briefs/destructive-emails.md", DESTRUCTIVE),
    ("briefs/plain.txt", PLAIN),
    ("briefs/negations.md", NEGATIONS),
];

fn run(path: &str, text: &str) -> Input {
    match infer(path, text) {
        Ok(i) => i,
        Err(e) => panic!("{path}: {e}"),
    }
}

/// The assumption whose text contains `what`; checks its line and excerpt.
fn assumed<'a>(i: &'a Input, what: &str, line: u32, excerpt: &str) -> &'a Assumption {
    let a = i
        .assumptions
        .iter()
        .find(|a| a.text.contains(what))
        .unwrap_or_else(|| panic!("no assumption with {what:?} in {:#?}", i.assumptions));
    assert_eq!(a.evidence.file, i.path);
    assert_eq!(a.evidence.line, Some(line), "line of {what:?}");
    assert_eq!(
        a.evidence.excerpt.as_deref(),
        Some(excerpt),
        "excerpt of {what:?}"
    );
    a
}

fn service<'a>(i: &'a Input, name: &str) -> &'a Service {
    i.spec
        .architecture
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name}: {:#?}", i.spec.architecture.services))
}

fn change(i: &Input, kind: ChangeKind) -> &Change {
    i.spec
        .deployment
        .changes
        .iter()
        .find(|c| c.kind() == kind)
        .unwrap_or_else(|| panic!("no {kind:?} change: {:#?}", i.spec.deployment.changes))
}

fn texts(i: &Input) -> Vec<String> {
    i.spec
        .risks
        .iter()
        .filter_map(|r| match r {
            Risk::Text(t) => Some(t.clone()),
            Risk::Known { .. } => None,
        })
        .collect()
}

#[test]
fn flag_bump() {
    let i = run("briefs/flag-bump.md", FLAG);
    assert_eq!(i.form, InputForm::Brief);
    let d = &i.spec.deployment;
    assert_eq!(d.name, "Search ranking v3 rollout");
    assert_eq!(d.changes.len(), 1);
    let f = change(&i, ChangeKind::FeatureFlag).flag().expect("flag");
    assert_eq!(f.key, "search-ranking-v3");
    assert_eq!((f.from_percent, f.to_percent), (Some(10.0), Some(50.0)));
    assert_eq!(d.version, None);
    assert_eq!(
        i.spec.architecture.flag_provider.as_ref().map(|p| p.kind),
        Some(FlagProviderKind::Launchdarkly)
    );
    let s = service(&i, "search-api");
    assert_eq!(s.platform, Some(Platform::Kubernetes));
    assert_eq!(s.namespace.as_deref(), Some("search"));
    assert_eq!(
        i.spec.people.decision_maker.as_deref(),
        Some("@maria (release captain)")
    );
    assert_eq!(i.spec.people.channels.deploy.as_deref(), Some("#deploys"));
    assert_eq!(
        texts(&i),
        [
            "Ranking quality regressions are hard to spot in error rates.",
            "Peak traffic starts at 18:00 CET."
        ]
    );
    assert!(
        i.spec
            .risks
            .iter()
            .any(|r| r.kind() == Some(RiskKind::PeakTraffic))
    );
    let a = assumed(&i, "feature flag key", 5, "search-ranking-v3");
    assert_eq!(a.evidence.column, Some(12));
    assumed(&i, "from 10% to 50%", 5, "from 10% to 50%");
    assumed(&i, "namespace `search`", 10, "`search` namespace");
}

#[test]
fn stateless_kubernetes_change() {
    let i = run("briefs/k8s-stateless.md", K8S);
    let d = &i.spec.deployment;
    assert_eq!(d.version.as_deref(), Some("v2.4.0"));
    assert_eq!(d.previous_version.as_deref(), Some("v2.3.1"));
    assert_eq!(
        d.summary.as_deref(),
        Some("Ships checkout-api v2.4.0 with a faster tax calculation.")
    );
    // "no database migration", "does not send emails", and `payments` is a namespace: the
    // only change is the new version's code.
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert_eq!(d.changes[0].kind(), ChangeKind::Code);
    assert_eq!(d.changes[0].services(), vec!["checkout-api".to_string()]);
    assert_eq!(
        d.planned_start.as_deref(),
        Some("2026-12-01T14:00:00+01:00[Europe/Berlin]")
    );
    assert_eq!(d.timezone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(i.spec.architecture.services.len(), 1);
    let s = service(&i, "checkout-api");
    assert_eq!(s.platform, Some(Platform::Helm));
    assert_eq!(s.strategy, Some(Strategy::Rolling));
    assert_eq!(s.namespace.as_deref(), Some("payments"));
    assert_eq!(s.region.as_deref(), Some("eu-west-1"));
    assert_eq!(s.replicas, Some(6));
    assert_eq!(
        s.health_endpoint.as_deref(),
        Some("https://checkout.example.com/healthz")
    );
    let o = i
        .spec
        .architecture
        .observability
        .as_ref()
        .expect("observability");
    assert_eq!(o.metrics, MetricsSystem::Prometheus);
    assert_eq!(o.dashboards, ["https://grafana.example.com/d/checkout"]);
    let kinds: Vec<_> = i.spec.risks.iter().filter_map(Risk::kind).collect();
    assert_eq!(
        kinds,
        [
            RiskKind::FirstDeployToNewInfrastructure,
            RiskKind::ThirdPartyDependency
        ]
    );
    assert_eq!(texts(&i).len(), 2);
    assert_eq!(i.spec.people.decision_maker.as_deref(), Some("Alice Smith"));
    assert_eq!(
        i.spec.people.channels.incident.as_deref(),
        Some("#incident-checkout")
    );
    assumed(
        &i,
        "previous version v2.3.1",
        5,
        "currently running v2.3.1.",
    );
    assumed(&i, "6 replicas", 6, "6 replicas");
    assumed(&i, "runs on EKS", 6, "EKS");
    assumed(
        &i,
        "planned start",
        20,
        "2026-12-01T14:00:00+01:00[Europe/Berlin]",
    );
}

#[test]
fn ecs_blue_green_with_mysql_backfill() {
    let i = run("briefs/ecs-bluegreen-mysql.md", ECS);
    let d = &i.spec.deployment;
    assert_eq!(d.version.as_deref(), Some("1.5.0"));
    assert_eq!(d.previous_version.as_deref(), Some("1.4.2"));
    let s = service(&i, "orders-service");
    assert_eq!(s.platform, Some(Platform::Ecs));
    assert_eq!(s.strategy, Some(Strategy::BlueGreen));
    assert_eq!(s.region.as_deref(), Some("us-east-1"));
    let ds = &i.spec.architecture.data_stores;
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].engine, Engine::Mysql);
    assert_eq!(ds[0].hosting, Some(Hosting::Aurora));
    assert_eq!(ds[0].version.as_deref(), Some("8.0"));
    assert_eq!(ds[0].size_gb, Some(400.0));
    // The backfill, and the new version's code.
    assert_eq!(d.changes.len(), 2);
    assert_eq!(d.changes[0].kind(), ChangeKind::Code);
    let c = change(&i, ChangeKind::DataOperation);
    assert_eq!(
        c.as_data_operation().unwrap().operation,
        Some(DataOperationKind::Backfill)
    );
    assert_eq!(c.as_data_operation().unwrap().rows, Some(1_200_000));
    assert_eq!(c.as_data_operation().unwrap().batched, Some(true));
    assert_eq!(c.database(), Some("mysql"));
    assert_eq!(
        c.as_data_operation().unwrap().table,
        None,
        "no table named, none invented"
    );
    assert_eq!(
        i.spec
            .architecture
            .observability
            .as_ref()
            .map(|o| o.metrics),
        Some(MetricsSystem::Cloudwatch)
    );
    assumed(
        &i,
        "version 1.5.0, previous version 1.4.2",
        5,
        "from 1.4.2 to 1.5.0",
    );
    assumed(&i, "about 1200000 rows", 6, "1.2 million rows");
    assumed(&i, "about 400 GB", 10, "400 GB");
    assumed(&i, "hosted", 10, "Aurora MySQL")
        .evidence
        .column
        .expect("column");
}

#[test]
fn destructive_migration_with_customer_emails() {
    let i = run("briefs/destructive-emails.md", DESTRUCTIVE);
    let m = change(&i, ChangeKind::Migration);
    assert_eq!(m.destructive(), Some(true));
    assert_eq!(m.reversible(), Some(false));
    assert_eq!(m.as_migration().unwrap().backward_compatible, Some(false));
    assert_eq!(m.services(), ["billing-worker"]);
    assert_eq!(m.sql(), Some("DROP TABLE legacy_invoices;"));
    assert_eq!(
        m.as_migration().unwrap().down_sql.as_deref(),
        Some("CREATE TABLE legacy_invoices (id bigint primary key);")
    );
    assert_eq!(m.database(), Some("postgres"));
    let e = change(&i, ChangeKind::ExternalSideEffect);
    assert_eq!(e.as_side_effect().unwrap().effect, Some(SideEffect::Email));
    assert_eq!(e.reversible(), Some(false));
    assert_eq!(
        e.destructive(),
        None,
        "dropping a table does not make emails destructive"
    );
    assert_eq!(
        e.as_side_effect().unwrap().recipients.as_deref(),
        Some("customers")
    );
    assert_eq!(e.as_side_effect().unwrap().volume, Some(120_000));
    let ds = &i.spec.architecture.data_stores[0];
    assert_eq!(ds.engine, Engine::Postgres);
    assert_eq!(ds.version.as_deref(), Some("15"));
    assert_eq!(ds.hosting, Some(Hosting::Rds));
    assert_eq!(ds.size_gb, Some(1200.0));
    assert_eq!(
        service(&i, "billing-worker").platform,
        Some(Platform::Kubernetes)
    );
    assert_eq!(i.spec.people.approvers, ["@dan", "@erin"]);
    assert_eq!(i.spec.people.channels.support.as_deref(), Some("#support"));
    assert!(
        i.spec
            .risks
            .iter()
            .any(|r| r.kind() == Some(RiskKind::Compliance))
    );
    assumed(&i, "migration change is destructive", 5, "drops");
    assumed(
        &i,
        "migration change cannot be reversed",
        6,
        "cannot be undone",
    );
    assumed(&i, "not backward compatible", 7, "not backward compatible");
    assumed(
        &i,
        "down SQL",
        15,
        "CREATE TABLE legacy_invoices (id bigint primary key);",
    );
    assumed(&i, "volume", 25, "120,000 emails");
}

#[test]
fn plain_text_without_headings() {
    let i = run("briefs/plain.txt", PLAIN);
    let d = &i.spec.deployment;
    assert_eq!(d.name, "plain");
    assert_eq!(d.version.as_deref(), Some("v7.3.0"));
    assert_eq!(d.previous_version.as_deref(), Some("v7.2.0"));
    assert_eq!(d.summary.as_deref(), Some("Payments gateway release"));
    assert_eq!(
        service(&i, "payments-gateway").platform,
        Some(Platform::CloudRun)
    );
    let m = change(&i, ChangeKind::Migration);
    assert_eq!(m.as_migration().unwrap().tool, Some(MigrationTool::Flyway));
    assert_eq!(m.as_migration().unwrap().backward_compatible, Some(true));
    let effects: Vec<_> = d
        .changes
        .iter()
        .filter_map(|c| c.as_side_effect()?.effect)
        .collect();
    // "refunds table" and "Payments gateway" are not payments being made.
    assert_eq!(effects, [SideEffect::EventPublished]);
    assert_eq!(
        i.spec.people.decision_maker.as_deref(),
        Some("@sam (rollback owner)")
    );
    assert!(i.spec.risks.is_empty());
    assumed(&i, "from the file name", 1, "plain.txt");
    assumed(&i, "previous version v7.2.0", 3, "It was v7.2.0");
    assumed(&i, "published events", 4, "Kafka");
}

#[test]
fn negations_create_nothing() {
    let i = run("briefs/negations.md", NEGATIONS);
    assert!(
        i.spec.deployment.changes.is_empty(),
        "{:#?}",
        i.spec.deployment.changes
    );
    assert!(i.spec.risks.is_empty(), "{:#?}", i.spec.risks);
    assert!(i.spec.architecture.is_empty());
    assert_eq!(i.assumptions.len(), 2, "{:#?}", i.assumptions);
}

#[test]
fn same_text_same_spec_and_assumptions_in_document_order() {
    for (p, t) in ALL {
        let a = run(p, t);
        let b = run(p, t);
        assert_eq!(a.spec, b.spec);
        let ja = serde_json::to_string(&a.assumptions).expect("json");
        let jb = serde_json::to_string(&b.assumptions).expect("json");
        assert_eq!(ja, jb);
        let lines: Vec<_> = a.assumptions.iter().map(|x| x.evidence.line).collect();
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(lines, sorted, "{p}");
    }
}

#[test]
fn inferred_specs_round_trip_through_yaml() {
    for (p, t) in ALL {
        let spec = run(p, t).spec;
        let yaml = serde_saphyr::to_string(&spec).expect("yaml");
        let back: Spec =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{p}: {e}\n{yaml}"));
        assert_eq!(back, spec, "{p}");
    }
}

#[test]
fn too_large_a_brief_is_an_input_error() {
    let big = "a".repeat(MAX_BRIEF_BYTES + 1);
    match infer("big.md", &big) {
        Err(Error::Input { location, help, .. }) => {
            assert_eq!(location.file, "big.md");
            assert!(help.is_some());
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn negation_is_local_to_the_clause() {
    let s = "There is no migration, but the worker sends emails.";
    let at = |w: &str| s.find(w).expect("word");
    assert!(negated(s, at("migration"), at("migration") + 9));
    assert!(!negated(s, at("emails"), at("emails") + 6));
    let s = "This release does not include any schema changes.";
    assert!(negated(s, s.find("schema").expect("w"), s.len() - 1));
    let s = "No downtime expected since the migration is online.";
    let m = s.find("migration").expect("w");
    assert!(!negated(s, m, m + 9), "negation too far away");
    let s = "Migrations: none.";
    assert!(negated(s, 0, 10));
    let s = "It doesn’t send emails.";
    assert!(negated(s, s.find("emails").expect("w"), s.len() - 1));
}

#[test]
fn service_names_are_conservative() {
    let i = run(
        "b.md",
        "The checkout-api service and `billing-worker` ship today.\n",
    );
    let names: Vec<_> = i
        .spec
        .architecture
        .services
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["checkout-api", "billing-worker"]);
    let i = run(
        "b.md",
        "The new service and the payment service ship on the `main` branch.\n",
    );
    assert!(
        i.spec.architecture.services.is_empty(),
        "{:#?}",
        i.spec.architecture.services
    );
    let i = run("b.md", "We do not touch the `ledger-api` service.\n");
    assert!(i.spec.architecture.services.is_empty());
}

#[test]
fn a_platform_without_a_service_name_gets_the_deployment_name() {
    let i = run("briefs/Price Sync.md", "Runs on Kubernetes with 3 pods.\n");
    let s = service(&i, "price-sync");
    assert_eq!(s.platform, Some(Platform::Kubernetes));
    assert_eq!(s.replicas, Some(3));
    assumed(&i, "named after the deployment", 1, "Kubernetes");
}

#[test]
fn sizes_and_counts() {
    let i = run(
        "b.md",
        "Postgres 14.9 self-hosted, the database holds 1,500 GB.\n",
    );
    let ds = &i.spec.architecture.data_stores[0];
    assert_eq!(ds.version.as_deref(), Some("14.9"));
    assert_eq!(ds.hosting, Some(Hosting::SelfHosted));
    assert_eq!(ds.size_gb, Some(1500.0));
    let i = run("b.md", "MySQL on RDS.\n\nThe database is 2 TiB.\n");
    assert_eq!(i.spec.architecture.data_stores[0].size_gb, Some(2048.0));
    assert_eq!(super::infer::count("1.2", Some("million")), Some(1_200_000));
    assert_eq!(super::infer::count("40", Some("k")), Some(40_000));
    assert_eq!(super::infer::count("120,000", None), Some(120_000));
}

#[test]
fn versions_and_their_neighbours() {
    let i = run(
        "b.md",
        "Rolling back to 3.1.0 is the plan; we deploy version 3.2.0.\n",
    );
    assert_eq!(i.spec.deployment.previous_version.as_deref(), Some("3.1.0"));
    assert_eq!(i.spec.deployment.version.as_deref(), Some("3.2.0"));
    assert_eq!(i.spec.architecture.services.len(), 0);
    // A dependency bump's versions are not the deployment's.
    let i = run(
        "b.md",
        "Bumps the `stripe-go` library from 74.1.0 to 76.0.0.\n",
    );
    assert_eq!(i.spec.deployment.version, None);
    let c = change(&i, ChangeKind::Dependency);
    assert_eq!(
        c.as_dependency().unwrap().package.as_deref(),
        Some("stripe-go")
    );
    assert_eq!(
        (
            c.as_dependency().unwrap().from.as_deref(),
            c.as_dependency().unwrap().to.as_deref()
        ),
        (Some("74.1.0"), Some("76.0.0"))
    );
    // "rolling back" is not a rolling strategy.
    let i = run(
        "b.md",
        "The `web-api` service is rolling back to v1.2.0 on ECS.\n",
    );
    assert_eq!(service(&i, "web-api").strategy, None);
    assert_eq!(
        i.spec.deployment.previous_version.as_deref(),
        Some("v1.2.0")
    );
    assert_eq!(i.spec.deployment.version, None);
}

#[test]
fn section_headings_at_any_level_and_plain_lines() {
    let text = "# Title\n\n### DEPLOYMENT DESCRIPTION\n\nShips the thing. More.\n\nRisks:\n- Cache cold start\n- n/a\n";
    let i = run("b.md", text);
    assert_eq!(
        i.spec.deployment.summary.as_deref(),
        Some("Ships the thing.")
    );
    assert_eq!(texts(&i), ["Cache cold start"]);
    assumed(&i, "risk factor", 8, "Cache cold start");
}

#[test]
fn sentences_do_not_split_on_versions_or_abbreviations() {
    let t = "Ships v1.2.3 now, e.g. for EU. Then more!";
    let parts: Vec<_> = split_sentences(t, 0, t.len(), false)
        .into_iter()
        .map(|(a, b)| &t[a..b])
        .collect();
    assert_eq!(parts, ["Ships v1.2.3 now, e.g. for EU.", "Then more!"]);
}

#[test]
fn hostile_input_neither_panics_nor_crawls() {
    let odd = [
        "",
        "\n\n\n",
        "```sql\nDROP TABLE x;",
        "# \n## Risks\n- \n-",
        "Deployment:\nRisks:\n",
        "é`ü-api` service ´ from 1. to 2. ％ 10% flag `",
        "`a` `b`` ``` `c-api`",
        "2026-13-45T99:99:99+99:99 v1.2.3.4.5.6 from v to v",
        "\u{202e}Postgres 99999999999999999999 99999999999999999999 rows 1e400 GB",
        "> # Title in a quote\n> - item\n\n    indented code\n",
    ];
    for t in odd {
        let i = run("odd.md", t);
        let yaml = serde_saphyr::to_string(&i.spec).expect("yaml");
        assert_eq!(serde_saphyr::from_str::<Spec>(&yaml).expect("back"), i.spec);
    }
    // One giant sentence full of matches: cut into bounded pieces.
    let unit = "no `x-api` service sends emails to customers via Kafka events, ";
    let big: String = unit.repeat(MAX_BRIEF_BYTES / unit.len());
    let start = std::time::Instant::now();
    let i = run("big.md", &big);
    assert!(
        i.spec
            .deployment
            .changes
            .iter()
            .all(|c| c.as_side_effect().and_then(|e| e.effect) != Some(SideEffect::Payment))
    );
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

#[test]
fn a_brief_of_exactly_the_limit_is_read() {
    let text = "x".repeat(MAX_BRIEF_BYTES);
    assert!(infer("edge.md", &text).is_ok());
}

#[test]
fn long_sentences_are_cut_at_white_space() {
    let t = "word ".repeat(500);
    let parts = split_sentences(&t, 0, t.len(), false);
    assert!(parts.len() >= 3, "{}", parts.len());
    for (a, b) in &parts {
        assert!(b - a <= super::text::MAX_SENTENCE);
        assert!(t[*a..*b].starts_with("word"));
    }
}

#[test]
fn side_effects_and_flag_rollout_steps() {
    let t = "We roll out behind the `new-pricing` flag in Unleash: 5%, 25%, 50%, 100%.\n\
             It sends webhooks to partners and charges customers.\n\
             Customer data is exported to partners nightly.\n";
    let i = run("s.md", t);
    let f = change(&i, ChangeKind::FeatureFlag).flag().expect("flag");
    assert_eq!(f.key, "new-pricing");
    assert_eq!(f.rollout, [5.0, 25.0, 50.0, 100.0]);
    let effects: Vec<_> = i
        .spec
        .deployment
        .changes
        .iter()
        .filter_map(|c| c.as_side_effect()?.effect)
        .collect();
    assert_eq!(
        effects,
        [
            SideEffect::Webhook,
            SideEffect::Payment,
            SideEffect::ThirdPartyData
        ]
    );
    assumed(&i, "(payments)", 2, "charges customers");
}

#[test]
fn planned_start_needs_a_zone_or_offset() {
    let i = run("b.md", "Starts 2026-12-01 14:00 UTC.\n");
    assert_eq!(
        i.spec.deployment.planned_start.as_deref(),
        Some("2026-12-01T14:00:00Z")
    );
    assumed(&i, "planned start", 1, "2026-12-01 14:00 UTC");
    let i = run("b.md", "Starts 2026-12-01T09:30+0100.\n");
    assert_eq!(
        i.spec.deployment.planned_start.as_deref(),
        Some("2026-12-01T09:30:00+01:00")
    );
    let i = run("b.md", "Starts 2026-12-01 14:00 in the morning.\n");
    assert_eq!(i.spec.deployment.planned_start, None);
    let i = run("b.md", "Starts 2026-02-31T14:00:00Z.\n");
    assert_eq!(i.spec.deployment.planned_start, None, "not a real date");
}

#[test]
fn channels_by_name_and_context() {
    let i = run(
        "b.md",
        "Incidents run in `#incident-*` channels; tell #cs-escalations for support.\n",
    );
    let ch = &i.spec.people.channels;
    assert_eq!(ch.incident.as_deref(), Some("#incident-*"));
    assert_eq!(ch.support.as_deref(), Some("#cs-escalations"));
    assert_eq!(ch.deploy, None);
}

#[test]
fn platform_versions_are_not_the_deployment_version() {
    let i = run(
        "b.md",
        "The cluster runs EKS version 1.29 and Node v20.11; we ship release 4.2.0.\n",
    );
    assert_eq!(i.spec.deployment.version.as_deref(), Some("4.2.0"));
    assumed(&i, "version 4.2.0", 1, "release 4.2.0.");
}

#[test]
fn local_time_in_a_named_zone_is_a_planned_start() {
    let i = run(
        "briefs/zone.md",
        "# Deployment\n\nShipping api v2.0.0 on Monday 2026-12-07 at 10:00 Europe/Amsterdam.\n",
    );
    let d = &i.spec.deployment;
    assert_eq!(
        d.planned_start.as_deref(),
        Some("2026-12-07T10:00:00+01:00[Europe/Amsterdam]")
    );
    assert_eq!(d.timezone.as_deref(), Some("Europe/Amsterdam"));
    assert!(
        i.assumptions
            .iter()
            .any(|a| a.text.starts_with("planned start")
                && a.evidence.excerpt.as_deref() == Some("2026-12-07 at 10:00 Europe/Amsterdam"))
    );
    // Not a zone: no planned start is made up.
    let i = run(
        "briefs/zone.md",
        "# Deployment\n\nShipping on 2026-12-07 at 10:00 sharp.\n",
    );
    assert_eq!(i.spec.deployment.planned_start, None);
}

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
    let push = "Push channel file 291 to every sensor in the fleet at 04:00.";
    assert_eq!(statements_of(push, StatementKind::UnmappedAction).len(), 1);
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

/// Each kind's recogniser fires on its fire brief and stays silent on its ok brief
/// (tests/fixtures/briefs/kinds/<kind>/{fire,ok}.md).
#[test]
fn each_kind_fires_on_its_fire_brief_and_not_on_its_ok_brief() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/briefs/kinds");
    for r in super::recognisers::ALL {
        for (case, fires) in [("fire", true), ("ok", false)] {
            let path = root.join(r.kind).join(format!("{case}.md"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let i = run(&format!("kinds/{}/{case}.md", r.kind), &text);
            let found = i
                .spec
                .deployment
                .changes
                .iter()
                .any(|c| c.kind().as_str() == r.kind);
            assert_eq!(
                found, fires,
                "{} {case}: {:#?}",
                r.kind, i.spec.deployment.changes
            );
        }
    }
}

/// The recognisers name every kind once, by its tag.
#[test]
fn every_kind_has_one_recogniser() {
    use ChangeKind::*;
    let kinds = [
        Code,
        Migration,
        Config,
        FeatureFlag,
        Infrastructure,
        Dependency,
        ExternalSideEffect,
        DataOperation,
    ];
    let tags: Vec<&str> = super::recognisers::ALL.iter().map(|r| r.kind).collect();
    let want: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    assert_eq!(tags, want);
}

/// Every brief the project holds: each match of each pattern holds one of the pattern's gate
/// words, so skipping a pattern for a brief without them loses nothing.
#[test]
fn every_match_holds_a_gate_word() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<(String, String)> = ALL
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for dir in ["eval/briefs", "examples", "tests/fixtures/briefs/kinds"] {
        for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let e = e.expect("readable fixture folder");
            if e.path().extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(e.path()).expect("readable brief");
                texts.push((e.path().display().to_string(), t));
            }
        }
    }
    assert!(texts.len() > 20, "the briefs were not found");
    let matchers = super::patterns::ALL
        .iter()
        .copied()
        .chain(super::vocabulary::ALL.iter().copied());
    let mut checked = 0;
    for m in matchers {
        let words: Vec<String> = m.words().iter().map(|w| w.to_ascii_lowercase()).collect();
        if words.is_empty() {
            continue;
        }
        for (path, text) in &texts {
            for hit in m.regex().find_iter(text) {
                let h = hit.as_str().to_ascii_lowercase();
                assert!(
                    words.iter().any(|w| h.contains(w.as_str())),
                    "{path}: {:?} matches {:?}, which holds none of {words:?}",
                    m.pattern(),
                    hit.as_str()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} matches checked");
}

/// Every word of the platform registry's vocabulary, written in a one-line brief, is read as its
/// value.
#[test]
fn every_vocabulary_word_in_a_one_line_brief_is_its_value() {
    use crate::platforms::vocabulary as v;
    for (word, want) in v::deploy_platforms() {
        let i = run("p.md", &format!("We deploy `billing-api` on {word}."));
        let got = i
            .spec
            .architecture
            .services
            .first()
            .and_then(|s| s.platform);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::migration_tools() {
        let i = run("t.md", &format!("The schema migration runs with {word}."));
        let got = i
            .spec
            .deployment
            .changes
            .iter()
            .find_map(|c| c.as_migration().and_then(|m| m.tool));
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::metrics_systems() {
        let i = run("m.md", &format!("Error rates are graphed in {word}."));
        let got = i.spec.architecture.observability.map(|o| o.metrics);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::flag_providers() {
        let i = run("f.md", &format!("Flags are served by {word}."));
        let got = i.spec.architecture.flag_provider.map(|f| f.kind);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, engine, hosting) in v::engines() {
        let i = run("e.md", &format!("Orders are kept in {word}."));
        let got = i
            .spec
            .architecture
            .data_stores
            .first()
            .map(|d| (d.engine, d.hosting));
        assert_eq!(got, Some((engine, hosting)), "{word}");
    }
}
