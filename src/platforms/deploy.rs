//! Deploy platforms: recording the current revision, rolling back, verifying, what is not reverted,
//! and the platform's own progressive-delivery mechanism.

use super::{Action, fmt_pct, known, mark, mark_name, splice};
use crate::base::parts::{Check, Mechanism, Stage};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word, quote};
use crate::model::{Platform, Service, Strategy};

const RECORD: &str = crate::base::placeholders::AT_DEPLOY;
const LAMBDA_PREV_DESC: &str = "Lambda version number the alias pointed at before the deploy";
const CLOUDRUN_PREV_DESC: &str = "Cloud Run revision serving 100% of traffic before the deploy";
const SYSTEMD_PREV_DESC: &str = "Release directory name that served before the deploy";

/// Commands that write down the currently running (known-good) revision before the deploy.
pub fn record_current(svc: &Service, ph: &mut Placeholders) -> Check {
    let title = format!("Record the running (known-good) revision of {}", svc.name);
    let (commands, expect) = match svc.platform {
        Some(Platform::Kubernetes) => {
            let c = kube(
                Cmd::new("kubectl rollout history").word(deployment(svc)),
                svc,
                ph,
            );
            let rev = k8s_revision(svc, ph);
            (
                vec![c],
                format!("the highest REVISION number listed: it fills {rev} in the rollback step"),
            )
        }
        Some(Platform::Helm) => {
            let c = helm(
                Cmd::new("helm history")
                    .val(svc.resource_name())
                    .lit("--max 5"),
                svc,
                ph,
            );
            let rev = ph.text(
                &helm_rev_name(svc),
                "Helm revision that ran before the deploy",
                RECORD,
            );
            (
                vec![c],
                format!("the REVISION of the row with STATUS deployed: it fills {rev}"),
            )
        }
        Some(Platform::ArgoRollouts) => {
            let c = kube(
                Cmd::new("kubectl argo rollouts get rollout").val(svc.resource_name()),
                svc,
                ph,
            );
            let rev = ph.text(
                &format!("{}_ROLLOUT_REVISION", slug(&svc.name)),
                "Argo Rollouts revision of the stable ReplicaSet before the deploy",
                RECORD,
            );
            (
                vec![c],
                format!("the revision number of the ReplicaSet marked stable: it fills {rev}"),
            )
        }
        Some(Platform::ArgoCd) => {
            let c = Cmd::new("argocd app history").word(argocd_app(svc, ph));
            let id = argocd_history_id(svc);
            let id = ph.text(
                &id,
                "Argo CD history ID of the last sync before the deploy",
                RECORD,
            );
            (
                vec![c],
                format!(
                    "the ID of the newest row (the synced known-good revision): it fills {id}; also note the deploy commit once it is merged"
                ),
            )
        }
        Some(Platform::Ecs) => {
            let c = aws(
                Cmd::new("aws ecs describe-services")
                    .opt("--cluster", ecs_cluster(svc, ph))
                    .opt("--services", Word::val(svc.resource_name()))
                    .opt("--query", Word::val("services[0].taskDefinition"))
                    .lit("--output text"),
                svc,
                ph,
            );
            let arn = ph.text(
                &format!("{}_PREVIOUS_TASK_DEF_ARN", slug(&svc.name)),
                "Full ARN of the task definition that ran before the deploy",
                RECORD,
            );
            (
                vec![c],
                format!(
                    "the task definition ARN: it fills {arn}, the target of every ECS rollback command"
                ),
            )
        }
        Some(Platform::Lambda) => {
            let c = aws(
                Cmd::new("aws lambda get-alias")
                    .opt("--function-name", Word::val(svc.resource_name()))
                    .opt("--name", Word::val(alias(svc))),
                svc,
                ph,
            );
            let v = ph.text(&lambda_prev_name(svc), LAMBDA_PREV_DESC, RECORD);
            let expect = format!("FunctionVersion is the version to return to: it fills {v}");
            (vec![c], expect)
        }
        Some(Platform::CloudRun) => {
            let c = gcloud(
                Cmd::new("gcloud run services describe")
                    .val(svc.resource_name())
                    .opt("--format", Word::val("value(status.traffic)")),
                svc,
                ph,
            );
            let v = ph.text(&cloudrun_prev_name(svc), CLOUDRUN_PREV_DESC, RECORD);
            (
                vec![c],
                format!("the revision name that serves 100% of traffic: it fills {v}"),
            )
        }
        Some(Platform::Systemd) => {
            let dir = deploy_dir(svc, ph);
            let remote = format!("readlink -f {}", quote(&format!("{dir}/current")));
            let cmds = hosts(svc, ph)
                .into_iter()
                .map(|h| ssh(h).word(splice(&remote)))
                .collect();
            let v = ph.text(&systemd_prev_name(svc), SYSTEMD_PREV_DESC, RECORD);
            (
                cmds,
                format!("the release directory the current link points at: its name fills {v}"),
            )
        }
        None => {
            let v = ph.text(
                &redeploy_name(svc),
                "Command that redeploys the previous version (platform not declared)",
                "architecture.services[].platform",
            );
            (
                Vec::new(),
                format!(
                    "the version serving {} now and the command that redeploys it: it fills {v}",
                    svc.name
                ),
            )
        }
    };
    Check {
        queries: Vec::new(),
        title,
        commands,
        expect,
    }
}

/// Steps needed before any rollback of this service (e.g. turning off Argo CD auto-sync).
pub fn pre_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    if known(svc.argocd_app.as_deref()).is_none() && svc.platform != Some(Platform::ArgoCd) {
        return Vec::new();
    }
    let app = argocd_app(svc, ph);
    vec![
        Action::new(
            format!("Turn off Argo CD auto-sync for {}", svc.name),
            &svc.name,
        )
        .cmd(Cmd::new("argocd app set").word(app.clone()).lit("--sync-policy none"))
        .verify(Cmd::new("argocd app get").word(app))
        .success("Sync Policy shows <none> (manual)")
        .minutes(1)
        .note("With auto-sync and self-heal on, Argo CD undoes a manual rollback within seconds; `argocd app rollback` refuses to run while auto-sync is enabled."),
    ]
}

/// The rollback itself: a traffic switch for blue-green and canary, else a redeploy of the
/// previous version. The target is always the identifier the platform's own command takes, as
/// recorded by [`record_current`] before the deploy, never the release label `previous_version`.
pub fn rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    let name = svc.name.as_str();
    let progressive = matches!(svc.strategy, Some(Strategy::BlueGreen | Strategy::Canary));
    match svc.platform {
        Some(Platform::Kubernetes) => {
            let rev = k8s_revision(svc, ph);
            let undo = kube(
                Cmd::new("kubectl rollout undo").word(deployment(svc)),
                svc,
                ph,
            )
            .opt_eq("--to-revision", Word::hole(rev.trim_matches(['<', '>'])));
            let mut a = Action::new(format!("Roll back {name} to the previous Deployment revision"), name)
                .cmd(undo)
                .verify(k8s_status(svc, ph))
                .success("`rollout status` reports the deployment successfully rolled out, and the health check passes")
                .minutes(rolling_minutes(svc))
                .note("`rollout undo` restores the pod template only: ConfigMaps, Secrets and the replica count stay as they are.");
            if progressive {
                a = a.note("A blue-green or canary switch on plain Deployments lives outside Kubernetes (Service selector, ingress weights): switch it back first.");
            }
            vec![a]
        }
        Some(Platform::Helm) => {
            let rev = ph.hole(
                &helm_rev_name(svc),
                "Helm revision that ran before the deploy",
                RECORD,
            );
            let c = helm(
                Cmd::new("helm rollback").val(svc.resource_name()).word(rev),
                svc,
                ph,
            )
            .lit("--wait --timeout 10m");
            let status = helm(Cmd::new("helm status").val(svc.resource_name()), svc, ph);
            let hist = helm(
                Cmd::new("helm history")
                    .val(svc.resource_name())
                    .lit("--max 3"),
                svc,
                ph,
            );
            vec![
                Action::new(format!("Roll back Helm release {}", svc.resource_name()), name)
                    .cmd(c)
                    .verify(status)
                    .verify(hist)
                    .success("`helm status` shows STATUS deployed and the newest history row says \"Rollback to\" the recorded revision")
                    .minutes(rolling_minutes(svc))
                    .note("Helm rollback never touches CRDs and cannot shrink PVCs; hooks come from the older chart."),
            ]
        }
        Some(Platform::ArgoRollouts) => {
            let rname = svc.resource_name();
            let abort = kube(Cmd::new("kubectl argo rollouts abort").val(rname), svc, ph);
            let get = kube(
                Cmd::new("kubectl argo rollouts get rollout").val(rname),
                svc,
                ph,
            );
            let rev = ph.hole(
                &format!("{}_ROLLOUT_REVISION", slug(name)),
                "Argo Rollouts revision of the stable ReplicaSet before the deploy",
                RECORD,
            );
            let undo = kube(Cmd::new("kubectl argo rollouts undo").val(rname), svc, ph)
                .opt_eq("--to-revision", rev);
            let status = kube(Cmd::new("kubectl argo rollouts status").val(rname), svc, ph)
                .lit("--timeout 10m");
            vec![
                Action::new(format!("Abort the rollout of {name}: traffic back to stable"), name)
                    .cmd(abort)
                    .verify(get)
                    .success("Status Degraded (aborted); all traffic on the stable ReplicaSet, canary or preview weight 0")
                    .minutes(1)
                    .note("Abort moves traffic only; spec.template still holds the new version until the undo below."),
                Action::new(format!("Undo the Rollout spec of {name} to the stable revision"), name)
                    .cmd(undo)
                    .verify(status)
                    .success("`status` reports Healthy on the stable revision")
                    .minutes(2)
                    .note("Returning to the stable ReplicaSet's template skips the canary steps. ConfigMaps and Secrets are not reverted."),
            ]
        }
        Some(Platform::ArgoCd) => {
            let app = argocd_app(svc, ph);
            let id = ph.hole(
                &argocd_history_id(svc),
                "Argo CD history ID of the last sync before the deploy",
                RECORD,
            );
            vec![
                Action::new(format!("Roll back Argo CD application of {name}"), name)
                    .cmd(Cmd::new("argocd app rollback").word(app.clone()).word(id))
                    .verify(
                        Cmd::new("argocd app wait")
                            .word(app)
                            .lit("--health --timeout 600"),
                    )
                    .success("the application is Healthy at the recorded history ID (it shows OutOfSync until Git is reverted)")
                    .minutes(rolling_minutes(svc))
                    .note("Needs auto-sync off first (the step above that turns it off)."),
            ]
        }
        Some(Platform::Ecs) => ecs_rollback(svc, progressive, ph),
        Some(Platform::Lambda) => {
            let mut out = Vec::new();
            if known(svc.codedeploy_app.as_deref()).is_some() {
                out.push(codedeploy_stop(svc, ph));
            }
            // The alias takes a Lambda version number (or alias), never the release label of
            // `previous_version`: the number recorded by Go / No-Go is the only safe source.
            // https://docs.aws.amazon.com/cli/latest/reference/lambda/update-alias.html
            let v = ph.hole(&lambda_prev_name(svc), LAMBDA_PREV_DESC, RECORD);
            let c = aws(
                lambda_alias(svc)
                    .opt("--function-version", v)
                    .lit("--routing-config AdditionalVersionWeights={}"),
                svc,
                ph,
            );
            out.push(
                Action::new(format!("Point alias {} of {name} back to the previous version", alias(svc)), name)
                    .cmd(c)
                    .verify(lambda_get_alias(svc, ph))
                    .success("FunctionVersion is the previous version and RoutingConfig is empty")
                    .minutes(1)
                    .note("The alias switch is instant for new invocations; in-flight invocations finish on the new version.")
                    .note("Published versions are immutable, so the old version brings back its own code and environment; shared layers, event source mappings and permissions changed with the deploy stay."),
            );
            out
        }
        Some(Platform::CloudRun) => {
            // `--to-revisions` takes revision names (`REVISION=PERCENT`), recorded by Go / No-Go.
            // https://cloud.google.com/sdk/gcloud/reference/run/services/update-traffic
            let v = mark(&ph.hole(&cloudrun_prev_name(svc), CLOUDRUN_PREV_DESC, RECORD));
            let c = gcloud(
                Cmd::new("gcloud run services update-traffic")
                    .val(svc.resource_name())
                    .word(Word::lit("--to-revisions=").then(splice(&format!("{v}=100")))),
                svc,
                ph,
            );
            vec![
                Action::new(format!("Send all traffic of {name} to the previous revision"), name)
                    .cmd(c)
                    .verify(cloudrun_describe(svc, ph))
                    .success("status.traffic lists the previous revision at percent 100")
                    .minutes(2)
                    .note("The service stays pinned to that revision: later deploys get no traffic until `update-traffic --to-latest`."),
            ]
        }
        Some(Platform::Systemd) => {
            let dir = deploy_dir(svc, ph);
            // The release directory name is whatever `current` pointed at, recorded by Go / No-Go;
            // it need not be the version label.
            let release = mark(&ph.hole(&systemd_prev_name(svc), SYSTEMD_PREV_DESC, RECORD));
            let unit = svc.resource_name();
            let remote = format!(
                "ln -sfn {} {} && sudo systemctl restart {}",
                quote(&format!("{dir}/releases/{release}")),
                quote(&format!("{dir}/current")),
                quote(unit)
            );
            let check = format!(
                "systemctl is-active {} && readlink -f {}",
                quote(unit),
                quote(&format!("{dir}/current"))
            );
            let hs = hosts(svc, ph);
            let n = hs.len() as u32;
            let mut a = Action::new(
                format!("Switch {name} back to the previous release on each host"),
                name,
            );
            for h in &hs {
                a = a.cmd(ssh(h.clone()).word(splice(&remote)));
            }
            for h in hs {
                a = a.verify(ssh(h).word(splice(&check)));
            }
            vec![
                a.success("each host prints `active` and the previous release directory")
                    .minutes((1 + n / 2).clamp(2, 15))
                    .note(
                        "Hosts switch one by one: during the switch both versions serve traffic.",
                    ),
            ]
        }
        None => {
            let r = ph.hole(
                &redeploy_name(svc),
                "Command that redeploys the previous version (platform not declared)",
                "architecture.services[].platform",
            );
            vec![
                Action::new(format!("Redeploy the previous version of {name}"), name)
                    .cmd(Cmd::default().word(r))
                    .verify(health_check(svc, ph))
                    .success("the previous version serves all traffic and the health check passes")
                    .minutes(rolling_minutes(svc))
                    .note("The platform is not declared, so rollbook cannot write the exact command: set architecture.services[].platform."),
            ]
        }
    }
}

/// Steps after the rollback (e.g. re-enabling auto-sync once Git holds the old version).
pub fn post_rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    if known(svc.argocd_app.as_deref()).is_none() && svc.platform != Some(Platform::ArgoCd) {
        return Vec::new();
    }
    let app = argocd_app(svc, ph);
    let commit = ph.hole(
        &format!("{}_DEPLOY_COMMIT", slug(&svc.name)),
        "Commit in the config repository that shipped the deploy",
        "the merged deploy commit",
    );
    vec![
        Action::new(format!("Revert the deploy commit of {} in the config repository", svc.name), &svc.name)
            .cmd(Cmd::new("git revert --no-edit").word(commit))
            .cmd(Cmd::new("git push"))
            .verify(Cmd::new("argocd app diff").word(app.clone()))
            .success("`argocd app diff` shows no difference: Git now holds the known-good version")
            .minutes(3)
            .note("Until Git holds the old version, turning auto-sync back on would redeploy the bad version."),
        Action::new(format!("Turn Argo CD auto-sync back on for {}", svc.name), &svc.name)
            .cmd(Cmd::new("argocd app set").word(app.clone()).lit("--sync-policy automated --self-heal"))
            .verify(Cmd::new("argocd app get").word(app))
            .success("Sync Policy Automated, Sync Status Synced, Health Healthy")
            .minutes(1)
            .note("Add --auto-prune if the application pruned automatically before."),
    ]
}

/// Command that aborts an in-progress rollout (no-go trigger fired midway).
pub fn abort_rollout(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    let progressive = matches!(svc.strategy, Some(Strategy::BlueGreen | Strategy::Canary));
    match svc.platform? {
        // Undo without a revision returns to the previous one; a paused Deployment cannot be undone.
        Platform::Kubernetes => Some(kube(
            Cmd::new("kubectl rollout undo").word(deployment(svc)),
            svc,
            ph,
        )),
        Platform::Helm => Some(
            helm(Cmd::new("helm rollback").val(svc.resource_name()), svc, ph)
                .lit("--wait --timeout 10m"),
        ),
        Platform::ArgoRollouts => Some(kube(
            Cmd::new("kubectl argo rollouts abort").val(svc.resource_name()),
            svc,
            ph,
        )),
        Platform::ArgoCd => Some(Cmd::new("argocd app terminate-op").word(argocd_app(svc, ph))),
        Platform::Ecs if progressive => Some(codedeploy_stop_cmd(svc, ph)),
        Platform::Ecs => Some(ecs_update_back(svc, ph)),
        Platform::Lambda => Some(aws(
            lambda_alias(svc).lit("--routing-config AdditionalVersionWeights={}"),
            svc,
            ph,
        )),
        Platform::CloudRun => rollback(svc, ph)
            .into_iter()
            .next()?
            .commands
            .into_iter()
            .next(),
        Platform::Systemd => None,
    }
}

/// A health check of the service's health endpoint.
pub fn health_check(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let url = ph.val_or(
        svc.health_endpoint.as_deref(),
        &format!("{}_HEALTH_URL", slug(&svc.name)),
        &format!("Health endpoint URL of {}", svc.name),
        "architecture.services[].health_endpoint",
    );
    Cmd::new("curl -fsS --max-time 5").word(url)
}

/// Restarts the instances of a service without changing its version, so processes that read
/// config only at start pick up reverted values. `None` where config is part of the version
/// (Lambda, Cloud Run: a new version or revision is needed).
/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_restart/
/// https://argo-rollouts.readthedocs.io/en/stable/generated/kubectl-argo-rollouts/kubectl-argo-rollouts_restart/
/// https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html (--force-new-deployment)
pub fn restart(svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
    match svc.platform? {
        Platform::Kubernetes | Platform::Helm | Platform::ArgoCd => Some(kube(
            Cmd::new("kubectl rollout restart").word(deployment(svc)),
            svc,
            ph,
        )),
        Platform::ArgoRollouts => Some(kube(
            Cmd::new("kubectl argo rollouts restart").val(svc.resource_name()),
            svc,
            ph,
        )),
        Platform::Ecs => Some(aws(
            Cmd::new("aws ecs update-service")
                .opt("--cluster", ecs_cluster(svc, ph))
                .opt("--service", Word::val(svc.resource_name()))
                .lit("--force-new-deployment"),
            svc,
            ph,
        )),
        Platform::Systemd => {
            let remote = format!("sudo systemctl restart {}", quote(svc.resource_name()));
            let hs = hosts(svc, ph);
            let first = hs.into_iter().next()?;
            Some(ssh(first).word(splice(&remote)))
        }
        Platform::Lambda | Platform::CloudRun => None,
    }
}

/// What a rollback on this platform does not revert.
pub fn not_reverted(svc: &Service) -> Vec<String> {
    let out: Vec<&str> = match svc.platform {
        Some(Platform::Kubernetes) => vec![
            "ConfigMap and Secret contents (a Deployment rollback restores the pod template only)",
            "the replica count and HPA settings",
            "the kubectl last-applied-configuration annotation",
        ],
        Some(Platform::Helm) => vec![
            "CRDs in the chart's crds/ directory (Helm never upgrades or deletes them)",
            "PersistentVolumeClaims that grew (they cannot shrink) and immutable fields (the rollback fails on them)",
            "partial changes left by a failed upgrade",
        ],
        Some(Platform::ArgoRollouts) => vec![
            "ConfigMap and Secret contents",
            "AnalysisRun results and experiments already run",
        ],
        Some(Platform::ArgoCd) => vec![
            "the Git repository: it still holds the new version until the deploy commit is reverted",
            "ConfigMap and Secret contents outside the synced manifests",
        ],
        Some(Platform::Ecs) => vec![
            "SSM Parameter Store and Secrets Manager values the task definition references",
            "load balancer, target group and service settings changed outside the task definition",
        ],
        Some(Platform::Lambda) => vec![
            "environment variables and layers of $LATEST and of shared layer versions",
            "event source mappings, permissions and concurrency settings changed with the deploy",
        ],
        Some(Platform::CloudRun) => vec![
            "secrets referenced as `latest` in Secret Manager",
            "service-level settings (ingress, IAM, domain mappings) changed with the deploy",
        ],
        Some(Platform::Systemd) => vec![
            "the .env file and shared directories outside releases/",
            "systemd unit file changes (need `systemctl daemon-reload` of the old unit)",
        ],
        None => vec!["anything beyond the application artifact (platform not declared)"],
    };
    out.into_iter().map(String::from).collect()
}

/// The platform's own mechanism for the given stages, when it has one.
pub fn mechanism(svc: &Service, stages: &[Stage]) -> Option<Mechanism> {
    let mut ph = Placeholders::default();
    mechanism_with(svc, stages, &mut ph)
}

/// As [`mechanism`], recording the placeholders of the snippet in `ph`.
pub fn mechanism_with(svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Mechanism> {
    let p = slug(&svc.name);
    let (name, snippet, language) = match svc.platform? {
        Platform::ArgoRollouts if svc.strategy == Some(Strategy::BlueGreen) => {
            let bake: u32 = stages.iter().map(|s| s.bake_minutes).sum();
            let delay = (bake.saturating_mul(60)).max(1800);
            let active = ph.text(
                &format!("{p}_ACTIVE_SERVICE"),
                "Kubernetes Service that takes production traffic",
                "the Rollout's activeService",
            );
            let preview = ph.text(
                &format!("{p}_PREVIEW_SERVICE"),
                "Kubernetes Service for the preview (green) version",
                "the Rollout's previewService",
            );
            let tpl = analysis_template(svc, ph);
            let snippet = format!(
                "strategy:\n  blueGreen:\n    activeService: {active}\n    previewService: {preview}\n    autoPromotionEnabled: false\n    # keeps the old ReplicaSet for the whole bake: the instant-rollback window\n    scaleDownDelaySeconds: {delay}\n    prePromotionAnalysis:\n      templates:\n        - templateName: {tpl}\n"
            );
            ("Argo Rollouts blue-green".to_string(), snippet, "yaml")
        }
        Platform::ArgoRollouts => {
            let tpl = analysis_template(svc, ph);
            let mut s = String::from("strategy:\n  canary:\n    steps:\n");
            for st in stages
                .iter()
                .filter(|s| s.traffic_percent > 0.0 && s.traffic_percent < 100.0)
            {
                let w = st.traffic_percent.clamp(1.0, 99.0).round() as u32;
                s.push_str(&format!("      - setWeight: {w}\n"));
                s.push_str(&format!(
                    "      - analysis:\n          templates:\n            - templateName: {tpl}\n"
                ));
                if st.bake_minutes > 0 {
                    s.push_str(&format!(
                        "      - pause: {{duration: {}m}}\n",
                        st.bake_minutes
                    ));
                } else {
                    s.push_str("      - pause: {}\n");
                }
            }
            ("Argo Rollouts canary steps".to_string(), s, "yaml")
        }
        Platform::Ecs if matches!(svc.strategy, Some(Strategy::BlueGreen | Strategy::Canary)) => {
            let cfg = ecs_deploy_config(stages);
            let c = aws(
                Cmd::new("aws deploy update-deployment-group")
                    .opt("--application-name", codedeploy_app(svc, ph))
                    .opt("--current-deployment-group-name", codedeploy_group(svc, ph))
                    .opt("--deployment-config-name", Word::lit(cfg)),
                svc,
                ph,
            );
            (
                format!("CodeDeploy deployment configuration {cfg}"),
                format!("{c}\n"),
                "shell",
            )
        }
        Platform::Ecs => {
            let c = aws(Cmd::new("aws ecs update-service")
                    .opt("--cluster", ecs_cluster(svc, ph))
                    .opt("--service", Word::val(svc.resource_name()))
                    .opt(
                        "--deployment-configuration",
                        Word::val("deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100"),
                    ), svc, ph);
            (
                "ECS rolling update with circuit breaker and rollback".to_string(),
                format!("{c}\n"),
                "shell",
            )
        }
        Platform::Lambda => {
            let new = mark(&ph.hole(
                &format!("{p}_NEW_LAMBDA_VERSION"),
                "Lambda version published by this deploy",
                "deployment.version",
            ));
            let mut s = String::new();
            for st in stages {
                let c = if st.traffic_percent >= 100.0 {
                    aws(
                        lambda_alias(svc)
                            .opt("--function-version", splice(&new))
                            .lit("--routing-config AdditionalVersionWeights={}"),
                        svc,
                        ph,
                    )
                } else {
                    let w =
                        (st.traffic_percent.clamp(0.0, 100.0) / 100.0 * 10000.0).round() / 10000.0;
                    let body = format!("AdditionalVersionWeights={{\"{new}\"={w}}}");
                    aws(
                        lambda_alias(svc).opt("--routing-config", splice(&body)),
                        svc,
                        ph,
                    )
                };
                s.push_str(&format!(
                    "# {}: {}% for {} min\n{c}\n",
                    st.name,
                    fmt_pct(st.traffic_percent),
                    st.bake_minutes
                ));
            }
            ("Lambda alias weighted routing".to_string(), s, "shell")
        }
        Platform::CloudRun => {
            let new = mark(&ph.hole(
                &format!("{p}_NEW_REVISION"),
                "Cloud Run revision created by this deploy",
                "deployment.version",
            ));
            let old = mark(&ph.hole(&cloudrun_prev_name(svc), CLOUDRUN_PREV_DESC, RECORD));
            let mut s = String::new();
            for st in stages {
                let pct = st.traffic_percent.clamp(0.0, 100.0).round() as u32;
                let split = if pct >= 100 {
                    format!("{new}=100")
                } else {
                    format!("{new}={pct},{old}={}", 100 - pct)
                };
                let c = gcloud(
                    Cmd::new("gcloud run services update-traffic")
                        .val(svc.resource_name())
                        .word(Word::lit("--to-revisions=").then(splice(&split))),
                    svc,
                    ph,
                );
                s.push_str(&format!(
                    "# {}: {pct}% for {} min\n{c}\n",
                    st.name, st.bake_minutes
                ));
            }
            ("Cloud Run traffic split".to_string(), s, "shell")
        }
        Platform::Kubernetes | Platform::Helm => {
            let pause = kube(
                Cmd::new("kubectl rollout pause").word(deployment(svc)),
                svc,
                ph,
            );
            let resume = kube(
                Cmd::new("kubectl rollout resume").word(deployment(svc)),
                svc,
                ph,
            );
            let first = stages.first().map(|s| s.bake_minutes).unwrap_or(0);
            let snippet = format!(
                "# Deployment spec: one new pod at a time, never below full capacity\nstrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 0\n# once the first new pods are Ready, hold the rollout for the bake ({first} min):\n{pause}\n# watch the triggers, then continue:\n{resume}\n"
            );
            (
                "Kubernetes rolling update with pause/resume".to_string(),
                snippet,
                "yaml",
            )
        }
        Platform::ArgoCd | Platform::Systemd => return None,
    };
    Some(Mechanism {
        service: svc.name.clone(),
        name,
        snippet,
        language: language.to_string(),
    })
}

// ---- helpers ----

fn ecs_deploy_config(stages: &[Stage]) -> &'static str {
    let partial: Vec<&Stage> = stages
        .iter()
        .filter(|s| s.traffic_percent > 0.0 && s.traffic_percent < 100.0)
        .collect();
    let bake = partial.first().map(|s| s.bake_minutes).unwrap_or(0);
    match partial.len() {
        0 => "CodeDeployDefault.ECSAllAtOnce",
        1 if bake > 5 => "CodeDeployDefault.ECSCanary10Percent15Minutes",
        1 => "CodeDeployDefault.ECSCanary10Percent5Minutes",
        _ if bake > 1 => "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
        _ => "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    }
}

fn analysis_template(svc: &Service, ph: &mut Placeholders) -> String {
    ph.text(
        &format!("{}_ANALYSIS_TEMPLATE", slug(&svc.name)),
        "AnalysisTemplate that checks the trigger thresholds",
        "an AnalysisTemplate in the cluster",
    )
}

fn ecs_rollback(svc: &Service, progressive: bool, ph: &mut Placeholders) -> Vec<Action> {
    let name = svc.name.as_str();
    if !progressive {
        return vec![
            Action::new(format!("Redeploy the previous task definition of {name}"), name)
                .cmd(ecs_update_back(svc, ph).lit("--force-new-deployment"))
                .verify(ecs_wait(svc, ph))
                .verify(ecs_describe(svc, ph))
                .success("`wait services-stable` returns and the service's taskDefinition is the recorded ARN")
                .minutes((5 + svc.replicas.unwrap_or(0) / 4).min(20))
                .note("`wait services-stable` gives up after 10 minutes; run it again if tasks are still draining.")
                .note("The old task definition brings back its image and environment, but SSM Parameter Store and Secrets Manager values it references stay at their current contents."),
        ];
    }
    let arn = mark(&ph.hole(
        &format!("{}_PREVIOUS_TASK_DEF_ARN", slug(name)),
        "Full ARN of the task definition that ran before the deploy",
        RECORD,
    ));
    let container = mark(&ph.hole(
        &format!("{}_CONTAINER_NAME", slug(name)),
        "Container that receives load-balancer traffic (AppSpec LoadBalancerInfo)",
        "the service's AppSpec",
    ));
    let port_name = format!("{}_CONTAINER_PORT", slug(name));
    let port = ph.hole(
        &port_name,
        "Container port behind the load balancer",
        "the service's AppSpec",
    );
    let appspec = serde_json::json!({
        "version": 0.0,
        "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
            "TaskDefinition": arn,
            "LoadBalancerInfo": {"ContainerName": container, "ContainerPort": mark(&port)}
        }}}]
    })
    .to_string()
    // The port is a number in the AppSpec: drop the JSON quotes around its placeholder.
    .replace(
        &format!("\"{}\"", mark_name(&port_name)),
        &mark_name(&port_name),
    );
    let revision = serde_json::json!({
        "revisionType": "AppSpecContent",
        "appSpecContent": {"content": appspec}
    })
    .to_string();
    let redeploy = aws(
        Cmd::new("aws deploy create-deployment")
            .opt("--application-name", codedeploy_app(svc, ph))
            .opt("--deployment-group-name", codedeploy_group(svc, ph))
            .opt("--revision", splice(&revision)),
        svc,
        ph,
    );
    vec![
        codedeploy_stop(svc, ph),
        Action::new(format!("Only if the CodeDeploy deployment of {name} already finished: deploy the previous task definition"), name)
            .cmd(redeploy)
            .verify(ecs_wait(svc, ph))
            .verify(ecs_describe(svc, ph))
            .success("a new deployment completes and the service's taskDefinition is the recorded ARN")
            .minutes((5 + svc.replicas.unwrap_or(0) / 4).min(20))
            .note("Skip this step when the stop above succeeded. The new deployment follows the group's deployment configuration, so a canary config shifts traffic slowly."),
    ]
}

fn codedeploy_stop_cmd(svc: &Service, ph: &mut Placeholders) -> Cmd {
    let id = codedeploy_id(svc, ph);
    aws(
        Cmd::new("aws deploy stop-deployment")
            .opt("--deployment-id", id)
            .lit("--auto-rollback-enabled"),
        svc,
        ph,
    )
}

fn codedeploy_stop(svc: &Service, ph: &mut Placeholders) -> Action {
    let id = codedeploy_id(svc, ph);
    let get = aws(
        Cmd::new("aws deploy get-deployment")
            .opt("--deployment-id", id)
            .opt("--query", Word::val("deploymentInfo.[status,rollbackInfo]")),
        svc,
        ph,
    );
    Action::new(
        format!("Stop the CodeDeploy deployment of {} with automatic rollback", svc.name),
        &svc.name,
    )
    .cmd(codedeploy_stop_cmd(svc, ph))
    .verify(get)
    .success("status Stopped, and a rollback deployment that moves traffic back to the original task set or version")
    .minutes(2)
    .note("Works only while the deployment is in progress (including its wait before the original is terminated).")
}

fn codedeploy_id(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_CODEDEPLOY_DEPLOYMENT_ID", slug(&svc.name)),
        "CodeDeploy deployment id of this deploy (d-XXXXXXXXX)",
        "the deploy's CodeDeploy output",
    )
}

fn codedeploy_app(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.codedeploy_app.as_deref(),
        &format!("{}_CODEDEPLOY_APP", slug(&svc.name)),
        "CodeDeploy application",
        "architecture.services[].codedeploy_app",
    )
}

fn codedeploy_group(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.codedeploy_group.as_deref(),
        &format!("{}_CODEDEPLOY_GROUP", slug(&svc.name)),
        "CodeDeploy deployment group",
        "architecture.services[].codedeploy_group",
    )
}

fn ecs_update_back(svc: &Service, ph: &mut Placeholders) -> Cmd {
    // `--task-definition` takes `family:revision` or the full ARN: the ARN recorded by Go / No-Go
    // is the one value both the rolling and the CodeDeploy paths use.
    // https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html
    let arn = ph.hole(
        &format!("{}_PREVIOUS_TASK_DEF_ARN", slug(&svc.name)),
        "Full ARN of the task definition that ran before the deploy",
        RECORD,
    );
    aws(
        Cmd::new("aws ecs update-service")
            .opt("--cluster", ecs_cluster(svc, ph))
            .opt("--service", Word::val(svc.resource_name()))
            .opt("--task-definition", arn),
        svc,
        ph,
    )
}

fn ecs_wait(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws ecs wait services-stable")
            .opt("--cluster", ecs_cluster(svc, ph))
            .opt("--services", Word::val(svc.resource_name())),
        svc,
        ph,
    )
}

fn ecs_describe(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws ecs describe-services")
            .opt("--cluster", ecs_cluster(svc, ph))
            .opt("--services", Word::val(svc.resource_name()))
            .opt(
                "--query",
                Word::val("services[0].[taskDefinition,runningCount,desiredCount]"),
            )
            .lit("--output text"),
        svc,
        ph,
    )
}

fn ecs_cluster(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.cluster.as_deref(),
        &format!("{}_ECS_CLUSTER", slug(&svc.name)),
        "ECS cluster",
        "architecture.services[].cluster",
    )
}

fn alias(svc: &Service) -> &str {
    known(svc.alias.as_deref()).unwrap_or("live")
}

fn lambda_alias(svc: &Service) -> Cmd {
    Cmd::new("aws lambda update-alias")
        .opt("--function-name", Word::val(svc.resource_name()))
        .opt("--name", Word::val(alias(svc)))
}

fn lambda_get_alias(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws lambda get-alias")
            .opt("--function-name", Word::val(svc.resource_name()))
            .opt("--name", Word::val(alias(svc))),
        svc,
        ph,
    )
}

fn cloudrun_describe(svc: &Service, ph: &mut Placeholders) -> Cmd {
    gcloud(
        Cmd::new("gcloud run services describe")
            .val(svc.resource_name())
            .opt("--format", Word::val("value(status.traffic)")),
        svc,
        ph,
    )
}

fn k8s_status(svc: &Service, ph: &mut Placeholders) -> Cmd {
    kube(
        Cmd::new("kubectl rollout status").word(deployment(svc)),
        svc,
        ph,
    )
    .lit("--timeout=10m")
}

/// `deployment/NAME`, or `statefulset/NAME` / `daemonset/NAME` for those workloads.
fn deployment(svc: &Service) -> Word {
    let kind = svc.workload.map(|w| w.as_str()).unwrap_or("deployment");
    Word::lit(format!("{kind}/")).then(Word::val(svc.resource_name()))
}

fn namespace(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.namespace.as_deref(),
        &format!("{}_NAMESPACE", slug(&svc.name)),
        &format!("Kubernetes namespace of {}", svc.name),
        "architecture.services[].namespace",
    )
}

/// kubectl (and its argo-rollouts plugin): `-n` and, when known, `--context`.
fn kube(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let c = c.opt("-n", namespace(svc, ph));
    match known(svc.cluster.as_deref()) {
        Some(ctx) => c.opt("--context", Word::val(ctx)),
        None => c,
    }
}

fn helm(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let c = c.opt("-n", namespace(svc, ph));
    match known(svc.cluster.as_deref()) {
        Some(ctx) => c.opt("--kube-context", Word::val(ctx)),
        None => c,
    }
}

fn region(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.region.as_deref(),
        &format!("{}_REGION", slug(&svc.name)),
        &format!("Cloud region of {}", svc.name),
        "architecture.services[].region",
    )
}

fn aws(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    c.opt("--region", region(svc, ph))
}

fn gcloud(c: Cmd, svc: &Service, ph: &mut Placeholders) -> Cmd {
    let r = region(svc, ph);
    let p = ph.val_or(
        svc.project.as_deref(),
        &format!("{}_GCP_PROJECT", slug(&svc.name)),
        &format!("GCP project of {}", svc.name),
        "architecture.services[].project",
    );
    c.opt("--region", r).opt("--project", p)
}

fn argocd_app(svc: &Service, ph: &mut Placeholders) -> Word {
    match known(svc.argocd_app.as_deref()) {
        Some(a) => Word::val(a),
        None if svc.platform == Some(Platform::ArgoCd) => Word::val(svc.resource_name()),
        None => ph.hole(
            &format!("{}_ARGOCD_APP", slug(&svc.name)),
            "Argo CD application",
            "architecture.services[].argocd_app",
        ),
    }
}

fn deploy_dir(svc: &Service, ph: &mut Placeholders) -> String {
    match known(svc.deploy_dir.as_deref()) {
        Some(d) => {
            let t = d.trim_end_matches('/');
            if t.is_empty() {
                d.to_string()
            } else {
                t.to_string()
            }
        }
        None => mark(&ph.hole(
            &format!("{}_DEPLOY_DIR", slug(&svc.name)),
            "Base directory holding releases/ and the current link",
            "architecture.services[].deploy_dir",
        )),
    }
}

fn hosts(svc: &Service, ph: &mut Placeholders) -> Vec<Word> {
    let hs: Vec<Word> = svc
        .hosts
        .iter()
        .filter(|h| !h.trim().is_empty())
        .map(|h| Word::val(h.as_str()))
        .collect();
    if hs.is_empty() {
        vec![ph.hole(
            &format!("{}_HOST", slug(&svc.name)),
            &format!("Host running {}", svc.name),
            "architecture.services[].hosts",
        )]
    } else {
        hs
    }
}

fn k8s_revision(svc: &Service, ph: &mut Placeholders) -> String {
    ph.text(
        &format!("{}_REVISION", slug(&svc.name)),
        "Deployment revision that ran before the deploy (kubectl rollout history)",
        RECORD,
    )
}

fn helm_rev_name(svc: &Service) -> String {
    format!("{}_HELM_REVISION", slug(&svc.name))
}
fn lambda_prev_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_LAMBDA_VERSION", slug(&svc.name))
}
fn cloudrun_prev_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_REVISION", slug(&svc.name))
}
fn systemd_prev_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_RELEASE", slug(&svc.name))
}
fn redeploy_name(svc: &Service) -> String {
    format!("{}_REDEPLOY_COMMAND", slug(&svc.name))
}
fn argocd_history_id(svc: &Service) -> String {
    format!("{}_ARGOCD_HISTORY_ID", slug(&svc.name))
}

/// `ssh HOST`; `--` first when the host would read as an option.
fn ssh(host: Word) -> Cmd {
    if host.to_string().starts_with('-') {
        Cmd::new("ssh --").word(host)
    } else {
        Cmd::new("ssh").word(host)
    }
}

fn rolling_minutes(svc: &Service) -> u32 {
    match svc.replicas {
        Some(r) => (3 + r / 4).min(15),
        None => 5,
    }
}
