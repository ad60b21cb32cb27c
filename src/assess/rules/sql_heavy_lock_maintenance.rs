//! Rule RB130 `heavy-lock-maintenance`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects table maintenance that holds a heavy lock for its whole run: VACUUM FULL, CLUSTER,
    /// REINDEX and DETACH PARTITION without CONCURRENTLY, REFRESH MATERIALIZED VIEW without
    /// CONCURRENTLY (PostgreSQL).
    ///
    /// ## Why it matters for rollback
    ///
    /// The table (or view) is unreadable or unwritable until the command ends, a time that grows
    /// with its size; a deploy stuck behind it cannot be rolled back until it finishes or is
    /// cancelled.
    ///
    /// ## Example
    ///
    /// `VACUUM FULL orders;`, `REINDEX TABLE orders;`, `ALTER TABLE events DETACH PARTITION
    /// events_2020;`
    ///
    /// ## Use instead
    ///
    /// `REINDEX ... CONCURRENTLY` (PostgreSQL 12+), `DETACH PARTITION ... CONCURRENTLY` (14+),
    /// `REFRESH MATERIALIZED VIEW CONCURRENTLY`; pg_repack instead of VACUUM FULL or CLUSTER; or
    /// run them in a maintenance window, not in a deploy.
    pub static HEAVY_LOCK_MAINTENANCE = { code: "RB130", name: "heavy-lock-maintenance", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        if s.m.dialect != Dialect::Postgres {
            continue;
        }
        if let Op::Maintenance { command, target, concurrently: false } = s.op
            && !ctx.fresh(s.mi, s.si, target)
        {
            let what = if target.is_empty() { "every table it covers".to_string() } else { target.clone() };
            // VACUUM FULL and CLUSTER have no concurrent form.
            let how = if matches!(command.as_str(), "VACUUM FULL" | "CLUSTER") { "" } else { " without CONCURRENTLY" };
            out.push(rule.finding(HeavyLockMaintenance { command, how, what: &what }, s.stmt.evidence.clone()).change(s.m.change));
        }
    }
}

/// Maintenance that locks its table for the whole run.
struct HeavyLockMaintenance<'a> {
    command: &'a str,
    /// `" without CONCURRENTLY"` where a concurrent form exists, else empty.
    how: &'a str,
    /// The table, or "every table it covers".
    what: &'a str,
}

impl crate::assess::Violation for HeavyLockMaintenance<'_> {
    fn message(&self) -> String {
        let Self { command, how, what } = self;
        format!("{command}{how} locks {what} for the whole run: queries on it wait until it ends.")
    }
}
