use crate::assess::{Context, Finding, Level, Rule};
use crate::model::StatementKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The brief itself says there is no way back: no rollback, no downgrade, cannot be undone,
    /// recalled or re-released, one-way, irreversible, permanent deletion, anti-rollback.
    ///
    /// ## Why it matters for rollback
    ///
    /// The author knows something rollbook may not recognise; the words hold whether or not a
    /// change was matched beside them, so they set the class to irreversible and turn the plan to
    /// mitigation (contain, keep what rebuilds, fix forward).
    ///
    /// ## Example
    ///
    /// "EKS control planes cannot be downgraded." "Permanent deletion cannot be undone."
    ///
    /// ## Use instead
    ///
    /// Keep a way back outside the change (a replacement built on the old version, a snapshot, a
    /// staged push) and say how it is used in the brief's backout.
    pub static STATED_NO_WAY_BACK = { code: "RB016", name: "stated-no-way-back", family: Spec, severity: Error, check: check, fixtures: [".md"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, st) in ctx.spec.statements.iter().enumerate() {
        if st.kind != StatementKind::NoWayBack {
            continue;
        }
        let words = &st.words;
        out.push(
            rule.finding(
                StatedNoWayBack { words },
                st.evidence(ctx.spec_file, i),
            )
            .level(Level::Irreversible),
        );
    }
}

/// The brief's words saying there is no way back.
struct StatedNoWayBack<'a> {
    words: &'a str,
}

impl crate::assess::Violation for StatedNoWayBack<'_> {
    fn message(&self) -> String {
        let words = self.words;
        format!("the brief says there is no way back: \u{201c}{words}\u{201d}")
    }
}
