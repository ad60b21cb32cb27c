use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    let a = final_verification(ctx, &b.services, &b.actions);
    b.actions.push(a);
}

fn final_verification(
    ctx: &mut Ctx,
    services: &[crate::model::Service],
    earlier: &[Action],
) -> Action {
    let obs = ctx.input.spec.architecture.observability.clone();
    let mut verify = Vec::new();
    let mut commands = Vec::new();
    let targets: Vec<crate::model::Service> = if services.is_empty() {
        ctx.input.spec.architecture.services.clone()
    } else {
        services.to_vec()
    };
    // Each service is checked and watched in what it serves: HTTP error ratio for HTTP, its
    // own signals (gRPC status, consumer lag, failed runs) otherwise.
    for s in &targets {
        commands.extend(crate::plan::sections::triggers::health_check(ctx, s));
    }
    let mut queries = Vec::new();
    for s in &targets {
        let q = match s.protocol() {
            crate::model::Protocol::Http => metrics::error_ratio(obs.as_ref(), s, "5m"),
            _ => crate::plan::sections::triggers::baseline_queries(obs.as_ref(), s)
                .into_iter()
                .next()
                .unwrap_or_else(|| metrics::error_ratio(obs.as_ref(), s, "5m")),
        };
        queries.push(format!("{}: `{q}`", s.name));
    }
    // With no service to check, nothing says HTTP: the change's own signals decide.
    let all_http = !targets.is_empty()
        && targets
            .iter()
            .all(|s| s.protocol() == crate::model::Protocol::Http);
    // With no service to probe, recovery is judged by the checks the steps already declare (the
    // platform's status, the kind's own verification); a smoke test is asked for only when no
    // step has one.
    let mut notes = Vec::new();
    if commands.is_empty() {
        commands = steps_checks(earlier);
        if !commands.is_empty() {
            notes.push("These are the checks of the steps above: run those of the steps taken, again, once the change has settled.".to_string());
        }
    }
    if commands.is_empty() {
        let hole = ctx.ph.hole(
            "SMOKE_TEST_COMMAND",
            "a smoke test of the critical flow",
            "architecture.services[].health_endpoint",
        );
        commands.push(Cmd::default().word(hole));
    }
    verify.append(&mut commands);
    let prev = crate::plan::sections::previous_version(ctx);
    let state = if crate::plan::sections::flag_only(&ctx.input.spec) {
        "the flags show their pre-deploy state".to_string()
    } else if services.is_empty() {
        "every step above reports its success".to_string()
    } else {
        format!("{prev} is what runs")
    };
    Action {
        title: "Confirm recovery".to_string(),
        component: "all".to_string(),
        commands: Vec::new(),
        verify,
        success: if all_http {
            format!(
                "health checks pass, error ratio and p99 are back at the pre-deploy baseline for 10 minutes, and {state}"
            )
        } else if targets.is_empty() {
            format!(
                "the signals in Rollback Trigger Criteria are back at their pre-deploy baseline for 10 minutes, and {state}"
            )
        } else {
            format!(
                "health checks pass, each service's own signals (above) are back at the pre-deploy baseline for 10 minutes, and {state}"
            )
        },
        minutes: 5,
        destructive: false,
        notes: queries
            .into_iter()
            .map(|q| format!("Watch: {q}"))
            .chain(notes)
            .collect(),
    }
}

/// The distinct verification commands of the earlier steps that run something known: a command
/// made only of placeholders checks nothing until it is filled.
fn steps_checks(earlier: &[Action]) -> Vec<Cmd> {
    let mut seen = std::collections::BTreeSet::new();
    earlier
        .iter()
        .flat_map(|a| a.verify.iter())
        .filter(|c| c.holes().len() < c.words.len())
        .filter(|c| seen.insert(c.render()))
        .cloned()
        .collect()
}
