use super::prelude::*;
use crate::model::InfraTool;

/// Infrastructure after the code: the new code may need it while it still runs.
pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    b.actions.push(infra_revert(ctx, i));
    if !b.services.is_empty() {
        b.ordering.push(format!(
            "Infrastructure `{}` after the code: the new code may need it while it still runs.",
            b.spec.deployment.changes[i].label(i)
        ));
    }
}

fn infra_revert(ctx: &mut Ctx, i: usize) -> Action {
    let change = ctx.input.spec.deployment.changes[i].clone();
    let label = change.label(i);
    let c = change.as_infrastructure().cloned().unwrap_or_default();
    let commit = ctx.ph.hole(
        &format!("{}_COMMIT", crate::plan::placeholders::slug(&label)),
        &format!("the commit that introduced `{label}`"),
        &format!("deployment.changes[{i}]"),
    );
    let dir = c.workdir.clone();
    let chdir = |cmd: Cmd| match &dir {
        Some(d) => Cmd::new("cd")
            .val(d.clone())
            .lit("&&")
            .word(crate::base::shell::Word::lit(cmd.render())),
        None => cmd,
    };
    let (commands, verify, minutes) = match c.apply {
        Some(InfraTool::Terraform) | Some(InfraTool::Opentofu) => {
            let bin = if c.apply == Some(InfraTool::Opentofu) {
                "tofu"
            } else {
                "terraform"
            };
            (
                vec![
                    Cmd::new("git revert --no-edit").word(commit),
                    chdir(Cmd::new(bin).lit("plan -out=rollback.tfplan")),
                    chdir(Cmd::new(bin).lit("apply rollback.tfplan")),
                ],
                vec![chdir(Cmd::new(bin).lit("plan -detailed-exitcode"))],
                20,
            )
        }
        Some(InfraTool::Cloudformation) => {
            let stack = ctx.ph.val_or(
                c.target.as_deref(),
                "STACK_NAME",
                "CloudFormation stack name",
                &format!("deployment.changes[{i}].target"),
            );
            (
                vec![
                    Cmd::new("git revert --no-edit").word(commit),
                    Cmd::new("aws cloudformation deploy --stack-name")
                        .word(stack.clone())
                        .lit("--template-file")
                        .word(ctx.ph.hole(
                            "TEMPLATE_FILE",
                            "the stack's template file",
                            "deployment.changes[].workdir",
                        )),
                ],
                vec![
                    Cmd::new("aws cloudformation describe-stacks --stack-name")
                        .word(stack)
                        .lit("--query Stacks[0].StackStatus"),
                ],
                20,
            )
        }
        _ => {
            let hole = ctx.ph.hole(
                &format!("{}_REVERT_COMMAND", crate::plan::placeholders::slug(&label)),
                &format!("how `{label}` is reverted"),
                &format!("deployment.changes[{i}].apply"),
            );
            (vec![Cmd::default().word(hole)], Vec::new(), 30)
        }
    };
    let no_downgrade =
        c.no_downgrade_path == Some(true) || c.apply == Some(InfraTool::PlatformUpgrade);
    // What the revert does to each resource the forward plan touched: it destroys what the deploy
    // created, replaces again what it replaced, and re-creates empty what it destroyed.
    use crate::evidence::terraform::Action as Tf;
    let mut destroys = Vec::new();
    let mut replaces = Vec::new();
    let mut recreates = Vec::new();
    let mut stateful_lost = false;
    for r in ctx
        .evidence
        .resources
        .iter()
        .filter(|r| r.change == i && r.mode != "data")
    {
        let what = r.stateful();
        let item = format!(
            "`{}` ({}{})",
            r.address,
            what.map(|w| format!("{w}, ")).unwrap_or_default(),
            r.evidence.cite()
        );
        match r.action {
            Tf::Create => destroys.push(item),
            Tf::ReplaceDeleteFirst | Tf::ReplaceCreateFirst => replaces.push(item),
            Tf::Delete => {
                recreates.push(item);
                continue;
            }
            _ => continue,
        }
        // Destroyed or replaced by the revert: its data since the deploy is lost.
        stateful_lost |= what.is_some();
    }
    let mut notes = vec![
        "Read the plan before applying: a resource the revert would replace or destroy does not come back with its data.".to_string(),
    ];
    if !destroys.is_empty() {
        notes.push(format!(
            "The revert destroys what the deploy created: {}.",
            destroys.join("; ")
        ));
    }
    if !replaces.is_empty() {
        notes.push(format!(
            "The revert replaces again what the deploy replaced (the attributes that forced it change back): {}.",
            replaces.join("; ")
        ));
    }
    if !recreates.is_empty() {
        notes.push(format!(
            "The revert re-creates, empty, what the deploy destroyed: {}; its data comes back only from a backup.",
            recreates.join("; ")
        ));
    }
    if stateful_lost {
        notes.push(
            "Take a snapshot of every stateful resource above before applying the revert."
                .to_string(),
        );
    }
    if no_downgrade {
        // Nothing downgrades it: the step is containment, and says so.
        let target = c.target.clone().unwrap_or_else(|| label.clone());
        let hole = ctx.ph.hole(
            &format!("{}_MITIGATION_COMMAND", crate::plan::placeholders::slug(&label)),
            &format!("how traffic leaves `{target}` (failover to an environment still on the old version) or the fix forward"),
            "write it now and rehearse it",
        );
        return Action {
            title: format!("Mitigate `{label}`: {target} has no downgrade"),
            component: label,
            commands: vec![Cmd::default().word(hole)],
            verify: Vec::new(),
            success: "the workloads that failed on the new version are healthy again (rolled back or fixed forward), or traffic runs on an environment still on the previous version".to_string(),
            minutes,
            destructive: false,
            notes: vec![
                format!("No command downgrades {target}. Roll back the workloads that fail on it first; if {target} itself is broken, move traffic to a standby on the previous version, or rebuild one and restore its state from backups."),
            ],
        };
    }
    Action {
        title: format!("Revert infrastructure `{label}`"),
        component: label,
        commands,
        verify,
        success: "the plan shows no remaining changes; dependent services stay healthy".to_string(),
        minutes,
        destructive: stateful_lost,
        notes,
    }
}
