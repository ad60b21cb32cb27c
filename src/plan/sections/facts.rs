//! Facts about each migration change, from its parsed SQL when there is some and from the spec's
//! declarations otherwise (a declaration wins over an inference).

use super::super::Ctx;
use crate::evidence::Evidence;
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::verdict::destroys;
use crate::evidence::sql::{Op, verdict};
use crate::model::{Change, ChangeKind};

/// What the plan needs to know about one migration change.
#[derive(Debug, Clone, Default)]
pub struct MigrationFacts {
    pub index: usize,
    /// SQL was read for it.
    pub has_sql: bool,
    /// Only adds things (tables, nullable or defaulted columns, indexes): old code keeps working.
    pub additive: bool,
    /// Does the previous version run on the new schema? `None`: unknown.
    pub backward_compatible: Option<bool>,
    /// Data the up migration destroys, with where it is said.
    pub destroys: Vec<(String, Evidence)>,
    /// Tables and columns the up creates: their data is lost if the down runs.
    pub creates: Vec<String>,
    /// The down migration is known to exist (SQL, file, or the tool's own).
    pub has_down: bool,
    /// Tables the migration touches (for data checks).
    pub tables: Vec<String>,
    /// Added columns `(table, column)`, for the data check that counts rows written in them.
    pub added_columns: Vec<(String, String)>,
    /// Only renames tables or columns: rows keep their shape, and the reverse rename brings the
    /// old names back with every value in place (nothing to convert).
    pub renames_only: bool,
}

impl MigrationFacts {
    pub fn is_destructive(&self) -> bool {
        !self.destroys.is_empty()
    }
}

/// Facts for every migration change, in spec order.
pub fn migrations(ctx: &Ctx) -> Vec<MigrationFacts> {
    let spec = &ctx.input.spec;
    let mut out = Vec::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::Migration {
            continue;
        }
        out.push(facts_for(ctx, i, c));
    }
    out
}

fn facts_for(ctx: &Ctx, index: usize, c: &Change) -> MigrationFacts {
    let mut f = MigrationFacts {
        index,
        ..Default::default()
    };
    let ms: Vec<_> = ctx
        .migrations
        .iter()
        .filter(|m| m.change == index)
        .collect();
    f.has_sql = !ms.is_empty();
    let m = c.as_migration();
    f.has_down = m.is_some_and(|m| m.down_sql.is_some() || m.down_path.is_some())
        || ms
            .iter()
            .any(|m| m.down_source.is_some() && !m.down.is_empty());
    let pg = pg_version(&ctx.input.spec, index);
    let verdicts: Vec<_> = ms.iter().map(|m| verdict(m, pg)).collect();
    // Sets beside the ordered lists: membership by scanning a list is quadratic, minutes on a
    // 100,000-statement migration.
    let mut created_tables: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let judged_destroys: std::collections::HashSet<&String> =
        verdicts.iter().flat_map(|v| &v.destroys).collect();
    let mut cited = std::collections::HashSet::new();
    let mut renames = 0usize;
    let mut others = 0usize;
    for m in &ms {
        for (stmt, op) in m.up_ops() {
            if matches!(op, Op::RenameColumn { .. } | Op::RenameTable { .. }) {
                renames += 1;
            } else {
                others += 1;
            }
            match op {
                Op::CreateTable { table } => {
                    created_tables.insert(table.clone());
                    f.creates.push(format!("table {table}"));
                    push_unique(&mut f.tables, &mut seen, table);
                }
                Op::AddColumn { table, column, .. } => {
                    if !created_tables.contains(table) {
                        f.creates.push(format!("column {table}.{column}"));
                        f.added_columns.push((table.clone(), column.clone()));
                    }
                    push_unique(&mut f.tables, &mut seen, table);
                }
                Op::CreateIndex { table, .. }
                | Op::Insert { table }
                | Op::RenameColumn { table, .. }
                | Op::AlterColumnType { table, .. }
                | Op::SetNotNull { table, .. } => push_unique(&mut f.tables, &mut seen, table),
                Op::RenameTable { from, .. } => push_unique(&mut f.tables, &mut seen, from),
                Op::DropColumn { table, .. }
                | Op::Delete { table, .. }
                | Op::Update { table, .. } => push_unique(&mut f.tables, &mut seen, table),
                Op::DropTable { tables, .. } | Op::Truncate { tables, .. } => {
                    for t in tables.iter().filter(|t| !created_tables.contains(*t)) {
                        push_unique(&mut f.tables, &mut seen, t);
                    }
                }
                _ => {}
            }
            // Cite the statement that destroys data, as the verdict names it.
            for d in destroys(op) {
                let judged = judged_destroys.contains(&d);
                if judged && cited.insert(d.clone()) {
                    f.destroys.push((d, stmt.evidence.clone()));
                }
            }
        }
    }
    f.renames_only = f.has_sql && renames > 0 && others == 0;
    f.additive =
        f.has_sql && verdicts.iter().all(|v| v.additive_only) && c.destructive() != Some(true);
    let inferred = if verdicts
        .iter()
        .any(|v| v.backward_compatible == Some(false))
    {
        Some(false)
    } else if f.has_sql && verdicts.iter().all(|v| v.backward_compatible == Some(true)) {
        Some(true)
    } else {
        None
    };
    f.backward_compatible = m.and_then(|m| m.backward_compatible).or(inferred);
    if c.destructive() == Some(true) && f.destroys.is_empty() {
        f.destroys.push((
            c.summary()
                .unwrap_or("data (declared destructive)")
                .to_string(),
            Evidence::field(
                &ctx.input.path,
                format!("deployment.changes[{index}].destructive"),
            ),
        ));
    }
    f
}

fn push_unique(v: &mut Vec<String>, seen: &mut std::collections::HashSet<String>, s: &str) {
    if seen.insert(s.to_string()) {
        v.push(s.to_string());
    }
}
