//! Rule RB103 `drop-schema-or-database`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects DROP SCHEMA and DROP DATABASE.
    ///
    /// ## Why it matters for rollback
    ///
    /// Everything inside is destroyed at once; only a backup brings it back.
    ///
    /// ## Use instead
    ///
    /// Back up, rename or revoke access first, and drop in a later release.
    pub static DROP_SCHEMA_OR_DATABASE = { code: "RB103", name: "drop-schema-or-database", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::DropSchema { .. } | Op::DropDatabase { .. } = s.op
        {
            out.push(rule.finding(DropSchemaOrDatabase, s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}

/// A DROP SCHEMA or DROP DATABASE.
struct DropSchemaOrDatabase;

impl crate::assess::Violation for DropSchemaOrDatabase {
    fn message(&self) -> String {
        "Drops a whole schema or database: all data in it is destroyed; rollback needs a full restore.".to_string()
    }
}
