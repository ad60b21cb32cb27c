//! Rule RB127 `down-restores-schema-only`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::verdict::{RebuildIndex, destroys};
use crate::evidence::sql::{DownVerdict, Migration, Op, verdict};
use std::collections::BTreeSet;

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
    for (mi, m) in ctx.migrations.iter().enumerate() {
        let v = verdict(m, pg_version(ctx.spec, m.change));
        if v.down != DownVerdict::SchemaOnly {
            continue;
        }
        // Judged against the history, as the rules that report each destruction are: a table or
        // column an earlier migration of this deployment created holds nothing to lose yet.
        let (destroys, tables) = live_destroys(ctx, mi, m);
        if destroys.is_empty() {
            continue;
        }
        let recreates = m.down_ops().any(|(_, o)| match o {
            Op::CreateTable { table } | Op::AddColumn { table, .. } => tables.contains(table.as_str()),
            Op::CreateType { .. } => tables.is_empty(),
            _ => false,
        });
        let ev = m.down_source.clone().unwrap_or_else(|| m.up_source.clone());
        out.push(rule.finding(DownRestoresSchemaOnly { destroys: &destroys, recreates }, ev).change(m.change).level(Level::Irreversible));
    }
}

/// What the up of migration `mi` destroys that held data before this deployment, and the tables
/// it was in: the ops [`destroys`] names, less those on tables or columns this deployment created
/// (or rebuilt, the SQLite way).
fn live_destroys<'a>(ctx: &Context, mi: usize, m: &'a Migration) -> (Vec<String>, BTreeSet<&'a str>) {
    let history = ctx.history();
    let rebuilds = RebuildIndex::new(&m.up);
    let live = |si: usize, t: &str| !ctx.fresh(mi, si, t) && !rebuilds.rebuilt(si, t, None) && !history.rebuilt_later((mi, si), t);
    let mut out = Vec::new();
    let mut tables = BTreeSet::new();
    for (si, s) in m.up.iter().enumerate() {
        for op in &s.ops {
            let hit: Vec<&str> = match op {
                Op::DropTable { tables, .. } | Op::Truncate { tables, .. } => tables.iter().map(String::as_str).filter(|t| live(si, t)).collect(),
                Op::DropColumn { table, column } if live(si, table) && !history.column_is_new((mi, si), table, column) && !rebuilds.rebuilt(si, table, Some(column)) => vec![table.as_str()],
                Op::Delete { table, has_where: false } if live(si, table) => vec![table.as_str()],
                Op::Update { table, has_where: false, columns } if live(si, table) && (columns.is_empty() || !columns.iter().all(|c| history.column_is_new((mi, si), table, c))) => vec![table.as_str()],
                Op::DropColumn { .. } | Op::Delete { .. } | Op::Update { .. } => continue,
                // Schemas, databases, extensions: no table of the history holds them.
                other => {
                    out.extend(destroys(other));
                    continue;
                }
            };
            match op {
                // Only the live ones of a multi-table drop.
                Op::DropTable { .. } => out.extend(hit.iter().map(|t| format!("table {t}"))),
                Op::Truncate { .. } => out.extend(hit.iter().map(|t| format!("rows of table {t}"))),
                _ => out.extend(destroys(op)),
            }
            tables.extend(hit);
        }
    }
    out.dedup();
    (out, tables)
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
