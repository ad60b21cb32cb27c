//! Rule RB301 `stateful-resource-replaced`.

use super::tf_stateful_resource_destroyed::{Recovery, store_of, verified_backup};
use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::terraform::{Action, ResourceChange};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A Terraform/OpenTofu plan replaces a stateful resource (destroys it and creates a new one).
    ///
    /// ## Why it matters for rollback
    ///
    /// The new resource starts empty, and reverting replaces it again. Destroy-before-create (the
    /// default) also leaves a window with no resource at all; with `create_before_destroy` the old
    /// one is destroyed once the new one exists. Either way the data comes back only from a backup.
    ///
    /// ## Use instead
    ///
    /// Change the attribute in place if the provider allows it, or create the new resource from a
    /// snapshot beside the old one and switch over; keep a tested backup.
    pub static STATEFUL_RESOURCE_REPLACED = { code: "RB301", name: "stateful-resource-replaced", family: Terraform, severity: Error, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        if !r.action.is_replace() {
            continue;
        }
        let Some(what) = r.stateful() else { continue };
        let store = store_of(&ctx.spec.architecture.data_stores, r);
        let f = match store {
            Some(s) if verified_backup(s) => rule
                .finding(
                    StatefulResourceReplaced { what, resource: r, recovery: Recovery::TestedBackup(&s.name) },
                    r.evidence.clone(),
                )
                .level(Level::Complex)
                .severity(Severity::Warning),
            _ => rule
                .finding(
                    StatefulResourceReplaced {
                        what,
                        resource: r,
                        recovery: match store {
                            Some(s) => Recovery::UntestedStore(&s.name),
                            None => Recovery::NoStore,
                        },
                    },
                    r.evidence.clone(),
                )
                .level(Level::Irreversible),
        };
        out.push(f.change(r.change));
    }
}

/// A plan that replaces a resource holding data: the new one starts empty.
struct StatefulResourceReplaced<'a> {
    /// The kind of store ("database", "bucket").
    what: &'a str,
    resource: &'a ResourceChange,
    recovery: Recovery<'a>,
}

impl crate::assess::Violation for StatefulResourceReplaced<'_> {
    fn message(&self) -> String {
        let Self { what, resource: r, recovery } = self;
        let order = if r.action == Action::ReplaceDeleteFirst {
            "destroy before create: the old one is gone before the new one exists, and the new one starts empty"
        } else {
            "create before destroy: the new one starts empty and the old one is destroyed after"
        };
        let why = if r.replace_paths.is_empty() {
            String::new()
        } else {
            format!(" (forced by {})", r.replace_paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "))
        };
        match recovery {
            Recovery::TestedBackup(store) => format!("replaces {what} `{}`{why}, {order}; the data comes back by restoring data store `{store}` from its tested backup", r.address),
            Recovery::UntestedStore(store) => format!("replaces {what} `{}`{why}, {order}; data store `{store}` has no tested restore on record", r.address),
            Recovery::NoStore => format!("replaces {what} `{}`{why}, {order}; no data store of the spec with a tested backup stands for it", r.address),
        }
    }
}
