//! A client release comes back only as far as the server side reaches: stop the build reaching
//! more devices, turn off what the server can switch, and ship a fixed build, since copies already
//! installed stay until their users update.
//!
//! Commands, checked against the docs:
//! - App Store Connect API, pause a phased release: `PATCH /v1/appStoreVersionPhasedReleases/{id}`
//!   with `phasedReleaseState: PAUSED`
//!   (https://developer.apple.com/documentation/appstoreconnectapi/patch-v1-appstoreversionphasedreleases-_id_,
//!   https://developer.apple.com/help/app-store-connect/update-your-app/release-a-version-update-in-phases).
//! - Google Play Developer API, halt a staged rollout: an edit (`edits.insert`), the track's
//!   release with `status: halted` (`edits.tracks.update`), then `edits.commit`
//!   (https://developers.google.com/android-publisher/tracks,
//!   https://developers.google.com/android-publisher/api-ref/rest/v3/edits.tracks/update).
//! - Expedited App Review (https://developer.apple.com/contact/app-store/?topic=expedite).

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::kinds::{ClientChannel, ClientRelease};

const ASC_API: &str = "https://api.appstoreconnect.apple.com/v1/appStoreVersionPhasedReleases/";
const PLAY_API: &str = "https://androidpublisher.googleapis.com/androidpublisher/v3/applications/";

fn release(b: &Build, i: usize) -> (String, ClientRelease) {
    let c = &b.spec.deployment.changes[i];
    (
        c.label(i),
        c.as_client_release().cloned().unwrap_or_default(),
    )
}

/// Pause the phased release, halt the staged rollout or the OTA campaign.
pub(super) fn halt(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let (label, r) = release(b, i);
    let slug = crate::plan::placeholders::slug(&label);
    // One halt per channel: an app for iOS and Android is paused in both stores.
    let channels: Vec<Option<ClientChannel>> = if r.channels.is_empty() {
        vec![None]
    } else {
        r.channels.iter().copied().map(Some).collect()
    };
    for channel in channels {
        halt_one(ctx, b, i, &r, channel, &label, &slug);
    }
    b.ordering.push(format!(
        "Stop `{label}` reaching more devices first: copies already installed cannot be recalled, so every hour of rollout adds devices to fix."
    ));
}

fn halt_one(
    ctx: &mut Ctx,
    b: &mut Build,
    i: usize,
    r: &ClientRelease,
    channel: Option<ClientChannel>,
    label: &str,
    slug: &str,
) {
    let mut notes = Vec::new();
    let (title, commands) = match channel {
        Some(ClientChannel::AppStore) => {
            let id = ctx.ph.hole(
                "PHASED_RELEASE_ID",
                "the id of the version's phased release (App Store Connect API: GET /v1/appStoreVersions/{id}/appStoreVersionPhasedRelease)",
                "read it before the release starts",
            );
            notes.push("In App Store Connect: the app, the version, Phased Release for Automatic Updates, Pause Phased Release. A pause stops automatic updates only: anyone can still install the version from the store, and a pause lasts at most 30 days.".to_string());
            notes.push("`ASC_TOKEN` is an App Store Connect API token (a JWT signed with the team's API key).".to_string());
            let body = Cmd::new("jq -n --arg id").word(id.clone()).word(Word::lit(
                "'{data: {type: \"appStoreVersionPhasedReleases\", id: $id, attributes: {phasedReleaseState: \"PAUSED\"}}}'",
            ));
            let patch = body
                .lit("| curl -fsS -X PATCH")
                .word(Word::lit("-H \"Authorization: Bearer $ASC_TOKEN\""))
                .word(Word::lit("-H 'Content-Type: application/json'"))
                .lit("--data @-")
                .word(Word::lit(ASC_API).then(id));
            ("Pause the phased release in App Store Connect", vec![patch])
        }
        Some(ClientChannel::GooglePlay) => {
            let pkg = ctx.ph.val_or(
                r.app.as_deref(),
                "PACKAGE_NAME",
                "the app's package name (com.example.app)",
                &format!("deployment.changes[{i}].app"),
            );
            let edit = ctx.ph.hole(
                "PLAY_EDIT_ID",
                "the `id` returned by the edits.insert call just before",
                "the output of the first command",
            );
            let code = ctx.ph.hole(
                "VERSION_CODE",
                "the version code of the release in staged rollout",
                "Play Console, the release's App bundles",
            );
            notes.push("In Play Console: Release, Production, Manage track, Halt rollout. Users who already updated keep the version; halted, it reaches no new users.".to_string());
            notes.push("`PLAY_TOKEN` is an OAuth token of the service account with the scope https://www.googleapis.com/auth/androidpublisher.".to_string());
            let auth = || Word::lit("-H \"Authorization: Bearer $PLAY_TOKEN\"");
            let app = |tail: Word| Word::lit(PLAY_API).then(pkg.clone()).then(tail);
            (
                "Halt the staged rollout on Google Play",
                vec![
                    Cmd::new("curl -fsS -X POST")
                        .word(auth())
                        .word(app(Word::lit("/edits"))),
                    Cmd::new("jq -n --arg v")
                        .word(code)
                        .word(Word::lit(
                            "'{track: \"production\", releases: [{versionCodes: [$v], status: \"halted\"}]}'",
                        ))
                        .lit("| curl -fsS -X PUT")
                        .word(auth())
                        .word(Word::lit("-H 'Content-Type: application/json'"))
                        .lit("--data @-")
                        .word(app(Word::lit("/edits/").then(edit.clone()).then_lit("/tracks/production"))),
                    Cmd::new("curl -fsS -X POST")
                        .word(auth())
                        .word(app(Word::lit("/edits/").then(edit).then_lit(":commit"))),
                ],
            )
        }
        _ => {
            let (title, what, hole) = match channel {
                Some(ClientChannel::Firmware) => (
                    "Halt the OTA campaign of the firmware",
                    "the OTA campaign (the device cloud's rollout of the image)",
                    "OTA_HALT_COMMAND",
                ),
                Some(ClientChannel::Desktop) => (
                    "Stop the desktop updater offering the release",
                    "the updater's feed (point the update feed or appcast back at the previous version)",
                    "UPDATER_HALT_COMMAND",
                ),
                _ => (
                    "Halt the rollout of the release",
                    "the rollout (the store's phased release, the updater's feed, the OTA campaign)",
                    "HALT_COMMAND",
                ),
            };
            (
                title,
                vec![Cmd::default().word(ctx.ph.hole(
                    &format!("{slug}_{hole}"),
                    &format!("how `{label}` stops reaching more devices: {what}"),
                    &format!("deployment.changes[{i}].channels"),
                ))],
            )
        }
    };
    if r.phased != Some(true) && r.stages.is_empty() {
        notes.push("No phased release or cohorts are declared: every user may already have been offered the build; halt it anyway so no one else installs it.".to_string());
    }
    b.actions.push(Action {
        title: format!("{title} (`{label}`)"),
        component: label.to_string(),
        commands,
        verify: Vec::new(),
        success: "the release reports paused or halted, and the count of devices on the new version stops rising".to_string(),
        minutes: 2,
        destructive: false,
        notes,
    });
}

/// Turn off the server-side switch installed copies read, unless it is a flag the flag step
/// already turns off.
pub(super) fn switch_off(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let (label, r) = release(b, i);
    let Some(switch) = r.remote_switch.clone() else {
        return;
    };
    if flags(&b.spec).iter().any(|f| f.key == switch) {
        return;
    }
    let slug = crate::plan::placeholders::slug(&label);
    b.actions.push(Action {
        title: format!("Turn off the server-side switch `{switch}` (`{label}`)"),
        component: label.clone(),
        commands: vec![Cmd::default().word(ctx.ph.hole(
            &format!("{slug}_REMOTE_SWITCH_OFF_COMMAND"),
            &format!("how `{switch}` is turned off for every installed copy (the remote config console or API)"),
            &format!("deployment.changes[{i}].remote_switch"),
        ))],
        verify: Vec::new(),
        success: "the crash-free rate and the reviews of the new version return to the previous version's as copies fetch their config".to_string(),
        minutes: 2,
        destructive: false,
        notes: vec!["Installed copies see the switch when they next fetch their config (on launch or on their fetch interval), not at once; a copy that crashes before it fetches never sees it.".to_string()],
    });
}

const OTHER_FIX: &str = "Installed copies change only when they take a newer version: ship the fix (or the previous code) with a higher version number through the usual channel.";

/// Ship a fixed build: the only way the installed copies change.
pub(super) fn ship_fix(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let (label, r) = release(b, i);
    let slug = crate::plan::placeholders::slug(&label);
    let build = ctx.ph.hole(
        &format!("{slug}_FIXED_BUILD_COMMAND"),
        &format!("the pipeline that builds and submits a fixed `{label}` with a higher version and build number (the fix, or the previous code)"),
        &format!("deployment.changes[{i}] (the release pipeline)"),
    );
    let mut notes: Vec<String> = r.channels.iter().map(|c| match c {
        ClientChannel::AppStore => "A store never takes a version back: the fix is a new version with a higher number (the previous code rebuilt, or the fix). Ask for an expedited App Review (https://developer.apple.com/contact/app-store/?topic=expedite); review takes hours to days.".to_string(),
        ClientChannel::GooglePlay => "Play cannot downgrade installed copies: upload a new bundle with a higher version code (the previous code rebuilt, or the fix) to the same track; Play's review takes hours to days.".to_string(),
        ClientChannel::Firmware => "Build a fixed image with a higher version (an anti-rollback counter blocks the previous one), then send it to the first cohort before the others.".to_string(),
        _ => OTHER_FIX.to_string(),
    }).collect();
    if notes.is_empty() {
        notes.push(OTHER_FIX.to_string());
    }
    if r.previous_image_kept == Some(true) {
        notes.push("Devices that keep the previous image on their second partition fall back to it on a failed boot; where the anti-rollback counter allows, an OTA job can switch them back to it before the fixed image is ready.".to_string());
    }
    if r.breaks_updater == Some(true) || r.recovery.is_some() {
        let how = r.recovery.clone().unwrap_or_else(|| {
            ctx.ph.text(
                &format!("{slug}_DEVICE_RECOVERY"),
                "how a device that cannot take the fix is recovered (a technician visit, a mailed replacement, a USB re-flash)",
                &format!("deployment.changes[{i}].recovery"),
            )
        });
        notes.push(format!("Devices or copies that cannot take the fix (bricked, crashing before they update) are recovered by hand: {how}. List them from the heartbeat query and tell support before users call."));
    }
    notes.push("Keep the server API compatible with the bad version until it is gone from the field; a minimum-version gate can force the upgrade once the fixed build is out.".to_string());
    // Behind a server-side switch the harm stops when the switch is off: the fixed build ships
    // at the normal pace, and this step only starts it. Otherwise it is the rollback itself.
    let (title, minutes) = if r.remote_switch.is_some() {
        notes.insert(0, "The switch holds the change off meanwhile: start the fixed build now and ship it at the normal pace (no expedited review needed).".to_string());
        ("Start a fixed build", 5)
    } else {
        ("Ship a fixed build", 240)
    };
    b.actions.push(Action {
        title: format!("{title} (`{label}`)"),
        component: label,
        commands: vec![Cmd::default().word(build)],
        verify: Vec::new(),
        success:
            "the fixed build is live, and the share of devices on the bad version falls day by day"
                .to_string(),
        minutes,
        destructive: false,
        notes,
    });
}
