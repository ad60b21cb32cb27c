use crate::assess::{Context, Finding, Level, Rule};
use crate::model::StatementKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The brief names a point of no return: a step of the change (removing the old writer,
    /// decommissioning the old system, deleting the old copy) before which it can be rolled back
    /// and after which it cannot.
    ///
    /// ## Why it matters for rollback
    ///
    /// The words draw a line inside the change rather than saying the whole change is one-way:
    /// until that step the change is rolled back (and the two sides reconciled, which is at least
    /// complex); after it only mitigation is left. The plan keeps the words, classes the change
    /// as at least complex, and makes passing that point a Go / No-Go decision of its own.
    ///
    /// ## Example
    ///
    /// "Dual writes continue for 7 days, then the Mongo writer is removed. Removing the Mongo
    /// writer is the point of no return."
    ///
    /// ## Use instead
    ///
    /// Keep the point of no return a separate, later change with its own plan, and write down
    /// what must hold before it is passed (reconciliation clean, no rollback for N days).
    pub static POINT_OF_NO_RETURN = { code: "RB020", name: "point-of-no-return", family: Spec, severity: Warning, check: check, fixtures: [".md"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, st) in ctx.spec.statements.iter().enumerate() {
        if st.kind != StatementKind::PointOfNoReturn {
            continue;
        }
        out.push(
            rule.finding(
                PointOfNoReturn { words: &st.words },
                st.evidence(ctx.spec_file, i),
            )
            .level(Level::Complex),
        );
    }
}

/// A step after which the change cannot be rolled back.
struct PointOfNoReturn<'a> {
    /// The brief's own words.
    words: &'a str,
}

impl crate::assess::Violation for PointOfNoReturn<'_> {
    fn message(&self) -> String {
        let words = self.words;
        format!(
            "the brief names a point of no return: \u{201c}{words}\u{201d}; until that step the change rolls back (at least complex: both sides must be reconciled), after it only mitigation is left: passing it is a Go / No-Go decision of its own"
        )
    }
}
