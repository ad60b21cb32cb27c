use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A migration the spec declares not backward compatible: the previous version cannot run on
    /// the new schema.
    ///
    /// ## Why it matters for rollback
    ///
    /// The code cannot be rolled back alone; the schema must be reversed first (or at the same
    /// moment), and any data written in the new shape must be converted back.
    ///
    /// ## Use instead
    ///
    /// Expand and contract: add the new shape alongside the old, write both, switch reads, and
    /// remove the old shape in a later deploy once rollback is no longer needed.
    pub static MIGRATION_BREAKS_OLD_CODE = { code: "RB010", name: "migration-breaks-old-code", family: Spec, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.as_migration().is_some_and(|m| m.backward_compatible == Some(false)) {
            out.push(
                rule.finding(
                    MigrationBreaksOldCode { change: c.label(i) },
                    Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].backward_compatible")),
                )
                .level(Level::Complex)
                .change(i),
            );
        }
    }
}

/// A migration declared not backward compatible.
struct MigrationBreaksOldCode {
    change: String,
}

impl crate::assess::Violation for MigrationBreaksOldCode {
    fn message(&self) -> String {
        format!("`{}`: the previous version does not run on the new schema; reverse the schema before (or with) the code", self.change)
    }
}
