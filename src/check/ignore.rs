//! `rollbook-ignore` comments: accepting one finding in the artifact itself, with a reason.
//!
//! The matching is generic over a file's lines, so it works for any artifact whose findings cite
//! a file and line: `-- rollbook-ignore RB102: reason` in SQL, `# rollbook-ignore RB201: reason`
//! in YAML manifests, `// ...` where that is the comment. A comment applies to the line it is on
//! (after the statement) and to the first line that is not a comment below a run of comment lines.

use crate::base::source::SourceFile;

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
}
