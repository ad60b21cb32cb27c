use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A build installed on devices the team does not run (a mobile app, a desktop app,
    /// firmware), and what can still be switched from the server side.
    ///
    /// ## Why it matters for rollback
    ///
    /// A store never takes a version back from a phone, and firmware with an anti-rollback counter
    /// cannot be downgraded: copies already installed stay until their users update. Pausing
    /// Apple's phased release or halting a Play staged rollout only stops the build reaching more
    /// devices; the way back is a fixed build through review (hours to days). Only a server-side
    /// switch the installed copies read (remote config, a kill switch) disables the change in
    /// them, as they fetch their config (fast). A build that can brick a device or crash before it
    /// takes the fix needs each device recovered by hand.
    ///
    /// ## Example
    ///
    /// "iOS app 5.2.0 to the App Store; an app version already installed cannot be recalled."
    ///
    /// ## Use instead
    ///
    /// Release in phases (Apple phased release, Play staged rollout, firmware cohorts), put the new
    /// behaviour behind remote config, keep the server API compatible with the previous version,
    /// and keep the previous firmware image on a second partition.
    pub static CLIENT_RELEASE = { code: "RB024", name: "client-release", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(r) = c.as_client_release() else {
            continue;
        };
        let field =
            |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (how, level, evidence) = if r.breaks_updater == Some(true) {
            (Back::BreaksUpdater, Level::Irreversible, field("breaks_updater"))
        } else if let Some(s) = r.remote_switch.as_deref() {
            (Back::RemoteSwitch { switch: s }, Level::Fast, field("remote_switch"))
        } else if r.previous_image_kept == Some(true) {
            (Back::PreviousImage, Level::Complex, field("previous_image_kept"))
        } else {
            (Back::FixedBuild, Level::Irreversible, field("remote_switch"))
        };
        let phased = r.phased == Some(true) || !r.stages.is_empty();
        // Devices that can be lost make it an error; copies waiting for a fix, a warning.
        let lost = matches!(how, Back::BreaksUpdater);
        let mut finding = rule.finding(Found { how, phased }, evidence).level(level).change(i);
        if lost {
            finding = finding.severity(Severity::Error);
        }
        out.push(finding);
    }
}

/// How a client release comes back.
enum Back<'a> {
    BreaksUpdater,
    RemoteSwitch { switch: &'a str },
    PreviousImage,
    FixedBuild,
}

struct Found<'a> {
    how: Back<'a>,
    phased: bool,
}

impl crate::assess::Violation for Found<'_> {
    fn message(&self) -> String {
        let back = match &self.how {
            Back::BreaksUpdater => "client release: a bad build can stop a device from taking the fix (bricked, crashing before it updates): those devices are recovered by hand, the others take a fixed build".to_string(),
            Back::RemoteSwitch { switch } => format!("client release: installed copies cannot be recalled, but the server-side switch ({switch}) disables the change in them as they fetch their config"),
            Back::PreviousImage => "client release: devices keep the previous image on a second partition and can be switched back to it by an OTA job, where the anti-rollback counter allows".to_string(),
            Back::FixedBuild => "client release: copies already installed cannot be recalled, they stay until users update; the way back is a fixed build (hours to days through review), and only halting the rollout limits the damage".to_string(),
        };
        let phased = if self.phased { "" } else { "; no phased release or cohorts are declared, so every user is offered it at once" };
        format!("{back}{phased}")
    }
}
