//! Communication Plan: who is told before, during and after, and paste-ready messages for each
//! moment, filled with this deployment's names, versions, channels, links and thresholds. Who
//! is told comes from the kinds' declared audiences: customers through a status page when users
//! are affected, partners when the change sends to them, and a fallback channel when a failure
//! can take down the team's own chat or tooling.

use super::super::Ctx;
use super::super::model::{Classification, Communication, Message, Procedure, Triggers};
use super::{channel, previous_version, version};
use crate::assess::Level;
use crate::model::ChangeKind;
use crate::model::kinds::{Audience, KindDecl};
use crate::plan::placeholders::AT_SEND;

pub fn build(
    ctx: &mut Ctx,
    class: &Classification,
    triggers: &Triggers,
    procedure: &Procedure,
) -> Communication {
    let spec = ctx.input.spec.clone();
    let name = spec.deployment.name.clone();
    let decls: Vec<&KindDecl> = if spec.deployment.changes.is_empty() {
        vec![ChangeKind::Code.declaration()]
    } else {
        spec.deployment
            .changes
            .iter()
            .map(|c| c.kind().declaration())
            .collect()
    };
    let tells = |a: Audience| decls.iter().any(|d| d.tells(a));
    let customers = tells(Audience::Customers);
    let partners = tells(Audience::Partners);
    let data_owners = tells(Audience::DataOwners);
    let fallback_needed =
        class.level >= Level::Complex || decls.iter().any(|d| d.may_cut_own_tooling);
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
            s.thresholds.first().map(|t| {
                if t.signal.starts_with("error ratio") {
                    format!("{} error ratio {} over 5m", s.service, t.condition)
                } else {
                    format!("{} {} {}", s.service, t.signal, t.condition)
                }
            })
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
    if partners {
        let contact = ctx.ph.text(
            "PARTNER_CONTACT",
            "who to call at the partners or recipients the change sends to, and their status page",
            AT_SEND,
        );
        before.push(format!(
            "Partners the change sends to ({contact}): tell them what will arrive and when, and whom to call if it looks wrong."
        ));
        during.push(format!(
            "Partners ({contact}): tell them what was sent in error, what was stopped, and what will be corrected."
        ));
    }
    if data_owners && class.level >= Level::Complex {
        during.push(
            "Data owners (analytics, finance, compliance): tell them which data the change touched and when it will be repaired."
                .to_string(),
        );
    }
    // A regulated service (banking, payments, personal data) that fails for its customers is an
    // incident its regulator expects to hear of, within the regulator's own deadline.
    let regulated = spec
        .risks
        .iter()
        .any(|r| r.kind() == Some(crate::model::RiskKind::Compliance));
    if regulated && customers && class.level >= Level::Complex {
        during.push(
            "Regulators: a failure that reaches customers of a regulated service (their money, their personal data) is reported to the regulator within its deadline (the FCA or PRA for a UK bank, a GDPR breach within 72 hours); compliance owns the notice.".to_string(),
        );
    }
    // Customers who notice a failure are told, whatever the class (communication_customers).
    let everyone_at_once = decls.iter().any(|d| d.may_cut_own_tooling);
    let customers_told =
        super::communication_customers::told(&spec, customers, class.level, everyone_at_once);
    let status_page = spec.people.channels.status_page.clone().or_else(|| {
        customers_told.then(|| {
            ctx.ph.text(
                "STATUS_PAGE_URL",
                "the public status page where customers are told (set people.channels.status_page to fill it in every plan)",
                AT_SEND,
            )
        })
    });
    if let Some(status) = &status_page {
        during.push(super::communication_customers::during_line(
            status,
            class.level,
        ));
    }
    // The fallback is where the incident is run when the chat or tooling the change can take
    // down is itself down.
    if fallback_needed {
        let fallback = ctx.ph.text(
            "FALLBACK_CHANNEL",
            "where the incident is run if chat is down (a phone bridge or a channel outside the systems the change can take down)",
            "by hand in the plan, before the deploy: no spec field names it",
        );
        during.push(format!(
            "If chat is down: {fallback}. Everyone in the rollback joins there; the rollback owner posts the same updates."
        ));
    }
    let (risk_before, risk_during) = super::risks::audiences(ctx);
    before.extend(risk_before);
    during.extend(risk_during);
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
    if let Some(status) = status_page {
        let symptom = ctx.ph.text("SYMPTOM", "what customers may notice", AT_SEND);
        let eta = ctx.ph.text("ETA", "expected time of recovery", AT_SEND);
        messages.push(Message {
            moment: "status-page".to_string(),
            audience: "customers".to_string(),
            channel: status,
            text: format!(
                "Investigating: some customers may see {symptom} with {name}. We have identified a recent change and are reverting it. Next update by {eta}."
            ),
        });
    }
    Communication {
        before,
        during,
        after,
        messages,
    }
}
