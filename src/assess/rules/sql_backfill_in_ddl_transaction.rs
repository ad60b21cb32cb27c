//! Rule RB120 `backfill-in-ddl-transaction`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects an UPDATE in the same PostgreSQL migration as DDL on the same table.
    ///
    /// ## Why it matters for rollback
    ///
    /// The migration runs as one transaction, so the DDL's ACCESS EXCLUSIVE lock is held for the
    /// whole backfill; a rollback mid-way undoes all of it.
    ///
    /// ## Use instead
    ///
    /// Run the backfill as a separate, batched and throttled step after the DDL.
    pub static BACKFILL_IN_DDL_TRANSACTION = { code: "RB120", name: "backfill-in-ddl-transaction", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        if m.dialect != Dialect::Postgres {
            continue;
        }
        let ddl_tables: Vec<&str> = m.up.iter().flat_map(|s| &s.ops).filter_map(|o| match o {
            Op::AddColumn { table, .. } | Op::AlterColumnType { table, .. } | Op::SetNotNull { table, .. } | Op::AddConstraint { table, .. } | Op::DropColumn { table, .. } => Some(table.as_str()),
            _ => None,
        }).collect();
        for stmt in &m.up {
            for op in &stmt.ops {
                if let Op::Update { table, .. } = op
                    && ddl_tables.contains(&table.as_str())
                {
                    out.push(rule.finding(BackfillInDdlTransaction { table }, stmt.evidence.clone()).change(m.change));
                }
            }
        }
    }
}

/// An UPDATE of a table that the same migration alters.
struct BackfillInDdlTransaction<'a> { table: &'a str }

impl crate::assess::Violation for BackfillInDdlTransaction<'_> {
    fn message(&self) -> String {
        let Self { table } = self;
        format!("Backfills {table} in the same transaction as DDL on it: the table stays locked for the whole UPDATE.")
    }
}
