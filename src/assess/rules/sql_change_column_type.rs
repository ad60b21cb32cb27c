//! Rule RB109 `change-column-type`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects changing a column's type, except binary-coercible widenings (varchar(n) to a larger
    /// varchar or text, numeric precision up).
    ///
    /// ## Why it matters for rollback
    ///
    /// The table is rewritten under a lock; old code may not handle the new type; a narrowing
    /// change loses data and its reverse cannot bring it back.
    ///
    /// ## Use instead
    ///
    /// Add a new column, dual-write with a trigger, backfill in batches, switch reads, drop the old
    /// column later.
    pub static CHANGE_COLUMN_TYPE = { code: "RB109", name: "change-column-type", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        let Op::AlterColumnType { table, column, to_type } = s.op else { continue };
        if ctx.fresh(s.mi, s.si, table) {
            continue;
        }
        // The type the history built, else the one the migration's own down sets back.
        // A MySQL CHANGE renames and retypes in one statement: the old name has the type.
        let renamed_from = s.stmt.ops.iter().find_map(|o| match o {
            Op::RenameColumn { table: t, from, to } if t == table && to == column => Some(from.as_str()),
            _ => None,
        });
        let from = ctx.history().column_type((s.mi, s.si), table, column)
            .or_else(|| renamed_from.and_then(|f| ctx.history().column_type((s.mi, s.si), table, f)))
            .or_else(|| crate::evidence::sql::support::previous_type(ctx.migrations, s.mi, table, column));
        if from.as_deref() == Some(to_type.as_str()) {
            continue;
        }
        let class = from.as_deref().map(|f| crate::evidence::sql::support::type_change(f, to_type));
        use crate::evidence::sql::support::TypeChange;
        let (msg, level) = match class {
            Some(TypeChange::Widening) => continue,
            Some(TypeChange::Narrowing) => (ChangeColumnType::Narrows { table, column, from: from.unwrap_or_default(), to_type }, Level::Irreversible),
            _ => (ChangeColumnType::Rewrites { table, column, to_type }, Level::Complex),
        };
        out.push(rule.finding(msg, s.stmt.evidence.clone()).level(level).change(s.m.change));
    }
    // A down that narrows a column back cuts the values written since the deploy.
    for (mi, m) in ctx.migrations.iter().enumerate() {
        for stmt in &m.down {
            for op in &stmt.ops {
                let Op::AlterColumnType { table, column, to_type } = op else { continue };
                let Some(after_up) = ctx.history().column_type((mi, usize::MAX), table, column) else { continue };
                if crate::evidence::sql::support::type_change(&after_up, to_type) == crate::evidence::sql::support::TypeChange::Narrowing {
                    out.push(rule.finding(ChangeColumnType::DownNarrows { table, column, after_up: &after_up, to_type }, stmt.evidence.clone()).level(Level::Irreversible).change(m.change));
                }
            }
        }
    }
}

/// A column's type changed by the up, or narrowed back by the down.
enum ChangeColumnType<'a> {
    Narrows { table: &'a str, column: &'a str, from: String, to_type: &'a str },
    Rewrites { table: &'a str, column: &'a str, to_type: &'a str },
    DownNarrows { table: &'a str, column: &'a str, after_up: &'a str, to_type: &'a str },
}

impl crate::assess::Violation for ChangeColumnType<'_> {
    fn message(&self) -> String {
        match self {
            Self::Narrows { table, column, from, to_type } => format!("Narrows `{table}.{column}` from {from} to {to_type}: values may be truncated or rejected; the reverse cannot restore them."),
            Self::Rewrites { table, column, to_type } => format!("Changes the type of `{table}.{column}` to {to_type}: the table is rewritten under a lock and old code may break; rollback needs a reverse rewrite whose time grows with the table."),
            Self::DownNarrows { table, column, after_up, to_type } => format!("The down narrows `{table}.{column}` from {after_up} back to {to_type}: values written since the deploy that do not fit are truncated or rejected."),
        }
    }
}
