use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// A change the spec declares irreversible (`reversible: false`) or destructive (`destructive: true`).
    ///
    /// Why it matters for rollback: the author knows the change cannot be undone; the plan must
    /// offer mitigation (stop the damage, restore from backup, compensate) instead of pretending
    /// a rollback exists.
    ///
    /// Safe alternative: split the change so the destructive part ships last, after the new
    /// version has proved itself, and take a verified backup right before it.
    pub static DECLARED_IRREVERSIBLE = { code: "RB005", name: "declared-irreversible", severity: Error, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.reversible() == Some(false) {
            out.push(
                rule.finding(
                    format!("`{}` is declared irreversible", c.label(i)),
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].reversible")),
                )
                .level(Level::Irreversible)
                .change(i),
            );
        } else if c.destructive() == Some(true) {
            out.push(
                rule.finding(
                    format!("`{}` is declared destructive: data it removes comes back only from a backup", c.label(i)),
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].destructive")),
                )
                .level(Level::Irreversible)
                .change(i),
            );
        }
    }
}
