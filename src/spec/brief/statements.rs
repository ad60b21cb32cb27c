//! Sentences about rollback outside the changes: no way back, unmapped work, the brief's own backout.

use super::infer::*;
use super::patterns::*;
use super::text::{Doc, Section, Sentence, UnitKind, negated};
use crate::base::Evidence;
use crate::model::*;

/// Work no recognised change covers is kept; and a brief in which no change was recognised and
/// nothing else said what is done keeps its first sentence of the deployment as work rollbook
/// cannot map, so the plan is not instant.
pub(super) fn unmapped_work(cx: &mut Ctx, doc: &Doc) {
    let version = cx.spec.deployment.version.clone();
    let has_code = cx
        .spec
        .deployment
        .changes
        .iter()
        .any(|c| c.kind() == ChangeKind::Code);
    for (st, covers) in std::mem::take(&mut cx.unmapped) {
        // A sentence naming the release's own version describes the code change.
        let the_release = has_code
            && version
                .as_deref()
                .is_some_and(|v| st.words.contains(v.trim_start_matches('v')));
        let covered = the_release
            || cx
                .spec
                .deployment
                .changes
                .iter()
                .any(|c| covers.contains(&c.kind()));
        if !covered && !cx.spec.statements.contains(&st) {
            cx.spec.statements.push(st);
        }
    }
    let said = cx
        .spec
        .statements
        .iter()
        .any(|st| st.kind != StatementKind::Backout);
    if !cx.spec.deployment.changes.is_empty() || said {
        return;
    }
    let body = |st: &&Sentence| {
        !cx.heading_units.get(st.unit).copied().unwrap_or(false)
            && cx
                .text
                .get(st.start..st.end)
                .is_some_and(|w| w.split_whitespace().count() >= 4)
    };
    let first = doc
        .sentences
        .iter()
        .filter(body)
        .find(|st| st.section == Section::Deployment)
        .or_else(|| {
            doc.sentences
                .iter()
                .filter(body)
                .find(|st| st.section == Section::Description)
        });
    if let Some(st) = first
        && let Some(words) = cx.text.get(st.start..st.end)
    {
        let lead = words.len() - words.trim_start().len();
        let st = statement(
            cx,
            StatementKind::UnmappedAction,
            st.start + lead,
            words,
            DESTRUCTION.is_match(words),
        );
        cx.spec.statements.push(st);
    }
}

/// Units under a heading that names the backout, until the next heading, and ticket units that
/// open with a `Backout:` label.
pub(super) fn backout_units(text: &str, doc: &Doc) -> Vec<bool> {
    let mut under = false;
    doc.units
        .iter()
        .map(|u| {
            let t = text.get(u.start..u.end).unwrap_or("");
            if u.kind == UnitKind::Heading {
                under = BACKOUT_HEADING.is_match(t.trim());
                return false;
            }
            under || BACKOUT_LABEL.is_match(t)
        })
        .collect()
}

/// A statement at byte `at` of the brief, its words on one line and bounded like an excerpt.
pub(super) fn statement(
    cx: &Ctx,
    kind: StatementKind,
    at: usize,
    words: &str,
    destructive: bool,
) -> BriefStatement {
    let (line, col) = cx.src.line_col(at);
    BriefStatement {
        kind,
        words: Evidence::at(cx.path, line, col)
            .with_excerpt(words.trim())
            .excerpt
            .unwrap_or_default(),
        file: Some(cx.path.to_string()),
        line: Some(line),
        column: Some(col),
        destructive,
    }
}

/// The quoted words of a statement: the clause holding the match, to the sentence's end.
pub(super) fn clause_from(s: &str, at: usize) -> (usize, &str) {
    let before = s.get(..at).unwrap_or("");
    let mut start = before
        .rfind([';', '(', '—', '–', ':'])
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    if at - start > 100 {
        start = at - 100;
        while !s.is_char_boundary(start) {
            start += 1;
        }
        start = s[start..at].find(' ').map_or(at, |i| start + i + 1);
    }
    let lead = s[start..].len() - s[start..].trim_start().len();
    (start + lead, s[start + lead..].trim_end())
}

/// Sentences that bear on rollback outside the changes rollbook understands: no way back, work it
/// cannot map to a change, and the brief's own backout. Each is kept with its words for the rules.
pub(super) fn statements(cx: &mut Ctx, s: &str, base: usize, sent: &Sentence, touched: &[usize]) {
    let in_backout = cx.backout_units.get(sent.unit).copied().unwrap_or(false);
    let destructive = DESTRUCTION.is_match(s);
    let record = |cx: &mut Ctx, kind: StatementKind, at: usize| {
        let (from, words) = clause_from(s, at);
        let st = statement(cx, kind, base + from, words, destructive);
        cx.spec.statements.push(st);
    };
    let no_way_back = NO_WAY_BACK.find_iter(s).find(|m| {
        let lead_neg = m.as_str().to_lowercase().starts_with("no ")
            || m.as_str().to_lowercase().starts_with("there is no")
            || m.as_str().to_lowercase().starts_with("has no")
            || m.as_str().to_lowercase().starts_with("have no");
        let neg = !lead_neg && negated(s, m.start(), m.end());
        let not_needed = NOT_NEEDED_AFTER.is_match(s.get(m.end()..).unwrap_or(""));
        !neg && !not_needed
    });
    if let Some(m) = no_way_back {
        record(cx, StatementKind::NoWayBack, m.start());
        return;
    }
    if let Some(m) = POINT_OF_NO_RETURN.find(s)
        && !negated(s, m.start(), m.end())
    {
        record(cx, StatementKind::PointOfNoReturn, m.start());
        return;
    }
    // A ticket's `Backout: …` line, or a table row whose first cell names the backout.
    let labelled = [&BACKOUT_LINE, &BACKOUT_ROW].into_iter().find_map(|re| {
        re.captures(s).and_then(|c| c.get(1)).filter(|body| {
            body.as_str().split_whitespace().count() >= 2 && !NO_RISK.is_match(body.as_str())
        })
    });
    if let Some(body) = labelled {
        let st = statement(
            cx,
            StatementKind::Backout,
            base + body.start(),
            body.as_str().trim(),
            destructive,
        );
        cx.spec.statements.push(st);
        return;
    }
    if in_backout {
        let body = BACKOUT_LABEL
            .find(s)
            .map_or(s, |m| s.get(m.end()..).unwrap_or(""));
        if body.split_whitespace().count() >= 2 && !NO_RISK.is_match(body) {
            let at = s.len() - body.len();
            record(cx, StatementKind::Backout, at);
        }
        return;
    }
    if let Some(m) = MECHANISM.find(s)
        && !negated(s, m.start(), m.end())
    {
        record(cx, StatementKind::Backout, m.start());
        return;
    }
    let heading = cx.heading_units.get(sent.unit).copied().unwrap_or(false);
    if heading || !matches!(sent.section, Section::Description | Section::Deployment) {
        return;
    }
    if let Some(m) = ACTION.find(s)
        && !negated(s, m.start(), m.end())
    {
        let covers = covering_kinds(m.as_str());
        let covered = touched.iter().any(|&i| {
            cx.spec
                .deployment
                .changes
                .get(i)
                .is_some_and(|c| covers.contains(&c.kind()))
        });
        if !covered {
            let (from, words) = clause_from(s, m.start());
            let st = statement(
                cx,
                StatementKind::UnmappedAction,
                base + from,
                words,
                destructive,
            );
            cx.unmapped.push((st, covers));
        }
    }
}

/// The change kinds that, found anywhere in the brief, cover an action word: an upgrade is an
/// infrastructure or dependency change, a cutover a migration, a push or roll-out to a fleet a
/// fleet push.
pub(super) fn covering_kinds(action: &str) -> &'static [ChangeKind] {
    use ChangeKind::*;
    let a = action.to_lowercase();
    let starts = |p: &[&str]| p.iter().any(|x| a.starts_with(x));
    if starts(&["upgrad"]) {
        &[
            Infrastructure,
            Dependency,
            DatabaseOperation,
            PlatformUpgrade,
            ClientRelease,
        ]
    } else if starts(&["migrat", "cut", "mov"]) {
        &[
            Migration,
            DataOperation,
            Infrastructure,
            IndexCache,
            Cutover,
            PlatformUpgrade,
            NetworkChange,
        ]
    } else if starts(&["rotat"]) {
        &[Config, AccessChange]
    } else if starts(&["delet", "wip"]) {
        &[
            DataOperation,
            Migration,
            StreamQueue,
            IndexCache,
            AccessChange,
        ]
    } else if starts(&["reindex", "re-index"]) {
        &[Migration, DataOperation, DatabaseOperation, IndexCache]
    } else if starts(&["push", "roll", "flash"]) {
        &[FleetPush, Config, NetworkChange, ClientRelease]
    } else if starts(&["switch"]) {
        &[
            FeatureFlag,
            Infrastructure,
            Config,
            DatabaseOperation,
            IndexCache,
            Cutover,
            NetworkChange,
        ]
    } else if starts(&[
        "fail",
        "promot",
        "replac",
        "decommission",
        "re-point",
        "repoint",
        "rebalanc",
        "reshard",
        "resync",
    ]) {
        &[
            Infrastructure,
            DatabaseOperation,
            AccessChange,
            PlatformUpgrade,
            NetworkChange,
            ClientRelease,
            MlModel,
        ]
    } else {
        &[]
    }
}
