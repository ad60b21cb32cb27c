//! Rule RB114 `index-without-concurrently`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects CREATE INDEX or DROP INDEX without CONCURRENTLY on an existing PostgreSQL table.
    ///
    /// ## Why it matters for rollback
    ///
    /// Writes to the table are blocked for the whole build (or while the drop waits for its lock),
    /// during deploy and during any rollback that rebuilds it.
    ///
    /// ## Use instead
    ///
    /// CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY, outside a transaction; check for
    /// leftover INVALID indexes.
    pub static INDEX_WITHOUT_CONCURRENTLY = { code: "RB114", name: "index-without-concurrently", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if s.m.dialect != Dialect::Postgres {
            continue;
        }
        match s.op {
            Op::CreateIndex { table, name, concurrently: false, .. } if !ctx.fresh(s.mi, s.si, table) => {
                let index = name.as_deref().map(|n| format!("index {n}")).unwrap_or_else(|| "an index".into());
                out.push(rule.finding(IndexWithoutConcurrently::Builds { index: &index, table }, s.stmt.evidence.clone()).change(s.m.change));
            }
            Op::DropIndex { names, concurrently: false } if names.iter().any(|n| !on_fresh_table(&s, ctx, n)) => {
                out.push(rule.finding(IndexWithoutConcurrently::Drops { names }, s.stmt.evidence.clone()).change(s.m.change));
            }
            _ => {}
        }
    }
}

/// Is index `name` on a table created earlier in this deployment (known from its CREATE INDEX)?
/// Such a table has no traffic to block.
fn on_fresh_table(site: &crate::evidence::sql::support::Site, ctx: &Context, name: &str) -> bool {
    ctx.history().index_table((site.mi, site.si), name).is_some_and(|(_, table)| ctx.fresh(site.mi, site.si, table))
}

/// An index built or dropped without CONCURRENTLY.
enum IndexWithoutConcurrently<'a> {
    /// `index` is "index NAME" or "an index".
    Builds { index: &'a str, table: &'a str },
    Drops { names: &'a [String] },
}

impl crate::assess::Violation for IndexWithoutConcurrently<'_> {
    fn message(&self) -> String {
        match self {
            Self::Builds { index, table } => format!("Builds {index} on {table} without CONCURRENTLY: writes to {table} are blocked for the whole build."),
            Self::Drops { names } => format!("Drops index {} without CONCURRENTLY: it takes an ACCESS EXCLUSIVE lock on its table, and every query on the table waits behind it.", names.join(", ")),
        }
    }
}
