use super::*;
use crate::base::parts::Stage;
use crate::base::placeholders::Placeholders;
use crate::model::*;

fn svc(p: Option<Platform>, s: Option<Strategy>) -> Service {
    let mut v = Service::named("checkout");
    v.platform = p;
    v.strategy = s;
    v
}

fn full(p: Platform, s: Option<Strategy>) -> Service {
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

fn stage(name: &str, pct: f64, bake: u32) -> Stage {
    Stage {
        name: name.into(),
        traffic_percent: pct,
        bake_minutes: bake,
        watch: String::new(),
        advance_if: String::new(),
        abort_if: String::new(),
    }
}

fn r(cmds: &[crate::base::shell::Cmd]) -> Vec<String> {
    cmds.iter().map(|c| c.render()).collect()
}

fn tokens(ph: &Placeholders) -> Vec<String> {
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

// ---- deploy ----

#[test]
fn kubernetes_rollback_with_context_and_recorded_revision() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Kubernetes, Some(Strategy::Rolling));
    let rec = deploy::record_current(&v, &mut ph);
    assert_eq!(
        r(&rec.commands),
        ["kubectl rollout history deployment/checkout -n shop --context prod-eu"]
    );
    assert!(rec.expect.contains("<CHECKOUT_REVISION>"));
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(a.len(), 1);
    assert_eq!(
        r(&a[0].commands),
        [
            "kubectl rollout undo deployment/checkout -n shop --context prod-eu --to-revision=<CHECKOUT_REVISION>"
        ]
    );
    assert_eq!(
        r(&a[0].verify),
        ["kubectl rollout status deployment/checkout -n shop --context prod-eu --timeout=10m"]
    );
    assert_eq!(a[0].minutes, 5);
    assert!(!a[0].destructive);
    assert_eq!(tokens(&ph), ["<CHECKOUT_REVISION>"]);
    assert!(deploy::pre_rollback(&v, &mut ph).is_empty());
}

#[test]
fn missing_namespace_is_a_recorded_placeholder() {
    let mut ph = Placeholders::default();
    let v = svc(Some(Platform::Kubernetes), None);
    let abort = deploy::abort_rollout(&v, &mut ph).map(|c| c.render());
    assert_eq!(
        abort.as_deref(),
        Some("kubectl rollout undo deployment/checkout -n <CHECKOUT_NAMESPACE>")
    );
    assert_eq!(tokens(&ph), ["<CHECKOUT_NAMESPACE>"]);
    assert_eq!(ph.list()[0].fill_with, "architecture.services[].namespace");
}

#[test]
fn helm_rollback_waits() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Helm, None);
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(
        r(&a[0].commands),
        [
            "helm rollback checkout <CHECKOUT_HELM_REVISION> -n shop --kube-context prod-eu --wait --timeout 10m"
        ]
    );
    assert_eq!(
        r(&a[0].verify)[0],
        "helm status checkout -n shop --kube-context prod-eu"
    );
    assert!(deploy::not_reverted(&v).iter().any(|s| s.contains("CRDs")));
}

#[test]
fn argo_rollouts_aborts_then_undoes() {
    let mut ph = Placeholders::default();
    let v = full(Platform::ArgoRollouts, Some(Strategy::Canary));
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(a.len(), 2);
    assert_eq!(
        r(&a[0].commands),
        ["kubectl argo rollouts abort checkout -n shop --context prod-eu"]
    );
    assert!(a[0].minutes <= 2);
    assert_eq!(
        r(&a[1].commands),
        [
            "kubectl argo rollouts undo checkout -n shop --context prod-eu --to-revision=<CHECKOUT_ROLLOUT_REVISION>"
        ]
    );
    assert_eq!(
        r(&a[1].verify),
        ["kubectl argo rollouts status checkout -n shop --context prod-eu --timeout 10m"]
    );
}

#[test]
fn argocd_turns_off_autosync_before_and_back_on_after() {
    let mut ph = Placeholders::default();
    let mut v = full(Platform::Kubernetes, None);
    v.argocd_app = Some("shop-checkout".into());
    let pre = deploy::pre_rollback(&v, &mut ph);
    assert_eq!(
        r(&pre[0].commands),
        ["argocd app set shop-checkout --sync-policy none"]
    );
    assert!(pre[0].notes[0].contains("self-heal"));
    let post = deploy::post_rollback(&v, &mut ph);
    assert_eq!(
        r(&post[0].commands),
        ["git revert --no-edit <CHECKOUT_DEPLOY_COMMIT>", "git push"]
    );
    assert_eq!(
        r(&post[1].commands),
        ["argocd app set shop-checkout --sync-policy automated --self-heal"]
    );
    assert!(tokens(&ph).contains(&"<CHECKOUT_DEPLOY_COMMIT>".to_string()));
    let v2 = svc(Some(Platform::ArgoCd), None);
    let a = deploy::rollback(&v2, &mut ph);
    assert_eq!(
        r(&a[0].commands),
        ["argocd app rollback checkout <CHECKOUT_ARGOCD_HISTORY_ID>"]
    );
}

#[test]
fn ecs_rolling_redeploys_previous_task_definition() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Ecs, Some(Strategy::Rolling));
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(
        r(&a[0].commands),
        [
            "aws ecs update-service --cluster prod-eu --service checkout --task-definition <CHECKOUT_PREVIOUS_TASK_DEF_ARN> --region eu-west-1 --force-new-deployment"
        ]
    );
    assert_eq!(
        r(&a[0].verify)[0],
        "aws ecs wait services-stable --cluster prod-eu --services checkout --region eu-west-1"
    );
    assert_eq!(a[0].minutes, 7);
}

#[test]
fn ecs_blue_green_stops_codedeploy_first() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Ecs, Some(Strategy::BlueGreen));
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(a.len(), 2);
    assert_eq!(
        r(&a[0].commands),
        [
            "aws deploy stop-deployment --deployment-id <CHECKOUT_CODEDEPLOY_DEPLOYMENT_ID> --auto-rollback-enabled --region eu-west-1"
        ]
    );
    let redeploy = a[1].commands[0].render();
    assert!(redeploy.starts_with("aws deploy create-deployment --application-name checkout-app --deployment-group-name checkout-dg --revision '{\"revisionType\":\"AppSpecContent\""));
    // Placeholders sit outside the quotes so the command cannot run half-filled.
    assert!(redeploy.contains("\\\"TaskDefinition\\\":\\\"'<CHECKOUT_PREVIOUS_TASK_DEF_ARN>'\\\""));
    assert!(redeploy.contains("\\\"ContainerPort\\\":'<CHECKOUT_CONTAINER_PORT>'}"));
    assert!(tokens(&ph).contains(&"<CHECKOUT_CONTAINER_PORT>".to_string()));
}

#[test]
fn lambda_alias_goes_back_to_previous_version() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Lambda, Some(Strategy::Canary));
    let a = deploy::rollback(&v, &mut ph);
    // codedeploy_app is set, so the CodeDeploy stop comes first.
    assert_eq!(a.len(), 2);
    assert_eq!(
        r(&a[1].commands),
        [
            "aws lambda update-alias --function-name checkout --name live --function-version <CHECKOUT_PREVIOUS_LAMBDA_VERSION> --routing-config AdditionalVersionWeights={} --region eu-west-1"
        ]
    );
    assert_eq!(
        r(&a[1].verify),
        ["aws lambda get-alias --function-name checkout --name live --region eu-west-1"]
    );
}

#[test]
fn cloud_run_traffic_back_to_previous_revision() {
    let mut ph = Placeholders::default();
    let v = full(Platform::CloudRun, Some(Strategy::Canary));
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(
        r(&a[0].commands),
        [
            "gcloud run services update-traffic checkout --to-revisions=<CHECKOUT_PREVIOUS_REVISION>=100 --region eu-west-1 --project acme-prod"
        ]
    );
    // The revision name comes from the Go / No-Go record, never from previous_version.
    assert_eq!(tokens(&ph), ["<CHECKOUT_PREVIOUS_REVISION>"]);
}

#[test]
fn systemd_quotes_the_remote_command_as_one_value() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Systemd, None);
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(
        r(&a[0].commands),
        [
            "ssh web1 'ln -sfn '\\''/srv/checkout/releases/'<CHECKOUT_PREVIOUS_RELEASE>''\\'' /srv/checkout/current && sudo systemctl restart checkout'",
            "ssh web2 'ln -sfn '\\''/srv/checkout/releases/'<CHECKOUT_PREVIOUS_RELEASE>''\\'' /srv/checkout/current && sudo systemctl restart checkout'",
        ]
    );
    assert_eq!(
        r(&a[0].verify)[0],
        "ssh web1 'systemctl is-active checkout && readlink -f /srv/checkout/current'"
    );
}

#[test]
fn systemd_hostile_values_are_quoted_twice() {
    let mut ph = Placeholders::default();
    let mut v = full(Platform::Systemd, None);
    v.deploy_dir = Some("/srv/my app".into());
    v.hosts = vec!["h$(x)".into()];
    let a = deploy::rollback(&v, &mut ph);
    // The release directory is recorded before the deploy: fill it as the operator would.
    let c = a[0].commands[0]
        .render()
        .replace("<CHECKOUT_PREVIOUS_RELEASE>", "v41");
    // What the remote shell receives, after the local shell removes one level of quoting.
    let words = shlex::split(&c).unwrap_or_default();
    assert_eq!(words.len(), 3);
    assert_eq!(
        words[2],
        "ln -sfn '/srv/my app/releases/v41' '/srv/my app/current' && sudo systemctl restart checkout"
    );
    assert_eq!(
        shlex::split(&words[2]).unwrap_or_default()[2],
        "/srv/my app/releases/v41"
    );
}

#[test]
fn systemd_missing_values_become_placeholders_that_block_running() {
    let mut ph = Placeholders::default();
    let v = svc(Some(Platform::Systemd), None);
    let a = deploy::rollback(&v, &mut ph);
    let c = a[0].commands[0].render();
    assert!(c.starts_with("ssh <CHECKOUT_HOST> "));
    assert!(c.contains("<CHECKOUT_DEPLOY_DIR>/releases/<CHECKOUT_PREVIOUS_RELEASE>"));
    assert_eq!(
        tokens(&ph),
        [
            "<CHECKOUT_DEPLOY_DIR>",
            "<CHECKOUT_PREVIOUS_RELEASE>",
            "<CHECKOUT_HOST>"
        ]
    );
}

#[test]
fn unknown_platform_is_a_generic_step() {
    let mut ph = Placeholders::default();
    let v = svc(None, None);
    let a = deploy::rollback(&v, &mut ph);
    assert_eq!(r(&a[0].commands), ["<CHECKOUT_REDEPLOY_COMMAND>"]);
    assert_eq!(
        r(&a[0].verify),
        ["curl -fsS --max-time 5 <CHECKOUT_HEALTH_URL>"]
    );
    assert!(deploy::abort_rollout(&v, &mut ph).is_none());
    assert!(deploy::mechanism(&v, &[stage("c", 5.0, 10)]).is_none());
    // The platform does not speak for the database: the procedure says what it keeps.
    assert!(
        !deploy::not_reverted(&v)
            .iter()
            .any(|s| s.contains("database"))
    );
}

#[test]
fn health_check_quotes_the_url() {
    let mut ph = Placeholders::default();
    let mut v = svc(None, None);
    v.health_endpoint = Some("https://x.example/h?a=1&b=$(id)".into());
    assert_eq!(
        deploy::health_check(&v, &mut ph).render(),
        "curl -fsS --max-time 5 'https://x.example/h?a=1&b=$(id)'"
    );
}

#[test]
fn argo_canary_mechanism_lists_weights_pauses_and_analysis() {
    let v = full(Platform::ArgoRollouts, Some(Strategy::Canary));
    let m = deploy::mechanism(
        &v,
        &[
            stage("c", 5.0, 10),
            stage("h", 50.0, 30),
            stage("f", 100.0, 0),
        ],
    )
    .expect("argo has a mechanism");
    assert_eq!(m.language, "yaml");
    assert!(m.snippet.contains("      - setWeight: 5\n"));
    assert!(m.snippet.contains("      - pause: {duration: 10m}\n"));
    assert!(m.snippet.contains("      - setWeight: 50\n"));
    assert!(!m.snippet.contains("setWeight: 100"));
    assert!(
        m.snippet
            .contains("templateName: <CHECKOUT_ANALYSIS_TEMPLATE>")
    );
}

#[test]
fn argo_blue_green_keeps_old_replicaset_for_the_bake() {
    let v = full(Platform::ArgoRollouts, Some(Strategy::BlueGreen));
    let m = deploy::mechanism(&v, &[stage("b", 100.0, 45)]).expect("mechanism");
    assert!(m.snippet.contains("autoPromotionEnabled: false"));
    assert!(m.snippet.contains("scaleDownDelaySeconds: 2700"));
}

#[test]
fn codedeploy_config_fits_the_stages() {
    let v = full(Platform::Ecs, Some(Strategy::Canary));
    let m = deploy::mechanism(&v, &[stage("c", 10.0, 5), stage("f", 100.0, 0)]).expect("m");
    assert_eq!(
        m.name,
        "CodeDeploy deployment configuration CodeDeployDefault.ECSCanary10Percent5Minutes"
    );
    let m = deploy::mechanism(&v, &[stage("c", 10.0, 15), stage("f", 100.0, 0)]).expect("m");
    assert!(
        m.snippet
            .contains("--deployment-config-name CodeDeployDefault.ECSCanary10Percent15Minutes")
    );
}

#[test]
fn lambda_and_cloud_run_mechanisms_per_stage() {
    let mut ph = Placeholders::default();
    let v = full(Platform::Lambda, Some(Strategy::Canary));
    let m = deploy::mechanism_with(&v, &[stage("c", 5.0, 10)], &mut ph).expect("m");
    assert!(m.snippet.contains(
        "--routing-config 'AdditionalVersionWeights={\"'<CHECKOUT_NEW_LAMBDA_VERSION>'\"=0.05}'"
    ));
    assert_eq!(tokens(&ph), ["<CHECKOUT_NEW_LAMBDA_VERSION>"]);
    let mut ph = Placeholders::default();
    let v = full(Platform::CloudRun, Some(Strategy::Canary));
    let m = deploy::mechanism_with(&v, &[stage("c", 10.0, 10)], &mut ph).expect("m");
    assert!(m.snippet.contains("--to-revisions=<CHECKOUT_NEW_REVISION>=10,<CHECKOUT_PREVIOUS_REVISION>=90 --region eu-west-1 --project acme-prod"));
}

// ---- flags ----

fn flag(key: &str) -> FlagChange {
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

fn provider(kind: FlagProviderKind) -> FlagProvider {
    FlagProvider {
        kind,
        project: Some("shop".into()),
        environment: Some("production".into()),
        api_url: Some("https://unleash.example.com/".into()),
        namespace: Some("flags".into()),
    }
}

#[test]
fn launchdarkly_semantic_patch_turns_flag_off() {
    let mut ph = Placeholders::default();
    let p = provider(FlagProviderKind::Launchdarkly);
    let a = flags::turn_off(Some(&p), &flag("new-checkout"), &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X PATCH https://app.launchdarkly.com/api/v2/flags/shop/new-checkout --data '{\"environmentKey\":\"production\",\"comment\":\"rollbook: kill switch during rollback\",\"instructions\":[{\"kind\":\"turnFlagOff\"}]}' -H \"Authorization: $LD_API_TOKEN\" -H 'Content-Type: application/json; domain-model=launchdarkly.semanticpatch'"
        ]
    );
    assert_eq!(
        r(&a.verify),
        [
            "curl -fsS 'https://app.launchdarkly.com/api/v2/flags/shop/new-checkout?env=production' -H \"Authorization: $LD_API_TOKEN\""
        ]
    );
    assert!(a.minutes <= 2);
    assert!(tokens(&ph).is_empty());
}

#[test]
fn hostile_flag_key_is_encoded_and_quoted() {
    let mut ph = Placeholders::default();
    let mut p = provider(FlagProviderKind::Launchdarkly);
    p.environment = Some("prod' $(rm -rf /)".into());
    let a = flags::turn_off(Some(&p), &flag("a'b $(x)"), &mut ph);
    let c = a.commands[0].render();
    assert!(c.contains("/flags/shop/a%27b%20%24%28x%29 "));
    assert!(c.contains("--data '{\"environmentKey\":\"prod'\\'' $(rm -rf /)\""));
    let words = shlex::split(&c).unwrap_or_default();
    assert!(
        words
            .iter()
            .any(|w| w.contains("\"environmentKey\":\"prod' $(rm -rf /)\""))
    );
}

#[test]
fn unleash_missing_values_become_placeholders() {
    let mut ph = Placeholders::default();
    let f = FlagChange {
        provider: Some(FlagProviderKind::Unleash),
        ..flag("new-checkout")
    };
    let a = flags::turn_off(None, &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X POST <UNLEASH_API_URL>/api/admin/projects/<UNLEASH_PROJECT>/features/new-checkout/environments/<UNLEASH_ENVIRONMENT>/off -H \"Authorization: $UNLEASH_API_TOKEN\""
        ]
    );
    assert_eq!(
        tokens(&ph),
        [
            "<UNLEASH_API_URL>",
            "<UNLEASH_PROJECT>",
            "<UNLEASH_ENVIRONMENT>"
        ]
    );
}

#[test]
fn unleash_percentage_uses_flexible_rollout() {
    let mut ph = Placeholders::default();
    let p = provider(FlagProviderKind::Unleash);
    let c = flags::set_percent(Some(&p), &flag("nc"), 25.0, &mut ph).expect("unleash supports it");
    assert_eq!(
        c.render(),
        "curl -fsS -X PUT https://unleash.example.com/api/admin/projects/shop/features/nc/environments/production/strategies/<NC_UNLEASH_STRATEGY_ID> --data '{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"25\",\"stickiness\":\"default\",\"groupId\":\"nc\"}}' -H \"Authorization: $UNLEASH_API_TOKEN\" -H 'Content-Type: application/json'"
    );
    let ld = provider(FlagProviderKind::Launchdarkly);
    assert!(flags::set_percent(Some(&ld), &flag("nc"), 25.0, &mut ph).is_none());
}

#[test]
fn configcat_growthbook_appconfig_configmap() {
    let mut ph = Placeholders::default();
    let f = FlagChange {
        provider_id: Some("4711".into()),
        ..flag("nc")
    };
    let p = provider(FlagProviderKind::Configcat);
    let a = flags::turn_off(Some(&p), &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X PATCH https://api.configcat.com/v2/environments/production/settings/4711/value --data '[{\"op\":\"replace\",\"path\":\"/defaultValue/boolValue\",\"value\":false}]' -u \"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\" -H 'Content-Type: application/json'"
        ]
    );
    assert!(a.notes[0].contains("targeting rules"));

    let mut g = provider(FlagProviderKind::Growthbook);
    g.api_url = None;
    let a = flags::turn_off(Some(&g), &flag("nc"), &mut ph);
    assert!(a.commands[0].render().starts_with(
        "curl -fsS -X POST https://api.growthbook.io/api/v2/features/nc/toggle --data '{\"environments\":{\"production\":false},"
    ));

    let a = flags::turn_off(
        Some(&provider(FlagProviderKind::Appconfig)),
        &flag("nc"),
        &mut ph,
    );
    assert_eq!(
        r(&a.commands),
        [
            "aws appconfig stop-deployment --application-id shop --environment-id production --deployment-number <NC_APPCONFIG_DEPLOYMENT_NUMBER> --allow-revert"
        ]
    );
    assert!(a.notes[0].contains("72 hours"));

    let f = FlagChange {
        provider_id: Some("feature-flags".into()),
        ..flag("new.checkout")
    };
    let a = flags::turn_off(Some(&provider(FlagProviderKind::Configmap)), &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "kubectl patch configmap feature-flags -n flags --type merge -p '{\"data\":{\"new.checkout\":\"false\"}}'"
        ]
    );
    assert_eq!(
        r(&a.verify),
        ["kubectl get configmap feature-flags -n flags -o jsonpath='{.data.new\\.checkout}'"]
    );
    assert!(a.notes[0].contains("rollout restart"));
}

#[test]
fn no_provider_is_a_placeholder_step() {
    let mut ph = Placeholders::default();
    let a = flags::turn_off(None, &flag("nc"), &mut ph);
    assert_eq!(r(&a.commands), ["<NC_FLAG_OFF_COMMAND>"]);
    assert_eq!(
        flags::read_state(None, &flag("nc"), &mut ph).render(),
        "<NC_FLAG_READ_COMMAND>"
    );
}

// ---- data stores ----

fn store(engine: Engine, hosting: Option<Hosting>) -> DataStore {
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

#[test]
fn rds_snapshot_and_pitr() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::Rds));
    let a = datastores::backup_now(&s, "Pre rollback #1", &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "aws rds create-db-snapshot --db-instance-identifier orders-prod --db-snapshot-identifier pre-rollback-1 --region eu-west-1"
        ]
    );
    assert_eq!(
        r(&a.verify),
        [
            "aws rds wait db-snapshot-available --db-snapshot-identifier pre-rollback-1 --region eu-west-1"
        ]
    );
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier orders-prod --target-db-instance-identifier orders-prod-restore --restore-time <ORDERS_DB_RESTORE_TIME> --region eu-west-1"
        ]
    );
    assert!(a.notes.iter().any(|n| n.contains("repoint")));
    assert!(!a.destructive);
    assert_eq!(a.minutes, 40);
}

#[test]
fn aurora_restore_adds_an_instance_and_mentions_backtrack() {
    let mut ph = Placeholders::default();
    let mut s = store(Engine::Mysql, Some(Hosting::Aurora));
    s.identifier = None;
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands)[0],
        "aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier <ORDERS_DB_IDENTIFIER> --db-cluster-identifier <ORDERS_DB_IDENTIFIER>-restore --restore-to-time <ORDERS_DB_RESTORE_TIME> --region eu-west-1"
    );
    assert!(r(&a.commands)[1].contains("--engine aurora-mysql"));
    assert!(a.notes.iter().any(|n| n.contains("backtrack-db-cluster")));
    let b = datastores::backup_now(&s, "x", &mut ph);
    assert!(b.commands[0].render().starts_with("aws rds create-db-cluster-snapshot --db-cluster-identifier <ORDERS_DB_IDENTIFIER> --db-cluster-snapshot-identifier x"));
}

#[test]
fn self_hosted_dump_and_restore() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::SelfHosted));
    let a = datastores::backup_now(&s, "pre-rollback", &mut ph);
    assert_eq!(
        r(&a.commands),
        ["pg_dump \"$DATABASE_URL\" -Fc -f pre-rollback.dump"]
    );
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "pg_restore --exit-on-error --no-owner -j 4 -d \"$RESTORED_DATABASE_URL\" <ORDERS_DB_DUMP_FILE>"
        ]
    );
    // A restore never overwrites the live database: it goes to a separate one.
    assert!(!a.destructive);
    assert!(!r(&a.commands)[0].contains("\"$DATABASE_URL\""));
    let m = store(Engine::Mysql, None);
    let a = datastores::backup_now(&m, "pre", &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "mysqldump --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" --single-transaction --routines --triggers --result-file=pre.sql orders"
        ]
    );
}

#[test]
fn restore_estimates_state_their_basis() {
    let mut s = store(Engine::Postgres, Some(Hosting::SelfHosted));
    let (m, basis) = datastores::restore_estimate(&s);
    assert_eq!(m, Some(210));
    assert!(basis.contains("0.5 GB/min"));
    s.backup = Some(Backup {
        method: Some(BackupMethod::Logical),
        location: None,
        last_backup: None,
        last_tested_restore: None,
        restore_gb_per_minute: Some(2.0),
    });
    let (m, basis) = datastores::restore_estimate(&s);
    assert_eq!(m, Some(60));
    assert!(basis.contains("measured in a restore drill"));
    s.size_gb = None;
    assert_eq!(datastores::restore_estimate(&s).0, None);
    s.size_gb = Some(f64::NAN);
    assert_eq!(datastores::restore_estimate(&s).0, None);
}

#[test]
fn queries_are_read_only_and_quoted() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, None);
    assert_eq!(
        datastores::query(&s, "SELECT count(*) FROM t WHERE n = 'x'", &mut ph).render(),
        "PGOPTIONS='-c default_transaction_read_only=on' psql \"$DATABASE_URL\" -X -A -t -v ON_ERROR_STOP=1 -c 'SELECT count(*) FROM t WHERE n = '\\''x'\\'''"
    );
    let m = store(Engine::Mariadb, None);
    assert_eq!(
        datastores::query(&m, "SELECT 1", &mut ph).render(),
        "mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" --batch --skip-column-names orders -e 'SET SESSION TRANSACTION READ ONLY; SELECT 1'"
    );
    let redis = store(Engine::Redis, None);
    assert_eq!(
        datastores::query(&redis, "x", &mut ph).render(),
        "<ORDERS_DB_QUERY_COMMAND>"
    );
}

#[test]
fn verify_backup_reads_the_newest_snapshot() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::Rds));
    let c = datastores::verify_backup(&s, &mut ph);
    assert_eq!(
        r(&c.commands)[0],
        "aws rds describe-db-snapshots --db-instance-identifier orders-prod --query 'max_by(DBSnapshots, &SnapshotCreateTime).[DBSnapshotIdentifier,SnapshotCreateTime,Status]' --output text --region eu-west-1"
    );
    let c = datastores::verify_backup(&store(Engine::Postgres, None), &mut ph);
    assert_eq!(r(&c.commands), ["ls -lt <ORDERS_DB_BACKUP_LOCATION>"]);
}

// ---- migrations ----

fn mig(tool: MigrationTool) -> Change {
    let mut c = Change::new(ChangeKind::Migration);
    *c.id_mut() = Some("add-col".into());
    c.as_migration_mut().unwrap().tool = Some(tool);
    c.as_migration_mut().unwrap().path = Some("db/migrations/0042_add_col.up.sql".into());
    c
}

#[test]
fn down_commands_per_tool() {
    let pg = store(Engine::Postgres, None);
    let cases: Vec<(MigrationTool, Option<&str>, &str)> = vec![
        (
            MigrationTool::Alembic,
            None,
            "alembic -c <ALEMBIC_CONFIG_FILE> downgrade -1",
        ),
        (
            MigrationTool::Alembic,
            Some("ab12"),
            "alembic -c <ALEMBIC_CONFIG_FILE> downgrade ab12",
        ),
        (
            MigrationTool::Rails,
            None,
            "RAILS_ENV=<MIGRATION_ENV> bin/rails db:rollback STEP=1",
        ),
        (
            MigrationTool::Rails,
            Some("20261101"),
            "RAILS_ENV=<MIGRATION_ENV> bin/rails db:migrate VERSION=20261101",
        ),
        (
            MigrationTool::GolangMigrate,
            None,
            "migrate -path db/migrations -database \"$DATABASE_URL\" down 1",
        ),
        (
            MigrationTool::GolangMigrate,
            Some("41"),
            "migrate -path db/migrations -database \"$DATABASE_URL\" goto 41",
        ),
        (
            MigrationTool::Goose,
            Some("41"),
            "goose -dir db/migrations postgres \"$DATABASE_URL\" down-to 41",
        ),
        (
            MigrationTool::Dbmate,
            None,
            "dbmate --url \"$DATABASE_URL\" --migrations-dir db/migrations rollback",
        ),
        (
            MigrationTool::Sqlx,
            Some("41"),
            "sqlx migrate revert --source db/migrations --database-url \"$DATABASE_URL\" --target-version 41",
        ),
        (
            MigrationTool::Diesel,
            None,
            "diesel migration revert --migration-dir db/migrations --database-url \"$DATABASE_URL\"",
        ),
        (
            MigrationTool::Liquibase,
            None,
            "liquibase --defaults-file=<LIQUIBASE_DEFAULTS_FILE> rollback-count --count=1",
        ),
        (
            MigrationTool::Liquibase,
            Some("v41"),
            "liquibase --defaults-file=<LIQUIBASE_DEFAULTS_FILE> rollback --tag=v41",
        ),
        (
            MigrationTool::Sqitch,
            None,
            "sqitch revert -y --target <SQITCH_TARGET> --to @HEAD^",
        ),
        (
            MigrationTool::Knex,
            None,
            "npx knex migrate:down --env <MIGRATION_ENV>",
        ),
        (
            MigrationTool::Ecto,
            Some("41"),
            "MIX_ENV=<MIGRATION_ENV> mix ecto.rollback --to 41",
        ),
        (
            MigrationTool::Sequelize,
            None,
            "npx sequelize-cli db:migrate:undo --env <MIGRATION_ENV>",
        ),
        (
            MigrationTool::Laravel,
            None,
            "php artisan migrate:rollback --step=1 --force --env=<MIGRATION_ENV>",
        ),
        (
            MigrationTool::Flyway,
            None,
            "flyway -configFiles=<FLYWAY_CONFIG_FILE> migrate",
        ),
        (
            MigrationTool::Sql,
            None,
            "psql \"$DATABASE_URL\" -X -v ON_ERROR_STOP=1 --single-transaction -f <ADD_COL_DOWN_SQL_FILE>",
        ),
    ];
    for (tool, prev, want) in cases {
        let mut ph = Placeholders::default();
        let mut c = mig(tool);
        c.as_migration_mut().unwrap().previous_migration = prev.map(String::from);
        let a = migrations::down(tool, &c, Some(&pg), &mut ph);
        assert_eq!(a.commands[0].render(), want, "{tool:?}");
        assert!(!a.destructive);
        assert!((3..=5).contains(&a.minutes));
        assert!(!a.verify.is_empty());
    }
}

#[test]
fn django_needs_app_and_target() {
    let mut ph = Placeholders::default();
    let c = mig(MigrationTool::Django);
    let a = migrations::down(MigrationTool::Django, &c, None, &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "python manage.py migrate <ADD_COL_DJANGO_APP> <ADD_COL_PREVIOUS_MIGRATION> --settings=<DJANGO_SETTINGS_MODULE>"
    );
    assert!(tokens(&ph).contains(&"<ADD_COL_DJANGO_APP>".to_string()));
    let mut c = mig(MigrationTool::Django);
    c.as_migration_mut().unwrap().app = Some("orders".into());
    c.as_migration_mut().unwrap().previous_migration = Some("0041_x y".into());
    let a = migrations::down(MigrationTool::Django, &c, None, &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "python manage.py migrate orders '0041_x y' --settings=<DJANGO_SETTINGS_MODULE>"
    );
}

#[test]
fn tools_without_down_say_so() {
    assert!(!migrations::has_down(MigrationTool::Flyway));
    assert!(!migrations::has_down(MigrationTool::Prisma));
    assert!(migrations::has_down(MigrationTool::Alembic));
    let mut ph = Placeholders::default();
    let a = migrations::down(
        MigrationTool::Prisma,
        &mig(MigrationTool::Prisma),
        None,
        &mut ph,
    );
    assert!(
        a.commands[0]
            .render()
            .starts_with("npx prisma migrate diff --from-url \"$DATABASE_URL\"")
    );
    assert_eq!(
        a.commands[1].render(),
        "npx prisma db execute --url \"$DATABASE_URL\" --file down.sql"
    );
    let a = migrations::down(
        MigrationTool::Flyway,
        &mig(MigrationTool::Flyway),
        None,
        &mut ph,
    );
    assert!(a.notes.iter().any(|n| n.contains("paid")));
}

#[test]
fn sql_down_runs_the_file_with_the_engine_client() {
    let mut ph = Placeholders::default();
    let mut c = mig(MigrationTool::Sql);
    c.as_migration_mut().unwrap().down_path = Some("db/down/0042 add col.sql".into());
    let my = store(Engine::Mysql, None);
    let a = migrations::down(MigrationTool::Sql, &c, Some(&my), &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" orders < 'db/down/0042 add col.sql'"
    );
}

#[test]
fn sql_down_with_no_store_and_no_sql_invents_no_client() {
    let mut ph = Placeholders::default();
    let c = mig(MigrationTool::Sql);
    let a = migrations::down(MigrationTool::Sql, &c, None, &mut ph);
    let cmd = a.commands[0].render();
    assert!(!cmd.contains("psql") && !cmd.contains("mysql"), "{cmd}");
    assert!(cmd.ends_with("_DOWN_COMMAND>"), "{cmd}");
}

// ---- metrics ----

fn obs(m: MetricsSystem) -> Observability {
    Observability {
        metrics: m,
        dashboards: Vec::new(),
        request_metric: None,
        latency_metric: None,
        service_label: None,
    }
}

#[test]
fn prometheus_queries_escape_the_service_name() {
    let o = obs(MetricsSystem::Prometheus);
    let v = Service::named("check\"out\\");
    assert_eq!(
        metrics::error_ratio(Some(&o), &v, "5m"),
        "sum(rate(http_requests_total{service=\"check\\\"out\\\\\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{service=\"check\\\"out\\\\\"}[5m]))"
    );
    let mut o2 = obs(MetricsSystem::Prometheus);
    o2.latency_metric = Some("app_latency_seconds".into());
    o2.service_label = Some("app".into());
    assert_eq!(
        metrics::p99_latency(Some(&o2), &Service::named("checkout"), "30m"),
        "histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket{app=\"checkout\"}[30m])))"
    );
    assert_eq!(
        metrics::request_rate(Some(&o), &Service::named("checkout"), "5m]) or vector(1"),
        "sum(rate(http_requests_total{service=\"checkout\"}[5m]))"
    );
}

#[test]
fn datadog_cloudwatch_and_none() {
    let v = Service::named("Checkout API");
    let d = obs(MetricsSystem::Datadog);
    assert_eq!(
        metrics::error_ratio(Some(&d), &v, "5m"),
        "sum(last_5m):sum:trace.<DATADOG_TRACE_OPERATION>.errors{service:checkout_api}.as_count() / sum:trace.<DATADOG_TRACE_OPERATION>.hits{service:checkout_api}.as_count()"
    );
    assert_eq!(
        metrics::p99_latency(Some(&d), &v, "5m"),
        "avg(last_5m):p99:trace.<DATADOG_TRACE_OPERATION>{service:checkout_api} * 1000"
    );
    let c = obs(MetricsSystem::Cloudwatch);
    assert!(
        metrics::error_ratio(Some(&c), &v, "5m").contains(
            "HTTPCode_Target_5XX_Count (Sum), m2 = RequestCount (Sum); expression m1 / m2"
        )
    );
    let mut l = Service::named("fn");
    l.platform = Some(Platform::Lambda);
    assert!(
        metrics::error_ratio(Some(&c), &l, "1h")
            .contains("period 3600 s: m1 = Errors (Sum), m2 = Invocations (Sum)")
    );
    assert!(metrics::error_ratio(None, &v, "5m").starts_with("No metrics system is declared"));
}

#[test]
fn host_that_looks_like_an_option_ends_ssh_option_parsing() {
    let mut ph = Placeholders::default();
    let mut v = full(Platform::Systemd, None);
    v.hosts = vec!["-oProxyCommand=x".into()];
    let a = deploy::rollback(&v, &mut ph);
    assert!(
        a[0].commands[0]
            .render()
            .starts_with("ssh -- -oProxyCommand=x 'ln -sfn")
    );
}

/// Every placeholder that appears in a command is recorded in the registry, for every platform
/// and strategy, with nothing known.
#[test]
fn every_hole_in_a_command_is_registered() {
    let platforms = [
        None,
        Some(Platform::Kubernetes),
        Some(Platform::Helm),
        Some(Platform::ArgoRollouts),
        Some(Platform::ArgoCd),
        Some(Platform::Ecs),
        Some(Platform::Lambda),
        Some(Platform::CloudRun),
        Some(Platform::Systemd),
    ];
    let strategies = [
        None,
        Some(Strategy::Rolling),
        Some(Strategy::BlueGreen),
        Some(Strategy::Canary),
    ];
    let stages = [stage("c", 5.0, 10), stage("f", 100.0, 0)];
    for p in platforms {
        for s in strategies {
            let mut ph = Placeholders::default();
            let v = svc(p, s);
            let mut cmds = deploy::record_current(&v, &mut ph).commands;
            for a in deploy::pre_rollback(&v, &mut ph)
                .into_iter()
                .chain(deploy::rollback(&v, &mut ph))
                .chain(deploy::post_rollback(&v, &mut ph))
            {
                assert!(!a.commands.is_empty(), "{p:?} {s:?} {}", a.title);
                assert!(!a.success.is_empty());
                cmds.extend(a.commands);
                cmds.extend(a.verify);
            }
            cmds.extend(deploy::abort_rollout(&v, &mut ph));
            cmds.push(deploy::health_check(&v, &mut ph));
            let _ = deploy::mechanism_with(&v, &stages, &mut ph);
            let known = tokens(&ph);
            for c in &cmds {
                for h in c.holes() {
                    assert!(
                        known.contains(&format!("<{h}>")),
                        "{p:?} {s:?}: <{h}> in {c}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_hole_registered_for_flags_stores_and_tools() {
    use FlagProviderKind as K;
    let check = |cmds: &[crate::base::shell::Cmd], ph: &Placeholders| {
        let known = tokens(ph);
        for c in cmds {
            for h in c.holes() {
                assert!(known.contains(&format!("<{h}>")), "<{h}> in {c}");
            }
        }
    };
    for k in [
        K::Launchdarkly,
        K::Unleash,
        K::Flagsmith,
        K::Flipt,
        K::Configcat,
        K::Growthbook,
        K::Appconfig,
        K::Configmap,
    ] {
        let mut ph = Placeholders::default();
        let f = FlagChange {
            provider: Some(k),
            ..flag("nc")
        };
        let a = flags::turn_off(None, &f, &mut ph);
        let mut cmds = a.commands.clone();
        cmds.extend(a.verify);
        cmds.extend(flags::set_percent(None, &f, 10.0, &mut ph));
        check(&cmds, &ph);
        assert!(!a.notes.is_empty(), "{k:?} has a caveat");
    }
    for h in [
        None,
        Some(Hosting::SelfHosted),
        Some(Hosting::Rds),
        Some(Hosting::Aurora),
        Some(Hosting::CloudSql),
        Some(Hosting::Other),
    ] {
        for e in [Engine::Postgres, Engine::Mysql, Engine::Mongodb] {
            let mut ph = Placeholders::default();
            let s = DataStore {
                identifier: None,
                database: None,
                region: None,
                ..store(e, h)
            };
            let mut cmds = Vec::new();
            for a in [
                datastores::backup_now(&s, "pre", &mut ph),
                datastores::restore(&s, &mut ph),
            ] {
                assert!(!a.commands.is_empty());
                cmds.extend(a.commands);
                cmds.extend(a.verify);
            }
            cmds.extend(datastores::verify_backup(&s, &mut ph).commands);
            cmds.push(datastores::query(&s, "SELECT 1", &mut ph));
            check(&cmds, &ph);
        }
    }
    use MigrationTool as T;
    for t in [
        T::Flyway,
        T::Liquibase,
        T::Alembic,
        T::Rails,
        T::Django,
        T::GolangMigrate,
        T::Goose,
        T::Dbmate,
        T::Sqlx,
        T::Diesel,
        T::Prisma,
        T::Atlas,
        T::Sqitch,
        T::Knex,
        T::Ecto,
        T::Typeorm,
        T::Sequelize,
        T::EfCore,
        T::Laravel,
        T::Sql,
    ] {
        let mut ph = Placeholders::default();
        let mut c = Change::new(ChangeKind::Migration);
        c.as_migration_mut().unwrap().tool = Some(t);
        let a = migrations::down(t, &c, None, &mut ph);
        let mut cmds = a.commands.clone();
        cmds.extend(a.verify);
        check(&cmds, &ph);
    }
}
