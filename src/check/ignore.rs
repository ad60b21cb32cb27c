//! `rollbook-ignore` comments: accepting one finding in the artifact itself, with a reason.
//!
//! The matching is generic over a file's lines, so it works for any artifact whose findings cite
//! a file and line: `-- rollbook-ignore RB102: reason` in SQL, `# rollbook-ignore RB201: reason`
//! in YAML manifests, `// ...` where that is the comment. A comment applies to the line it is on
//! (after the statement) and to the first line that is not a comment below a run of comment lines.

use super::{Accepted, Judged};
use crate::assess::Rule;
use crate::base::evidence::Evidence;
use crate::base::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};

const MARKER: &str = "rollbook-ignore";
const COMMENT_STARTS: [&str; 4] = ["--", "#", "//", "/*"];

/// What is wrong with an ignore comment, if anything: the policy rule it breaks and the message.
/// `used` says whether it accepted a finding.
pub fn problem(c: &IgnoreComment, used: bool) -> Option<(&'static crate::assess::Rule, String)> {
    use super::rules::{IGNORE_WITHOUT_REASON, UNUSED_IGNORE};
    if c.codes.is_empty() {
        Some((
            &IGNORE_WITHOUT_REASON,
            "rollbook-ignore names no rule: write `rollbook-ignore RB102: reason`".to_string(),
        ))
    } else if c.reason.is_none() {
        Some((
            &IGNORE_WITHOUT_REASON,
            format!(
                "rollbook-ignore {} gives no reason: write it after a colon; the finding stays",
                c.codes.join(", ")
            ),
        ))
    } else if !used {
        Some((
            &UNUSED_IGNORE,
            format!(
                "rollbook-ignore {} accepts no finding on this line or the statement below it",
                c.codes.join(", ")
            ),
        ))
    } else {
        None
    }
}

/// One `rollbook-ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreComment {
    /// 1-based line of the comment.
    pub line: u32,
    /// 1-based column of the marker.
    pub column: u32,
    /// Rule codes it names, upper-cased.
    pub codes: Vec<String>,
    /// The reason after the colon; `None` when missing or blank.
    pub reason: Option<String>,
}

impl IgnoreComment {
    pub fn names(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// Parses an ignore comment out of one line, if it holds one.
pub fn parse_line(line: &str, number: u32) -> Option<IgnoreComment> {
    let at = line.find(MARKER)?;
    let before = line.get(..at)?.trim_end();
    if !COMMENT_STARTS.iter().any(|m| before.ends_with(m)) {
        return None;
    }
    let rest = line.get(at + MARKER.len()..)?;
    // The marker must end as a word: `rollbook-ignored` is not it.
    if rest
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && c != ':')
    {
        return None;
    }
    let (codes_part, reason) = match rest.split_once(':') {
        Some((c, r)) => (c, Some(r)),
        None => (rest, None),
    };
    let codes = codes_part
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let reason = reason
        .map(|r| r.trim().trim_end_matches("*/").trim().to_string())
        .filter(|r| !r.is_empty());
    Some(IgnoreComment {
        line: number,
        column: line
            .get(..at)
            .map(|s| s.chars().count() as u32)
            .unwrap_or(0)
            + 1,
        codes,
        reason,
    })
}

/// Every ignore comment in a file, in line order.
pub fn comments(file: &SourceFile) -> Vec<IgnoreComment> {
    let mut out = Vec::new();
    let mut n = 1u32;
    while let Some(line) = file.line(n) {
        if let Some(c) = parse_line(line, n) {
            out.push(c);
        }
        n += 1;
    }
    out
}

fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    COMMENT_STARTS.iter().any(|m| t.starts_with(m))
}

/// The lines whose ignore comments apply to a finding at `line`: that line, and the run of
/// comment-only lines directly above it.
pub fn lines_for(file: &SourceFile, line: u32) -> Vec<u32> {
    let mut out = vec![line];
    let mut n = line;
    while n > 1 {
        n -= 1;
        match file.line(n) {
            Some(l) if is_comment_line(l) => out.push(n),
            _ => break,
        }
    }
    out
}

/// The ignore comments that apply to a finding of `code` at `line`.
pub fn matching<'a>(
    comments: &'a [IgnoreComment],
    file: &SourceFile,
    code: &str,
    line: u32,
) -> Vec<&'a IgnoreComment> {
    let lines = lines_for(file, line);
    comments
        .iter()
        .filter(|c| lines.contains(&c.line) && c.names(code))
        .collect()
}

/// A problem of an ignore comment itself: the rule it breaks, the message, and where it is.
pub type CommentProblem = (&'static Rule, String, Evidence);

/// Applies the ignore comments of `files` (path → text) to `findings`, for `check` and `scan`
/// alike: a finding on a line a comment with a reason covers is accepted (the first such comment
/// wins). Returns the comments' own problems, in path and line order: RB905 for a comment
/// without a rule or reason, RB906 for one that accepts nothing.
pub fn accept(files: &BTreeMap<&str, &SourceFile>, findings: &mut [Judged]) -> Vec<CommentProblem> {
    let comments: BTreeMap<&str, Vec<IgnoreComment>> = files
        .iter()
        .map(|(p, f)| (*p, comments(f)))
        .filter(|(_, cs)| !cs.is_empty())
        .collect();
    let mut used: BTreeSet<(&str, u32)> = BTreeSet::new();
    for j in findings.iter_mut() {
        let Some(line) = j.evidence.line else {
            continue;
        };
        let Some((path, cs)) = comments.get_key_value(j.evidence.file.as_str()) else {
            continue;
        };
        let Some(src) = files.get(path) else {
            continue;
        };
        for c in matching(cs, src, j.rule, line) {
            used.insert((path, c.line));
            if let Some(reason) = &c.reason
                && j.accepted.is_none()
            {
                j.accepted = Some(Accepted {
                    reason: reason.clone(),
                    file: j.evidence.file.clone(),
                    line: c.line,
                });
            }
        }
    }
    let mut out = Vec::new();
    for (path, cs) in &comments {
        for c in cs {
            let Some((rule, message)) = problem(c, used.contains(&(*path, c.line))) else {
                continue;
            };
            let mut ev = Evidence::at(path, c.line, c.column);
            if let Some(text) = files.get(path).and_then(|s| s.line(c.line)) {
                ev = ev.with_excerpt(text.trim());
            }
            out.push((rule, message, ev));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_reason() {
        let c = parse_line("-- rollbook-ignore RB102, rb101: unread since 5.1", 3).unwrap();
        assert_eq!(c.codes, ["RB102", "RB101"]);
        assert_eq!(c.reason.as_deref(), Some("unread since 5.1"));
        assert_eq!((c.line, c.column), (3, 4));
        let c = parse_line("  # rollbook-ignore RB201", 1).unwrap();
        assert_eq!(c.reason, None);
        let c = parse_line("/* rollbook-ignore RB1: x */", 1).unwrap();
        assert_eq!(c.reason.as_deref(), Some("x"));
        assert_eq!(
            parse_line("-- rollbook-ignore RB1:   ", 1).unwrap().reason,
            None
        );
    }

    #[test]
    fn needs_a_comment_marker() {
        assert!(parse_line("SELECT 'rollbook-ignore RB1: x';", 1).is_none());
        assert!(parse_line("-- rollbook-ignored RB1: x", 1).is_none());
        assert!(parse_line("DROP TABLE t; -- rollbook-ignore RB101: ok", 1).is_some());
    }

    #[test]
    fn applies_to_its_line_and_the_comment_run_above() {
        let f = SourceFile::new(
            "m.sql",
            "-- rollbook-ignore RB101: a\nSELECT 1;\n-- rollbook-ignore RB102: b\n-- more words\nALTER TABLE t DROP COLUMN c; -- rollbook-ignore RB103: c\n",
        );
        let cs = comments(&f);
        assert_eq!(cs.len(), 3);
        assert_eq!(matching(&cs, &f, "RB102", 5).len(), 1);
        assert_eq!(matching(&cs, &f, "RB103", 5).len(), 1);
        // A code statement between the comment and the finding breaks the run.
        assert!(matching(&cs, &f, "RB101", 5).is_empty());
        assert_eq!(matching(&cs, &f, "RB101", 2).len(), 1);
        assert_eq!(lines_for(&f, 1), [1]);
    }

    #[test]
    fn accept_marks_findings_and_reports_idle_and_reasonless_comments() {
        let f = SourceFile::new(
            "m.sql",
            "-- rollbook-ignore RB101: unused since 2024\nDROP TABLE a;\n-- rollbook-ignore RB102\nSELECT 1;\n-- rollbook-ignore RB103: nothing here\nSELECT 2;\n",
        );
        let judged = |rule: &'static str, line: u32| Judged {
            rule,
            name: "x",
            level: crate::model::RuleLevel::Error,
            message: "m".into(),
            evidence: Evidence::at("m.sql", line, 1),
            accepted: None,
        };
        let mut findings = [judged("RB101", 2), judged("RB102", 4)];
        let files = BTreeMap::from([("m.sql", &f)]);
        let problems = accept(&files, &mut findings);
        assert_eq!(
            findings[0]
                .accepted
                .as_ref()
                .map(|a| (a.reason.as_str(), a.line)),
            Some(("unused since 2024", 1))
        );
        // Without a reason the finding stays.
        assert_eq!(findings[1].accepted, None);
        let codes: Vec<(&str, Option<u32>)> =
            problems.iter().map(|(r, _, e)| (r.code, e.line)).collect();
        assert_eq!(codes, [("RB905", Some(3)), ("RB906", Some(5))]);
    }
}
