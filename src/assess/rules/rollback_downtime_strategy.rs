use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;
use crate::model::Strategy;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A service deployed with the `recreate` strategy, or with no platform declared.
    ///
    /// ## Why it matters for rollback
    ///
    /// `recreate` stops every old instance before starting new ones, so a rollback is an outage
    /// until the old version is up again; with no platform the plan cannot give the exact rollback
    /// command.
    ///
    /// ## Use instead
    ///
    /// Use a rolling or blue-green strategy, and declare `platform` for every service.
    pub static ROLLBACK_DOWNTIME_STRATEGY = { code: "RB013", name: "rollback-downtime-strategy", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, s) in ctx.spec.architecture.services.iter().enumerate() {
        if s.strategy == Some(Strategy::Recreate) {
            out.push(rule.finding(
                RollbackDowntimeStrategy::Recreate { service: &s.name },
                Evidence::field(ctx.spec_file, format!("architecture.services[{i}].strategy")),
            ));
        }
        if s.platform.is_none() {
            out.push(rule.finding(
                RollbackDowntimeStrategy::NoPlatform { service: &s.name },
                Evidence::field(ctx.spec_file, format!("architecture.services[{i}].platform")),
            ));
        }
    }
}

/// A service whose rollback takes it down, or whose rollback command is unknown.
enum RollbackDowntimeStrategy<'a> {
    Recreate { service: &'a str },
    NoPlatform { service: &'a str },
}

impl crate::assess::Violation for RollbackDowntimeStrategy<'_> {
    fn message(&self) -> String {
        match self {
            Self::Recreate { service } => format!("service `{service}` uses recreate: the rollback takes it down until the old version is ready"),
            Self::NoPlatform { service } => format!("service `{service}` declares no platform: its rollback command is a placeholder"),
        }
    }
}
