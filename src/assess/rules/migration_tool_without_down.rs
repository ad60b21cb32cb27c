use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::MigrationTool;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A migration run by a tool that has no down migration (Prisma; Flyway Community).
    ///
    /// ## Why it matters for rollback
    ///
    /// The reverse must be written and applied as a new forward migration, under pressure, unless
    /// it is written and tested now.
    ///
    /// ## Use instead
    ///
    /// Write the reverse script before the deploy, test it on a copy, and keep it beside the plan.
    pub static MIGRATION_TOOL_WITHOUT_DOWN = { code: "RB011", name: "migration-tool-without-down", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(m) = c.as_migration().filter(|m| m.backward_compatible != Some(true)) else {
            continue;
        };
        let name = match m.tool {
            Some(MigrationTool::Prisma) => "Prisma has no down migrations",
            Some(MigrationTool::Flyway) if m.down_sql.is_none() && m.down_path.is_none() => {
                "Flyway undo needs a paid edition and a `U` script"
            }
            _ => continue,
        };
        out.push(
            rule.finding(
                MigrationToolWithoutDown { change: c.label(i), why: name },
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].tool")),
            )
            .level(Level::Complex)
            .change(i),
        );
    }
}

/// A migration whose tool has no down.
struct MigrationToolWithoutDown<'a> {
    change: String,
    /// Why the tool has none.
    why: &'a str,
}

impl crate::assess::Violation for MigrationToolWithoutDown<'_> {
    fn message(&self) -> String {
        format!("`{}`: {}; the reverse is a new forward migration written now", self.change, self.why)
    }
}
