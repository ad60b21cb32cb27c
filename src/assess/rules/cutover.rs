use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;
use crate::model::StatementKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A cutover from one system to another (a data store, a core platform, a provider), classed
    /// by whether the old system is kept current until the point of no return.
    ///
    /// ## Why it matters for rollback
    ///
    /// While the old system is written too (dual writes, a reverse sync), switching reads and
    /// writes back is a backout, followed by a reconciliation of the two (complex). When nothing
    /// keeps it current, the first write made only in the new system is the point of no return:
    /// a switch back loses it, and once customers use the new system there is only mitigation
    /// (irreversible). RB020 quotes the point of no return the brief names; this rule says
    /// which side of it the change stands on.
    ///
    /// ## Example
    ///
    /// "Migrate all customer accounts from the old platform to the new one over the weekend, in
    /// one event."
    ///
    /// ## Use instead
    ///
    /// Dual write, or sync the new system's writes back, until the point of no return; move a
    /// few accounts first and reconcile each wave (counts, checksums) before the next; write down
    /// the backout before the point of no return and who decides to pass it.
    pub static CUTOVER = { code: "RB023", name: "cutover", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    // The point of no return named in the brief (RB020 quotes it), or the step after which the
    // brief says there is no way back (RB016 quotes it).
    let named = ctx.spec.statements.iter().any(|s| {
        matches!(
            s.kind,
            StatementKind::PointOfNoReturn | StatementKind::NoWayBack
        )
    });
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(k) = c.as_cutover() else {
            continue;
        };
        let field = |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (kept, level, evidence) = if k.reverse_sync == Some(true) {
            (Kept::ReverseSync, Level::Complex, field("reverse_sync"))
        } else if k.dual_writes == Some(true) {
            (Kept::DualWrites, Level::Complex, field("dual_writes"))
        } else if k.old_kept == Some(true) {
            (Kept::OldInPlace, Level::Complex, field("old_kept"))
        } else {
            (Kept::Nothing, Level::Irreversible, field("dual_writes"))
        };
        let pnr = k.point_of_no_return.is_some() || named;
        let mut finding = rule.finding(Found { kept, pnr }, evidence).level(level).change(i);
        if level == Level::Irreversible {
            finding = finding.severity(Severity::Error);
        }
        out.push(finding);
    }
}

/// What keeps the old system current after the cutover.
enum Kept {
    DualWrites,
    ReverseSync,
    OldInPlace,
    Nothing,
}

struct Found {
    kept: Kept,
    /// The brief names its point of no return.
    pnr: bool,
}

impl crate::assess::Violation for Found {
    fn message(&self) -> String {
        let back = match self.kept {
            Kept::DualWrites => "dual writes keep the old system current: before the point of no return, switch reads and writes back and reconcile the two systems",
            Kept::ReverseSync => "a reverse sync copies the new system's writes back: before the point of no return, switch back once its lag is 0 and reconcile the two systems",
            Kept::OldInPlace => "the old system stays in place: before the point of no return, switch back to it and replay or accept losing the writes made only in the new system, then reconcile",
            Kept::Nothing => "nothing keeps the old system current: the first write made only in the new system is the point of no return; before it the backout switches back, after it only mitigation is left (copy back or replay those writes, or fix forward)",
        };
        let pnr = if self.pnr {
            ""
        } else {
            "; no point of no return is written down: name it and who decides to pass it"
        };
        format!("cutover: {back}{pnr}")
    }
}
