//! Rule RB300 `stateful-resource-destroyed`.

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::terraform::{Action, ResourceChange};
use crate::model::{BackupMethod, DataStore};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A Terraform/OpenTofu plan destroys a stateful resource (database, bucket, volume, queue,
    /// cache, DNS zone, encryption key).
    ///
    /// ## Why it matters for rollback
    ///
    /// Reverting the code and applying again creates an empty resource; the data comes back only
    /// from a backup, and only if a restore was ever proved.
    ///
    /// ## Use instead
    ///
    /// Keep the resource (`removed { lifecycle { destroy = false } }` or `terraform state rm`), set
    /// `prevent_destroy`, take a final snapshot, and record a tested restore on the data store
    /// (`backup.last_tested_restore`).
    pub static STATEFUL_RESOURCE_DESTROYED = { code: "RB300", name: "stateful-resource-destroyed", family: Terraform, severity: Error, check: check, fixtures: [".yaml", "-plan.json"] }
}

/// The data store of the spec a resource stands for: by identifier, or by the resource's name.
pub fn store_of<'a>(stores: &'a [DataStore], r: &ResourceChange) -> Option<&'a DataStore> {
    let local = r.address.rsplit('.').next().unwrap_or("");
    stores.iter().find(|s| {
        r.identifier
            .as_deref()
            .is_some_and(|id| s.identifier.as_deref() == Some(id) || s.name == id)
            || s.name == local
    })
}

/// A backup with a tested restore on record.
pub fn verified_backup(s: &DataStore) -> bool {
    s.backup
        .as_ref()
        .is_some_and(|b| b.method != Some(BackupMethod::None) && b.last_tested_restore.is_some())
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        if r.action != Action::Delete {
            continue;
        }
        let Some(what) = r.stateful() else { continue };
        let store = store_of(&ctx.spec.architecture.data_stores, r);
        let f = match store {
            Some(s) if verified_backup(s) => rule
                .finding(
                    StatefulResourceDestroyed { what, address: &r.address, recovery: Recovery::TestedBackup(&s.name) },
                    r.evidence.clone(),
                )
                .level(Level::Complex)
                .severity(Severity::Warning),
            Some(s) => rule
                .finding(
                    StatefulResourceDestroyed { what, address: &r.address, recovery: Recovery::UntestedStore(&s.name) },
                    r.evidence.clone(),
                )
                .level(Level::Irreversible),
            None => rule
                .finding(
                    StatefulResourceDestroyed { what, address: &r.address, recovery: Recovery::NoStore },
                    r.evidence.clone(),
                )
                .level(Level::Irreversible),
        };
        out.push(f.change(r.change));
    }
}

/// How the data of a destroyed or replaced stateful resource comes back, if at all.
pub(super) enum Recovery<'a> {
    /// From this data store's tested backup.
    TestedBackup(&'a str),
    /// This data store stands for it, with no tested restore on record.
    UntestedStore(&'a str),
    /// No data store of the spec stands for it.
    NoStore,
}

/// A plan that destroys a resource holding data.
struct StatefulResourceDestroyed<'a> {
    /// The kind of store ("database", "bucket").
    what: &'a str,
    address: &'a str,
    recovery: Recovery<'a>,
}

impl crate::assess::Violation for StatefulResourceDestroyed<'_> {
    fn message(&self) -> String {
        let Self { what, address, recovery } = self;
        match recovery {
            Recovery::TestedBackup(store) => format!("destroys {what} `{address}`: the data comes back only by restoring data store `{store}` from its tested backup"),
            Recovery::UntestedStore(store) => format!("destroys {what} `{address}`: data store `{store}` has no tested restore on record, so the data does not come back"),
            Recovery::NoStore => format!("destroys {what} `{address}`: no data store of the spec with a tested backup stands for it, so the data does not come back"),
        }
    }
}
