//! Rule RB100 `not-understood-statement`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::support::up_sites;
use crate::evidence::sql::Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a migration statement rollbook could not parse or does not analyse (such as a DO
    /// block).
    ///
    /// ## Why it matters for rollback
    ///
    /// A statement nobody has judged may drop, rewrite or lock anything; the plan cannot vouch for
    /// it.
    ///
    /// ## Use instead
    ///
    /// Review the statement by hand and record its effect in the spec (`reversible`,
    /// `destructive`).
    pub static NOT_UNDERSTOOD_STATEMENT = { code: "RB100", name: "not-understood-statement", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

/// Statements rollbook reads but does not judge that cannot drop, rewrite or lock data.
const HARMLESS: &[&str] = &[
    "comment", "grant", "revoke", "create view", "create or", "create schema", "create sequence",
    "create domain", "create policy", "create role", "create user", "create aggregate", "create operator",
    "create collation", "create publication", "create statistics", "create cast", "create text", "create materialized",
    "create rule", "drop view", "drop sequence", "drop policy", "drop domain", "drop role", "drop user", "drop materialized",
    "drop rule", "drop aggregate", "drop operator", "drop publication", "drop statistics", "drop cast", "drop collation",
    "alter sequence", "alter function", "alter procedure", "alter view", "alter schema", "alter policy", "alter default",
    "alter role", "alter user", "alter owner", "alter statistics", "alter materialized", "alter domain", "alter type",
    "alter database", "alter table owner", "alter table enable", "alter table disable", "alter table replica",
    "alter table inherit", "alter table no", "alter table set schema", "alter table set without", "alter table reset",
    "alter table alter", "alter table cluster", "alter table comment", "alter table add", "alter table drop",
    "alter table modify", "alter table change", "alter table rename", "alter table algorithm",
    "alter table lock", "set", "reset", "select", "insert", "vacuum", "analyze", "rollback", "savepoint",
    "release", "show", "use", "prepare", "execute", "deallocate", "call", "notify", "listen", "discard", "checkpoint",
    "security", "pragma", "create index", "drop index", "create trigger", "drop trigger", "create function",
    "drop function", "create procedure", "drop procedure", "create event", "drop event", "values", "with",
    "create type", "create extension", "create table", "start", "lock", "unlock", "delimiter", "explain",
];

/// The statement's first line, shortened.
fn first_line(ev: &crate::evidence::Evidence) -> String {
    let text = ev.excerpt.as_deref().unwrap_or("");
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() { format!("{}…", short.trim_end_matches('…')) } else { short }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for s in up_sites(ctx.migrations) {
        let first = first_line(&s.stmt.evidence);
        match s.op {
            Op::NotUnderstood { error } if error.contains("not analysed") || error.contains("nested deeper") => {
                out.push(rule.finding(NotUnderstoodStatement::Skipped { first: &first, error }, s.stmt.evidence.clone()).change(s.m.change));
            }
            Op::NotUnderstood { .. } => {
                out.push(rule.finding(NotUnderstoodStatement::Unparsed { first: &first }, s.stmt.evidence.clone()).change(s.m.change));
            }
            Op::Other { keyword } if !keyword.is_empty() && keyword != "alter table" && keyword != "alter table set" && !HARMLESS.iter().any(|h| keyword == h || keyword.starts_with(&format!("{h} "))) => {
                out.push(rule.finding(NotUnderstoodStatement::UnknownKeyword { first: &first, keyword }, s.stmt.evidence.clone()).change(s.m.change));
            }
            _ => {}
        }
    }
}

/// A statement that was not judged; `first` is its first line, shortened.
enum NotUnderstoodStatement<'a> {
    Skipped { first: &'a str, error: &'a str },
    Unparsed { first: &'a str },
    UnknownKeyword { first: &'a str, keyword: &'a str },
}

impl crate::assess::Violation for NotUnderstoodStatement<'_> {
    fn message(&self) -> String {
        match self {
            Self::Skipped { first, error } => format!("`{first}`: rollbook does not analyse this statement ({error}); it was not judged: review it by hand."),
            Self::Unparsed { first } => format!("`{first}`: rollbook could not parse this statement; it was not judged: review it by hand."),
            Self::UnknownKeyword { first, keyword } => format!("`{first}`: rollbook does not analyse `{}` statements; it was not judged: review it by hand.", keyword.to_uppercase()),
        }
    }
}
