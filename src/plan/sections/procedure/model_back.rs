//! Send a model's traffic back to the previous version. Commands, checked against the docs:
//! - KServe: the previous rolled-out revision takes all traffic when `canaryTrafficPercent` is 0
//!   (https://kserve.github.io/website/docs/model-serving/predictive-inference/rollout-strategies/canary),
//!   set with a JSON patch (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_patch/).
//! - SageMaker: `aws sagemaker update-endpoint --endpoint-name --endpoint-config-name` deploys the
//!   previous endpoint config (https://docs.aws.amazon.com/cli/latest/reference/sagemaker/update-endpoint.html).
//! - MLflow: `MlflowClient.set_registered_model_alias(name, alias, version)` points the alias the
//!   serving reads back at the previous version
//!   (https://mlflow.org/docs/latest/python_api/mlflow.client.html#mlflow.client.MlflowClient.set_registered_model_alias).

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::kinds::ModelServing;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let m = c.as_ml_model().cloned().unwrap_or_default();
    let slug = crate::plan::placeholders::slug(&label);
    let endpoint_field = format!("deployment.changes[{i}].endpoint");
    let mut notes = Vec::new();
    let (title, commands, verify, minutes) = match m.serving {
        Some(ModelServing::Kserve) => {
            let isvc = ctx.ph.val_or(m.endpoint.as_deref(), "INFERENCE_SERVICE", "the KServe InferenceService that serves the model", &endpoint_field);
            let ns = ctx.ph.val_or(m.namespace.as_deref(), "MODEL_NAMESPACE", "the namespace of the InferenceService", &format!("deployment.changes[{i}].namespace"));
            notes.push("KServe keeps the previous rolled-out revision loaded during a canary: with the canary at 0% it takes all traffic again (serverless mode). Without a canary the previous revision is not kept: re-apply the InferenceService with the previous model's storageUri.".to_string());
            (
                "Send all traffic back to the previous model revision (KServe canary to 0%)",
                vec![Cmd::new("kubectl patch inferenceservice")
                    .word(isvc.clone())
                    .opt("-n", ns.clone())
                    .lit("--type=json -p")
                    .word(Word::lit("'[{\"op\": \"replace\", \"path\": \"/spec/predictor/canaryTrafficPercent\", \"value\": 0}]'"))],
                vec![Cmd::new("kubectl get inferenceservice").word(isvc).opt("-n", ns)],
                2,
            )
        }
        Some(ModelServing::Sagemaker) => {
            let ep = ctx.ph.val_or(m.endpoint.as_deref(), "SAGEMAKER_ENDPOINT", "the SageMaker endpoint that serves the model", &endpoint_field);
            let cfg = ctx.ph.val_or(m.previous_config.as_deref(), "PREVIOUS_ENDPOINT_CONFIG", "the endpoint config that served the previous model (`aws sagemaker describe-endpoint` before the deploy)", &format!("deployment.changes[{i}].previous_config"));
            notes.push("SageMaker starts new instances on the previous config and shifts traffic when they are in service (blue/green): minutes, not seconds. Do not delete the previous endpoint config before the new model is proven.".to_string());
            (
                "Update the SageMaker endpoint back to the previous endpoint config",
                vec![Cmd::new("aws sagemaker update-endpoint")
                    .opt("--endpoint-name", ep.clone())
                    .opt("--endpoint-config-name", cfg)],
                vec![Cmd::new("aws sagemaker describe-endpoint").opt("--endpoint-name", ep)],
                10,
            )
        }
        Some(ModelServing::Mlflow) => {
            let name = ctx.ph.val_or(m.model.as_deref().or(m.endpoint.as_deref()), "REGISTERED_MODEL", "the MLflow registered model", &format!("deployment.changes[{i}].model"));
            let alias = ctx.ph.val_or(m.alias.as_deref(), "MODEL_ALIAS", "the registry alias the serving loads (e.g. champion)", &format!("deployment.changes[{i}].alias"));
            let prev = ctx.ph.val_or(m.previous.as_deref(), "PREVIOUS_MODEL_VERSION", "the registry version the alias pointed at before", &format!("deployment.changes[{i}].previous"));
            notes.push("The serving reads the alias when it loads the model: restart or reload it if it does not poll the registry.".to_string());
            (
                "Point the registry alias back at the previous model version (MLflow)",
                vec![Cmd::new("python3 -c")
                    .word(Word::lit("'import sys, mlflow; mlflow.MlflowClient().set_registered_model_alias(sys.argv[1], sys.argv[2], sys.argv[3])'"))
                    .word(name)
                    .word(alias)
                    .word(prev)],
                Vec::new(),
                5,
            )
        }
        _ => (
            "Send traffic back to the previous model version",
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_MODEL_BACK_COMMAND"),
                &format!("how the serving of `{label}` goes back to the previous version (canary traffic to 0, the previous endpoint config, the registry alias)"),
                &format!("deployment.changes[{i}].serving"),
            ))],
            Vec::new(),
            5,
        ),
    };
    let loaded = m.canary_percent.is_some() || m.previous_loaded == Some(true);
    b.actions.push(Action {
        title: format!("{title} (`{label}`)"),
        component: label.clone(),
        commands,
        verify,
        success: "the previous model answers all traffic, and the business metric returns to its baseline".to_string(),
        minutes,
        destructive: false,
        notes,
    });
    // Features or embeddings changed with the model: the previous model reads the previous ones,
    // so they come back right after the model, before anything is judged recovered.
    if m.features_changed == Some(true) {
        b.actions.push(Action {
            title: format!("Return the features or embeddings the previous model reads (`{label}`)"),
            component: label.clone(),
            commands: vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_FEATURES_BACK_COMMAND"),
                &format!("how the features, embeddings or index `{label}` changed are returned to what the previous version reads (the previous feature pipeline version, the previous index alias)"),
                &format!("deployment.changes[{i}].features_changed"),
            ))],
            verify: Vec::new(),
            success: "the previous model reads the features it was trained on, and its scores match its pre-deploy distribution".to_string(),
            minutes: 15,
            destructive: false,
            notes: vec!["Until they are back the previous model answers on features it was not trained on: watch its prediction distribution, not only its errors.".to_string()],
        });
    }
    b.ordering.push(if loaded {
        format!("Model `{label}` back first among the code steps: the previous version is still loaded, so traffic moves back in seconds.")
    } else {
        format!("Model `{label}` back first among the code steps: the previous version is loaded again, which takes minutes.")
    });
}
