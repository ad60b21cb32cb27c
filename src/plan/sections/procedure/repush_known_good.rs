//! Push the previous known-good content to the fleet. Cloudflare's 2025 bot-management outage
//! ended when the bad feature file stopped propagating and a known-good file was pushed
//! (https://blog.cloudflare.com/18-november-2025-outage/); CrowdStrike deployed a corrected
//! channel file (https://www.crowdstrike.com/falcon-content-update-remediation-and-guidance-hub/).
//! Ansible targets hosts with `--limit` and passes variables with `-e`
//! (https://docs.ansible.com/ansible/latest/cli/ansible-playbook.html); Salt applies a state with
//! pillar overrides (`state.apply <STATE> pillar=...`,
//! https://docs.saltproject.io/en/latest/ref/modules/all/salt.modules.state.html) and lists the
//! minions that do not answer with `salt-run manage.down`.

use super::prelude::*;
use crate::model::kinds::FleetTool;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let f = c.as_fleet_push().cloned().unwrap_or_default();
    let slug = crate::plan::placeholders::slug(&label);
    let at = format!("deployment.changes[{i}]");
    let previous = ctx.ph.text_or(
        f.previous.as_deref(),
        &format!("{slug}_PREVIOUS_CONTENT"),
        &format!("the known-good content (version or file) `{label}` replaced"),
        &format!("{at}.previous"),
    );
    let (commands, verify) = match f.tool {
        Some(FleetTool::Ansible) => {
            let playbook = ctx.ph.val_or(
                f.playbook.as_deref(),
                "ANSIBLE_PLAYBOOK",
                "the playbook that pushes the content",
                &format!("{at}.playbook"),
            );
            let hosts = ctx.ph.val_or(
                f.hosts.as_deref(),
                "ANSIBLE_HOSTS",
                "the host pattern that received the content",
                &format!("{at}.hosts"),
            );
            let vars = ctx.ph.hole(
                &format!("{slug}_PREVIOUS_VARS"),
                &format!("the extra variables that select {previous} (for example `version=...`)"),
                &format!("{at}.previous"),
            );
            (
                vec![Cmd::new("ansible-playbook")
                    .word(playbook)
                    .opt("--limit", hosts.clone())
                    .opt("-e", vars)],
                vec![Cmd::new("ansible")
                    .word(hosts)
                    .lit("-m ansible.builtin.ping")],
            )
        }
        Some(FleetTool::Salt) => {
            let target = ctx.ph.val_or(
                f.hosts.as_deref(),
                "SALT_TARGET",
                "the Salt target the push runs against",
                &format!("{at}.hosts"),
            );
            let state = ctx.ph.val_or(
                f.playbook.as_deref(),
                "SALT_STATE",
                "the state that pushes the content",
                &format!("{at}.playbook"),
            );
            let pillar = ctx.ph.hole(
                &format!("{slug}_PREVIOUS_PILLAR"),
                &format!("the pillar override, as JSON, that selects {previous}"),
                &format!("{at}.previous"),
            );
            (
                vec![Cmd::new("salt")
                    .word(target)
                    .lit("state.apply")
                    .word(state)
                    .word(crate::base::shell::Word::lit("pillar=").then(pillar))],
                vec![Cmd::new("salt-run manage.down")],
            )
        }
        _ => (
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_REPUSH_COMMAND"),
                &format!("how {previous} is pushed to every host that has `{label}` (the pipeline re-run pinned to it, the content channel, the OTA campaign, the config API)"),
                &format!("{at}.tool"),
            ))],
            Vec::new(),
        ),
    };
    let mut notes = vec![format!(
        "Push {previous}, not a new fix: it is the content every host ran before. Hosts that do not report it within two check-in intervals are recovered out of band (console or IPMI, safe mode, remove the bad content, reboot)."
    )];
    if f.kill_switch.is_some() {
        notes.push(format!(
            "If the kill switch ({}) was thrown, service is back already: this push runs after it, off the clock of the rollback; turn the switch back only after every host reports {previous}.",
            f.kill_switch.as_deref().unwrap_or_default()
        ));
    }
    if f.breaks_receiver == Some(true) {
        notes.push("Hosts that crash or boot-loop on the content cannot fetch this: only hosts that are online with their agent running take it.".to_string());
    }
    let title = if f.previous_kept == Some(true) {
        format!("Switch the hosts back to the previous content kept on them (`{label}`)")
    } else {
        format!("Push the previous known-good content {previous} (`{label}`)")
    };
    b.actions.push(Action {
        title,
        component: label.clone(),
        commands,
        verify,
        success: format!(
            "every reachable host reports {previous}, and the host health signals in Rollback Trigger Criteria return to their pre-push baseline"
        ),
        minutes: match (f.kill_switch.is_some(), f.rollback_minutes, f.previous_kept == Some(true)) {
            (true, _, _) => 0,
            (false, Some(stated), _) => stated.min(60),
            (false, None, true) => 5,
            (false, None, false) => 10,
        },
        destructive: false,
        notes,
    });
    b.ordering.push(format!(
        "Known-good content for `{label}` next: it fixes every host that can still receive a push."
    ));
}
