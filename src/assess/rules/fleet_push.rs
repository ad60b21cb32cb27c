use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Content, rules, config or certificates pushed to many hosts, edge nodes, devices or
    /// endpoints, and whether a bad push can stop a host from receiving the fix.
    ///
    /// ## Why it matters for rollback
    ///
    /// A push is undone by another push, which reaches only the hosts that are still online with
    /// their agent running. Content loaded by a kernel driver, at boot or by the agent that
    /// fetches updates can crash or cut off the hosts that load it, and then each one is recovered
    /// by hand (CrowdStrike channel file 291, 2024): irreversible from the centre. A push whose
    /// hosts keep the previous content switches back in minutes (fast); a kill switch that
    /// disables the content everywhere is instant (Cloudflare's global WAF kill switch, 2019);
    /// otherwise the previous content is pushed to every host again (complex). A time the team
    /// states for switching every host back ("rolling back fleet-wide takes hours") decides over
    /// what is kept on the hosts: above 15 minutes it is complex.
    ///
    /// ## Example
    ///
    /// "The sensor runs as a kernel driver and loads channel files at boot; the content goes to
    /// every sensor at once."
    ///
    /// ## Use instead
    ///
    /// Push in rings (canary hosts first, Ansible `serial` with `max_fail_percentage: 0`, Salt
    /// `--batch-size`), keep the previous content on every host, load the content with the same
    /// parser on a canary host before the push, and keep a kill switch and an out-of-band recovery
    /// path.
    pub static FLEET_PUSH = { code: "RB019", name: "fleet-push", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(f) = c.as_fleet_push() else {
            continue;
        };
        let at_once = f.stages.is_empty();
        let field = |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (how, level, evidence) = if f.breaks_receiver == Some(true) {
            (FleetPush::BreaksReceiver, Level::Irreversible, field("breaks_receiver"))
        } else if let Some(k) = f.kill_switch.as_deref() {
            (FleetPush::KillSwitch { switch: k }, Level::Instant, field("kill_switch"))
        } else if let Some(minutes) = f.rollback_minutes.filter(|m| *m > 15) {
            (FleetPush::Takes { minutes }, Level::Complex, field("rollback_minutes"))
        } else if f.previous_kept == Some(true) {
            (FleetPush::PreviousKept, Level::Fast, field("previous_kept"))
        } else {
            (FleetPush::Repush, Level::Complex, field("previous_kept"))
        };
        let mut finding = rule.finding(Found { how, at_once }, evidence).level(level).change(i);
        if level == Level::Irreversible {
            finding = finding.severity(Severity::Error);
        }
        out.push(finding);
    }
}

/// How a fleet push comes back.
enum FleetPush<'a> {
    BreaksReceiver,
    KillSwitch { switch: &'a str },
    PreviousKept,
    /// The team says switching every host back takes this long.
    Takes { minutes: u32 },
    Repush,
}

struct Found<'a> {
    how: FleetPush<'a>,
    /// No rings declared: the push reaches every host at once.
    at_once: bool,
}

impl crate::assess::Violation for Found<'_> {
    fn message(&self) -> String {
        let back = match &self.how {
            FleetPush::BreaksReceiver => "a bad push can stop a host from receiving the fix: hosts that fail on it are recovered one by one, out of band".to_string(),
            FleetPush::KillSwitch { switch } => format!("the kill switch ({switch}) disables the pushed content everywhere in seconds, while the hosts can still be reached"),
            FleetPush::PreviousKept => "the previous content stays on every host: switching back is one push, while the hosts stay reachable".to_string(),
            FleetPush::Takes { minutes } => format!("switching every host back takes about {minutes} min, as the team states it: longer than a fast rollback, whatever is kept on the hosts"),
            FleetPush::Repush => "rolls back only by pushing the previous content to every host again; hosts that went offline on it need recovery".to_string(),
        };
        let rings = if self.at_once { "; no rings are declared, so it reaches every host at once" } else { "" };
        format!("fleet push: {back}{rings}")
    }
}
