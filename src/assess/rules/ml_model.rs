use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A new model version served for ranking, recommendations, fraud scoring or an LLM prompt,
    /// and how fast traffic goes back to the previous version.
    ///
    /// ## Why it matters for rollback
    ///
    /// A model fails quietly: it answers every request and still ranks, recommends or scores
    /// worse, so errors and latency do not show it; the business metric it drives does. Sending
    /// traffic back is instant when the previous version is still loaded (a KServe canary set back
    /// to 0%), a few minutes when it must be loaded again (a SageMaker endpoint updated to its
    /// previous config, a registry alias moved back), and longer when the features or embeddings
    /// the model reads were changed with it: the previous model needs them back too.
    ///
    /// ## Example
    ///
    /// "Recommendation model v13 replaces v12, deployed as a KServe canary with 10% of traffic."
    ///
    /// ## Use instead
    ///
    /// Serve the new version as a canary or in shadow beside the previous one, keep the previous
    /// version loaded until the new one is promoted, watch the business metric per model version,
    /// and version features and embeddings with the model.
    pub static ML_MODEL = { code: "RB025", name: "ml-model", family: Spec, severity: Info, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(m) = c.as_ml_model() else {
            continue;
        };
        let field =
            |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (how, level, evidence) = if m.features_changed == Some(true) {
            (Back::FeaturesToo, Level::Complex, field("features_changed"))
        } else if m.canary_percent.is_some() {
            (Back::Loaded, Level::Instant, field("canary_percent"))
        } else if m.previous_loaded == Some(true) {
            (Back::Loaded, Level::Instant, field("previous_loaded"))
        } else {
            (Back::Reload, Level::Fast, field("previous_loaded"))
        };
        out.push(rule.finding(Found { how }, evidence).level(level).change(i));
    }
}

/// How a model version comes back.
enum Back {
    /// The previous version still serves part of the traffic, or stays loaded.
    Loaded,
    /// The previous version must be loaded again.
    Reload,
    /// Features or embeddings changed with the model.
    FeaturesToo,
}

struct Found {
    how: Back,
}

impl crate::assess::Violation for Found {
    fn message(&self) -> String {
        let back = match self.how {
            Back::Loaded => "the previous version is still loaded: traffic goes back to it in seconds",
            Back::Reload => "the previous version must be loaded again (endpoint config, registry alias, redeploy of the server): minutes, not seconds; nothing says it stays loaded",
            Back::FeaturesToo => "features or embeddings changed with it: the previous model needs them back too, so switching the model alone is not a rollback",
        };
        format!("ml model: {back}; watch the business metric it drives, not only errors")
    }
}
