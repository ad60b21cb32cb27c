//! AWS ECS service: rolling (circuit breaker), or blue-green / canary through CodeDeploy.
//! https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html

use super::common::{
    RECORD, aws, codedeploy_app, codedeploy_group, codedeploy_stop, codedeploy_stop_cmd,
};
use super::{DeployPlatform, Staging, is_progressive};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::{Action, mark, mark_name, splice};

pub struct Ecs;

const PREVIOUS_DESC: &str = "Full ARN of the task definition that ran before the deploy";

impl DeployPlatform for Ecs {
    fn platform(&self) -> Platform {
        Platform::Ecs
    }

    fn words(&self) -> &'static [&'static str] {
        &["ecs", "fargate"]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = aws(
            Cmd::new("aws ecs describe-services")
                .opt("--cluster", cluster(svc, ph))
                .opt("--services", Word::val(svc.resource_name()))
                .opt("--query", Word::val("services[0].taskDefinition"))
                .lit("--output text"),
            svc,
            ph,
        );
        let arn = ph.text(&previous_name(svc), PREVIOUS_DESC, RECORD);
        (
            vec![c],
            format!(
                "the task definition ARN: it fills {arn}, the target of every ECS rollback command"
            ),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        rollback(svc, is_progressive(svc), ph)
    }

    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        if is_progressive(svc) {
            Some(codedeploy_stop_cmd(svc, ph))
        } else {
            Some(update_back(svc, ph))
        }
    }

    // https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html (--force-new-deployment)
    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(aws(
            Cmd::new("aws ecs update-service")
                .opt("--cluster", cluster(svc, ph))
                .opt("--service", Word::val(svc.resource_name()))
                .lit("--force-new-deployment"),
            svc,
            ph,
        ))
    }

    fn workload_status(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(describe(svc, ph))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "SSM Parameter Store and Secrets Manager values the task definition references",
            "load balancer, target group and service settings changed outside the task definition",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        if is_progressive(svc) {
            let cfg = deploy_config(stages);
            let c = aws(
                Cmd::new("aws deploy update-deployment-group")
                    .opt("--application-name", codedeploy_app(svc, ph))
                    .opt("--current-deployment-group-name", codedeploy_group(svc, ph))
                    .opt("--deployment-config-name", Word::lit(cfg)),
                svc,
                ph,
            );
            return Some(Staging {
                name: format!("CodeDeploy deployment configuration {cfg}"),
                snippet: format!("{c}\n"),
                language: "shell",
            });
        }
        let c = aws(Cmd::new("aws ecs update-service")
                .opt("--cluster", cluster(svc, ph))
                .opt("--service", Word::val(svc.resource_name()))
                .opt(
                    "--deployment-configuration",
                    Word::val("deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100"),
                ), svc, ph);
        Some(Staging {
            name: "ECS rolling update with circuit breaker and rollback".to_string(),
            snippet: format!("{c}\n"),
            language: "shell",
        })
    }
}

/// The CodeDeploy predefined configuration closest to the stages.
pub(super) fn deploy_config(stages: &[Stage]) -> &'static str {
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

/// Rolling: redeploy the recorded task definition. Blue-green / canary: stop the CodeDeploy
/// deployment, else deploy the recorded task definition through CodeDeploy.
fn rollback(svc: &Service, progressive: bool, ph: &mut Placeholders) -> Vec<Action> {
    let name = svc.name.as_str();
    if !progressive {
        return vec![
            Action::new(format!("Redeploy the previous task definition of {name}"), name)
                .cmd(update_back(svc, ph).lit("--force-new-deployment"))
                .verify(wait_stable(svc, ph))
                .verify(describe(svc, ph))
                .success("`wait services-stable` returns and the service's taskDefinition is the recorded ARN")
                .minutes((5 + svc.replicas.unwrap_or(0) / 4).min(20))
                .note("`wait services-stable` gives up after 10 minutes; run it again if tasks are still draining.")
                .note("The old task definition brings back its image and environment, but SSM Parameter Store and Secrets Manager values it references stay at their current contents."),
        ];
    }
    let arn = mark(&ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD));
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
            .verify(wait_stable(svc, ph))
            .verify(describe(svc, ph))
            .success("a new deployment completes and the service's taskDefinition is the recorded ARN")
            .minutes((5 + svc.replicas.unwrap_or(0) / 4).min(20))
            .note("Skip this step when the stop above succeeded. The new deployment follows the group's deployment configuration, so a canary config shifts traffic slowly."),
    ]
}

fn update_back(svc: &Service, ph: &mut Placeholders) -> Cmd {
    // `--task-definition` takes `family:revision` or the full ARN: the ARN recorded by Go / No-Go
    // is the one value both the rolling and the CodeDeploy paths use.
    // https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html
    let arn = ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD);
    aws(
        Cmd::new("aws ecs update-service")
            .opt("--cluster", cluster(svc, ph))
            .opt("--service", Word::val(svc.resource_name()))
            .opt("--task-definition", arn),
        svc,
        ph,
    )
}

fn wait_stable(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws ecs wait services-stable")
            .opt("--cluster", cluster(svc, ph))
            .opt("--services", Word::val(svc.resource_name())),
        svc,
        ph,
    )
}

fn describe(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws ecs describe-services")
            .opt("--cluster", cluster(svc, ph))
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

fn cluster(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.val_or(
        svc.cluster.as_deref(),
        &format!("{}_ECS_CLUSTER", slug(&svc.name)),
        "ECS cluster",
        "architecture.services[].cluster",
    )
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_TASK_DEF_ARN", slug(&svc.name))
}
