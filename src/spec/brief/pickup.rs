//! A party outside the team that collects the output at a set time ("the bank picks the files up
//! at 06:00 UTC", "the partner pulls the feed by 07:00"): an external effect with a deadline. What
//! it has collected cannot be recalled, so the way back must land before it collects.

use super::infer::Ctx;
use super::matcher::Matcher;
use super::statements::{clause_from, statement};
use super::text::{Doc, negated};
use crate::model::StatementKind;

/// A collecting verb, then a clock time it happens at, by or before.
static COLLECTS: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:pick(?:s|ed|ing)?(?:\s+[[:word:]-]+){0,3}?\s+up|collect(?:s|ed|ing)?|pull(?:s|ed|ing)?|download(?:s|ed|ing)?|fetch(?:es|ed|ing)?|retriev(?:e|es|ed|ing))(?-u:\b)[^.;]{0,60}?(?-u:\b)(?:at|by|before)\s+[0-2]?[0-9]:[0-5][0-9](?-u:\b)",
    &["pick", "collect", "pull", "download", "fetch", "retriev"],
);

/// Who collects is outside the team: a bank, a partner, a customer, an authority.
static OUTSIDE: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:banks?|partners?|vendors?|suppliers?|customers?|clients?|regulators?|clearing(?:\s+house)?|processors?|auditors?|third[- ]part(?:y|ies)|authorit(?:y|ies)|insurers?|payroll\s+provider)(?-u:\b)",
    &[
        "bank",
        "partner",
        "vendor",
        "supplier",
        "customer",
        "client",
        "regulator",
        "clearing",
        "processor",
        "auditor",
        "third",
        "authorit",
        "insurer",
        "payroll",
    ],
);

/// Keeps each sentence in which an outside party collects the output at a set time.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    for sent in &doc.sentences {
        let Some(s) = cx.text.get(sent.start..sent.end) else {
            continue;
        };
        let Some(m) = COLLECTS.find(s).filter(|m| !negated(s, m.start(), m.end())) else {
            continue;
        };
        if !OUTSIDE.is_match(s) {
            continue;
        }
        let (from, words) = clause_from(s, m.start());
        let st = statement(
            cx,
            StatementKind::ExternalPickup,
            sent.start + from,
            words,
            false,
        );
        if !cx.spec.statements.contains(&st) {
            cx.spec.statements.push(st);
        }
    }
}

/// Every matcher of this file, for the word gate.
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [&COLLECTS, &OUTSIDE].into_iter()
}
