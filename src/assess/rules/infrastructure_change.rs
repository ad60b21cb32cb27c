use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::InfraTool;

crate::declare_rule! {
    /// ## What it does
    ///
    /// An infrastructure change, and whether it has a downgrade path.
    ///
    /// ## Why it matters for rollback
    ///
    /// Infrastructure has no rollback button. Terraform and OpenTofu roll back by reverting the
    /// code and applying again, which cannot un-replace a destroyed resource; a cluster or engine
    /// version upgrade, or a deployed contract, has no downgrade at all and rolls back only by
    /// restoring or rebuilding.
    ///
    /// ## Use instead
    ///
    /// Review the plan for deletes and replacements, keep `prevent_destroy` on stateful resources,
    /// and upgrade a copy (blue-green cluster) instead of in place.
    pub static INFRASTRUCTURE_CHANGE = { code: "RB008", name: "infrastructure-change", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(infra) = c.as_infrastructure() else {
            continue;
        };
        let target = infra.target.as_deref().unwrap_or("infrastructure");
        let f = if infra.no_downgrade_path == Some(true) || infra.apply == Some(InfraTool::PlatformUpgrade) {
            let field = if infra.no_downgrade_path == Some(true) { "no_downgrade_path" } else { "apply" };
            rule.finding(
                InfrastructureChange::NoDowngradePath { target },
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{field}")),
            )
            .level(Level::Irreversible)
            .severity(crate::assess::Severity::Error)
        } else {
            rule.finding(
                InfrastructureChange::Revertible { target },
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].apply")),
            )
            .level(Level::Complex)
        };
        out.push(f.change(i));
    }
}

/// An infrastructure change, with or without a downgrade path.
enum InfrastructureChange<'a> {
    NoDowngradePath { target: &'a str },
    Revertible { target: &'a str },
}

impl crate::assess::Violation for InfrastructureChange<'_> {
    fn message(&self) -> String {
        match self {
            Self::NoDowngradePath { target } => format!("{target} has no downgrade path: it rolls back only by restore or rebuild, or not at all"),
            Self::Revertible { target } => format!("`{target}`: roll back by reverting the change and applying again; destroyed resources do not come back"),
        }
    }
}
