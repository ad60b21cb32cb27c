use crate::assess::{Context, Finding, Level, Rule};
use crate::model::StatementKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The brief says someone outside the team collects the output at a set time: a bank picks
    /// the files up at 06:00, a partner pulls the feed by 07:00, a regulator downloads the report.
    ///
    /// ## Why it matters for rollback
    ///
    /// The output is an external effect with a deadline. Before the pickup, a rollback and a
    /// corrected output undo the change; after it, what was collected cannot be recalled and the
    /// partner acts on it. Rolling the code back is quick, but the plan is not instant: it races
    /// the clock, and a bad output found after the pickup needs the partner's help.
    ///
    /// ## Example
    ///
    /// "The nightly export writes the settlement file; the bank picks the files up at 06:00 UTC."
    ///
    /// ## Use instead
    ///
    /// Check the first output of the new version (its row count against the source, its format)
    /// well before the pickup, keep the previous version's output or a way to regenerate it, and
    /// know whom to call at the partner to hold or replace a collected file.
    pub static EXTERNAL_PICKUP = { code: "RB031", name: "external-pickup", family: Spec, severity: Warning, check: check, fixtures: [".md"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, st) in ctx.spec.statements.iter().enumerate() {
        if st.kind != StatementKind::ExternalPickup {
            continue;
        }
        out.push(
            rule.finding(ExternalPickup { words: &st.words }, st.evidence(ctx.spec_file, i))
                .level(Level::Fast),
        );
    }
}

/// An output collected from outside at a set time.
struct ExternalPickup<'a> {
    /// The brief's own words.
    words: &'a str,
}

impl crate::assess::Violation for ExternalPickup<'_> {
    fn message(&self) -> String {
        format!(
            "\u{201c}{}\u{201d}: the output is collected from outside at a set time; what was collected cannot be recalled, so the rollback and a checked, corrected output must land before the pickup (at least fast)",
            self.words
        )
    }
}
