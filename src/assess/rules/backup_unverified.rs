use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;
use crate::model::{BackupMethod, ChangeKind};

crate::declare_rule! {
    /// A data store that this deployment changes has no declared backup, or no tested restore.
    ///
    /// Why it matters for rollback: every data recovery path ends at a restore; a backup that was
    /// never restored is a hope, not a plan, and its restore time is unknown.
    ///
    /// Safe alternative: declare the backup method and location, run a restore drill, and record
    /// its date and throughput (`backup.last_tested_restore`, `backup.restore_gb_per_minute`).
    pub static BACKUP_UNVERIFIED = { code: "RB012", name: "backup-unverified", severity: Warning, check: check }
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
                format!("data store `{}` is changed but declares no backup", store.name),
                Evidence::field(ctx.spec_file, field),
            )),
            Some(b) if b.method == Some(BackupMethod::None) => out.push(
                rule.finding(
                    format!("data store `{}` is changed and has no backups", store.name),
                    Evidence::field(ctx.spec_file, format!("{field}.method")),
                )
                .severity(crate::assess::Severity::Error),
            ),
            Some(b) if b.last_tested_restore.is_none() => out.push(rule.finding(
                format!("data store `{}`: no tested restore on record; restore time is a guess", store.name),
                Evidence::field(ctx.spec_file, format!("{field}.last_tested_restore")),
            )),
            _ => {}
        }
    }
}
