//! The brief reader's regex engine: `regex-lite`, which compiles a pattern in a fraction of the
//! time the full `regex` crate takes (issue 9: a brief plan compiled about 70 patterns, most of
//! its run time). Most searches now go to DFAs built ahead of time (`dfa.rs`), which place most
//! groups too; this engine reads the groups they cannot place and searches what they do not
//! cover.
//!
//! `regex-lite` knows only ASCII classes, ASCII word boundaries and ASCII case folding. The brief
//! reader asks for nothing more: its patterns use `[[:word:]]` and ASCII boundaries, the brief's
//! whitespace is made ASCII before it is read ([`ascii_whitespace`]), and a pattern that folds
//! case as a whole (`(?i)` and no capital letter) is compiled without `(?i)` and searched over
//! the text lowercased, which is cheaper still. Lowercasing keeps every byte offset, so matches
//! point into the original text.

use std::borrow::Cow;

/// A compiled brief pattern.
pub(crate) struct LiteRegex {
    re: regex_lite::Regex,
    /// Compiled without `(?i)`: search the lowercased text (the matcher asks [`folds`]).
    #[cfg_attr(not(test), allow(dead_code))]
    folded: bool,
}

impl LiteRegex {
    /// Compiles a brief pattern (the patterns are static: a failure is a bug, caught by the tests
    /// that compile every pattern).
    pub(crate) fn new(pattern: &str) -> LiteRegex {
        LiteRegex::build(pattern, |body| body.to_string())
    }

    /// The pattern anchored one character into the text searched: matched against the text
    /// from the character before a place, it matches only at that place and sees that
    /// character as what precedes it (for `\b`).
    pub(crate) fn after_one_char(pattern: &str) -> LiteRegex {
        LiteRegex::build(pattern, |body| format!("^(?s:.)(?:{body})"))
    }

    fn build(pattern: &str, wrap: impl FnOnce(&str) -> String) -> LiteRegex {
        let re = regex_lite::Regex::new(&wrap(&body(pattern))).expect("static brief pattern");
        LiteRegex {
            re,
            folded: folds(pattern),
        }
    }

    /// Whether the text to search is the lowercased one.
    #[cfg(test)]
    pub(crate) fn folded(&self) -> bool {
        self.folded
    }

    pub(crate) fn regex(&self) -> &regex_lite::Regex {
        &self.re
    }

    /// Every match in `text`, ungated (the tests check gates with it).
    #[cfg(test)]
    pub(crate) fn find_iter<'h>(&self, text: &'h str) -> Vec<Match<'h>> {
        let hay = hay(self.folded, text);
        self.re
            .find_iter(&hay)
            .map(|m| Match::new(text, m.start(), m.end()))
            .collect()
    }
}

/// `pattern` as it is compiled: without its `(?i)` when it [`folds`], in `regex-lite`'s syntax.
pub(crate) fn body(pattern: &str) -> String {
    let body = match pattern.strip_prefix("(?i)") {
        Some(rest) if folds(pattern) => rest,
        _ => pattern,
    };
    crate::base::lean_regex::lite_syntax(body)
}

/// The text a search runs over: `text` itself, or lowercased (same length) when folded.
pub(crate) fn hay(folded: bool, text: &str) -> Cow<'_, str> {
    if folded && text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `pattern` is compiled without its `(?i)` and searched over the text lowercased.
pub(crate) fn folds(pattern: &str) -> bool {
    pattern.strip_prefix("(?i)").is_some_and(folds_whole)
}

/// A pattern whose `(?i)` can be dropped when the text is lowercased: no capital letter (an
/// escape such as `\S` or a class such as `[A-Z]` would change meaning), no other flag group
/// but the ASCII word boundary `(?-u:\b)` (which names no case), no class naming case.
fn folds_whole(rest: &str) -> bool {
    !rest.bytes().any(|b| b.is_ascii_uppercase())
        && rest
            .match_indices("(?")
            .all(|(i, _)| rest[i + 2..].starts_with(':') || rest[i..].starts_with(r"(?-u:\b)"))
        && !rest.contains("[:lower:]")
        && !rest.contains("[:upper:]")
}

/// The brief's text with every non-ASCII whitespace character (no-break spaces from a wiki, ideographic
/// spaces) made one ASCII space: patterns match `\s` as ASCII, and a column counts characters, so
/// every line and column stays where it was.
pub(crate) fn ascii_whitespace(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| c.is_whitespace() && !c.is_ascii()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect(),
    )
}

/// A match in a text, as `regex::Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    pub(crate) fn new(text: &'h str, start: usize, end: usize) -> Match<'h> {
        Match { text, start, end }
    }

    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn as_str(&self) -> &'h str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match, as `regex::Captures`.
#[derive(Debug, Clone)]
pub(crate) struct Captures<'h> {
    text: &'h str,
    groups: Vec<Option<(usize, usize)>>,
}

impl<'h> Captures<'h> {
    /// Groups given as spans of `text`.
    pub(crate) fn from_spans(text: &'h str, groups: Vec<Option<(usize, usize)>>) -> Captures<'h> {
        Captures { text, groups }
    }

    /// Group `i` (0: the whole match), when it took part in the match.
    pub(crate) fn get(&self, i: usize) -> Option<Match<'h>> {
        self.groups
            .get(i)
            .copied()
            .flatten()
            .map(|(s, e)| Match::new(self.text, s, e))
    }

    /// The number of groups, the whole match included.
    pub(crate) fn len(&self) -> usize {
        self.groups.len()
    }
}

impl std::ops::Index<usize> for Captures<'_> {
    type Output = str;

    /// Group `i`'s text; panics when it did not take part, as `regex::Captures` does.
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group at index '{i}'"))
    }
}
