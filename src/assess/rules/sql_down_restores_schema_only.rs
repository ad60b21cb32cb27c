//! Rule RB127 `down-restores-schema-only`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::{DownVerdict, Op, verdict};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a down after an up that destroyed data: the down recreates the schema but not the
    /// data.
    ///
    /// ## Why it matters for rollback
    ///
    /// The down succeeds and looks like a rollback, but the tables or columns come back empty.
    ///
    /// ## Use instead
    ///
    /// Take a backup (or copy the data to an archive table) before the deploy, and restore from it.
    pub static DOWN_RESTORES_SCHEMA_ONLY = { code: "RB127", name: "down-restores-schema-only", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        let v = verdict(m, pg_version(ctx.spec, m.change));
        let ev = m.down_source.clone().unwrap_or_else(|| m.up_source.clone());
        let recreates = m.down_ops().any(|(_, o)| matches!(o, Op::CreateTable { .. } | Op::AddColumn { .. } | Op::CreateType { .. }));
        let found: Option<(DownRestoresSchemaOnly, Option<Level>)> = match v.down {
            DownVerdict::SchemaOnly if recreates => Some((DownRestoresSchemaOnly { destroys: &v.destroys, recreates: true }, Some(Level::Irreversible))),
            DownVerdict::SchemaOnly => Some((DownRestoresSchemaOnly { destroys: &v.destroys, recreates: false }, Some(Level::Irreversible))),
            _ => None,
        };
        if let Some((msg, level)) = found {
            let mut f = rule.finding(msg, ev).change(m.change);
            if let Some(l) = level {
                f = f.level(l);
            }
            out.push(f);
        }
    }
}

/// An up that destroyed data, and a down that brings back at most the schema.
struct DownRestoresSchemaOnly<'a> {
    destroys: &'a [String],
    /// Does the down recreate the schema (tables, columns, types)?
    recreates: bool,
}

impl crate::assess::Violation for DownRestoresSchemaOnly<'_> {
    fn message(&self) -> String {
        let destroys = self.destroys.join(", ");
        if self.recreates {
            format!("The up destroys {destroys}; the down recreates only the schema, the data comes back only from a backup.")
        } else {
            format!("The up destroys {destroys}; the down recreates none of it: the schema and the data come back only from a backup.")
        }
    }
}
