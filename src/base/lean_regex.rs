//! Regexes built for a process that searches a few short texts and exits (issue 9).
//!
//! `regex::Regex::new` builds everything a long search could want: literal prefilters (a
//! case-insensitive alternation expands into thousands of literals), a one-pass DFA, a reverse
//! NFA. For one brief or one plan that costs more than planning. A [`LeanRegex`] builds only
//! what its searches use, and compiles the pattern without Unicode when the text makes it
//! answer the same, which is cheaper still; a search without groups in a short ASCII text (or
//! one that [`LeanRegex::ascii_classes`] lets it read as ASCII) uses `regex-lite`, cheaper
//! again. Its matches are those of `regex::Regex`: the same
//! leftmost-first semantics, only the engines differ (the tests compare them).

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::syntax;
use regex_automata::{Input, Span};
use std::sync::OnceLock;

/// How long the texts a regex searches are, which decides its engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Sentences and short documents: a backtracker, or a PikeVM, on the NFA alone.
    Short,
    /// Whole documents: a lazy DFA as well (it needs the reverse NFA too).
    Long,
}

/// A regex compiled at its first use, once with Unicode and once without as texts need.
pub struct LeanRegex {
    pattern: String,
    reach: Reach,
    unicode: OnceLock<Regex>,
    /// `None`: the pattern needs Unicode (a non-ASCII character in a class).
    ascii: OnceLock<Option<Regex>>,
    /// `regex-lite`, for a match without groups in a short ASCII text: it compiles in about a
    /// quarter of the time, and on ASCII it matches what the regex without Unicode matches.
    /// `None`: a syntax it does not read.
    lite: OnceLock<Option<regex_lite::Regex>>,
    /// Set by [`LeanRegex::ascii_classes`].
    ascii_classes: bool,
}

impl LeanRegex {
    pub fn new(pattern: impl Into<String>, reach: Reach) -> LeanRegex {
        LeanRegex {
            pattern: pattern.into(),
            reach,
            unicode: OnceLock::new(),
            ascii: OnceLock::new(),
            lite: OnceLock::new(),
            ascii_classes: false,
        }
    }

    /// Declares that the pattern meets a character outside ASCII only as a word character
    /// (`\w`, `\d`, a side of `\b`, a letter under `(?i)`), white space (`\s`) or itself (a
    /// literal): no `.` and no negated class. On a text whose characters outside ASCII are
    /// none of the first two (dashes, quotes, arrows, emoji), such a pattern then matches
    /// without Unicode, or with `regex-lite`, what it matches with Unicode, and is searched so.
    pub fn ascii_classes(mut self) -> LeanRegex {
        self.ascii_classes = true;
        self
    }

    /// Whether `text` is ASCII, or read as if it were (see [`LeanRegex::ascii_classes`]).
    fn reads_as_ascii(&self, text: &str) -> bool {
        text.is_ascii()
            || (self.ascii_classes
                && text.chars().all(|c| {
                    c.is_ascii() || !(regex_syntax::is_word_character(c) || c.is_whitespace())
                }))
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    fn config(&self) -> meta::Config {
        // Prefilters and the one-pass DFA cost more to build than they save on short texts.
        let c = meta::Config::new()
            .auto_prefilter(false)
            .onepass(false)
            .dfa(false);
        c.hybrid(self.reach == Reach::Long)
    }

    /// The regex as `regex::Regex::new` reads the pattern.
    fn with_unicode(&self) -> &Regex {
        self.unicode.get_or_init(|| {
            meta::Builder::new()
                .configure(self.config())
                .build(&self.pattern)
                .expect("static regex")
        })
    }

    /// The regex with Unicode off: on an ASCII text (or one `ascii_alike` allows) it matches what
    /// [`LeanRegex::with_unicode`] matches, for a fraction of the compile time.
    fn without_unicode(&self) -> Option<&Regex> {
        self.ascii
            .get_or_init(|| {
                meta::Builder::new()
                    .configure(self.config())
                    .syntax(syntax::Config::new().unicode(false).utf8(false))
                    .build(&self.pattern)
                    .ok()
            })
            .as_ref()
    }

    /// The regex to search `text` with: without Unicode when `text` is ASCII, read as ASCII
    /// ([`LeanRegex::ascii_classes`]) or `ascii_alike`.
    fn for_text(&self, text: &str, ascii_alike: bool) -> &Regex {
        if (ascii_alike || self.reads_as_ascii(text))
            && let Some(r) = self.without_unicode()
        {
            return r;
        }
        self.with_unicode()
    }

    /// The `regex-lite` regex for a match without groups in `text`: a short ASCII text (or
    /// one read as if it were).
    fn lite_for(&self, text: &str) -> Option<&regex_lite::Regex> {
        if self.reach != Reach::Short || !self.reads_as_ascii(text) {
            return None;
        }
        self.lite
            .get_or_init(|| regex_lite::Regex::new(&lite_syntax(&self.pattern)).ok())
            .as_ref()
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self.lite_for(text) {
            Some(lite) => lite.is_match(text),
            None => self.for_text(text, false).is_match(text),
        }
    }

    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        if let Some(lite) = self.lite_for(text) {
            return lite
                .find(text)
                .map(|m| Match::new(text, Span::from(m.range())));
        }
        self.for_text(text, false)
            .find(text)
            .map(|m| Match::new(text, m.span()))
    }

    pub fn captures<'h>(&self, text: &'h str) -> Option<Captures<'h>> {
        self.captures_at(text, 0, false)
    }

    /// The first match at or after `at` (the text before `at` still decides a boundary), as
    /// `regex::Regex::captures_at`. `ascii_alike`: the caller knows that this pattern matches
    /// the same on `text` without Unicode, although `text` is not ASCII.
    pub fn captures_at<'h>(
        &self,
        text: &'h str,
        at: usize,
        ascii_alike: bool,
    ) -> Option<Captures<'h>> {
        self.captures_in(text, at..text.len(), ascii_alike)
    }

    /// The first match within `range` of `text` (the text around it still decides a boundary).
    pub fn captures_in<'h>(
        &self,
        text: &'h str,
        range: std::ops::Range<usize>,
        ascii_alike: bool,
    ) -> Option<Captures<'h>> {
        let re = self.for_text(text, ascii_alike);
        let mut slots = re.create_captures();
        re.search_captures(&Input::new(text).span(range), &mut slots);
        slots.is_match().then_some(Captures { text, slots })
    }

    pub fn find_iter<'r, 'h>(
        &'r self,
        text: &'h str,
    ) -> impl Iterator<Item = Match<'h>> + use<'r, 'h> {
        let spans: Vec<Span> = match self.lite_for(text) {
            Some(lite) => lite
                .find_iter(text)
                .map(|m| Span::from(m.range()))
                .collect(),
            None => self
                .for_text(text, false)
                .find_iter(text)
                .map(|m| m.span())
                .collect(),
        };
        spans.into_iter().map(move |span| Match::new(text, span))
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        text: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        self.for_text(text, false)
            .captures_iter(text)
            .map(move |slots| Captures { text, slots })
    }
}

/// `pattern` as `regex-lite` reads it: it has no `u` flag, and its `\b` is the ASCII boundary
/// already, so `(?-u:\b)` becomes `\b`.
pub fn lite_syntax(pattern: &str) -> String {
    pattern.replace(r"(?-u:\b)", r"\b")
}

/// A match in a text, as `regex::Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(text: &'h str, span: Span) -> Match<'h> {
        Match {
            text,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn as_str(&self) -> &'h str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match, as `regex::Captures`.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    text: &'h str,
    slots: Slots,
}

impl<'h> Captures<'h> {
    /// The groups a `regex_automata` regex found in `text` (tests compare engines with it).
    pub fn from_slots(text: &'h str, slots: Slots) -> Captures<'h> {
        Captures { text, slots }
    }

    /// Group `i` (0: the whole match), when it took part in the match.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.slots
            .get_group(i)
            .map(|span| Match::new(self.text, span))
    }

    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.slots
            .get_group_by_name(name)
            .map(|span| Match::new(self.text, span))
    }

    /// The number of groups, the whole match included.
    pub fn len(&self) -> usize {
        self.slots.group_len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every match and group of `regex::Regex`, on ASCII texts (the pattern compiled without
    /// Unicode) and others.
    #[test]
    fn matches_as_regex_does() {
        let patterns = [
            r"(?i)(?-u:\b)(blue[-/ ]green|canary|rolling(?:\s+(?:update|deploy[[:word:]]*))?)(?-u:\b)",
            r"`([^`\n]{1,8})`",
            r"(?i)\b(down|roll\s+back)\b",
            r"(?i)^\s*(?:[:=\-–—]\s*)?(?:none|no|n/a)\b",
            r"([0-9]+)?x|(y)",
            r"",
        ];
        let texts = [
            "Blue-green then a CANARY, rolling  deploys",
            "Rolling-update, then blue/green; roll\tback down",
            "`short` and `much longer` and `ünïcödé text`",
            "roll back, ROLL\u{a0}BACK, downtown, down",
            "— none",
            "12x y x",
            "ſ K \u{212A}anary",
            "",
        ];
        for p in patterns {
            let lean = LeanRegex::new(p, Reach::Short);
            let long = LeanRegex::new(p, Reach::Long);
            let re = regex::Regex::new(p).unwrap();
            for t in texts {
                for l in [&lean, &long] {
                    assert_eq!(l.is_match(t), re.is_match(t), "{p} on {t}");
                    let found: Vec<_> = l.find_iter(t).map(|m| m.range()).collect();
                    let want: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
                    assert_eq!(found, want, "{p} on {t}");
                    let groups = |c: &Captures| -> Vec<Option<std::ops::Range<usize>>> {
                        (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect()
                    };
                    let found: Vec<_> = l.captures_iter(t).map(|c| groups(&c)).collect();
                    let want: Vec<_> = re
                        .captures_iter(t)
                        .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                        .collect();
                    assert_eq!(found, want, "{p} on {t}");
                }
            }
        }
    }

    proptest::proptest! {
        /// On ASCII texts, the `regex-lite` path of a short reach finds what `regex` finds.
        #[test]
        fn short_ascii_searches_match_as_regex_does(
            picks in proptest::collection::vec(0..PIECES.len(), 0..12),
            p in 0..PATTERNS.len(),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let lean = LeanRegex::new(PATTERNS[p], Reach::Short);
            let re = regex::Regex::new(PATTERNS[p]).unwrap();
            proptest::prop_assert!(lean.lite_for(&text).is_some());
            proptest::prop_assert_eq!(lean.is_match(&text), re.is_match(&text));
            proptest::prop_assert_eq!(lean.find(&text).map(|m| m.range()), re.find(&text).map(|m| m.range()));
            let found: Vec<_> = lean.find_iter(&text).map(|m| m.range()).collect();
            let want: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(found, want);
        }
    }

    proptest::proptest! {
        /// A pattern of ASCII classes reads a text whose characters outside ASCII are neither
        /// word characters nor white space as `regex` does, without Unicode; other texts
        /// with Unicode.
        #[test]
        fn ascii_classes_read_dashes_and_quotes_as_regex_does(
            picks in proptest::collection::vec(0..PIECES.len() + PLAIN.len() + 2, 0..12),
            p in 1..PATTERNS.len(),
        ) {
            let outside = ["é", "\u{212A}"];
            let text: String = picks
                .iter()
                .map(|&i| {
                    PIECES
                        .get(i)
                        .or_else(|| PLAIN.get(i - PIECES.len()))
                        .unwrap_or_else(|| &outside[i - PIECES.len() - PLAIN.len()])
                })
                .copied()
                .collect();
            let lean = LeanRegex::new(PATTERNS[p], Reach::Short).ascii_classes();
            let re = regex::Regex::new(PATTERNS[p]).unwrap();
            let plain = text.chars().all(|c| c.is_ascii() || PLAIN.iter().any(|w| w.contains(c)));
            proptest::prop_assert_eq!(lean.lite_for(&text).is_some(), plain);
            proptest::prop_assert_eq!(lean.is_match(&text), re.is_match(&text));
            proptest::prop_assert_eq!(lean.find(&text).map(|m| m.range()), re.find(&text).map(|m| m.range()));
        }
    }

    /// Characters outside ASCII that are neither word characters nor white space.
    const PLAIN: [&str; 5] = ["—", "–", "’", "→", "🚀"];

    const PATTERNS: [&str; 5] = [
        r"(?i)\b(?:remov(?:e|es|ing)|shut(?:s|ting)?\s+down|scal(?:e|es|ing)\s+(?:down|in))\s+(?:[[:word:],-]+\s+){0,5}?(?:servers?|hosts?|nodes?)\b(?:\s+(?:[[:word:],()-]+\s+){0,6}?out\s+of\s+service)?",
        r"(?i)^\s*(deployment(?:\s+description)?|risks)\s*:\s*$",
        r"^\s*(?:[-*+]|\d{1,3}[.)])\s+",
        r"(?i)\b(down|rollback|roll\s+back|revert|undo)\b",
        r"(?i)^\s*(?:(?:[:=\-]|–|—)\s*)?(?:none|no|n/a|not\s+(?:needed|required))\b",
    ];

    const PIECES: [&str; 24] = [
        " ",
        "  ",
        "\t",
        "\n",
        ":",
        "-",
        "1.",
        "12)",
        "*",
        "Remove",
        "removing",
        "shut down",
        "scales in",
        "3",
        "old",
        "servers",
        "HOST",
        "nodes,",
        "out of service",
        "Deployment",
        "risks",
        "roll back",
        "None",
        "undo",
    ];
}
