//! The fixture briefs, read end to end.

use super::*;

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
            "Peak traffic starts at 18:00 CET.",
            "Ranking quality regressions are hard to spot in error rates."
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
