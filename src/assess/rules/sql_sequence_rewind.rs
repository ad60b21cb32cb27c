//! Rule RB119 `sequence-rewind`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects ALTER SEQUENCE ... RESTART and setval().
    ///
    /// ## Why it matters for rollback
    ///
    /// A sequence moved back hands out ids that already exist: duplicate keys; nextval is not
    /// transactional, so a rollback never rewinds it either.
    ///
    /// ## Use instead
    ///
    /// Never rewind; in a down use `setval(seq, max(id))`.
    pub static SEQUENCE_REWIND = { code: "RB119", name: "sequence-rewind", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if let Op::AlterSequence { name, restart: true } = s.op
        {
            out.push(rule.finding(SequenceRewind { name }, s.stmt.evidence.clone()).level(Level::Fast).change(s.m.change));
        }
    }
}

/// A sequence restarted or set.
struct SequenceRewind<'a> { name: &'a str }

impl crate::assess::Violation for SequenceRewind<'_> {
    fn message(&self) -> String {
        let Self { name } = self;
        format!("Moves sequence `{name}`: if it goes backwards new rows collide with existing ids; rollback must reset it to max(id).")
    }
}
