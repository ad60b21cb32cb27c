//! Rule RB116 `enum-value-added`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects ALTER TYPE ... ADD VALUE on a PostgreSQL enum.
    ///
    /// ## Why it matters for rollback
    ///
    /// PostgreSQL has no DROP VALUE: undoing it means recreating the type and rewriting every
    /// column using it; once rows use the value, old code may choke on it.
    ///
    /// ## Use instead
    ///
    /// Ship readers that tolerate the new value first; or use a lookup table instead of an enum.
    pub static ENUM_VALUE_ADDED = { code: "RB116", name: "enum-value-added", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::AddEnumValue { type_name, value } = s.op
        {
            out.push(rule.finding(EnumValueAdded { type_name, value }, s.stmt.evidence.clone()).level(Level::Complex).change(s.m.change));
        }
    }
}

/// A value added to a PostgreSQL enum.
struct EnumValueAdded<'a> { type_name: &'a str, value: &'a str }

impl crate::assess::Violation for EnumValueAdded<'_> {
    fn message(&self) -> String {
        let Self { type_name, value } = self;
        format!("Adds value '{value}' to enum `{type_name}`: it cannot be removed by a simple down; rollback leaves it in place, and rows using it must be remapped.")
    }
}
