//! Rule RB125 `down-empty`.

use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::{DownVerdict, verdict};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a down migration that is blank or comment-only (a warning when it is a separate down
    /// file and the up destroys nothing).
    ///
    /// ## Why it matters for rollback
    ///
    /// The tool reports the down as applied while nothing was undone; the schema stays as the up
    /// left it.
    ///
    /// ## Use instead
    ///
    /// Write a real down, or mark the change irreversible in the spec.
    pub static DOWN_EMPTY = { code: "RB125", name: "down-empty", family: Sql, severity: Error, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        let v = verdict(m, pg_version(ctx.spec, m.change));
        let mut ev = m.down_source.clone().unwrap_or_else(|| m.up_source.clone());
        // A blank down has no line worth pointing at: cite the file (or the section marker).
        let own_file = ev.file != m.up_source.file;
        if own_file {
            ev.line = None;
            ev.column = None;
        }
        let found: Option<(DownEmpty, Option<Level>)> = match v.down { DownVerdict::Empty if !v.additive_only => Some((DownEmpty, Some(if v.destroys.is_empty() { Level::Complex } else { Level::Irreversible }))), _ => None };
        if let Some((msg, level)) = found {
            let mut f = rule.finding(msg, ev).change(m.change);
            // An empty down file the tool generated, after an up that destroys nothing: a warning.
            if own_file && v.destroys.is_empty() {
                f = f.severity(Severity::Warning);
            }
            if let Some(l) = level {
                f = f.level(l);
            }
            out.push(f);
        }
    }
}

/// A down that does nothing.
struct DownEmpty;

impl crate::assess::Violation for DownEmpty {
    fn message(&self) -> String {
        "The down does nothing (blank or comments only): running it reverses nothing; the reverse must be written by hand.".to_string()
    }
}
