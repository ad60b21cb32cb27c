//! Rule RB302 `deletion-protection-disabled`.

use crate::assess::{Context, Finding, Level, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A plan turns a deletion guard off: `deletion_protection` (and its provider variants) to
    /// false, `skip_final_snapshot` or `force_destroy` to true.
    ///
    /// ## Why it matters for rollback
    ///
    /// The guard is what stops a later apply, or a mistaken revert, from destroying the data; with
    /// it off the next destroy goes through without a final snapshot. `prevent_destroy` lives in
    /// the configuration, not in the plan: a plan that would destroy a resource guarded by it
    /// fails, and shows here as an errored plan.
    ///
    /// ## Use instead
    ///
    /// Keep the guards on; turn one off only in the change that needs it, with a snapshot taken
    /// just before, and turn it back on right after.
    pub static DELETION_PROTECTION_DISABLED = { code: "RB302", name: "deletion-protection-disabled", family: Terraform, severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        let off: Vec<&str> = r
            .protection
            .iter()
            .filter(|p| p.turned_off())
            .map(|p| p.attribute.as_str())
            .collect();
        if off.is_empty() {
            continue;
        }
        out.push(
            rule.finding(
                DeletionProtectionDisabled {
                    address: &r.address,
                    action: r.action.as_str(),
                    attributes: &off,
                },
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}

/// A plan that turns a deletion guard off.
struct DeletionProtectionDisabled<'a> {
    address: &'a str,
    action: &'a str,
    /// The guard attributes turned off.
    attributes: &'a [&'a str],
}

impl crate::assess::Violation for DeletionProtectionDisabled<'_> {
    fn message(&self) -> String {
        let off: Vec<String> = self.attributes.iter().map(|a| format!("`{a}`")).collect();
        format!(
            "`{}` ({}): {} turned off; a destroy of it would go through with nothing kept",
            self.address,
            self.action,
            off.join(", ")
        )
    }
}
