//! Rule RB124 `down-missing`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::{DownVerdict, verdict};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a migration that is not additive and has no down migration, in a layout that has a
    /// place for one (not Prisma or plain SQL files).
    ///
    /// ## Why it matters for rollback
    ///
    /// Old code needs the schema reversed, and nobody has written or tested the reverse.
    ///
    /// ## Use instead
    ///
    /// Write and test the down before the deploy, or make the change additive (expand, then
    /// contract later).
    pub static DOWN_MISSING = { code: "RB124", name: "down-missing", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

/// Can the migration's layout hold a down at all? Prisma and plain SQL files cannot; a file with
/// no known layout can only if it has a conventional down name.
fn has_down_slot(ctx: &Context, m: &crate::evidence::sql::Migration) -> bool {
    use crate::model::MigrationTool as T;
    match ctx.spec.deployment.changes.get(m.change).and_then(|c| c.as_migration()?.tool) {
        Some(T::Prisma | T::Sql) => false,
        Some(_) => true,
        None => m.up_source.field.is_some() || crate::evidence::sql::layout::paired_down(std::path::Path::new(&m.up_source.file)).is_some(),
    }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        if m.down_source.is_none() && !has_down_slot(ctx, m) {
            continue;
        }
        let v = verdict(m, pg_version(ctx.spec, m.change));
        let ev = m.down_source.clone().unwrap_or_else(|| m.up_source.clone());
        let found: Option<(DownMissing, Option<Level>)> = match v.down { DownVerdict::Missing if !v.additive_only => Some((DownMissing, Some(Level::Complex))), _ => None };
        if let Some((msg, level)) = found {
            let mut f = rule.finding(msg, ev).change(m.change);
            if let Some(l) = level {
                f = f.level(l);
            }
            out.push(f);
        }
    }
}

/// No down for a change that is not additive.
struct DownMissing;

impl crate::assess::Violation for DownMissing {
    fn message(&self) -> String {
        "No down migration for a change old code may not survive: the reverse must be written by hand during the rollback.".to_string()
    }
}
