//! Rule RB118 `enum-value-removed`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects an enum redefined in place: a PostgreSQL type dropped and recreated in one
    /// migration, or a MySQL column MODIFY'd to a new ENUM list.
    ///
    /// ## Why it matters for rollback
    ///
    /// Rows holding a removed value fail the conversion or are lost; MySQL copies the table unless
    /// values are only appended; the reverse has to remap rows.
    ///
    /// ## Use instead
    ///
    /// Append values only; ship tolerant readers first; remove a value only after no row uses it.
    pub static ENUM_VALUE_REMOVED = { code: "RB118", name: "enum-value-removed", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        let ops: Vec<_> = m.up.iter().flat_map(|s| s.ops.iter().map(move |o| (s, o))).collect();
        for (stmt, op) in &ops {
            let hit = match op {
                Op::AlterColumnType { to_type, .. } => m.dialect == Dialect::Mysql && to_type.starts_with("enum"),
                Op::DropType { names } => names.iter().any(|n| ops.iter().any(|(_, o)| matches!(o, Op::CreateType { name } if name == n))),
                _ => false,
            };
            if hit {
                out.push(rule.finding(EnumValueRemoved, stmt.evidence.clone()).level(Level::Complex).change(m.change));
            }
        }
    }
}

/// An enum redefined in place.
struct EnumValueRemoved;

impl crate::assess::Violation for EnumValueRemoved {
    fn message(&self) -> String {
        "Redefines an enum: rows using a removed value fail or are lost, and the reverse must remap rows; rollback time grows with the table.".to_string()
    }
}
