//! Rule RB103 `drop-schema-or-database`.
#![allow(unused_imports)]

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::{pg_version, up_sites};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Dialect, DownVerdict, Op, verdict};

crate::declare_rule! {
    /// Detects DROP SCHEMA and DROP DATABASE.
    ///
    /// Why it matters for rollback: everything inside is destroyed at once; only a backup brings it back.
    ///
    /// Safe alternative: back up, rename or revoke access first, and drop in a later release.
    pub static DROP_SCHEMA_OR_DATABASE = { code: "RB103", name: "drop-schema-or-database", severity: Error, check: check }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::DropSchema { .. } | Op::DropDatabase { .. } = s.op
            && true
        {
            out.push(rule.finding("Drops a whole schema or database: all data in it is destroyed; rollback needs a full restore.", s.stmt.evidence.clone()).level(Level::Irreversible).change(s.m.change));
        }
    }
}
