use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::DataOperationKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A data operation runs against production: a backfill, a bulk update or delete, a script.
    ///
    /// ## Why it matters for rollback
    ///
    /// A code rollback leaves the rows as the operation left them. A backfill into new columns is
    /// harmless to leave; an update or delete overwrites data that comes back only from a backup of
    /// those rows, and a script is unknown until read.
    ///
    /// ## Use instead
    ///
    /// Copy the affected rows to a backup table first, run in batches that can be paused, and keep
    /// the old values until the new version has proved itself.
    pub static DATA_OPERATION = { code: "RB007", name: "data-operation", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(d) = c.as_data_operation() else {
            continue;
        };
        let table = d.table.as_deref().unwrap_or("its table");
        let ev = Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].operation"));
        let f = match d.operation {
            Some(DataOperationKind::Backfill) if c.destructive() != Some(true) => rule
                .finding(
                    DataOperation::Backfill { table },
                    ev,
                )
                .level(Level::Fast),
            Some(DataOperationKind::Backfill) | Some(DataOperationKind::Update) | Some(DataOperationKind::Delete) => rule
                .finding(
                    DataOperation::Overwrites { operation: op_name(d.operation), table },
                    ev,
                )
                .level(Level::Irreversible)
                .severity(crate::assess::Severity::Error),
            Some(DataOperationKind::Script) | None => rule
                .finding(
                    DataOperation::Script { table },
                    ev,
                )
                .level(Level::Irreversible),
        };
        out.push(f.change(i));
    }
}

fn op_name(op: Option<DataOperationKind>) -> &'static str {
    match op {
        Some(DataOperationKind::Backfill) => "overwriting backfill",
        Some(DataOperationKind::Update) => "bulk update",
        Some(DataOperationKind::Delete) => "bulk delete",
        _ => "script",
    }
}

/// A data operation against production.
enum DataOperation<'a> {
    /// A backfill that only fills.
    Backfill { table: &'a str },
    /// An operation that overwrites or removes rows.
    Overwrites { operation: &'a str, table: &'a str },
    Script { table: &'a str },
}

impl crate::assess::Violation for DataOperation<'_> {
    fn message(&self) -> String {
        match self {
            Self::Backfill { table } => format!("backfill of `{table}`: stop it before rolling back; the values it wrote stay and the previous version must ignore them"),
            Self::Overwrites { operation, table } => format!("{operation} on {table} overwrites or removes rows: they come back only from a backup"),
            Self::Script { table } => format!("script against production on `{table}`: treat as irreversible until its effect is known"),
        }
    }
}
