//! Rule RB102 `drop-column`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Op, verdict};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects DROP COLUMN on a table that existed before this deployment.
    ///
    /// ## Why it matters for rollback
    ///
    /// The column's values are destroyed; a down can re-add the column but only empty, and old code
    /// reading it breaks at once.
    ///
    /// ## Use instead
    ///
    /// Stop reading the column first, wait a release, archive its values, then drop it.
    pub static DROP_COLUMN = { code: "RB102", name: "drop-column", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    // Indexed once per migration: thousands of drops in one file stay linear.
    let mut rebuilds: Option<(usize, verdict::RebuildIndex)> = None;
    for s in up_sites(ctx.migrations) {
        let Op::DropColumn { table, column } = s.op else {
            continue;
        };
        if rebuilds.as_ref().is_none_or(|(mi, _)| *mi != s.mi) {
            rebuilds = Some((s.mi, verdict::RebuildIndex::new(&s.m.up)));
        }
        let rebuilt = rebuilds
            .as_ref()
            .is_some_and(|(_, ix)| ix.rebuilt(s.si, table, Some(column)));
        if !ctx.fresh(s.mi, s.si, table)
            && !ctx.history().column_is_new((s.mi, s.si), table, column)
            && !rebuilt
        {
            out.push(rule.finding(DropColumn { table, column }, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// A column of an existing table dropped.
struct DropColumn<'a> { table: &'a str, column: &'a str }

impl crate::assess::Violation for DropColumn<'_> {
    fn message(&self) -> String {
        let Self { table, column } = self;
        format!("Drops column `{table}.{column}`: its values are destroyed and old code reading it breaks; rollback needs a restore.")
    }
}
