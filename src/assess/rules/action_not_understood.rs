use crate::assess::{Context, Finding, Level, Rule};
use crate::model::StatementKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The brief describes work rollbook cannot map to a change it understands: an upgrade, a push
    /// to a fleet, a cutover, a rotation, a deletion, a failover that no recognised change covers,
    /// or no recognised change at all.
    ///
    /// ## Why it matters for rollback
    ///
    /// Unknown is not instant. Redeploying the previous version does not undo work rollbook did not
    /// see, so the plan classes it for the worst case it cannot exclude (complex; fast when the
    /// brief itself names a way back, which rollbook cannot check; irreversible when the words name
    /// destruction) and leaves a placeholder for the rollback mechanism the operator must write.
    ///
    /// ## Example
    ///
    /// "Re-image the 300 store kiosks with image 14 on Sunday night."
    ///
    /// ## Use instead
    ///
    /// Describe the change so it is recognised (a spec with its `kind`), or name its backout in the
    /// brief: the command, the kill switch, the saved config.
    pub static ACTION_NOT_UNDERSTOOD = { code: "RB017", name: "action-not-understood", family: Spec, severity: Warning, check: check, fixtures: [".md"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, st) in ctx.spec.statements.iter().enumerate() {
        if st.kind != StatementKind::UnmappedAction {
            continue;
        }
        let words = &st.words;
        // A way back that the brief itself names is evidence too: the worst case left is that
        // it takes minutes, not that there is none. rollbook still cannot check it.
        let named_backout = ctx
            .spec
            .statements
            .iter()
            .any(|s| s.kind == StatementKind::Backout);
        let (level, worst) = if st.destructive {
            (Level::Irreversible, "the words name destruction")
        } else if named_backout {
            (
                Level::Fast,
                "at least fast: the brief names a way back, which rollbook cannot check",
            )
        } else {
            (Level::Complex, "at least complex: no way back is named")
        };
        out.push(
            rule.finding(
                ActionNotUnderstood { words, worst },
                st.evidence(ctx.spec_file, i),
            )
            .level(level),
        );
    }
}

/// Work the brief describes that maps to no known change.
struct ActionNotUnderstood<'a> {
    /// The brief's own words.
    words: &'a str,
    /// Why it is classed as it is.
    worst: &'a str,
}

impl crate::assess::Violation for ActionNotUnderstood<'_> {
    fn message(&self) -> String {
        let Self { words, worst } = self;
        format!(
            "rollbook could not tell how to undo: \u{201c}{words}\u{201d}; classed for the worst case it cannot exclude ({worst}): write its rollback mechanism before the deploy"
        )
    }
}
