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
    pub static DELETION_PROTECTION_DISABLED = { code: "RB302", name: "deletion-protection-disabled", severity: Warning, check: check, fixtures: [".yaml", "-plan.json"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for r in ctx.resources {
        let off: Vec<String> = r
            .protection
            .iter()
            .filter(|p| p.turned_off())
            .map(|p| format!("`{}`", p.attribute))
            .collect();
        if off.is_empty() {
            continue;
        }
        out.push(
            rule.finding(
                format!(
                    "`{}` ({}): {} turned off; a destroy of it would go through with nothing kept",
                    r.address,
                    r.action.as_str(),
                    off.join(", ")
                ),
                r.evidence.clone(),
            )
            .level(Level::Complex)
            .change(r.change),
        );
    }
}
