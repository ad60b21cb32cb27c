use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    let a = final_verification(ctx, &b.services);
    b.actions.push(a);
}

fn final_verification(ctx: &mut Ctx, services: &[crate::model::Service]) -> Action {
    let obs = ctx.input.spec.architecture.observability.clone();
    let mut verify = Vec::new();
    let mut commands = Vec::new();
    let targets: Vec<crate::model::Service> = if services.is_empty() {
        ctx.input.spec.architecture.services.clone()
    } else {
        services.to_vec()
    };
    for s in &targets {
        commands.push(deploy::health_check(s, &mut ctx.ph));
    }
    let mut queries = Vec::new();
    for s in &targets {
        queries.push(format!(
            "{}: `{}`",
            s.name,
            metrics::error_ratio(obs.as_ref(), s, "5m")
        ));
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
        success: format!(
            "health checks pass, error ratio and p99 are back at the pre-deploy baseline for 10 minutes, and {state}"
        ),
        minutes: 5,
        destructive: false,
        notes: queries.into_iter().map(|q| format!("Watch: {q}")).collect(),
    }
}
