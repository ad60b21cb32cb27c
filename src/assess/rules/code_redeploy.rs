use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::ChangeKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Code or dependency change that rolls back by redeploying the previous version.
    ///
    /// ## Why it matters for rollback
    ///
    /// A change that lives entirely in the deployed artifact has no state outside it; putting the
    /// previous artifact back is the whole rollback. Instant only when every service it ships to
    /// runs on a known platform: otherwise the redeploy command is a placeholder and the change is
    /// classed fast.
    ///
    /// ## Use instead
    ///
    /// Keep it that way: ship schema, config and side effects as separate, flag-gated changes so
    /// the code can always be rolled back alone.
    pub static CODE_REDEPLOY = { code: "RB001", name: "code-redeploy", family: Spec, severity: Info, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if matches!(c.kind(), ChangeKind::Code | ChangeKind::Dependency) {
            let what = if c.kind() == ChangeKind::Code { "code change" } else { "dependency bump" };
            // Instant only where rollbook knows how the previous version is put back.
            let services = &ctx.spec.architecture.services;
            let unknown: Vec<&str> = c
                .services()
                .iter()
                .filter(|n| !services.iter().any(|s| &&s.name == n && s.platform.is_some()))
                .map(String::as_str)
                .collect();
            let finding = if c.services().is_empty() || !unknown.is_empty() {
                rule.finding(
                    CodeRedeploy { what, change: c.label(i), unknown_platforms: Some(&unknown) },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].services")),
                )
                .level(Level::Fast)
            } else {
                rule.finding(
                    CodeRedeploy { what, change: c.label(i), unknown_platforms: None },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].kind")),
                )
                .level(Level::Instant)
            };
            out.push(finding.change(i));
        }
    }
}

/// A change that rolls back by redeploying the previous version.
struct CodeRedeploy<'a> {
    /// "code change" or "dependency bump".
    what: &'a str,
    change: String,
    /// The services whose platform is unknown (empty: it names no service); `None` when all are known.
    unknown_platforms: Option<&'a [&'a str]>,
}

impl crate::assess::Violation for CodeRedeploy<'_> {
    fn message(&self) -> String {
        let Self { what, change, unknown_platforms } = self;
        match unknown_platforms {
            Some(unknown) => {
                let whom = if unknown.is_empty() { "its services".to_string() } else { format!("`{}`", unknown.join("`, `")) };
                format!("{what} `{change}` rolls back by redeploying the previous version, but the platform of {whom} is unknown: the redeploy command is a placeholder, so not instant")
            }
            None => format!("{what} `{change}` rolls back by redeploying the previous version"),
        }
    }
}
