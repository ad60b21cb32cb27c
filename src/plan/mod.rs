//! The plan: one builder per section, fed by the spec, the evidence and the findings.

pub mod calibration;
pub mod invariants;
pub mod model;
pub use crate::base::placeholders;
pub mod sections;

use crate::assess::{self, Context, Finding};
use crate::base::error::Result;
use crate::evidence::sql::Migration;
use crate::spec::Input;
use model::Plan;
use placeholders::Placeholders;

/// Options that change a plan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides the planned start (RFC 3339 / RFC 9557).
    pub at: Option<String>,
    /// Estimates practised in drills (`plan --calibrate`): they replace the default estimates.
    pub calibration: Option<calibration::Calibration>,
    /// A rehearsal report (`plan --rehearsal`): measured down times, losses, schema diff.
    pub rehearsal: Option<crate::evidence::rehearsal::Rehearsed>,
}

/// Everything the section builders read, and the placeholder registry they write.
pub struct Ctx<'a> {
    pub input: &'a Input,
    pub migrations: &'a [Migration],
    /// Everything read from artifacts (manifests, plans, config diffs, migrations).
    pub evidence: &'a crate::evidence::Gathered,
    pub findings: &'a [Finding],
    pub options: &'a Options,
    pub ph: Placeholders,
}

/// Inline config keys whose name or value looks secret are treated as `secret: true`: their
/// values are never printed, whether or not the spec said so.
fn mark_secret_keys(spec: &mut crate::model::Spec) {
    use crate::evidence::config::{secret_by_name, secret_by_value};
    for c in &mut spec.deployment.changes {
        let Some(c) = c.as_config_mut() else {
            continue;
        };
        for k in &mut c.keys {
            let by_value = [&k.before, &k.after]
                .into_iter()
                .flatten()
                .any(|v| secret_by_value(v));
            k.secret |= secret_by_name(&k.key) || by_value;
        }
    }
}

/// Builds the plan of a loaded input: evidence, rules, then the sections.
pub fn build(input: &Input, options: &Options) -> Result<Plan> {
    let gathered = crate::evidence::gather(input)?;
    // Manifests fill what the spec leaves empty; the rest of the plan reads the enriched input.
    let mut enriched = input.clone();
    mark_secret_keys(&mut enriched.spec);
    let filled =
        crate::evidence::k8s_enrich::enrich(&mut enriched.spec, &gathered.objects, &input.path);
    enriched.assumptions.extend(filled);
    let input = &enriched;
    let findings = assess::run_rules(&Context::new(&input.spec, &input.path, &gathered));
    let mut ctx = Ctx {
        input,
        migrations: &gathered.migrations,
        evidence: &gathered,
        findings: &findings,
        options,
        ph: Placeholders::default(),
    };
    Ok(sections::assemble(&mut ctx, gathered.artifacts.clone()))
}
