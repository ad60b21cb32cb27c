//! Regexes compiled once per process, and only when the brief can match them.
//!
//! Compiling every pattern of the brief reader costs more than planning (issue 9): a process pays
//! only for the patterns whose words occur in the brief. Each [`Matcher`] lists words, one of which
//! every match contains (ASCII case-insensitively). While a brief is read ([`BriefScope`]), one
//! Aho-Corasick pass over its text says where the words occur; a matcher none of whose words
//! occur within the text it is given matches nothing there, is not run, and is compiled only
//! once some text holds one. Every text matched while a scope is open is a slice of its brief
//! (checked in debug builds; another text is searched ungated), so where its words are is known.

use super::lite::{Captures, LiteRegex, Match};
use crate::base::recogniser::Trigger;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// A lazily compiled regex behind a word gate.
pub(crate) struct Matcher {
    source: Source,
    parts: OnceLock<(Cow<'static, str>, Vec<Cow<'static, str>>)>,
    /// Indices of its words in [`WORDS`]; `None`: not gated (no words, or a word unknown there).
    ids: OnceLock<Option<Vec<usize>>>,
    regex: OnceLock<LiteRegex>,
}

enum Source {
    Fixed(&'static str, &'static [&'static str]),
    Built(fn() -> (String, Vec<String>)),
}

impl Matcher {
    /// A pattern and its gate words: every match contains one of them, ASCII case-insensitively
    /// (an empty list: every text is tried).
    pub(crate) const fn new(pattern: &'static str, words: &'static [&'static str]) -> Matcher {
        Matcher::with(Source::Fixed(pattern, words))
    }

    /// The pattern a kind's trigger finds.
    pub(crate) const fn found(t: &'static Trigger) -> Matcher {
        Matcher::new(t.found.regex, t.found.words)
    }

    /// The pattern a kind's trigger also needs in the sentence (none: matches nothing).
    pub(crate) const fn also(t: &'static Trigger) -> Matcher {
        match &t.also {
            Some(p) => Matcher::new(p.regex, p.words),
            None => Matcher::new(r"[^\s\S]", &[]),
        }
    }

    /// A pattern and gate words built at first use (from the platform registry).
    pub(crate) const fn built(build: fn() -> (String, Vec<String>)) -> Matcher {
        Matcher::with(Source::Built(build))
    }

    const fn with(source: Source) -> Matcher {
        Matcher {
            source,
            parts: OnceLock::new(),
            ids: OnceLock::new(),
            regex: OnceLock::new(),
        }
    }

    fn parts(&self) -> &(Cow<'static, str>, Vec<Cow<'static, str>>) {
        self.parts.get_or_init(|| match &self.source {
            Source::Fixed(p, w) => (
                Cow::Borrowed(*p),
                w.iter().map(|w| Cow::Borrowed(*w)).collect(),
            ),
            Source::Built(f) => {
                let (p, w) = f();
                (Cow::Owned(p), w.into_iter().map(Cow::Owned).collect())
            }
        })
    }

    /// The pattern's text.
    pub(crate) fn pattern(&self) -> &str {
        &self.parts().0
    }

    /// The gate words.
    pub(crate) fn words(&self) -> &[Cow<'static, str>] {
        &self.parts().1
    }

    /// The compiled regex, whatever the gate says.
    pub(crate) fn regex(&self) -> &LiteRegex {
        self.regex.get_or_init(|| LiteRegex::new(self.pattern()))
    }

    fn ids(&self) -> Option<&[usize]> {
        self.ids
            .get_or_init(|| {
                let words = self.words();
                if words.is_empty() {
                    return None;
                }
                words
                    .iter()
                    .map(|w| WORDS.index.get(w.to_ascii_lowercase().as_str()).copied())
                    .collect()
            })
            .as_deref()
    }

    /// The regex when the brief being read can match it in `s`: one of its words occurs within
    /// `s` (sentences are searched one by one, and most lack most words of the brief).
    fn open(&self, s: &str) -> Option<&LiteRegex> {
        let Some(ids) = self.ids() else {
            return Some(self.regex());
        };
        let shut = SEEN.with_borrow(|seen| {
            let Some(seen) = seen else { return false };
            if !seen.holds(s) {
                debug_assert!(false, "gated text outside the brief: {}", self.pattern());
                return false;
            }
            let lo = s.as_ptr() as usize;
            let hi = lo + s.len();
            !ids.iter().any(|&i| {
                seen.at.get(i).is_none_or(|at| {
                    // All of one word's occurrences have its length: the first to start in
                    // `s` ends first.
                    let first = at.partition_point(|&(start, _)| start < lo);
                    at.get(first).is_some_and(|&(_, end)| end <= hi)
                })
            })
        });
        (!shut).then(|| self.regex())
    }

    /// Runs `search` over `s` as the regex must see it: lowercased when it folds case (the
    /// brief's lowercased copy while a scope is open, so nothing is copied per sentence).
    fn search<T>(&self, s: &str, search: impl FnOnce(&regex_lite::Regex, &str) -> T) -> Option<T> {
        let re = self.open(s)?;
        if !re.folded() {
            return Some(search(re.regex(), s));
        }
        let mut search = Some(search);
        let scoped = SEEN.with_borrow(|seen| {
            let seen = seen.as_ref().filter(|seen| seen.holds(s))?;
            let from = (s.as_ptr() as usize).checked_sub(seen.text.0)?;
            let hay = seen.lower.get(from..from + s.len())?;
            search.take().map(|f| f(re.regex(), hay))
        });
        match (scoped, search) {
            (Some(found), _) => Some(found),
            (None, Some(f)) => Some(f(re.regex(), &re.hay(s))),
            (None, None) => None,
        }
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.search(s, |re, hay| re.is_match(hay)).unwrap_or(false)
    }

    pub(crate) fn find<'h>(&self, s: &'h str) -> Option<Match<'h>> {
        self.search(s, |re, hay| re.find(hay).map(|m| (m.start(), m.end())))
            .flatten()
            .map(|(a, b)| Match::new(s, a, b))
    }

    pub(crate) fn captures<'h>(&self, s: &'h str) -> Option<Captures<'h>> {
        self.search(s, |re, hay| re.captures(hay).map(|c| Captures::new(s, &c)))
            .flatten()
    }

    pub(crate) fn find_iter<'h>(&self, s: &'h str) -> impl Iterator<Item = Match<'h>> + use<'h> {
        // The readers ask the same matcher about the same text more than once (a kind's
        // triggers, whether the brief reveals a kind): a scope answers again from memory.
        let key = (
            self as *const Matcher as usize,
            s.as_ptr() as usize,
            s.len(),
        );
        let known = SEEN.with_borrow(|seen| {
            seen.as_ref()
                .filter(|seen| seen.holds(s))
                .and_then(|seen| seen.found.get(&key).cloned())
        });
        let spans = known.unwrap_or_else(|| {
            let spans = self
                .search(s, |re, hay| {
                    re.find_iter(hay)
                        .map(|m| (m.start(), m.end()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            SEEN.with_borrow_mut(|seen| {
                if let Some(seen) = seen.as_mut().filter(|seen| seen.holds(s)) {
                    seen.found.insert(key, spans.clone());
                }
            });
            spans
        });
        spans.into_iter().map(move |(a, b)| Match::new(s, a, b))
    }

    pub(crate) fn captures_iter<'h>(
        &self,
        s: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + use<'h> {
        self.search(s, |re, hay| {
            re.captures_iter(hay)
                .map(|c| Captures::new(s, &c))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
    }
}

/// Every gate word of every registered matcher, and one automaton finding them.
struct Words {
    index: HashMap<String, usize>,
    finder: Option<AhoCorasick>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut list: Vec<String> = Vec::new();
    for m in super::patterns::ALL
        .iter()
        .copied()
        .chain(super::vocabulary::ALL.iter().copied())
    {
        for w in m.words() {
            let w = w.to_ascii_lowercase();
            if !list.contains(&w) {
                list.push(w);
            }
        }
    }
    // A noncontiguous NFA is the cheapest to build, and one brief is all it searches; the
    // words are lowercase and searched in the lowercased brief, so case costs no transitions.
    let finder = AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .match_kind(MatchKind::Standard)
        // A prefilter pays off on long haystacks; building one costs more than a brief's search.
        .prefilter(false)
        .build(&list)
        .ok();
    let index = list.into_iter().enumerate().map(|(i, w)| (w, i)).collect();
    Words { index, finder }
});

/// Where the gate words occur in the brief being read.
struct Seen {
    /// Per word of [`WORDS`], the address ranges of its occurrences, in order.
    at: Vec<Vec<(usize, usize)>>,
    /// The brief lowercased (ASCII, so every offset is the brief's), for patterns that fold case.
    lower: String,
    /// What `find_iter` found, per matcher and text (both as addresses, and the text's length).
    found: HashMap<(usize, usize, usize), Vec<(usize, usize)>>,
    /// The brief's text, as an address range.
    text: (usize, usize),
}

impl Seen {
    fn holds(&self, s: &str) -> bool {
        let at = s.as_ptr() as usize;
        s.is_empty() || (self.text.0 <= at && at + s.len() <= self.text.1)
    }
}

thread_local! {
    static SEEN: RefCell<Option<Seen>> = const { RefCell::new(None) };
}

/// While alive, matchers skip patterns whose words the brief lacks.
pub(crate) struct BriefScope {
    outer: Option<Seen>,
}

impl BriefScope {
    pub(crate) fn enter(text: &str) -> BriefScope {
        let words = &*WORDS;
        let start = text.as_ptr() as usize;
        let mut at = vec![Vec::new(); words.index.len()];
        let lower = text.to_ascii_lowercase();
        match &words.finder {
            Some(f) => {
                for m in f.find_overlapping_iter(&lower) {
                    if let Some(v) = at.get_mut(m.pattern().as_usize()) {
                        v.push((start + m.start(), start + m.end()));
                    }
                }
            }
            // No automaton: no word known, every matcher open.
            None => at.clear(),
        }
        let outer = SEEN.replace(Some(Seen {
            at,
            lower,
            found: HashMap::new(),
            text: (start, start + text.len()),
        }));
        BriefScope { outer }
    }
}

impl Drop for BriefScope {
    fn drop(&mut self) {
        SEEN.set(self.outer.take());
    }
}
