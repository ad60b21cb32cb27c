use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;
use crate::model::{BackupMethod, ChangeKind};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A data store that this deployment changes has no declared backup, or no tested restore.
    ///
    /// ## Why it matters for rollback
    ///
    /// Every data recovery path ends at a restore; a backup that was never restored is a hope, not
    /// a plan, and its restore time is unknown.
    ///
    /// ## Use instead
    ///
    /// Declare the backup method and location, run a restore drill, and record its date and
    /// throughput (`backup.last_tested_restore`, `backup.restore_gb_per_minute`).
    pub static BACKUP_UNVERIFIED = { code: "RB012", name: "backup-unverified", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    let spec = ctx.spec;
    let mut touched: Vec<&str> = spec
        .deployment
        .changes
        .iter()
        .filter(|c| matches!(c.kind(), ChangeKind::Migration | ChangeKind::DataOperation))
        .filter_map(|c| c.database())
        .collect();
    if touched.is_empty()
        && spec.deployment.changes.iter().any(|c| matches!(c.kind(), ChangeKind::Migration | ChangeKind::DataOperation))
    {
        touched.extend(spec.architecture.data_stores.iter().map(|s| s.name.as_str()));
    }
    touched.sort();
    touched.dedup();
    for (si, store) in spec.architecture.data_stores.iter().enumerate() {
        if !touched.contains(&store.name.as_str()) {
            continue;
        }
        let field = format!("architecture.data_stores[{si}].backup");
        match &store.backup {
            None => out.push(rule.finding(
                BackupUnverified::Undeclared { store: &store.name },
                Evidence::field(ctx.spec_file, field),
            )),
            Some(b) if b.method == Some(BackupMethod::None) => out.push(
                rule.finding(
                    BackupUnverified::Disabled { store: &store.name },
                    Evidence::field(ctx.spec_file, format!("{field}.method")),
                )
                .severity(crate::assess::Severity::Error),
            ),
            Some(b) if b.last_tested_restore.is_none() => out.push(rule.finding(
                BackupUnverified::RestoreUntested { store: &store.name },
                Evidence::field(ctx.spec_file, format!("{field}.last_tested_restore")),
            )),
            _ => {}
        }
    }
}

/// A changed data store whose backup cannot be counted on.
enum BackupUnverified<'a> {
    Undeclared { store: &'a str },
    /// `method: none`.
    Disabled { store: &'a str },
    RestoreUntested { store: &'a str },
}

impl crate::assess::Violation for BackupUnverified<'_> {
    fn message(&self) -> String {
        match self {
            Self::Undeclared { store } => format!("data store `{store}` is changed but declares no backup"),
            Self::Disabled { store } => format!("data store `{store}` is changed and has no backups"),
            Self::RestoreUntested { store } => format!("data store `{store}`: no tested restore on record; restore time is a guess"),
        }
    }
}
