//! The brief's structure: sections, units (paragraphs, bullets, headings), sentences and code
//! blocks, all as byte ranges of the original text so evidence points at the right line.

use crate::base::lean_regex::{LeanRegex, Reach};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Description,
    Deployment,
    Architecture,
    Risks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnitKind {
    Heading,
    Bullet,
    Para,
}

/// A paragraph, bullet or heading: `start..end` of the original text (markers excluded).
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub start: usize,
    pub end: usize,
    pub kind: UnitKind,
    pub section: Section,
}

#[derive(Debug, Clone)]
pub(super) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub section: Section,
    pub unit: usize,
}

#[derive(Debug, Clone)]
pub(super) struct CodeBlock {
    /// Offset of the fence (for evidence).
    pub start: usize,
    pub lang: String,
    pub content: String,
    /// Labelled as the down / rollback step.
    pub down: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Doc {
    /// Title heading: offset and text.
    pub title: Option<(usize, String)>,
    pub units: Vec<Unit>,
    pub sentences: Vec<Sentence>,
    pub code_blocks: Vec<CodeBlock>,
}

static PLAIN_SECTION: LazyLock<LeanRegex> = LazyLock::new(|| {
    LeanRegex::new(
        r"(?i)^\s*(deployment(?:\s+description)?|architecture(?:\s+context)?|risk\s+factors|risks)\s*:\s*$",
        Reach::Short,
    )
    .ascii_classes()
});
static LIST_MARKER: LazyLock<LeanRegex> =
    LazyLock::new(|| LeanRegex::new(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+", Reach::Short).ascii_classes());
static DOWN_LABEL: LazyLock<LeanRegex> = LazyLock::new(|| {
    LeanRegex::new(
        r"(?i)\b(down|rollback|roll\s+back|revert|undo)\b",
        Reach::Short,
    )
    .ascii_classes()
});

/// Which known section a heading names, if any.
pub(super) fn section_of(heading: &str) -> Option<Section> {
    let h = heading
        .trim()
        .trim_end_matches(':')
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    match h.as_str() {
        "deployment" | "deployment description" => Some(Section::Deployment),
        "architecture" | "architecture context" => Some(Section::Architecture),
        "risk factors" | "risks" => Some(Section::Risks),
        _ => None,
    }
}

struct Heading {
    level: usize,
    start: usize,
    end: usize,
    text: String,
}

pub(super) fn parse(text: &str) -> Doc {
    let mut headings: Vec<Heading> = Vec::new();
    let mut code_ranges: Vec<(usize, usize)> = Vec::new();
    let mut code_blocks = Vec::new();
    let mut in_heading: Option<Heading> = None;
    let mut in_code: Option<(usize, String, String)> = None;
    for (ev, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some(Heading {
                    level: level as usize,
                    start: range.start,
                    end: range.end,
                    text: String::new(),
                })
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = in_heading.take() {
                    headings.push(h);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                code_ranges.push((range.start, range.end));
                in_code = Some((range.start, lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, lang, content)) = in_code.take() {
                    let down = DOWN_LABEL.is_match(&lang)
                        || DOWN_LABEL.is_match(label_before(text, start));
                    code_blocks.push(CodeBlock {
                        start,
                        lang,
                        content,
                        down,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = in_heading.as_mut() {
                    h.text.push_str(&t);
                } else if let Some((_, _, c)) = in_code.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }

    // Code blocks are read on their own; blank them (offsets kept) so prose matchers skip them.
    let mut bytes = text.as_bytes().to_vec();
    for &(s, e) in &code_ranges {
        for b in bytes.iter_mut().take(e).skip(s) {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    let masked = String::from_utf8(bytes).unwrap_or_default();

    let title = headings
        .iter()
        .find(|h| h.level == 1 && section_of(&h.text).is_none() && !h.text.trim().is_empty())
        .map(|h| (h.start, h.text.trim().to_string()));

    let mut units: Vec<Unit> = Vec::new();
    let mut section = Section::Description;
    let mut section_level = 0usize;
    let mut current: Option<Unit> = None;
    let mut offset = 0usize;
    for line in masked.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let line_end = line_start + content.len();
        if let Some(h) = headings.iter().find(|h| {
            (h.start >= line_start && h.start <= line_end)
                || (h.start < line_start && line_start < h.end)
        }) {
            if let Some(u) = current.take() {
                units.push(u);
            }
            if h.start >= line_start {
                match section_of(&h.text) {
                    Some(s) => {
                        section = s;
                        section_level = h.level;
                    }
                    None if h.level <= section_level || section_level == 0 => {
                        section = Section::Description;
                        section_level = 0;
                    }
                    None => {}
                }
                let lead = content.len() - content.trim_start_matches(['#', ' ', '\t']).len();
                units.push(Unit {
                    start: line_start + lead,
                    end: line_end,
                    kind: UnitKind::Heading,
                    section,
                });
            }
            continue;
        }
        if content.trim().is_empty() {
            if let Some(u) = current.take() {
                units.push(u);
            }
            continue;
        }
        if PLAIN_SECTION.is_match(content) {
            if let Some(u) = current.take() {
                units.push(u);
            }
            section = section_of(content).unwrap_or(Section::Description);
            section_level = 1;
            let lead = content.len() - content.trim_start().len();
            units.push(Unit {
                start: line_start + lead,
                end: line_end,
                kind: UnitKind::Heading,
                section,
            });
            continue;
        }
        if let Some(m) = LIST_MARKER.find(content) {
            if let Some(u) = current.take() {
                units.push(u);
            }
            current = Some(Unit {
                start: line_start + m.end(),
                end: line_end,
                kind: UnitKind::Bullet,
                section,
            });
            continue;
        }
        match current.as_mut() {
            Some(u) => u.end = line_end,
            None => {
                let lead = content.len() - content.trim_start().len();
                current = Some(Unit {
                    start: line_start + lead,
                    end: line_end,
                    kind: UnitKind::Para,
                    section,
                })
            }
        }
    }
    if let Some(u) = current.take() {
        units.push(u);
    }

    let mut sentences = Vec::new();
    for (i, u) in units.iter().enumerate() {
        for (s, e) in split_sentences(text, u.start, u.end, u.kind == UnitKind::Heading) {
            sentences.push(Sentence {
                start: s,
                end: e,
                section: u.section,
                unit: i,
            });
        }
    }
    Doc {
        title,
        units,
        sentences,
        code_blocks,
    }
}

/// The last non-empty line before `offset` (the label of a code block).
fn label_before(text: &str, offset: usize) -> &str {
    text.get(..offset)
        .unwrap_or("")
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

const ABBREVIATIONS: [&str; 8] = ["e.g", "i.e", "etc", "vs", "approx", "incl", "ca", "cf"];

/// Sentence ranges inside `start..end`: split after `.`, `!`, `?` followed by white space.
pub(super) fn split_sentences(
    text: &str,
    start: usize,
    end: usize,
    whole: bool,
) -> Vec<(usize, usize)> {
    let Some(s) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let push = |out: &mut Vec<(usize, usize)>, a: usize, b: usize| {
        let piece = s.get(a..b).unwrap_or("");
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let first = start + a + lead;
            for (x, y) in chunks(trimmed) {
                out.push((first + x, first + y));
            }
        }
    };
    if whole {
        push(&mut out, 0, s.len());
        return out;
    }
    let mut sent_start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next_ws = chars.get(k + 1).is_none_or(|&(_, n)| n.is_whitespace());
        if !next_ws {
            continue;
        }
        let word: String = s
            .get(sent_start..i)
            .unwrap_or("")
            .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
            .next()
            .unwrap_or("")
            .to_lowercase();
        if c == '.' && ABBREVIATIONS.contains(&word.as_str()) {
            continue;
        }
        push(&mut out, sent_start, i + 1);
        sent_start = i + 1;
    }
    push(&mut out, sent_start, s.len());
    out
}

/// Longest sentence matched as one: keeps per-sentence work bounded on hostile input.
pub(super) const MAX_SENTENCE: usize = 1000;

/// `s` cut into pieces of at most about `MAX_SENTENCE` bytes, at white space where possible.
fn chunks(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    while s.len() - a > MAX_SENTENCE {
        let mut cut = a + MAX_SENTENCE;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(ws) = s.get(a..cut).and_then(|p| p.rfind(char::is_whitespace))
            && ws > 0
        {
            cut = a + ws;
        }
        out.push((a, cut));
        a = cut;
        while let Some(c) = s.get(a..).and_then(|r| r.chars().next()) {
            if !c.is_whitespace() {
                break;
            }
            a += c.len_utf8();
        }
    }
    if a < s.len() {
        out.push((a, s.len()));
    }
    out
}

// The negation words every change kind declares.
use crate::base::recogniser::NEGATION_WORDS as NEGATIONS;

/// Whether the words just before `at` (in the same clause of `sentence`) negate what is at `at`,
/// or the clause answers it with "none"/"no" right after (`Migrations: none`).
pub(super) fn negated(sentence: &str, at: usize, end: usize) -> bool {
    let mut from = at.saturating_sub(240);
    while !sentence.is_char_boundary(from) {
        from -= 1;
    }
    let before = sentence
        .get(from..at)
        .unwrap_or("")
        .replace('’', "'")
        .to_lowercase();
    let clause_start = before
        .rfind([';', ',', '(', '—'])
        .map(|i| i + 1)
        .unwrap_or(0)
        .max(before.rfind(" but ").map(|i| i + 5).unwrap_or(0));
    let clause = before.get(clause_start..).unwrap_or("");
    let neg_before = clause.split_whitespace().rev().take(4).any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        NEGATIONS.contains(&w) || w.ends_with("n't")
    });
    if neg_before {
        return true;
    }
    // `–` and `—` as alternatives, not in a class: a class holding them compiles only with Unicode.
    static AFTER: LazyLock<LeanRegex> = LazyLock::new(|| {
        LeanRegex::new(
            r"(?i)^\s*(?:(?:[:=\-]|–|—)\s*)?(?:none|no|n/a|not\s+(?:needed|required|planned|included))\b",
            Reach::Short,
        )
        .ascii_classes()
    });
    AFTER.is_match(sentence.get(end..).unwrap_or(""))
}

/// Whether `start..end` of `s` stands alone: not glued to an identifier by `-`, `_`, `/`, `.`+letter.
pub(super) fn standalone(s: &str, start: usize, end: usize) -> bool {
    let before = s.get(..start).and_then(|b| b.chars().next_back());
    let mut after_it = s.get(end..).unwrap_or("").chars();
    let after = after_it.next();
    let after2 = after_it.next();
    let glue = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '@' | '#' | '`');
    if before.is_some_and(glue) || after.is_some_and(glue) {
        return false;
    }
    !(after == Some('.') && after2.is_some_and(|c| c.is_alphanumeric()))
}

/// White space collapsed.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
