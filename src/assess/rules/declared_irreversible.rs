use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A change the spec declares irreversible (`reversible: false`) or destructive (`destructive:
    /// true`).
    ///
    /// ## Why it matters for rollback
    ///
    /// The author knows the change cannot be undone; the plan must offer mitigation (stop the
    /// damage, restore from backup, compensate) instead of pretending a rollback exists.
    ///
    /// ## Use instead
    ///
    /// Split the change so the destructive part ships last, after the new version has proved
    /// itself, and take a verified backup right before it.
    pub static DECLARED_IRREVERSIBLE = { code: "RB005", name: "declared-irreversible", family: Spec, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.reversible() == Some(false) {
            out.push(
                rule.finding(
                    DeclaredIrreversible::Irreversible { change: c.label(i) },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].reversible")),
                )
                .level(Level::Irreversible)
                .change(i),
            );
        } else if c.destructive() == Some(true) {
            out.push(
                rule.finding(
                    DeclaredIrreversible::Destructive { change: c.label(i) },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].destructive")),
                )
                .level(Level::Irreversible)
                .change(i),
            );
        }
    }
}

/// A change the spec declares irreversible or destructive.
enum DeclaredIrreversible {
    Irreversible { change: String },
    Destructive { change: String },
}

impl crate::assess::Violation for DeclaredIrreversible {
    fn message(&self) -> String {
        match self {
            Self::Irreversible { change } => format!("`{change}` is declared irreversible"),
            Self::Destructive { change } => format!("`{change}` is declared destructive: data it removes comes back only from a backup"),
        }
    }
}
