//! Platform preconditions before a code rollback (Argo CD auto-sync off, ...), and why code is
//! rolled back when none was declared.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    if b.undeclared_code {
        let breaking: Vec<String> = b
            .migration_facts
            .iter()
            .filter(|m| super::runs_before_code(m))
            .map(|m| format!("`{}`", b.spec.deployment.changes[m.index].label(m.index)))
            .collect();
        b.ordering.push(format!(
            "No code change was declared or inferred, yet migration {} breaks the previous version: the code running now was built for the new schema, so the procedure redeploys the previous version after the reverse migration. Declare the code change (kind: code) to confirm which services.",
            breaking.join(", ")
        ));
    }
    for svc in &b.services {
        b.actions.extend(deploy::pre_rollback(svc, &mut ctx.ph));
    }
}
