//! Rule RB205 `crd-in-release`.

use crate::assess::{Context, Finding, Level, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A CustomResourceDefinition shipped with the release.
    ///
    /// ## Why it matters for rollback
    ///
    /// `helm rollback` never reverts CRDs (Helm does not upgrade or delete those in a chart's
    /// `crds/`), and `kubectl rollout undo` does not touch them; a schema change stays, and
    /// deleting the CRD to undo it deletes every resource of that type.
    ///
    /// ## Use instead
    ///
    /// Ship CRD changes in their own release ahead of the code, keep them backward compatible (add
    /// fields and versions, never remove them), and keep the previous CRD manifest ready to
    /// re-apply.
    pub static CRD_IN_RELEASE = { code: "RB205", name: "crd-in-release", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx
        .objects
        .iter()
        .filter(|o| o.kind == "CustomResourceDefinition")
    {
        out.push(
            rule.finding(
                CrdInRelease { name: &o.name },
                o.evidence.clone(),
            )
            .level(Level::Complex),
        );
    }
}

/// A CustomResourceDefinition in the release.
struct CrdInRelease<'a> {
    name: &'a str,
}

impl crate::assess::Violation for CrdInRelease<'_> {
    fn message(&self) -> String {
        format!("CRD `{}` ships with this release: helm rollback and rollout undo leave it changed; reverting it is a manual, separate step.", self.name)
    }
}
