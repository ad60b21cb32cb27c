use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A schema migration whose SQL rollbook cannot read (no `sql` and no `path`).
    ///
    /// ## Why it matters for rollback
    ///
    /// Without the statements nobody can say whether the old code keeps working or whether the down
    /// migration loses data, so the plan must assume a reverse migration is needed, and treat the
    /// change as irreversible if it turns out to drop data.
    ///
    /// ## Use instead
    ///
    /// Point `path` at the migration files (or paste `sql`) so every statement is judged.
    pub static MIGRATION_WITHOUT_EVIDENCE = { code: "RB009", name: "migration-without-evidence", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.as_migration().is_some_and(|m| m.sql.is_none() && m.path.is_none()) {
            let f = rule.finding(
                MigrationWithoutEvidence { change: c.label(i) },
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}]")),
            );
            let f = if c.as_migration().and_then(|m| m.backward_compatible) == Some(true) && c.destructive() != Some(true) { f } else { f.level(Level::Complex) };
            out.push(f.change(i));
        }
    }
}

/// A migration with no SQL to read.
struct MigrationWithoutEvidence {
    change: String,
}

impl crate::assess::Violation for MigrationWithoutEvidence {
    fn message(&self) -> String {
        format!("migration `{}` has no SQL to read: assuming it needs a reverse migration", self.change)
    }
}
