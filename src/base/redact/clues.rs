//! What a text holds that a shape of secret needs: literal clue words, and the spots where a
//! key-and-value shape could match. A shape whose clues are missing is neither compiled nor run.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, Span, packed};
use std::sync::LazyLock;

/// Known token prefixes: GitHub, Slack, AWS, Stripe, GitLab, Google, npm.
pub(super) const TOKEN_PREFIXES: [&str; 15] = [
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "AKIA",
    "ASIA",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "glpat-",
    "AIza",
    "npm_",
];

/// The clue words of the other shapes.
const SHAPE_WORDS: [&str; 17] = [
    "PRIVATE KEY-----",
    "://hooks.slack",
    "/api/webhooks/",
    "://",
    "eyJ",
    "\u{17F}",
    "\u{212A}",
    // Key words of the query and assignment shapes.
    "token",
    "key",
    "secret",
    "passw",
    "passphrase",
    "pwd",
    "sig",
    "auth",
    "credential",
    "dsn",
];

/// Literal text that some shape needs, found in one pass over a text, ASCII case-insensitively
/// for the case-insensitive shapes, in the case written here for the others. `ſ` and `K` are
/// listed because a case-insensitive regex (Unicode folding) reads them as `s` and `k`.
const CLUE_WORDS: [&str; 32] = {
    let mut all = [""; 32];
    let mut i = 0;
    while i < SHAPE_WORDS.len() {
        all[i] = SHAPE_WORDS[i];
        i += 1;
    }
    while i < all.len() {
        all[i] = TOKEN_PREFIXES[i - SHAPE_WORDS.len()];
        i += 1;
    }
    all
};

/// The [`CLUE_WORDS`] found in a text: in any case, and in their own; and whether the text
/// holds the spot where a key-and-value shape could match, checked at each clue word.
pub(super) struct Clues {
    any_case: u64,
    exact: u64,
    /// Where a secret word's key ends in `=`, or in `:` after a key written as a variable name or
    /// before a quoted value (`DB_PASSWORD =`, `API_KEY:`, `"token": "…"`; not the prose
    /// `a secret: …`, which the shape would not accept): from the key to the end of the line its
    /// value starts on, which holds every match of the shape there. Unordered, may overlap.
    pub(super) assignment: Vec<std::ops::Range<usize>>,
    /// A query key word whose key ends in `=` (`?api_key=`, `Password=`).
    pub(super) query: bool,
    /// `://`, a user name, `:`, a password and `@`.
    pub(super) url_credentials: bool,
}

static CLUE_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    // A contiguous NFA: built in a fraction of a DFA's time, which a process redacting one plan
    // would not win back.
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(CLUE_WORDS)
        .expect("clue words")
});

/// The clue words of three bytes or more, lowercased, for a SIMD search of the lowercased text
/// (Teddy, a tenth of the automaton's time per byte; its fingerprints take three bytes, so the
/// two-byte `ſ` is looked for on its own). `None` where the CPU has no such search.
static PACKED_FINDER: LazyLock<Option<packed::Searcher>> = LazyLock::new(|| {
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostLongest)
        .builder()
        .extend(PACKED_WORDS.iter().map(|(_, w)| w))
        .build()
});

/// `ſ`, which a case-insensitive shape reads as `s`.
const LONG_S: &str = "\u{17F}";

/// The packed searcher's patterns, in its order: each one's index in [`CLUE_WORDS`], lowercased.
static PACKED_WORDS: LazyLock<Vec<(usize, String)>> = LazyLock::new(|| {
    CLUE_WORDS
        .iter()
        .enumerate()
        .filter(|(_, w)| **w != LONG_S)
        .map(|(i, w)| (i, w.to_ascii_lowercase()))
        .collect()
});

impl Clues {
    /// Nothing found yet.
    fn none() -> Clues {
        Clues {
            any_case: 0,
            exact: 0,
            assignment: Vec::new(),
            query: false,
            url_credentials: false,
        }
    }

    pub(super) fn of(text: &str) -> Clues {
        let mut k = Clues::none();
        match PACKED_FINDER.as_ref() {
            Some(finder) => k.find_packed(finder, text),
            None => k.find_with_automaton(text),
        }
        // `ſ` and `K` read as `s` and `k` by a case-insensitive pattern: a key can hold a secret
        // word the clue search does not see, so those shapes are tried whatever the spots say.
        if k.has("\u{17F}") || k.has("\u{212A}") {
            k.assignment = std::iter::once(0..text.len()).collect();
            k.query = true;
        }
        k
    }

    /// Every occurrence of every clue word, with the Aho-Corasick automaton (overlapping).
    fn find_with_automaton(&mut self, text: &str) {
        for m in CLUE_FINDER.find_overlapping_iter(text) {
            self.found(text, m.pattern().as_usize(), m.range());
        }
    }

    /// Every occurrence of every clue word, as [`Clues::find_with_automaton`] finds them: the
    /// leftmost-longest search restarts one byte past each match's start, so it stops at every
    /// place a word starts; the shorter words found there are prefixes of the longest.
    fn find_packed(&mut self, finder: &packed::Searcher, text: &str) {
        let lower = text.to_ascii_lowercase();
        let mut at = 0;
        while let Some(m) = finder.find_in(&lower, Span::from(at..lower.len())) {
            let longest = &PACKED_WORDS[m.pattern().as_usize()].1;
            for (i, word) in PACKED_WORDS.iter() {
                if longest.starts_with(word.as_str()) {
                    self.found(text, *i, m.start()..m.start() + word.len());
                }
            }
            at = m.start() + 1;
        }
        // Its first byte is rare, and `memchr` skips a text without it fast.
        if memchr::memchr(LONG_S.as_bytes()[0], text.as_bytes()).is_some()
            && let Some(i) = CLUE_WORDS.iter().position(|w| *w == LONG_S)
        {
            for (at, _) in text.match_indices(LONG_S) {
                self.found(text, i, at..at + LONG_S.len());
            }
        }
    }

    /// Clue word `i` found at `range` of `text`.
    fn found(&mut self, text: &str, i: usize, range: std::ops::Range<usize>) {
        self.any_case |= 1 << i;
        let exact = &text[range.clone()] == CLUE_WORDS[i];
        if exact {
            self.exact |= 1 << i;
        }
        let after = &text[range.end..];
        match CLUE_WORDS[i] {
            "://" if exact => self.url_credentials |= url_credentials_follow(after),
            "token" | "key" | "secret" | "passw" | "passphrase" | "credential" | "dsn" => {
                self.assignment.extend(assignment_follows(text, range));
                self.query |= equals_follows(after);
            }
            "pwd" | "sig" | "auth" => self.query |= equals_follows(after),
            _ => {}
        }
    }

    fn bit(word: &str) -> u64 {
        let i = CLUE_WORDS
            .iter()
            .position(|w| *w == word)
            .expect("a clue word");
        1 << i
    }

    /// The bits of `words`, for [`Clues::has_any_exact`].
    pub(super) fn bits(words: &[&str]) -> u64 {
        words.iter().fold(0, |bits, w| bits | Clues::bit(w))
    }

    /// One of the words of `bits` found as written.
    pub(super) fn has_any_exact(&self, bits: u64) -> bool {
        self.exact & bits != 0
    }

    /// Found in any case.
    pub(super) fn has(&self, word: &str) -> bool {
        self.any_case & Clues::bit(word) != 0
    }

    /// Found as written.
    pub(super) fn has_exact(&self, word: &str) -> bool {
        self.exact & Clues::bit(word) != 0
    }
}

#[cfg(test)]
impl Clues {
    /// What the packed search and the automaton each find in `text` (`None`: no packed search on
    /// this CPU), for the tests to compare.
    pub(super) fn packed_and_automaton(text: &str) -> Option<(String, String)> {
        let summary = |find: &dyn Fn(&mut Clues)| {
            let mut k = Clues::none();
            find(&mut k);
            let mut spots: Vec<_> = k.assignment.iter().map(|r| (r.start, r.end)).collect();
            spots.sort_unstable();
            spots.dedup();
            format!(
                "{:#x} {:#x} {spots:?} {} {}",
                k.any_case, k.exact, k.query, k.url_credentials
            )
        };
        let finder = PACKED_FINDER.as_ref()?;
        Some((
            summary(&|k| k.find_packed(finder, text)),
            summary(&|k| k.find_with_automaton(text)),
        ))
    }
}

/// After a key word of the query shape: the rest of the key (`[A-Za-z0-9_.-]*`, which holds the
/// rest of the word), white space, then `=`. Every match of the shape goes through such a spot,
/// so a text without one is not searched.
fn equals_follows(after: &str) -> bool {
    let key_end = after
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
        .unwrap_or(after.len());
    let rest = &after[key_end..];
    // `\s` with Unicode: `char::is_whitespace` is the same White_Space property.
    let rest = rest.trim_start_matches(char::is_whitespace);
    rest.starts_with('=')
}

/// At a secret word found in a text: a spot where the assignment shape could match a key holding
/// it and accept the match. The key is the run of `[A-Za-z0-9_.-]` around the word; the shape
/// accepts `key: value` only when the key has an `_`, has no lower case, or the value is quoted.
/// The key a match takes may be shorter than the run, but it holds a secret word, and so a clue
/// word: the run's `_` and the clue word's case answer for every such key.
///
/// A value that names a secret (a variable, a placeholder) makes no spot: every match there is
/// refused.
///
/// The spot's range runs from the run's start to the end of the line where the first character
/// after `=` or `:` and white space stands: a match starts in the run (its key ends where the run
/// does) and ends in its value, which holds no white space, so it lies within.
fn assignment_follows(text: &str, word: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let key_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let start = bytes[..word.start]
        .iter()
        .rposition(|b| !key_byte(b))
        .map_or(0, |i| i + 1);
    let end = bytes[word.end..]
        .iter()
        .position(|b| !key_byte(b))
        .map_or(bytes.len(), |i| word.end + i);
    let rest = &text[end..];
    let rest = rest.strip_prefix('"').unwrap_or(rest);
    let rest = rest.trim_start_matches(char::is_whitespace);
    let (equals, value) = match (rest.strip_prefix('='), rest.strip_prefix(':')) {
        (Some(value), _) => (true, value),
        (None, Some(value)) => (false, value),
        (None, None) => return None,
    };
    let value = value.trim_start_matches(char::is_whitespace);
    // The value every match through here takes (after its quote, up to the shape's stops): one
    // that names a secret instead of holding it (`$TOKEN`, `<key>`, none) is never masked.
    let unquoted = value.strip_prefix(['"', '\'']).unwrap_or(value);
    let token_end = unquoted
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ',' | ';'))
        .unwrap_or(unquoted.len());
    if super::is_reference(&unquoted[..token_end]) {
        return None;
    }
    let accepted = equals
        || text[start..end].contains('_')
        || !text[word].bytes().any(|b| b.is_ascii_lowercase())
        || value.starts_with(['"', '\'']);
    // `value` is a suffix of `text`: where it starts, and the end of that line.
    let value_at = text.len() - value.len();
    let line_end = value.find('\n').map_or(text.len(), |i| value_at + i);
    accepted.then_some(start..line_end)
}

/// After a `://`: what the credentials-in-a-URL shape needs there, a user name up to a `:`, then
/// a password up to an `@` (the shape's classes, which stop exactly at those characters).
fn url_credentials_follow(after: &str) -> bool {
    let stops = |c: char, colon: bool| {
        c.is_whitespace()
            || matches!(c, '/' | '@' | '"' | '\'' | '<' | '>' | '`')
            || (colon && c == ':')
    };
    let Some(user_end) = after.find(|c| stops(c, true)) else {
        return false;
    };
    let Some(password) = after[user_end..].strip_prefix(':') else {
        return false;
    };
    match password.find(|c| stops(c, false)) {
        Some(end) => end > 0 && password[end..].starts_with('@'),
        None => false,
    }
}
