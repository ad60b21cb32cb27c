use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::ChangeKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A side effect leaves the system: emails, SMS, push notifications, webhooks, payments,
    /// trades, published events, data sent to third parties.
    ///
    /// ## Why it matters for rollback
    ///
    /// What was sent cannot be recalled. A rollback stops further sends; the ones already out need
    /// mitigation: a correction message, refunds, a compensating event, a deletion request to the
    /// recipient.
    ///
    /// ## Use instead
    ///
    /// Gate the side effect behind its own flag, start with internal recipients, cap the volume,
    /// and write the correction message before the deploy.
    pub static EXTERNAL_SIDE_EFFECT = { code: "RB006", name: "external-side-effect", family: Spec, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::ExternalSideEffect {
            continue;
        }
        let what = c.as_side_effect().and_then(|e| e.effect).map(|e| e.describe()).unwrap_or("side effects");
        out.push(
            rule.finding(
                ExternalSideEffect { what, recipients: c.as_side_effect().and_then(|e| e.recipients.as_deref()), flag: c.gated_by_flag() },
                Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].effect")),
            )
            .level(Level::Irreversible)
            .change(i),
        );
    }
}

/// A side effect that leaves the system.
struct ExternalSideEffect<'a> {
    /// What is sent ("emails").
    what: &'a str,
    recipients: Option<&'a str>,
    /// The flag that stops further sends.
    flag: Option<&'a str>,
}

impl crate::assess::Violation for ExternalSideEffect<'_> {
    fn message(&self) -> String {
        let what = self.what;
        let to = self.recipients.map(|r| format!(" to {r}")).unwrap_or_default();
        let gate = match self.flag {
            Some(f) => format!("; flag `{f}` stops further sends"),
            None => "; nothing stops further sends but a rollback".to_string(),
        };
        format!("{what}{to} cannot be recalled once sent{gate}")
    }
}
