//! Recover, out of band, the hosts a push cannot reach: those that crashed, boot-loop or lost
//! connectivity on the content. CrowdStrike's remediation for channel file 291 was by hand on
//! each host: boot into safe mode or the Windows Recovery Environment, delete the bad channel
//! file, reboot, with BitLocker recovery keys
//! (https://www.crowdstrike.com/falcon-content-update-remediation-and-guidance-hub/). A serial
//! console over IPMI is `ipmitool -I lanplus -H <BMC> -U <USER> -E sol activate`, the password
//! read from `IPMI_PASSWORD` (https://linux.die.net/man/1/ipmitool).

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let f = c.as_fleet_push().cloned().unwrap_or_default();
    // Hosts whose loader the content cannot break take the re-push; so do hosts that keep the
    // previous content or sit behind a kill switch, unless the brief says the content can break
    // them: the few that went offline are left to the note of the re-push step.
    let way_back = f.previous_kept == Some(true) || f.kill_switch.is_some();
    if f.breaks_receiver == Some(false) || (way_back && f.breaks_receiver.is_none()) {
        return;
    }
    let slug = crate::plan::placeholders::slug(&label);
    let runbook = ctx.ph.text_or(
        f.recovery.as_deref(),
        &format!("{slug}_HOST_RECOVERY_RUNBOOK"),
        "the out-of-band recovery of one host: console or IPMI, safe mode or the recovery environment, remove the bad content, reboot (a technician visit or a replacement for devices in the field)",
        &format!("deployment.changes[{i}].recovery"),
    );
    let list = ctx.ph.hole(
        "HOSTS_NOT_CHECKED_IN_QUERY",
        "hosts whose agent has not checked in since the push",
        "the fleet manager's inventory or monitoring",
    );
    let bmc = ctx.ph.hole(
        "BMC_ADDRESS",
        "the host's BMC (IPMI) address",
        "the hardware inventory",
    );
    let user = ctx.ph.hole(
        "BMC_USER",
        "the BMC user; its password in IPMI_PASSWORD",
        "the break-glass vault",
    );
    let mut notes = vec![
        format!("Recover each host with {runbook}; work through the list by priority (what serves customers first)."),
        "Have disk-encryption recovery keys (BitLocker, LUKS) and console credentials at hand before starting: the hosts cannot be reached through the usual tooling.".to_string(),
    ];
    if f.breaks_receiver == Some(true) {
        notes.push("The content can stop a host from receiving the fix: expect every host that loaded it to need this step, one by one.".to_string());
    } else {
        notes.push("Usually few hosts: those that went offline on the content and did not take the known-good push.".to_string());
    }
    b.actions.push(Action {
        title: format!("Recover the hosts that cannot receive the fix (`{label}`)"),
        component: label,
        commands: vec![
            Cmd::default().word(list),
            Cmd::new("ipmitool -I lanplus -H")
                .word(bmc)
                .lit("-U")
                .word(user)
                .lit("-E sol activate"),
        ],
        verify: Vec::new(),
        success: "every host that received the content checks in again, on the known-good content"
            .to_string(),
        minutes: 30,
        destructive: false,
        notes,
    });
}
