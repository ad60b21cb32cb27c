//! Reach the devices out of band, when a network change can cut our own access (the VPN, the
//! bastion, the management plane, the DNS we resolve through): the rollback cannot be typed on a
//! device no one can reach. Facebook's 2021 backbone outage needed engineers on site, slowed by
//! the same outage cutting their tools and badges
//! (https://engineering.fb.com/2021/10/05/networking-traffic/outage-details/). With an
//! auto-revert pending, the device undoes the change by itself at its deadline; the step is then
//! a fallback, and the revert step says so instead.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let Some(n) = c.as_network_change() else {
        return;
    };
    if n.own_access != Some(true) || n.auto_revert == Some(true) {
        return;
    }
    let label = c.label(i);
    let slug = crate::plan::placeholders::slug(&label);
    let how = ctx.ph.text_or(
        n.out_of_band.as_deref(),
        &format!("{slug}_OUT_OF_BAND_ACCESS"),
        "how the devices are reached when the VPN, bastion and management network are cut (console server, out-of-band network, someone on site with a console cable)",
        &format!("deployment.changes[{i}].out_of_band"),
    );
    let console = ctx.ph.hole(
        &format!("{slug}_CONSOLE_COMMAND"),
        "the command that opens a console on the changed device through the out-of-band path (a console server's port, an out-of-band SSH jump)",
        &format!("deployment.changes[{i}].out_of_band"),
    );
    b.actions.push(Action {
        title: format!("Reach the changed devices out of band (`{label}`)"),
        component: label.clone(),
        commands: vec![Cmd::default().word(console)],
        verify: Vec::new(),
        success: "a console prompt on each changed device, through a path that does not cross the change".to_string(),
        // Someone sent to the site takes an hour or more; a console server minutes.
        minutes: if needs_site(&how) { 60 } else { 15 },
        destructive: false,
        notes: vec![
            format!("Out-of-band path: {how}."),
            "If the change cut our access, the usual path (VPN, bastion, chat, internal DNS) is down: use this path at once instead of retrying the usual one; the time to get a console or someone on site is the slowest part of this rollback.".to_string(),
        ],
    });
    b.ordering.push(format!(
        "Reach the devices of `{label}` out of band first: our own access rides on what it changed."
    ));
}

/// Whether the out-of-band path needs a person at the device (on site, remote hands).
fn needs_site(how: &str) -> bool {
    let h = how.to_lowercase();
    [
        "on site",
        "on-site",
        "onsite",
        "remote hands",
        "technician",
        "drive to",
    ]
    .iter()
    .any(|w| h.contains(w))
}
