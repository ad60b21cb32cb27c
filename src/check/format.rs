//! Output formats of `rollbook check`: human (with source snippets), GitHub workflow annotations,
//! SARIF 2.1.0 and JSON. All deterministic.

use super::{Judged, Report};
use crate::assess::Rule;
use crate::base::source::SourceFile;
use crate::model::RuleLevel;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One line, without control characters: a message never breaks the terminal layout.
/// Input-derived text on one line, secrets masked and bidi characters escaped before any
/// styling is added: coloured output then holds only the escape sequences rollbook wrote.
fn one_line(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    safe(&flat)
}

fn safe(s: &str) -> String {
    crate::base::redact::for_output(s, crate::base::redact::Shape::Human).into_owned()
}

/// Human output: findings with file:line as rustc-style snippets read from the file, the others as
/// plain lines; then what was accepted, and a summary.
pub fn human(report: &Report) -> String {
    human_with(report, &Renderer::plain(), false)
}

/// Human output with a chosen renderer (styled for a terminal); `quiet` keeps only the findings.
pub fn human_with(report: &Report, renderer: &Renderer, quiet: bool) -> String {
    let mut out = String::new();
    if quiet {
        for spec in &report.specs {
            for f in spec.findings.iter().filter(|f| f.accepted.is_none()) {
                out.push_str(&finding(renderer, f));
                out.push_str("\n\n");
            }
        }
        return out;
    }
    for f in &report.files {
        out.push_str(&one_line(&format!(
            "{} {}: {}",
            if f.judged { "judged " } else { "ignored" },
            f.path,
            f.why
        )));
        out.push('\n');
    }
    if !report.files.is_empty() {
        out.push('\n');
    }
    for spec in &report.specs {
        for f in spec.findings.iter().filter(|f| f.accepted.is_none()) {
            out.push_str(&finding(renderer, f));
            out.push_str("\n\n");
        }
        for line in spec.findings.iter().filter_map(accepted) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&one_line(&format!(
            "{}: {}, planned start {}; policy: {}",
            spec.spec,
            spec.classification.as_str(),
            spec.planned_start.as_deref().unwrap_or("not set"),
            spec.policy.join(" < ")
        )));
        out.push('\n');
    }
    out.push_str(&format!(
        "rollbook check: {}: {} error(s), {} warning(s), {} accepted\n",
        report.status.to_uppercase(),
        report.errors,
        report.warnings,
        report.accepted
    ));
    out
}

/// The line of a finding a `rollbook-ignore` comment accepted, in `check` and `scan` alike:
/// `accepted[RB101]: m.sql:2:1 (reason): message`. `None` when it is not accepted.
pub fn accepted(f: &Judged) -> Option<String> {
    let a = f.accepted.as_ref()?;
    Some(one_line(&format!(
        "accepted[{}]: {} ({}): {}",
        f.rule,
        f.evidence.cite(),
        a.reason,
        f.message
    )))
}

/// One finding as a rustc-style snippet read from its file (a plain note when it has no line).
pub fn finding(renderer: &Renderer, f: &Judged) -> String {
    finding_in(renderer, f, &Sources::disk())
}

/// [`finding`], its file's text from `sources`.
pub fn finding_in(renderer: &Renderer, f: &Judged, sources: &Sources) -> String {
    let level = match f.level {
        RuleLevel::Error => Level::ERROR,
        _ => Level::WARNING,
    };
    let title = one_line(&format!("{} ({})", f.message, f.name));
    let help = format!("`rollbook explain {}`", f.rule);
    let src = f
        .evidence
        .line
        .and_then(|line| Some((line, sources.line(&f.evidence.file, line)?)));
    match src {
        Some((line, text)) => {
            let text = annotate_snippets::normalize_untrusted_str(&safe(&text));
            let path = safe(&f.evidence.file);
            let col = f.evidence.column.unwrap_or(1).saturating_sub(1) as usize;
            let start = text.char_indices().nth(col).map(|(i, _)| i).unwrap_or(0);
            let end = underline_end(&text, start, f.evidence.field.is_some());
            let report = &[level
                .primary_title(title.as_str())
                .id(f.rule)
                .element(
                    Snippet::source(text.as_str())
                        .line_start(line as usize)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
                .element(Level::HELP.message(help.as_str()))];
            renderer.render(report)
        }
        None => {
            let at = one_line(&f.evidence.cite());
            let report = &[
                Group::with_title(level.primary_title(title.as_str()).id(f.rule))
                    .element(Level::NOTE.message(format!("at {at}")))
                    .element(Level::HELP.message(help.as_str())),
            ];
            renderer.render(report)
        }
    }
}

/// Where the text of a finding's file comes from, each file read once per output: the file on
/// disk (`-`: standard input, as read once), except the one the caller holds (`rollbook scan -`
/// holds standard input under its `--stdin-filepath` name).
pub struct Sources<'a> {
    given: Option<(&'a str, &'a str)>,
    read: RefCell<HashMap<String, Option<Rc<SourceFile>>>>,
}

impl<'a> Sources<'a> {
    /// Every file from disk.
    pub fn disk() -> Self {
        Sources {
            given: None,
            read: RefCell::default(),
        }
    }

    /// The file `name` is `text`; every other from disk.
    pub fn with(name: &'a str, text: &'a str) -> Self {
        Sources {
            given: Some((name, text)),
            ..Sources::disk()
        }
    }

    fn file(&self, path: &str) -> Option<Rc<SourceFile>> {
        if let Some(f) = self.read.borrow().get(path) {
            return f.clone();
        }
        let text = match self.given {
            Some((name, text)) if name == path => Some(text.to_string()),
            _ => crate::spec::load::read_text(path).ok(),
        };
        let file = text.map(|t| Rc::new(SourceFile::new(path, t)));
        self.read
            .borrow_mut()
            .insert(path.to_string(), file.clone());
        file
    }

    /// The text of a 1-based line of `path`, without its newline.
    fn line(&self, path: &str, line: u32) -> Option<String> {
        Some(self.file(path)?.line(line)?.to_string())
    }
}

/// Where the underline of a finding starting at byte `start` of its line ends: the spec token
/// (`field`), else the statement up to its `;` when it ends on this line, else the line's end.
fn underline_end(line: &str, start: usize, field: bool) -> usize {
    if field {
        return token_end(line, start);
    }
    let line_end = line.trim_end().len().max(start);
    line.get(start..line_end)
        .and_then(|t| t.find(';'))
        .map(|i| start + i + 1)
        .unwrap_or(line_end)
}

/// A finding's place on its line, as the human output underlines it: 1-based line and column,
/// and the column just past its end (exclusive, as SARIF's `endColumn`). Columns count
/// characters. `None` without a line and column, or when the file cannot be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
}

fn span(f: &Judged, sources: &Sources) -> Option<Span> {
    let (line, column) = (f.evidence.line?, f.evidence.column?);
    let text = sources.line(&f.evidence.file, line)?;
    let start = text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map(|(i, _)| i)?;
    let end = underline_end(&text, start, f.evidence.field.is_some());
    let chars = u32::try_from(text.get(start..end)?.chars().count()).ok()?;
    // An empty span (a key with no value) has no end worth showing.
    (chars > 0).then_some(Span {
        line,
        column,
        end_column: column + chars,
    })
}

/// Where the spec token starting at byte `start` ends: a quoted scalar through its closing
/// quote, else up to a comment, a flow separator or a key's colon. Never less than one character.
fn token_end(line: &str, start: usize) -> usize {
    let rest = line.get(start..).unwrap_or("");
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let mut escaped = false;
            rest.char_indices()
                .skip(1)
                .find(|&(_, c)| {
                    let close = c == q && !escaped;
                    escaped = q == '"' && c == '\\' && !escaped;
                    close
                })
                .map_or(rest.len(), |(i, c)| i + c.len_utf8())
        }
        _ => {
            let stops = [" #", ", ", ",", "]", "}", ": "];
            let mut end = stops
                .iter()
                .filter_map(|s| rest.find(s))
                .min()
                .unwrap_or(rest.len());
            if rest[..end].ends_with(':') {
                end -= 1;
            }
            rest[..end].trim_end().len()
        }
    };
    let first = rest.chars().next().map_or(0, char::len_utf8);
    start + len.max(first)
}

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub workflow commands: `::error file=…,line=…,col=…,title=RB102::message`.
pub fn github(report: &Report) -> String {
    let mut out = github_findings(report.specs.iter().flat_map(|s| &s.findings));
    out.push_str(&format!(
        "rollbook check: {}: {} error(s), {} warning(s), {} accepted\n",
        report.status.to_uppercase(),
        report.errors,
        report.warnings,
        report.accepted
    ));
    out
}

/// One GitHub workflow command per finding not accepted (shared with `rollbook scan`): `file`,
/// `line`, and where the finding has a span on its line `endLine` (the same line), `col` and
/// `endColumn` (just past the end, as in SARIF), then `title`; property values escaped.
pub fn github_findings<'a>(findings: impl IntoIterator<Item = &'a Judged>) -> String {
    github_findings_in(findings, &Sources::disk())
}

/// [`github_findings`], the findings' files from `sources`.
pub fn github_findings_in<'a>(
    findings: impl IntoIterator<Item = &'a Judged>,
    sources: &Sources,
) -> String {
    let mut out = String::new();
    for f in findings.into_iter().filter(|f| f.accepted.is_none()) {
        let cmd = if f.level == RuleLevel::Error {
            "error"
        } else {
            "warning"
        };
        let mut props = vec![format!("file={}", escape_property(&f.evidence.file))];
        if let Some(s) = span(f, sources) {
            props.push(format!("line={}", s.line));
            props.push(format!("endLine={}", s.line));
            props.push(format!("col={}", s.column));
            props.push(format!("endColumn={}", s.end_column));
        } else if let Some(l) = f.evidence.line {
            props.push(format!("line={l}"));
            if let Some(c) = f.evidence.column {
                props.push(format!("col={c}"));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", f.rule, f.name))
        ));
        let mut msg = f.message.clone();
        if f.evidence.line.is_none()
            && let Some(field) = &f.evidence.field
        {
            msg.push_str(&format!(" (at `{field}`)"));
        }
        out.push_str(&format!(
            "::{cmd} {}::{}\n",
            props.join(","),
            escape_data(&msg)
        ));
    }
    out
}

/// The report as JSON.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// A relative URI reference for a path: forward slashes, and anything outside the unreserved and
/// path characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn rule_json(r: &Rule) -> Value {
    let level = match r.severity {
        crate::assess::Severity::Error => "error",
        crate::assess::Severity::Warning => "warning",
        crate::assess::Severity::Info => "note",
    };
    let doc = r.doc.trim();
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary()},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": level},
    })
}

/// SARIF 2.1.0: every rule in `tool.driver.rules`, findings as results with stable fingerprints;
/// accepted findings carry an in-source suppression with the reason.
pub fn sarif(report: &Report) -> String {
    sarif_findings(report.specs.iter().flat_map(|s| &s.findings))
}

/// SARIF 2.1.0 of any findings (shared with `rollbook scan`).
pub fn sarif_findings<'a>(findings: impl IntoIterator<Item = &'a Judged>) -> String {
    sarif_findings_in(findings, &Sources::disk())
}

/// [`sarif_findings`], the findings' files from `sources`.
pub fn sarif_findings_in<'a>(
    findings: impl IntoIterator<Item = &'a Judged>,
    sources: &Sources,
) -> String {
    let rules = super::rules::every();
    let mut results = Vec::new();
    for f in findings {
        let index = rules.iter().position(|r| r.code == f.rule);
        let mut region = serde_json::Map::new();
        if let Some(l) = f.evidence.line {
            region.insert("startLine".into(), json!(l));
            if let Some(c) = f.evidence.column {
                region.insert("startColumn".into(), json!(c));
            }
            if let Some(s) = span(f, sources) {
                region.insert("endColumn".into(), json!(s.end_column));
            }
        }
        let mut physical = json!({"artifactLocation": {"uri": uri(&f.evidence.file)}});
        if !region.is_empty() {
            physical["region"] = Value::Object(region);
        }
        let mut location = json!({"physicalLocation": physical});
        if let Some(field) = &f.evidence.field {
            location["logicalLocations"] = json!([{"fullyQualifiedName": field, "kind": "member"}]);
        }
        // Stable across line moves: the rule, the file, and what the finding is about.
        let what = f
            .evidence
            .field
            .clone()
            .or_else(|| f.evidence.excerpt.clone())
            .unwrap_or_else(|| f.message.clone());
        let mut h = Sha256::new();
        h.update(format!("{}\0{}\0{}", f.rule, f.evidence.file, what));
        let fp: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let mut result = json!({
            "ruleId": f.rule,
            "level": if f.level == RuleLevel::Error { "error" } else { "warning" },
            "message": {"text": f.message},
            "locations": [location],
            "partialFingerprints": {"rollbook/v1": fp},
        });
        if let Some(i) = index {
            result["ruleIndex"] = json!(i);
        }
        if let Some(a) = &f.accepted {
            result["suppressions"] = json!([{"kind": "inSource", "justification": a.reason}]);
        }
        results.push(result);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rollbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underlines_cover_the_token_only() {
        fn tok(line: &str, start: usize) -> &str {
            &line[start..token_end(line, start)]
        }
        assert_eq!(
            tok(
                "  planned_start: \"2026-12-04T16:00:00+01:00\"  # Friday",
                17
            ),
            "\"2026-12-04T16:00:00+01:00\""
        );
        assert_eq!(tok("  database: orders   # main", 12), "orders");
        assert_eq!(tok("  changes: [code, migration]", 12), "code");
        assert_eq!(tok("  - kind: migration", 4), "kind");
        assert_eq!(tok("  x: 'a b' # c", 5), "'a b'");
        assert_eq!(tok("  x: \"a\\\"b\" y", 5), "\"a\\\"b\"");
        assert_eq!(tok("  x: ", 5), "");
        assert_eq!(tok("  x: y", 5), "y");
    }

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\r\nx:y,z"), "50%25%0D%0Ax:y,z");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("db/my file.sql"), "db/my%20file.sql");
        assert_eq!(uri("a\\b#c"), "a/b%23c");
    }
}
