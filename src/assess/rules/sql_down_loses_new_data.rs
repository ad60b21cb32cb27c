//! Rule RB126 `down-loses-new-data`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::{DownVerdict, verdict};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a down that drops tables or columns the up created.
    ///
    /// ## Why it matters for rollback
    ///
    /// Running it deletes everything written to them since the deploy; for an additive change the
    /// right rollback is to leave the schema in place.
    ///
    /// ## Use instead
    ///
    /// Do not run the down on rollback; leave the new objects and drop them in a later release once
    /// they are unused.
    pub static DOWN_LOSES_NEW_DATA = { code: "RB126", name: "down-loses-new-data", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        let v = verdict(m, pg_version(ctx.spec, m.change));
        let ev = m.down_source.clone().unwrap_or_else(|| m.up_source.clone());
        let found: Option<(DownLosesNewData, Option<Level>)> = match &v.down { DownVerdict::LosesDataWrittenSinceDeploy(items) => Some((DownLosesNewData { items, additive_only: v.additive_only }, if v.additive_only { None } else { Some(Level::Complex) })), _ => None };
        if let Some((msg, level)) = found {
            let mut f = rule.finding(msg, ev).change(m.change);
            if let Some(l) = level {
                f = f.level(l);
            }
            out.push(f);
        }
    }
}

/// A down that drops what the up created, with the data written into it since.
struct DownLosesNewData<'a> {
    items: &'a [String],
    /// An additive up: the schema can stay on rollback, so the down need not run.
    additive_only: bool,
}

impl crate::assess::Violation for DownLosesNewData<'_> {
    fn message(&self) -> String {
        format!("The down drops {} created by the up: data written since the deploy is lost; {}", self.items.join(", "), if self.additive_only { "leave the schema in place on rollback and do NOT run the down." } else { "copy that data out before running it." })
    }
}
