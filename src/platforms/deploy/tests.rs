use crate::base::placeholders::Placeholders;
use crate::model::*;
use crate::platforms::deploy;
use crate::platforms::tests::{full, r, stage, svc, tokens};

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
    // Every registered platform, and none declared.
    let platforms =
        std::iter::once(None).chain(deploy::PLATFORMS.iter().map(|u| Some(u.platform())));
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

/// A platform whose commands drive a Kubernetes cluster (kubectl, or Helm) is in the Kubernetes
/// family, and only those are: the brief reader's precedence and the sections' Kubernetes
/// checks read the family, so a unit added without it would be ranked and planned as a
/// stand-alone platform.
#[test]
fn every_unit_driving_a_kubernetes_cluster_declares_the_kubernetes_family() {
    let strategies = [
        None,
        Some(Strategy::Rolling),
        Some(Strategy::BlueGreen),
        Some(Strategy::Canary),
    ];
    let stages = [stage("c", 5.0, 10), stage("f", 100.0, 0)];
    for u in deploy::PLATFORMS {
        let p = u.platform();
        let mut cmds = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        for s in strategies {
            let mut ph = Placeholders::default();
            let v = full(p, s);
            cmds.extend(deploy::record_current(&v, &mut ph).commands);
            for a in deploy::pre_rollback(&v, &mut ph)
                .into_iter()
                .chain(deploy::rollback(&v, &mut ph))
                .chain(deploy::post_rollback(&v, &mut ph))
            {
                cmds.extend(a.commands);
                cmds.extend(a.verify);
            }
            cmds.extend(deploy::abort_rollout(&v, &mut ph));
            cmds.extend(deploy::restart(&v, &mut ph));
            cmds.push(deploy::health_check(&v, &mut ph));
            lines.extend(
                deploy::mechanism_with(&v, &stages, &mut ph)
                    .into_iter()
                    .flat_map(|m| m.snippet.lines().map(String::from).collect::<Vec<_>>()),
            );
        }
        lines.extend(cmds.iter().map(|c| c.render()));
        let drives_kubernetes = lines
            .iter()
            .any(|l| l.starts_with("kubectl ") || l.starts_with("helm "));
        assert_eq!(
            u.family() == Some(deploy::Family::Kubernetes),
            drives_kubernetes,
            "{p:?}: family {:?}, runs kubectl or helm: {drives_kubernetes}",
            u.family()
        );
        assert_eq!(deploy::family(p), u.family(), "{p:?}");
    }
}

/// Within a family each unit has its own rank, so which of two named platforms wins never
/// depends on the order a brief names them; outside a family nothing refines anything.
#[test]
fn platforms_of_one_family_are_strictly_ranked() {
    for a in deploy::PLATFORMS {
        for b in deploy::PLATFORMS {
            let (pa, pb) = (a.platform(), b.platform());
            let same = a.family().is_some() && a.family() == b.family();
            if same && pa != pb {
                assert_ne!(a.specificity(), b.specificity(), "{pa:?} and {pb:?}");
                assert!(
                    deploy::refines(pa, pb) != deploy::refines(pb, pa),
                    "{pa:?} and {pb:?}"
                );
            } else {
                assert!(!deploy::refines(pa, pb), "{pa:?} refines {pb:?}");
            }
        }
    }
    assert!(deploy::refines(
        Platform::ArgoRollouts,
        Platform::Kubernetes
    ));
    assert!(!deploy::refines(Platform::Kubernetes, Platform::Helm));
}
