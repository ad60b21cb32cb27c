//! Halt a push to a fleet: until it stops, every minute more hosts load the bad content, and a
//! pipeline built to reach everywhere at once finishes in seconds. Salt's job runner lists and
//! ends a running job (`salt-run jobs.active`, `saltutil.term_job`,
//! https://docs.saltproject.io/en/latest/topics/jobs/index.html); other tools and vendor channels
//! get the halt as a placeholder to write before the push.

use super::prelude::*;
use crate::model::kinds::FleetTool;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let f = c.as_fleet_push().cloned().unwrap_or_default();
    let slug = crate::plan::placeholders::slug(&label);
    let what = f
        .content
        .clone()
        .unwrap_or_else(|| "the content".to_string());
    let (commands, notes) = match f.tool {
        Some(FleetTool::Salt) => {
            let jid = ctx.ph.hole(
                "SALT_JID",
                "the job id of the running push, from `salt-run jobs.active`",
                "read it from `salt-run jobs.active`",
            );
            let target = ctx.ph.val_or(
                f.hosts.as_deref(),
                "SALT_TARGET",
                "the Salt target the push runs against",
                &format!("deployment.changes[{i}].hosts"),
            );
            (
                vec![
                    Cmd::new("salt-run jobs.active"),
                    Cmd::new("salt").word(target).lit("saltutil.term_job").word(jid),
                ],
                vec!["Minions that already applied the state keep it; the next steps push the previous content back.".to_string()],
            )
        }
        Some(FleetTool::Ansible) => (
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_HALT_COMMAND"),
                &format!("how the running push of `{label}` is stopped: Ctrl-C in the terminal running `ansible-playbook`, or cancelling the job in AWX / Automation Controller"),
                &format!("deployment.changes[{i}].playbook (say where it runs)"),
            ))],
            vec!["Ansible finishes the task in progress on the current batch; hosts of later batches (`serial`) do not receive the content.".to_string()],
        ),
        _ => (
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_HALT_COMMAND"),
                &format!("how the push of `{label}` is paused or stopped (the pipeline, the content channel, the OTA campaign, the config distribution)"),
                &format!("deployment.changes[{i}].tool"),
            ))],
            Vec::new(),
        ),
    };
    let mut notes = notes;
    if f.stages.is_empty() {
        notes.push("The push is declared to go everywhere at once: by the time a signal fires it may have finished; halt it anyway so no retry or scheduled run pushes it again.".to_string());
    }
    b.actions.push(Action {
        title: format!("Halt the push of {what} (`{label}`)"),
        component: label.clone(),
        commands,
        verify: Vec::new(),
        success:
            "the push reports stopped, and the count of hosts on the new content no longer rises"
                .to_string(),
        minutes: 2,
        destructive: false,
        notes,
    });
    b.ordering.push(format!(
        "Halt the push `{label}` first: every minute it reaches more hosts, and a host that fails on it may not be able to take the fix."
    ));
}
