//! The policy rules of `rollbook check`: judgements on the whole plan, not on one artifact. They
//! are declared like the assessment rules (code, name, default severity, doc) but are not run by
//! `rollbook plan`; `rollbook check` applies them.

use crate::assess::{Context, Finding, Rule};

/// Policy rules are judged by `check::judge`, not through the assessment registry.
fn judged_by_check(_: &Rule, _: &Context, _: &mut Vec<Finding>) {}

crate::declare_rule! {
    /// ## What it does
    ///
    /// An irreversible deploy without a written acknowledgement: who accepts it and the mitigation.
    ///
    /// ## Why it matters for rollback
    ///
    /// An irreversible deploy has no rollback, only mitigation. Someone must knowingly accept that,
    /// and the mitigation must be written before the deploy, not improvised after it.
    ///
    /// ## Use instead
    ///
    /// Make the change reversible (expand and contract, flag-gated sends), or add
    /// `deployment.acknowledgement` with `by` (a named person) and `mitigation` (what is done
    /// instead of a rollback).
    pub static IRREVERSIBLE_UNACKNOWLEDGED = { code: "RB901", name: "irreversible-unacknowledged", family: Policy, severity: Error, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// A complex or irreversible deploy planned in a blocked window (default: Friday from 12:00,
    /// weekends, holidays and their eves, freezes).
    ///
    /// ## Why it matters for rollback
    ///
    /// A rollback that takes 15 minutes or more, or a recovery from an irreversible change, needs
    /// the people who know the system to be at work for hours after it.
    ///
    /// ## Use instead
    ///
    /// Move `deployment.planned_start` (or `--at`) outside the policy's `blocked_windows`,
    /// `holidays` and `freezes`.
    pub static BLOCKED_WINDOW = { code: "RB902", name: "deploy-in-blocked-window", family: Policy, severity: Error, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// A change that loses data, on a data store without a backup verified within
    /// `policy.backup_max_age_days` (default 7) of the planned start.
    ///
    /// ## Why it matters for rollback
    ///
    /// Once data is destroyed, a restore is the only way back; a backup that is old, or that was
    /// never restored, may not bring it back.
    ///
    /// ## Use instead
    ///
    /// Take a backup and run a restore drill shortly before the deploy, and record both dates
    /// (`backup.last_backup`, `backup.last_tested_restore`).
    pub static BACKUP_NOT_VERIFIED = { code: "RB903", name: "backup-not-verified-recently", family: Policy, severity: Error, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// The plan holds a placeholder that a field of the spec would fill.
    ///
    /// ## Why it matters for rollback
    ///
    /// A command that still holds `<NAME>` cannot run; at 3 a.m. the on-call engineer has to find
    /// the value under pressure.
    ///
    /// ## Use instead
    ///
    /// Fill the spec field the placeholder names and run rollbook again, or set
    /// `policy.require_filled_placeholders: false` to accept blanks.
    pub static UNFILLED_PLACEHOLDER = { code: "RB904", name: "unfilled-placeholder", family: Policy, severity: Error, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// A `rollbook-ignore` comment that gives no reason.
    ///
    /// ## Why it matters for rollback
    ///
    /// An accepted finding is a risk someone chose to take; without a reason the next reader cannot
    /// tell a decision from a silenced warning.
    ///
    /// ## Use instead
    ///
    /// Write the reason after a colon: `-- rollbook-ignore RB102: column unread since 5.1.0, backup
    /// verified`.
    pub static IGNORE_WITHOUT_REASON = { code: "RB905", name: "ignore-without-reason", family: Policy, severity: Error, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// A `rollbook-ignore` comment that matches no finding.
    ///
    /// ## Why it matters for rollback
    ///
    /// A stale acceptance may silently cover a different, later finding on the same line.
    ///
    /// ## Use instead
    ///
    /// Remove the comment, or put it on the line of the statement it accepts (or the comment lines
    /// directly above it).
    pub static UNUSED_IGNORE = { code: "RB906", name: "unused-ignore", family: Policy, severity: Warning, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// A policy check that cannot be judged from the input: no planned start for the window or the
    /// backup age, or a date that cannot be read.
    ///
    /// ## Why it matters for rollback
    ///
    /// Rollbook never reads the clock; an unjudged check is a check someone must make by hand.
    ///
    /// ## Use instead
    ///
    /// Set `deployment.planned_start` or pass `--at`, and record backup dates as `YYYY-MM-DD`.
    pub static NOT_JUDGED = { code: "RB907", name: "policy-not-judged", family: Policy, severity: Warning, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// The plan holds a placeholder that no spec field fills: it is filled by hand in the plan
    /// before it is used.
    ///
    /// ## Why it matters for rollback
    ///
    /// The blank must be filled in the pasted plan before anyone runs it; the check can only
    /// remind.
    ///
    /// ## Use instead
    ///
    /// Fill it in the plan you keep with the change ticket; set the rule to `off` once your process
    /// does that.
    pub static HAND_FILLED_PLACEHOLDER = { code: "RB908", name: "hand-filled-placeholder", family: Policy, severity: Warning, check: judged_by_check }
}

crate::declare_rule! {
    /// ## What it does
    ///
    /// `policy.require_rehearsal` names a rehearsal report, and it is missing, was made before the
    /// last change to a migration file (its checksum differs), does not cover one, or found a
    /// problem (a down that fails, a schema that does not come back, an undeclared loss).
    ///
    /// ## Why it matters for rollback
    ///
    /// A down migration that was never run is a guess; the one that was rehearsed before the last
    /// edit proves nothing about the file that ships.
    ///
    /// ## Example
    ///
    /// `policy: {require_rehearsal: rehearsal.json}` and a migration edited after `rollbook
    /// rehearse` wrote `rehearsal.json`.
    ///
    /// ## Use instead
    ///
    /// Run `rollbook rehearse SPEC --ephemeral postgres --format json > rehearsal.json` after the
    /// last change, fix what it finds, and commit the report.
    pub static REHEARSAL_STALE = { code: "RB920", name: "rehearsal-missing-or-stale", family: Policy, severity: Error, check: judged_by_check }
}

/// Every policy rule, in code order.
pub fn all() -> &'static [&'static Rule] {
    static ALL: &[&Rule] = &[
        &IRREVERSIBLE_UNACKNOWLEDGED,
        &BLOCKED_WINDOW,
        &BACKUP_NOT_VERIFIED,
        &UNFILLED_PLACEHOLDER,
        &IGNORE_WITHOUT_REASON,
        &UNUSED_IGNORE,
        &NOT_JUDGED,
        &HAND_FILLED_PLACEHOLDER,
        &REHEARSAL_STALE,
    ];
    ALL
}

/// Every rule `rollbook check` knows: the assessment rules, then the policy rules.
pub fn every() -> Vec<&'static Rule> {
    crate::assess::rules::all()
        .iter()
        .chain(all().iter())
        .copied()
        .collect()
}

/// Looks a rule up by code (exact, case-insensitive).
pub fn find(code: &str) -> Option<&'static Rule> {
    every()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}
