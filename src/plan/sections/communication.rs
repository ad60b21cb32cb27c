//! Communication Plan: who is told before, during and after, and paste-ready messages for each
//! moment, filled with this deployment's names, versions, channels, links and thresholds.

use super::super::Ctx;
use super::super::model::{Classification, Communication, Message, Procedure, Triggers};
use super::{channel, previous_version, version};
use crate::assess::Level;
use crate::plan::placeholders::AT_SEND;

pub fn build(
    ctx: &mut Ctx,
    class: &Classification,
    triggers: &Triggers,
    procedure: &Procedure,
) -> Communication {
    let spec = ctx.input.spec.clone();
    let name = spec.deployment.name.clone();
    let ver = version(ctx);
    let prev = previous_version(ctx);
    let deploy_ch = channel(ctx, "deploy");
    let incident_ch = channel(ctx, "incident");
    let support_ch = if class.level >= Level::Complex || spec.people.channels.support.is_some() {
        Some(channel(ctx, "support"))
    } else {
        None
    };
    let dm = triggers.decision_maker.clone();
    let notify = triggers.notify.join(", ");
    let ticket = spec.deployment.ticket.clone().unwrap_or_else(|| {
        ctx.ph.text(
            "TICKET_URL",
            "link to the change ticket or pull request",
            "deployment.ticket",
        )
    });
    let dashboards = if triggers.dashboards.is_empty() {
        ctx.ph.text(
            "DASHBOARD_URL",
            "dashboard link",
            "architecture.observability.dashboards",
        )
    } else {
        triggers.dashboards.join(" ")
    };
    let fast = triggers
        .services
        .iter()
        .filter_map(|s| {
            s.thresholds
                .first()
                .map(|t| format!("{} error ratio {} over 5m", s.service, t.condition))
        })
        .collect::<Vec<_>>()
        .join("; ");

    let mut before = vec![format!(
        "{deploy_ch}: announce the deploy with the message below, {} before it starts.",
        if class.level >= Level::Complex {
            "one working day"
        } else {
            "15 minutes"
        }
    )];
    if let Some(s) = &support_ch {
        before.push(format!(
            "{s}: tell support what changes for customers and what a failure would look like."
        ));
    }
    let mut during = vec![
        format!(
            "{incident_ch}: the rollback owner posts when a rollback starts and after every completed step."
        ),
        format!("{dm} decides; {notify} are told at the start."),
    ];
    if let Some(status) = spec.people.channels.status_page.clone() {
        during.push(format!("Status page {status}: post an incident if customers are affected for more than 5 minutes."));
    }
    let after = vec![
        format!("{deploy_ch}: post the summary when the service is stable on {prev}."),
        "Within two working days: a blameless review; update this plan with what the drill or incident taught.".to_string(),
    ];

    let steps = procedure.steps.len();
    let mut at_send = |name: &str, what: &str| ctx.ph.text(name, what, AT_SEND);
    let fired = at_send("WHAT_FIRED", "the trigger that fired");
    let when = at_send("TIME", "when the rollback finished");
    let impact = at_send("IMPACT", "customer impact");
    let took = at_send("DURATION", "how long the rollback took");
    let next = at_send("NEXT_STEPS", "follow-up actions");

    let minutes = class.estimated_minutes;
    let mut messages = vec![
        Message {
            moment: "pre-deploy".to_string(),
            audience: notify.clone(),
            channel: deploy_ch.clone(),
            text: format!(
                ":rocket: Deploying {name} {ver} (from {prev}). Rollback class: {} (~{minutes} min, {steps} steps). Rollback if: {fast}. Decision-maker: {dm}. Plan and ticket: {ticket}. Dashboard: {dashboards}",
                class.title
            ),
        },
        Message {
            moment: "rollback-started".to_string(),
            audience: format!("{notify}, {dm}"),
            channel: incident_ch.clone(),
            text: format!(
                ":rotating_light: Rolling back {name} {ver} → {prev}. Trigger: {fired}. Decided by {dm}. Expected duration ~{minutes} min ({steps} steps). Updates here after each step. Dashboard: {dashboards}"
            ),
        },
        Message {
            moment: "rollback-finished".to_string(),
            audience: notify.clone(),
            channel: incident_ch.clone(),
            text: format!(
                ":white_check_mark: Rollback of {name} finished: {prev} is serving, health checks pass and error ratio is back at baseline. Watching for 30 min before closing. Data follow-up: {}",
                if class.level >= Level::Complex {
                    "see Data Recovery Strategy in the plan"
                } else {
                    "none expected"
                }
            ),
        },
        Message {
            moment: "post-rollback".to_string(),
            audience: format!("{deploy_ch} and stakeholders"),
            channel: deploy_ch.clone(),
            text: format!(
                "Summary: {name} {ver} was rolled back to {prev} at {when} after {fired}. Impact: {impact}. Rollback took {took} against ~{minutes} min planned. Next: {next}. Review: {ticket}"
            ),
        },
    ];
    if let Some(s) = support_ch {
        let symptom = ctx.ph.text("SYMPTOM", "what customers may notice", AT_SEND);
        let eta = ctx.ph.text("ETA", "expected time of recovery", AT_SEND);
        messages.insert(
            2,
            Message {
                moment: "rollback-started-support".to_string(),
                audience: "customer support".to_string(),
                channel: s,
                text: format!(
                    "Heads-up: we are rolling back today's {name} change. Customers may see {symptom} until about {eta}. No action needed from customers{}.",
                    if class.level == Level::Irreversible { "; some already received messages or charges will be corrected: we will send the list" } else { "" }
                ),
            },
        );
    }
    Communication {
        before,
        during,
        after,
        messages,
    }
}
