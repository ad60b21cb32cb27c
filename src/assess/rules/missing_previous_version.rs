use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The spec does not name the previous known-good version.
    ///
    /// ## Why it matters for rollback
    ///
    /// The rollback target is the one fact the on-call engineer must not have to reconstruct at 3
    /// a.m.; "the version before" is ambiguous after two deploys.
    ///
    /// ## Use instead
    ///
    /// Set `deployment.previous_version` and record the platform's current revision before the
    /// deploy (the Go / No-Go section gives the command).
    pub static MISSING_PREVIOUS_VERSION = { code: "RB002", name: "missing-previous-version", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    let d = &ctx.spec.deployment;
    if d.previous_version.as_deref().is_none_or(|v| v.trim().is_empty()) {
        out.push(rule.finding(
            MissingPreviousVersion,
            Evidence::field(ctx.spec_file, "deployment.previous_version"),
        ));
    }
}

/// No previous version recorded.
struct MissingPreviousVersion;

impl crate::assess::Violation for MissingPreviousVersion {
    fn message(&self) -> String {
        "no previous known-good version: the rollback target is a placeholder until it is recorded".to_string()
    }
}
