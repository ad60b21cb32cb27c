use super::*;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Debug;

/// Every value of a model enum, read from its JSON Schema: a variant added to the model shows up
/// here without this test being edited.
fn variants<T: JsonSchema + DeserializeOwned>() -> Vec<T> {
    fn collect(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Array(xs)) = m.get("enum") {
                    out.extend(xs.iter().filter_map(|x| x.as_str().map(String::from)));
                }
                if let Some(Value::String(s)) = m.get("const") {
                    out.push(s.clone());
                }
                m.values().for_each(|x| collect(x, out));
            }
            Value::Array(xs) => xs.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schema");
    let mut names = Vec::new();
    collect(&schema, &mut names);
    names.sort();
    names.dedup();
    assert!(!names.is_empty(), "no variants found in the schema");
    names
        .into_iter()
        .map(|n| serde_json::from_value(Value::String(n.clone())).expect(&n))
        .collect()
}

/// Each variant has exactly one unit, and words unless it is listed as naming no real tool.
fn check_family<T: PartialEq + Copy + Debug + JsonSchema + DeserializeOwned>(
    units: &[(T, &'static [&'static str])],
    no_words: &[T],
) {
    let all = variants::<T>();
    for v in &all {
        let mine: Vec<_> = units.iter().filter(|(u, _)| u == v).collect();
        assert_eq!(mine.len(), 1, "{v:?} needs exactly one registered unit");
        let words = mine[0].1;
        if no_words.contains(v) {
            assert!(words.is_empty(), "{v:?} is listed as naming no real tool");
        } else {
            assert!(
                !words.is_empty(),
                "{v:?} names a real tool: give its unit words"
            );
        }
    }
    for (u, _) in units {
        assert!(all.contains(u), "{u:?} is registered but not in the model");
    }
}

#[test]
fn every_model_variant_has_one_unit_with_words() {
    check_family(
        &deploy::PLATFORMS
            .iter()
            .map(|u| (u.platform(), u.words()))
            .collect::<Vec<_>>(),
        &[],
    );
    check_family(
        &flags::PROVIDERS
            .iter()
            .map(|u| (u.kind(), u.words()))
            .collect::<Vec<_>>(),
        // A ConfigMap is a place flags are kept, not a product a brief names.
        &[FlagProviderKind::Configmap],
    );
    check_family(
        &migrations::TOOLS
            .iter()
            .map(|u| (u.tool(), u.words()))
            .collect::<Vec<_>>(),
        // Plain SQL is the absence of a tool.
        &[MigrationTool::Sql],
    );
    check_family(
        &metrics::SYSTEMS
            .iter()
            .map(|u| (u.system(), u.words()))
            .collect::<Vec<_>>(),
        &[MetricsSystem::None],
    );
    check_family(
        &datastores::ENGINES
            .iter()
            .map(|e| (e.engine, e.words))
            .collect::<Vec<_>>(),
        &[Engine::Other],
    );
}

#[test]
fn the_enum_reader_finds_every_variant() {
    // Guards `variants` itself: a schema layout it cannot read would make the test above vacuous.
    assert_eq!(variants::<Platform>().len(), deploy::PLATFORMS.len());
    assert_eq!(variants::<MetricsSystem>().len(), 4);
    assert!(variants::<MigrationTool>().contains(&MigrationTool::Atlas));
}

fn check_words<T: PartialEq + Debug>(family: &str, words: Vec<(&'static str, T)>) {
    let mut seen: Vec<(&str, T)> = Vec::new();
    for (w, v) in words {
        assert!(!w.is_empty(), "{family}: empty word");
        assert_eq!(
            w,
            w.split_whitespace().collect::<Vec<_>>().join(" "),
            "{family}: {w:?} must be single-spaced and trimmed"
        );
        assert_eq!(w, w.to_lowercase(), "{family}: {w:?} must be lowercase");
        if let Some((_, other)) = seen.iter().find(|(s, _)| *s == w) {
            panic!("{family}: {w:?} names both {other:?} and {v:?}");
        }
        seen.push((w, v));
    }
}

#[test]
fn words_are_lowercase_single_spaced_and_unambiguous() {
    check_words("deploy", deploy_platforms());
    check_words("flags", flag_providers());
    check_words("migrations", migration_tools());
    check_words("metrics", metrics_systems());
    check_words(
        "engines",
        engines().into_iter().map(|(w, e, h)| (w, (e, h))).collect(),
    );
}

/// The words as the coordinator committed them before the registries: building the lists from
/// the units loses none and adds none (beyond units added since, listed here when added).
#[test]
fn registry_words_match_the_committed_vocabulary() {
    fn set<T: Debug>(xs: Vec<(&'static str, T)>) -> BTreeSet<String> {
        xs.into_iter().map(|(w, v)| format!("{w}={v:?}")).collect()
    }
    use Platform::*;
    let deploy_before = vec![
        ("argo rollouts", ArgoRollouts),
        ("argo rollout", ArgoRollouts),
        ("argo cd", ArgoCd),
        ("argocd", ArgoCd),
        ("helm", Helm),
        ("kubernetes", Kubernetes),
        ("k8s", Kubernetes),
        ("gke", Kubernetes),
        ("eks", Kubernetes),
        ("aks", Kubernetes),
        ("ecs", Ecs),
        ("fargate", Ecs),
        ("lambda", Lambda),
        ("cloud run", CloudRun),
        ("systemd", Systemd),
        ("virtual machine", Systemd),
        ("virtual machines", Systemd),
        ("vm", Systemd),
        ("vms", Systemd),
        ("ec2 host", Systemd),
        ("ec2 hosts", Systemd),
        ("ec2 instance", Systemd),
        ("ec2 instances", Systemd),
        // added after the registry
        ("nomad", Nomad),
        ("netlify", Netlify),
        ("vercel", Vercel),
    ];
    assert_eq!(set(deploy_platforms()), set(deploy_before));
    use FlagProviderKind as F;
    let flags_before = vec![
        ("launchdarkly", F::Launchdarkly),
        ("unleash", F::Unleash),
        ("flagsmith", F::Flagsmith),
        ("flipt", F::Flipt),
        ("configcat", F::Configcat),
        ("growthbook", F::Growthbook),
        ("appconfig", F::Appconfig),
    ];
    assert_eq!(set(flag_providers()), set(flags_before));
    use MigrationTool as T;
    let tools_before = vec![
        ("flyway", T::Flyway),
        ("liquibase", T::Liquibase),
        ("alembic", T::Alembic),
        ("rails", T::Rails),
        ("django", T::Django),
        ("golang-migrate", T::GolangMigrate),
        ("goose", T::Goose),
        ("dbmate", T::Dbmate),
        ("sqlx", T::Sqlx),
        ("diesel", T::Diesel),
        ("prisma", T::Prisma),
        ("atlas", T::Atlas),
        ("sqitch", T::Sqitch),
        ("knex", T::Knex),
        ("ecto", T::Ecto),
        ("typeorm", T::Typeorm),
        ("sequelize", T::Sequelize),
        ("ef core", T::EfCore),
        ("laravel", T::Laravel),
    ];
    assert_eq!(set(migration_tools()), set(tools_before));
    use MetricsSystem as M;
    let metrics_before = vec![
        ("prometheus", M::Prometheus),
        ("datadog", M::Datadog),
        ("cloudwatch", M::Cloudwatch),
    ];
    assert_eq!(set(metrics_systems()), set(metrics_before));
    use Engine as E;
    let engines_before = vec![
        ("aurora postgresql", (E::Postgres, Some(Hosting::Aurora))),
        ("aurora postgres", (E::Postgres, Some(Hosting::Aurora))),
        ("aurora mysql", (E::Mysql, Some(Hosting::Aurora))),
        ("postgresql", (E::Postgres, None)),
        ("postgres", (E::Postgres, None)),
        ("mysql", (E::Mysql, None)),
        ("mariadb", (E::Mariadb, None)),
        ("redis", (E::Redis, None)),
        ("mongodb", (E::Mongodb, None)),
        ("mongo", (E::Mongodb, None)),
    ];
    assert_eq!(
        set(engines().into_iter().map(|(w, e, h)| (w, (e, h))).collect()),
        set(engines_before)
    );
}
