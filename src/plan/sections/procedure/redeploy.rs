//! The code, service by service: consumers before providers; traffic switches before redeploys.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    // 5. Code.
    for svc in &b.services {
        let mut rb = deploy::rollback(svc, &mut ctx.ph);
        if b.undeclared_code {
            for a in &mut rb {
                a.notes.push("No code change of this service is declared: check which version runs before the reverse migration, and skip this step only if it already is the previous version.".to_string());
            }
        }
        b.actions.extend(rb);
    }
    if let Some(first) = b.first_reverse
        && b.actions.len() > first + 1
    {
        // Between the reverse migration and the old code serving, the new code meets the old
        // schema: that stretch is an outage of whatever reads the changed tables.
        let last_code = b.actions.len();
        let minutes: u32 = b.actions[first..last_code].iter().map(|a| a.minutes).sum();
        b.ordering.push(format!(
            "Outage window: from Step {} (reverse migration) until Step {} finishes (previous version serving), about {minutes} min, the running new code meets the old schema and fails on what the migration changed. Keep the steps back to back; turning the flags off first (when they gate the change) shortens the impact.",
            first + 1,
            last_code
        ));
    }
    if b.services.len() > 1 {
        let names: Vec<String> = b.services.iter().map(|s| format!("`{}`", s.name)).collect();
        b.ordering.push(format!(
            "Services in this order: {} (a service that calls another deployed service goes first, so nothing calls an API that is already gone).",
            names.join(", ")
        ));
    }
    if b.services.iter().any(|s| {
        matches!(
            s.strategy,
            Some(crate::model::Strategy::BlueGreen | crate::model::Strategy::Canary)
        )
    }) {
        b.ordering.push("Traffic switch before redeploy: sending traffic back to the old version that still runs takes a minute; the redeploy only makes it permanent.".to_string());
    }
}
