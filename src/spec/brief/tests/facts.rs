//! Facts read from a brief: services, sizes, versions, times, channels, side effects.

use super::*;

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
    assert_eq!(
        crate::spec::brief::infer::count("1.2", Some("million")),
        Some(1_200_000)
    );
    assert_eq!(
        crate::spec::brief::infer::count("40", Some("k")),
        Some(40_000)
    );
    assert_eq!(
        crate::spec::brief::infer::count("120,000", None),
        Some(120_000)
    );
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
    assumed(&i, "version 4.2.0", 1, "ship release 4.2.0");
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

#[test]
fn a_year_or_a_value_from_x_to_y_is_not_a_release() {
    let i = run(
        "b.md",
        "Change the footer copyright from 2025 to 2026; raise the pool from 20 to 30.\n",
    );
    assert_eq!(i.spec.deployment.version, None);
    assert_eq!(i.spec.deployment.previous_version, None);
}

#[test]
fn arrow_and_parenthesised_versions_are_read() {
    let i = run(
        "b.md",
        "Change: ledger-export nightly batch, 1.8.0 -> 1.9.0\n",
    );
    assert_eq!(i.spec.deployment.version.as_deref(), Some("1.9.0"));
    assert_eq!(i.spec.deployment.previous_version.as_deref(), Some("1.8.0"));
    let i = run(
        "b.md",
        "invoice-worker 7.3.1 goes out Thursday (from 7.3.0). It runs on ECS.\n",
    );
    assert_eq!(i.spec.deployment.version.as_deref(), Some("7.3.1"));
    assert_eq!(i.spec.deployment.previous_version.as_deref(), Some("7.3.0"));
    assert!(
        i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::Code)
    );
}

#[test]
fn what_a_service_serves_goes_to_the_sentence_subject() {
    let i = run(
        "b.md",
        "# pricing-svc 2.15.0\n\n`pricing-svc` is a gRPC service; callers are `checkout-api` and `cart-svc`.\n",
    );
    assert_eq!(service(&i, "pricing-svc").serves, Some(Protocol::Grpc));
    // A caller only mentioned: what it serves is not said, so it is not assumed to be HTTP.
    assert_eq!(service(&i, "checkout-api").serves, Some(Protocol::Other));
    // The release names what it ships: the callers are not redeployed.
    let code = i
        .spec
        .deployment
        .changes
        .iter()
        .find(|c| c.kind() == ChangeKind::Code)
        .expect("a code change");
    assert_eq!(code.services(), ["pricing-svc".to_string()]);
}

#[test]
fn csv_columns_and_search_indexes_are_not_schema_migrations() {
    for text in [
        "Version 1.9.0 adds two columns to the CSV export.\n",
        "Create index `products-v8` in Elasticsearch and move the alias.\n",
    ] {
        let i = run("b.md", text);
        assert!(
            !i.spec
                .deployment
                .changes
                .iter()
                .any(|c| c.kind() == ChangeKind::Migration),
            "{text}"
        );
    }
}

#[test]
fn dropping_an_index_destroys_no_data() {
    let destructive = |text: &str| {
        run("b.md", text)
            .spec
            .deployment
            .changes
            .iter()
            .find(|c| c.kind() == ChangeKind::Migration)
            .expect("a migration")
            .destructive()
    };
    assert_eq!(
        destructive(
            "The migration drops the unused index idx_events_legacy on the events table.\n"
        ),
        None
    );
    assert_eq!(
        destructive("The migration drops the events table.\n"),
        Some(true)
    );
}

#[test]
fn a_point_of_no_return_is_its_own_statement() {
    let i = run(
        "b.md",
        "Flip the flag `orders-primary-store`. Dual writes continue for 7 days, then the old writer is removed. Removing the old writer is the point of no return.\n",
    );
    let kinds: Vec<StatementKind> = i.spec.statements.iter().map(|s| s.kind).collect();
    assert!(kinds.contains(&StatementKind::PointOfNoReturn), "{kinds:?}");
    assert!(!kinds.contains(&StatementKind::NoWayBack), "{kinds:?}");
}

#[test]
fn start_times_as_people_write_them() {
    // A weekday and a time in a zone, no date: the weekday and hour rules can still be checked.
    let i = run(
        "b.md",
        "Rollout Tue 22:00 CET, network team on the bridge.\n",
    );
    assert_eq!(
        i.spec.deployment.planned_start.as_deref(),
        Some("Tuesday 22:00[Europe/Berlin]")
    );
    assumed(&i, "(CET read as Europe/Berlin)", 1, "Tue 22:00 CET");
    let i = run("b.md", "Deploy Friday at 17:30 PT.\n");
    assert_eq!(
        i.spec.deployment.planned_start.as_deref(),
        Some("Friday 17:30[America/Los_Angeles]")
    );
    // A date and a time with an abbreviation.
    let i = run("b.md", "Starts Thursday 2026-12-10 at 9:30 ET.\n");
    assert_eq!(
        i.spec.deployment.planned_start.as_deref(),
        Some("2026-12-10T09:30:00-05:00[America/New_York]")
    );
    // An ambiguous abbreviation (IST: India, Ireland, Israel) makes no start.
    let i = run("b.md", "Deploy Friday at 17:30 IST.\n");
    assert_eq!(i.spec.deployment.planned_start, None);
    // "Mon" inside a word is not a weekday.
    let i = run("b.md", "The daemon 10:00 UTC job.\n");
    assert_eq!(i.spec.deployment.planned_start, None);
}

#[test]
fn every_zone_abbreviation_is_read_after_a_time() {
    for (abbr, zone) in crate::spec::time::ZONE_ABBREVIATIONS {
        let i = run("b.md", &format!("Deploy Monday 09:00 {abbr}.\n"));
        assert_eq!(
            i.spec.deployment.planned_start,
            Some(format!("Monday 09:00[{zone}]")),
            "{abbr}"
        );
    }
}

#[test]
fn a_platforms_own_noun_names_a_service_and_a_changed_source_file_ships_code() {
    let i = run(
        "b.md",
        "Fix the price rounding in `cart.ts` on the storefront (Vercel, project `shop-web`).\n",
    );
    let d = &i.spec.deployment;
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert_eq!(d.changes[0].kind(), ChangeKind::Code);
    assert_eq!(d.changes[0].services(), vec!["shop-web".to_string()]);
    assert_eq!(service(&i, "shop-web").platform, Some(Platform::Vercel));
    assumed(
        &i,
        "source file `cart.ts` changes",
        1,
        "Fix the price rounding in `cart.ts`",
    );
    // The noun alone, with no platform naming it, is not a service; nor is a file not changed.
    let i = run(
        "b.md",
        "We read the site `fra1` config from `routes.yaml`.\n",
    );
    assert!(
        i.spec.architecture.services.is_empty(),
        "{:#?}",
        i.spec.architecture.services
    );
    assert!(i.spec.deployment.changes.is_empty());
}

#[test]
fn a_stated_fleet_rollback_time_is_read() {
    let i = run(
        "f.md",
        "We push the new agent build to every host. The previous build stays on each host; rolling it back fleet-wide takes 90 minutes.\n",
    );
    let f = i
        .spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_fleet_push())
        .expect("a fleet push");
    assert_eq!(f.rollback_minutes, Some(90));
}

#[test]
fn webhooks_are_a_side_effect_only_when_the_change_sends_them() {
    let i = run(
        "b.md",
        "Swap the core router optics. Webhooks and Pages builds are driven by jobs queued in MySQL.\n",
    );
    assert!(
        !i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::ExternalSideEffect),
        "{:#?}",
        i.spec.deployment.changes
    );
    let i = run(
        "b.md",
        "Ship notifier 2.1.0: it sends webhooks to every merchant on refund.\n",
    );
    assert!(
        i.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.kind() == ChangeKind::ExternalSideEffect),
        "{:#?}",
        i.spec.deployment.changes
    );
}
