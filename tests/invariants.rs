//! A plan never contradicts itself, its platform or its evidence.
//!
//! 1. The issue's scenario (Node service, MySQL column rename through knex, LaunchDarkly flag,
//!    Datadog metrics) rendered on each of the 8 platforms, and the same deployment as a brief:
//!    snapshots, and every invariant of `rollbook::plan::invariants`.
//! 2. A generator of specs over platforms × strategies × migration tools × engines and hostings ×
//!    flag providers × metrics systems × change mixes. Each plan must keep every invariant, every
//!    command must parse as shell (`sh -n`), and no command may hold a value the spec did not give.
//!    `ROLLBOOK_INVARIANT_CASES=5000 cargo test --test invariants` runs more cases (default 256).
//!    A shrunk failing case is kept (as JSON) under tests/fixtures/invariants/ and replayed by
//!    `every_regression_fixture_keeps_the_invariants`.

use proptest::prelude::{Just, ProptestConfig, any, prop_assert, prop_oneof, proptest};
use proptest::strategy::Strategy as Gen;
use rollbook::base::shell::{Cmd, Part, Word};
use rollbook::model::*;
use rollbook::plan::invariants::{self, Violation};
use rollbook::plan::model::Plan;
use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::spec::load::load;
use rollbook::spec::{Input, InputForm};
use std::io::Write;
use std::process::{Command, Stdio};

/// Every deploy platform rollbook has a unit for, from its registry: a platform added there is
/// checked here without this file changing.
fn platforms() -> Vec<Platform> {
    rollbook::platforms::deploy::PLATFORMS
        .iter()
        .map(|u| u.platform())
        .collect()
}

/// The platform as the spec spells it (`argo-rollouts`).
fn platform_id(p: Platform) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .expect("a platform serialises as a string")
}

fn build(input: &Input) -> Plan {
    plan::build(input, &Options::default()).expect("plan builds")
}

fn assert_invariants(what: &str, plan: &Plan, spec: &Spec) {
    let v: Vec<Violation> = invariants::check(plan, spec);
    assert!(
        v.is_empty(),
        "{what}: {} invariant(s) broken:\n{}",
        v.len(),
        v.iter()
            .map(|v| format!("  {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---- 1. The issue's scenario ----

#[test]
fn the_issue_scenario_on_every_platform_keeps_the_invariants() {
    let base = load("tests/fixtures/issue7/spec.yaml").expect("fixture loads");
    for p in platforms() {
        let mut input = base.clone();
        input.spec.architecture.services[0].platform = Some(p);
        let plan = build(&input);
        assert_invariants(&platform_id(p), &plan, &input.spec);
        let md = render::markdown::render(&plan);
        insta::assert_snapshot!(format!("issue7_{}", platform_id(p)), md);
        // The defects the issue saw, by their words.
        assert!(!md.contains("--function-version 5.1.3"), "{p:?}");
        assert!(!md.contains("billing-api:5.1.3"), "{p:?}");
        assert!(!md.contains("trace.http.request"), "{p:?}");
        assert!(!md.contains("transactional on PostgreSQL"), "{p:?}");
        assert!(!md.contains("must be converted back"), "{p:?}");
        assert!(!md.contains("the database: schema changes"), "{p:?}");
        assert!(
            !md.contains("npx knex migrate:down\n"),
            "{p:?}: knex without --env"
        );
        assert!(
            md.contains("npx knex migrate:down --env <MIGRATION_ENV>"),
            "{p:?}"
        );
        assert!(md.contains("Outage window: from Step"), "{p:?}");
        assert!(
            md.contains("**Complex"),
            "{p:?}: a rename the old code breaks on"
        );
    }
}

#[test]
fn the_issue_brief_reads_versions_clusters_backups_and_roles() {
    let input = load("tests/fixtures/issue7/brief.md").expect("brief loads");
    let s = &input.spec;
    assert_eq!(s.deployment.version.as_deref(), Some("5.2.0"));
    assert_eq!(s.deployment.previous_version.as_deref(), Some("5.1.3"));
    assert_eq!(
        s.architecture.services[0].cluster.as_deref(),
        Some("prod-billing")
    );
    let db = &s.architecture.data_stores[0];
    assert_eq!(db.identifier.as_deref(), Some("billing-prod-aurora"));
    assert_eq!(db.database.as_deref(), Some("billing"));
    let backup = db.backup.as_ref().expect("backup read");
    assert_eq!(backup.method, Some(BackupMethod::Pitr));
    assert_eq!(backup.last_tested_restore.as_deref(), Some("2026-11-20"));
    assert_eq!(s.people.channels.incident.as_deref(), Some("#inc-billing"));
    assert_eq!(
        s.people.decision_maker.as_deref(),
        Some("@lee (billing tech lead)")
    );
    let flag = s
        .deployment
        .changes
        .iter()
        .find_map(|c| c.flag())
        .expect("flag read");
    assert_eq!(flag.key, "new-invoice-view");

    let plan = build(&input);
    assert_invariants("brief", &plan, &input.spec);
    let md = render::markdown::render(&plan);
    // No rule may claim the backup is missing, and the service is redeployed after the down.
    assert!(!md.contains("declares no backup"), "{md}");
    assert!(md.contains("Redeploy the previous task definition of billing-api"));
    insta::assert_snapshot!("issue7_brief", md);
}

// ---- 2. The generator ----

#[derive(Debug, Clone)]
struct Case {
    platform: Option<Platform>,
    strategy: Option<Strategy>,
    tool: MigrationTool,
    engine: Engine,
    hosting: Hosting,
    provider: Option<FlagProviderKind>,
    metrics: MetricsSystem,
    /// Which changes ship: code, migration, flag, config, data operation, side effect.
    code: bool,
    migration: Option<u8>,
    flag: Option<(f64, f64)>,
    config: Option<ConfigStore>,
    data_op: bool,
    side_effect: bool,
    known_ids: bool,
    /// `previous_version` given, and a CodeDeploy application declared.
    extras: (bool, bool),
}

const TOOLS: [MigrationTool; 20] = [
    MigrationTool::Flyway,
    MigrationTool::Liquibase,
    MigrationTool::Alembic,
    MigrationTool::Rails,
    MigrationTool::Django,
    MigrationTool::GolangMigrate,
    MigrationTool::Goose,
    MigrationTool::Dbmate,
    MigrationTool::Sqlx,
    MigrationTool::Diesel,
    MigrationTool::Prisma,
    MigrationTool::Atlas,
    MigrationTool::Sqitch,
    MigrationTool::Knex,
    MigrationTool::Ecto,
    MigrationTool::Typeorm,
    MigrationTool::Sequelize,
    MigrationTool::EfCore,
    MigrationTool::Laravel,
    MigrationTool::Sql,
];

const PROVIDERS: [FlagProviderKind; 8] = [
    FlagProviderKind::Launchdarkly,
    FlagProviderKind::Unleash,
    FlagProviderKind::Flagsmith,
    FlagProviderKind::Flipt,
    FlagProviderKind::Configcat,
    FlagProviderKind::Growthbook,
    FlagProviderKind::Appconfig,
    FlagProviderKind::Configmap,
];

fn case() -> impl Gen<Value = Case> {
    let platform = prop_oneof![
        1 => Just(None),
        8 => proptest::sample::select(platforms()).prop_map(Some),
    ];
    let strategy = proptest::option::of(proptest::sample::select(vec![
        Strategy::Rolling,
        Strategy::BlueGreen,
        Strategy::Canary,
        Strategy::Recreate,
    ]));
    let tool = proptest::sample::select(TOOLS.to_vec());
    let engine = proptest::sample::select(vec![Engine::Postgres, Engine::Mysql, Engine::Mariadb]);
    let hosting = proptest::sample::select(vec![
        Hosting::SelfHosted,
        Hosting::Rds,
        Hosting::Aurora,
        Hosting::CloudSql,
    ]);
    let provider = proptest::option::of(proptest::sample::select(PROVIDERS.to_vec()));
    let metrics = proptest::sample::select(vec![
        MetricsSystem::Prometheus,
        MetricsSystem::Datadog,
        MetricsSystem::Cloudwatch,
        MetricsSystem::None,
    ]);
    let flag = proptest::option::of(prop_oneof![
        Just((0.0, 20.0)),
        Just((10.0, 50.0)),
        Just((25.0, 100.0)),
    ]);
    let config = proptest::option::of(proptest::sample::select(vec![
        ConfigStore::Configmap,
        ConfigStore::Env,
        ConfigStore::Ssm,
        ConfigStore::Bundled,
    ]));
    (
        (platform, strategy, tool, engine, hosting, provider, metrics),
        (
            any::<bool>(),
            proptest::option::of(0u8..4),
            flag,
            config,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                (platform, strategy, tool, engine, hosting, provider, metrics),
                (code, migration, flag, config, data_op, side_effect, known_ids),
                extras,
            )| Case {
                platform,
                strategy,
                tool,
                engine,
                hosting,
                provider,
                metrics,
                code,
                migration,
                flag,
                config,
                data_op,
                side_effect: side_effect && data_op,
                known_ids,
                extras,
            },
        )
}

/// Distinct, obviously-from-the-spec values, so a value in a command can be traced to the spec.
// Built field by field: which fields are set varies with the case.
#[allow(clippy::field_reassign_with_default)]
fn spec_of(c: &Case) -> Spec {
    let mut spec = Spec::default();
    spec.deployment.name = "gen-deploy".into();
    spec.deployment.version = Some("9.8.7".into());
    spec.deployment.previous_version = c.extras.0.then(|| "9.8.6".into());
    let mut changes = Vec::new();
    if c.code {
        let mut code = rollbook::model::Code::default();
        code.id = Some("gen-code".into());
        code.services = vec!["gen-svc".into()];
        changes.push(Change::Code(code));
    }
    if let Some(kind) = c.migration {
        let mut m = rollbook::model::Migration::default();
        m.id = Some("gen-mig".into());
        m.database = Some("gen-db".into());
        m.tool = Some(c.tool);
        let q = |s: &str| {
            if c.engine == Engine::Postgres {
                s.replace('`', "\"")
            } else {
                s.to_string()
            }
        };
        let (up, down) = match kind {
            0 => (
                "ALTER TABLE `gen_orders` ADD COLUMN `gen_note` varchar(40) NULL;",
                "ALTER TABLE `gen_orders` DROP COLUMN `gen_note`;",
            ),
            1 => (
                "ALTER TABLE `gen_orders` RENAME COLUMN `gen_ref` TO `gen_reference`;",
                "ALTER TABLE `gen_orders` RENAME COLUMN `gen_reference` TO `gen_ref`;",
            ),
            2 => ("ALTER TABLE `gen_orders` DROP COLUMN `gen_legacy`;", ""),
            _ => ("", ""),
        };
        if up.is_empty() {
            m.backward_compatible = Some(false);
            m.summary = Some("gen declared incompatible".into());
        } else {
            m.sql = Some(q(up));
            if !down.is_empty() {
                m.down_sql = Some(q(down));
            }
        }
        changes.push(Change::Migration(m));
    }
    if let Some((from, to)) = c.flag {
        let mut f = rollbook::model::FeatureFlag::default();
        f.id = Some("gen-flag".into());
        f.services = vec!["gen-svc".into()];
        f.flag = Some(FlagChange {
            key: "gen-flag-key".into(),
            provider: None,
            default: Some(false),
            from_percent: Some(from),
            to_percent: Some(to),
            rollout: vec![],
            provider_id: None,
        });
        changes.push(Change::FeatureFlag(f));
    }
    if let Some(store) = c.config {
        let mut k = rollbook::model::Config::default();
        k.id = Some("gen-config".into());
        k.services = vec!["gen-svc".into()];
        k.location = Some(ConfigLocation {
            store,
            name: Some("gen-config-map".into()),
        });
        k.keys = vec![ConfigKey {
            key: "GEN_KEY".into(),
            before: Some("gen-before".into()),
            after: Some("gen-after".into()),
            secret: false,
        }];
        changes.push(Change::Config(k));
    }
    if c.data_op {
        let mut d = rollbook::model::DataOperation::default();
        d.id = Some("gen-dataop".into());
        d.operation = Some(DataOperationKind::Update);
        d.database = Some("gen-db".into());
        d.table = Some("gen_orders".into());
        d.rows = Some(1234);
        changes.push(Change::DataOperation(d));
    }
    if c.side_effect {
        let mut e = rollbook::model::ExternalSideEffect::default();
        e.id = Some("gen-mail".into());
        e.effect = Some(SideEffect::Email);
        changes.push(Change::ExternalSideEffect(e));
    }
    if changes.is_empty() {
        let mut code = rollbook::model::Code::default();
        code.id = Some("gen-code".into());
        changes.push(Change::Code(code));
    }
    spec.deployment.changes = changes;

    let mut s = Service::named("gen-svc");
    s.platform = c.platform;
    s.strategy = c.strategy;
    s.health_endpoint = Some("https://gen.example.test/health".into());
    if c.known_ids {
        s.namespace = Some("gen-ns".into());
        s.cluster = Some("gen-cluster".into());
        s.region = Some("zz-gen-9".into());
        s.project = Some("gen-project".into());
        s.hosts = vec!["gen-host-1".into()];
        s.deploy_dir = Some("/srv/gen".into());
        s.task_family = Some("gen-family".into());
    }
    if c.extras.1 {
        s.codedeploy_app = Some("gen-cd-app".into());
        s.codedeploy_group = Some("gen-cd-group".into());
    }
    spec.architecture.services.push(s);
    spec.architecture.data_stores.push(DataStore {
        name: "gen-db".into(),
        engine: c.engine,
        version: Some(
            if c.engine == Engine::Postgres {
                "16"
            } else {
                "8.0.36"
            }
            .into(),
        ),
        hosting: Some(c.hosting),
        identifier: c.known_ids.then(|| "gen-db-id".into()),
        database: Some("gen_database".into()),
        region: c.known_ids.then(|| "zz-gen-9".into()),
        size_gb: Some(12.0),
        backup: Some(Backup {
            method: Some(BackupMethod::Pitr),
            location: Some("gen-backups".into()),
            last_backup: None,
            last_tested_restore: Some("2026-11-20".into()),
            restore_gb_per_minute: None,
        }),
    });
    if c.metrics != MetricsSystem::None {
        spec.architecture.observability = Some(Observability {
            metrics: c.metrics,
            dashboards: vec![],
            request_metric: None,
            latency_metric: None,
            service_label: None,
        });
    }
    spec.architecture.flag_provider = c.provider.map(|kind| FlagProvider {
        kind,
        project: Some("gen-flag-project".into()),
        environment: Some("gen-env".into()),
        api_url: None,
        namespace: None,
    });
    spec.people.decision_maker = Some("@gen-lead".into());
    spec
}

/// Every command of the plan, holes filled, as one shell script.
fn commands(plan: &Plan) -> Vec<Cmd> {
    let mut out: Vec<Cmd> = Vec::new();
    for s in &plan.procedure.steps {
        out.extend(s.commands.iter().chain(&s.verify).cloned());
    }
    for c in &plan.go_no_go.checks {
        out.extend(c.commands.iter().cloned());
    }
    for st in &plan.data_recovery.stores {
        out.extend(st.backup_before_rollback.iter().chain(&st.restore).cloned());
    }
    out
}

fn filled(cmd: &Cmd) -> String {
    Cmd {
        words: cmd
            .words
            .iter()
            .map(|w| {
                Word(
                    w.0.iter()
                        .map(|p| match p {
                            Part::Hole(_) => Part::Lit("FILLED".into()),
                            other => other.clone(),
                        })
                        .collect(),
                )
            })
            .collect(),
    }
    .render()
}

/// `sh -n` over all commands at once: a syntax error anywhere fails the case.
fn parses_as_shell(cmds: &[Cmd]) -> Result<(), String> {
    let script: String = cmds.iter().map(|c| filled(c) + "\n").collect();
    let mut child = Command::new("sh")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .env_clear()
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{script}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Values that would be guesses: a region, environment, namespace or metric name the spec never
/// gave. The generator's spec never holds them, so a plan that does invented them.
const INVENTED: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "production",
    "trace.http.request",
    "-n default",
    "9.8.6=",
    ":9.8.6",
    "--function-version 9.8.6",
];

fn invented(plan: &Plan) -> Vec<String> {
    let mut texts: Vec<String> = commands(plan).iter().map(Cmd::render).collect();
    for c in &plan.go_no_go.checks {
        texts.extend(c.queries.iter().cloned());
    }
    for s in &plan.triggers.services {
        texts.extend(s.thresholds.iter().map(|t| t.query.clone()));
    }
    let mut out = Vec::new();
    for t in texts {
        for w in INVENTED {
            if t.contains(w) {
                out.push(format!("`{w}` in `{t}`"));
            }
        }
    }
    out
}

fn check_case(c: &Case) -> Result<(), String> {
    let spec = spec_of(c);
    let input = Input {
        path: "generated.yaml".into(),
        form: InputForm::Yaml,
        spec: spec.clone(),
        assumptions: vec![],
    };
    let plan = plan::build(&input, &Options::default()).map_err(|e| e.to_string())?;
    let mut problems: Vec<String> = invariants::check(&plan, &spec)
        .iter()
        .map(|v| v.to_string())
        .collect();
    problems.extend(invented(&plan));
    if let Err(e) = parses_as_shell(&commands(&plan)) {
        problems.push(format!("sh -n: {e}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn cases() -> u32 {
    std::env::var("ROLLBOOK_INVARIANT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_generated_plan_keeps_the_invariants(c in case()) {
        if let Err(e) = check_case(&c) {
            // The spec as JSON: kept under tests/fixtures/invariants/ once shrunk.
            let json = serde_json::to_string_pretty(&spec_of(&c)).unwrap_or_default();
            prop_assert!(false, "{c:?}\n{e}\n--- spec ---\n{json}");
        }
    }
}

/// Shrunk failing cases of the generator, kept as specs: each must now keep every invariant.
#[test]
fn every_regression_fixture_keeps_the_invariants() {
    let dir = std::path::Path::new("tests/fixtures/invariants");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression fixtures");
    for p in paths {
        let path = p.to_string_lossy().to_string();
        let input = load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let plan = build(&input);
        assert_invariants(&path, &plan, &input.spec);
        parses_as_shell(&commands(&plan)).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

// ---- 3. Commands against the real tools ----

/// Every `aws` command of the issue's plans (8 platforms, Aurora MySQL) and of the generator's
/// ECS/Lambda/RDS shapes uses only options that `aws <service> <operation> help` lists. Skips
/// when the AWS CLI is not installed (.ci/run installs it).
#[test]
fn every_aws_command_uses_options_the_aws_cli_knows() {
    if Command::new("aws").arg("--version").output().is_err() {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let base = load("tests/fixtures/issue7/spec.yaml").expect("fixture loads");
    let mut cmds: Vec<String> = Vec::new();
    for p in [Platform::Ecs, Platform::Lambda] {
        for strategy in [Strategy::Rolling, Strategy::BlueGreen, Strategy::Canary] {
            let mut input = base.clone();
            input.spec.architecture.services[0].platform = Some(p);
            input.spec.architecture.services[0].strategy = Some(strategy);
            input.spec.architecture.services[0].codedeploy_app = Some("gen-app".into());
            let plan = build(&input);
            cmds.extend(commands(&plan).iter().map(filled));
            cmds.extend(
                plan.go_no_go
                    .no_go_triggers
                    .iter()
                    .filter_map(|t| t.split('`').nth(1).map(String::from)),
            );
            for m in &plan.rollout.mechanism {
                cmds.extend(m.snippet.lines().map(String::from));
            }
        }
    }
    let mut checked = std::collections::BTreeMap::<String, String>::new();
    let mut problems = Vec::new();
    for line in cmds.iter().filter(|c| c.starts_with("aws ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let op: Vec<&str> = words[1..]
            .iter()
            .take_while(|w| !w.starts_with("--"))
            .copied()
            .collect();
        let key = op.join(" ");
        let help = checked.entry(key.clone()).or_insert_with(|| {
            let out = Command::new("aws")
                .args(&op)
                .arg("help")
                .env("PAGER", "cat")
                .env("AWS_PAGER", "")
                .output()
                .expect("aws runs");
            String::from_utf8_lossy(&out.stdout).to_string()
        });
        assert!(!help.is_empty(), "`aws {key} help` printed nothing");
        for w in words.iter().filter(|w| w.starts_with("--")) {
            let opt = w.split('=').next().unwrap_or(w);
            if !help.contains(opt) {
                problems.push(format!("`aws {key}` has no option {opt}: {line}"));
            }
        }
    }
    assert!(
        checked.len() >= 6,
        "too few aws operations checked: {checked:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker is not vacuous: each invariant fires on a plan broken on purpose.
#[test]
fn the_checker_catches_each_broken_invariant() {
    let mut input = load("tests/fixtures/issue7/spec.yaml").expect("fixture loads");
    input.spec.architecture.services[0].platform = Some(Platform::Lambda);
    let good = build(&input);
    assert!(invariants::check(&good, &input.spec).is_empty());
    let fired = |f: &dyn Fn(&mut Plan)| -> Vec<&'static str> {
        let mut p = good.clone();
        f(&mut p);
        invariants::check(&p, &input.spec)
            .into_iter()
            .map(|v| v.invariant)
            .collect()
    };
    assert!(fired(&|p| p.procedure.ordering.push("then Step 99".into())).contains(&"INV-XREF"));
    assert!(fired(&|p| p.classification.estimated_minutes += 1).contains(&"INV-BAND"));
    assert!(
        fired(&|p| p.classification.level = rollbook::assess::Level::Fast)
            .contains(&"INV-EVIDENCE-CLASS")
    );
    assert!(
        fired(&|p| p
            .procedure
            .not_reverted
            .push("the database: schema changes stay".into()))
        .contains(&"INV-NOT-REVERTED")
    );
    assert!(
        fired(&|p| p
            .go_no_go
            .checks
            .retain(|c| !c.title.starts_with("Record the row")))
        .contains(&"INV-RECORD-STEP")
    );
    assert!(
        fired(&|p| p
            .go_no_go
            .checks
            .retain(|c| !c.title.starts_with("Record the running")))
        .contains(&"INV-RECORDED")
    );
    assert!(
        fired(&|p| {
            let step = p
                .procedure
                .steps
                .iter_mut()
                .find(|s| s.title.starts_with("Point alias"))
                .expect("alias step");
            step.commands[0] = Cmd::new("aws lambda update-alias --function-version 5.1.3");
        })
        .contains(&"INV-PLATFORM-ID")
    );
    assert!(
        fired(&|p| p
            .go_no_go
            .no_go_triggers
            .push("cancel it (transactional on PostgreSQL)".into()))
        .contains(&"INV-ENGINE")
    );
    assert!(fired(&|p| p.procedure.steps[1].destructive = true).contains(&"INV-BACKUP-FIRST"));
    assert!(
        fired(&|p| p
            .procedure
            .ordering
            .retain(|o| !o.starts_with("Outage window")))
        .contains(&"INV-EVIDENCE-CLASS")
    );
    // A bump from 10% to 50% whose abort turns the flag off, or whose rollout goes past 50%.
    let bump = load("examples/flag-percentage-bump.yaml").expect("example loads");
    let plan = build(&bump);
    assert!(invariants::check(&plan, &bump.spec).is_empty());
    let mut p = plan.clone();
    p.rollout.flags = vec!["Flag `new-search-ranking`: at any abort condition turn it off.".into()];
    assert!(
        invariants::check(&p, &bump.spec)
            .iter()
            .any(|v| v.invariant == "INV-FLAG-SHARE")
    );
    let mut p = plan.clone();
    p.rollout.stages[0].traffic_percent = 100.0;
    assert!(
        invariants::check(&p, &bump.spec)
            .iter()
            .any(|v| v.invariant == "INV-FLAG-SHARE")
    );
}
