//! Rule RB117 `volatile-default-rewrite`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{DefaultKind, Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects adding a column whose default rewrites the table: a volatile default (random(),
    /// gen_random_uuid(), serial, stored generated), or any default before PostgreSQL 11.
    ///
    /// ## Why it matters for rollback
    ///
    /// The rewrite holds an ACCESS EXCLUSIVE lock for a time that grows with the table: the forward
    /// step is an outage, and so is re-running it after a rollback.
    ///
    /// ## Use instead
    ///
    /// Add the column nullable, set the default, backfill in batches; on PostgreSQL 11+ constant
    /// defaults are metadata only.
    pub static VOLATILE_DEFAULT_REWRITE = { code: "RB117", name: "volatile-default-rewrite", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        let Op::AddColumn { table, column, default: Some(d), .. } = s.op else { continue };
        if ctx.fresh(s.mi, s.si, table) {
            continue;
        }
        let version = pg_version(ctx.spec, s.m.change);
        let msg = match d {
            DefaultKind::Volatile => VolatileDefaultRewrite { table, column, generated: false, old_postgres: None },
            DefaultKind::Generated => VolatileDefaultRewrite { table, column, generated: true, old_postgres: None },
            DefaultKind::Constant if s.m.dialect == Dialect::Postgres && version.is_some_and(|v| v < 11) => VolatileDefaultRewrite { table, column, generated: false, old_postgres: version },
            DefaultKind::Constant => continue,
        };
        out.push(rule.finding(msg, s.stmt.evidence.clone()).change(s.m.change));
    }
}

/// A column added with a default that rewrites the table.
struct VolatileDefaultRewrite<'a> {
    table: &'a str,
    column: &'a str,
    /// A generated or identity column rather than a default.
    generated: bool,
    /// The PostgreSQL major version before 11 where any default rewrites; `None` for a volatile one.
    old_postgres: Option<u32>,
}

impl crate::assess::Violation for VolatileDefaultRewrite<'_> {
    fn message(&self) -> String {
        let Self { table, column, generated, old_postgres } = self;
        match old_postgres {
            None if *generated => format!("Adds {table}.{column} as a generated or identity column: its value is computed for every existing row, so the whole table is rewritten under an ACCESS EXCLUSIVE lock."),
            None => format!("Adds {table}.{column} with a volatile default: the whole table is rewritten under an ACCESS EXCLUSIVE lock."),
            Some(version) => format!("Adds {table}.{column} with a default on PostgreSQL {version}: before 11 this rewrites the table under an ACCESS EXCLUSIVE lock."),
        }
    }
}
