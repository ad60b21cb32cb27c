use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::ChangeKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A feature-flag change, or a change gated by a flag, rolls back by turning the flag off.
    ///
    /// ## Why it matters for rollback
    ///
    /// A kill switch takes effect in seconds and needs no redeploy, so it comes first in the
    /// procedure; the code can stay. A change that is only a flag (a new share, a new variant) is
    /// instant: returning the flag to its previous state undoes it. A change gated by a flag is
    /// fast: the flag goes off first, the change itself is still rolled back after it.
    ///
    /// ## Use instead
    ///
    /// Gate risky behaviour behind a flag whose off state is the old behaviour, and make sure the
    /// flag's default (when the provider is unreachable) is off.
    pub static FLAG_GATED_CHANGE = { code: "RB003", name: "flag-gated-change", family: Spec, severity: Info, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.kind() == ChangeKind::FeatureFlag {
            let key = c.flag().as_ref().map(|f| f.key.as_str()).unwrap_or("?");
            out.push(
                rule.finding(
                    FlagGatedChange::Flag { key },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].flag")),
                )
                .level(Level::Instant)
                .change(i),
            );
        } else if let Some(flag) = &c.gated_by_flag() {
            out.push(
                rule.finding(
                    FlagGatedChange::GatedBy { change: c.label(i), flag },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].gated_by_flag")),
                )
                .level(Level::Fast)
                .change(i),
            );
        }
    }
}

/// A flag change, or a change behind a flag.
enum FlagGatedChange<'a> {
    Flag { key: &'a str },
    GatedBy { change: String, flag: &'a str },
}

impl crate::assess::Violation for FlagGatedChange<'_> {
    fn message(&self) -> String {
        match self {
            Self::Flag { key } => format!("flag `{key}` rolls back by returning it to its previous state (or off: a kill switch) in seconds, no redeploy"),
            Self::GatedBy { change, flag } => format!("`{change}` is gated by flag `{flag}`: turning the flag off disables it"),
        }
    }
}
