//! Regexes compiled once per process, and only when the brief can match them.
//!
//! Compiling every pattern of the brief reader costs more than planning (issue 9): a process pays
//! only for the patterns whose words occur in the brief. Each [`Matcher`] lists words, one of which
//! every match contains (ASCII case-insensitively). While a brief is read ([`BriefScope`]), one
//! search of its text says where the words occur (a substring search per word in a short
//! brief, one Aho-Corasick pass in a long one); a matcher none of whose words
//! occur within the text it is given matches nothing there, is not run, and is compiled only
//! once some text holds one. Every text matched while a scope is open is a slice of its brief
//! (checked in debug builds; another text is searched ungated), so where its words are is known.
//!
//! A matcher may also list words one of which every match holds beside its first ones
//! ([`Matcher::and`], [`Pattern::and_words`]: the noun after a verb, a quantifier): a text must
//! hold one of each list to be searched. The tests check the first list on every brief the
//! project holds, and prove the second from the pattern.
//!
//! A big alternation is declared as its alternatives ([`Matcher::any`]), each with its own
//! words, so a brief compiles and searches only the alternatives its words open.
//!
//! A leading matcher's matches start with one of its words (declared, and proved from the
//! pattern by the tests): it is searched anchored at each place a word starts, so a sentence
//! costs the few characters a match could span from there, not a pass over all of it.
//!
//! Most patterns are searched by DFAs determinized when the project is built ([`dfa`]): they
//! find the match and, for most patterns, its groups; `regex-lite` is compiled only for a
//! pattern without DFAs, or for groups the DFAs cannot place.

use super::dfa::{self, Dfa, Read};
use super::lite::{self, Captures, LiteRegex, Match};
use crate::base::recogniser::{Pattern, Trigger};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::{LazyLock, OnceLock};

/// A lazily compiled regex behind a word gate.
pub(crate) struct Matcher {
    source: Source,
    parts: OnceLock<(Cow<'static, str>, Vec<Cow<'static, str>>)>,
    /// Indices of its words in [`WORDS`]; `None`: not gated (no words, or a word unknown there).
    ids: OnceLock<Option<Vec<usize>>>,
    /// Words one of which every match also holds ([`Pattern::and_words`]; empty: none).
    and_words: &'static [&'static str],
    /// Their indices in [`WORDS`], as `ids`.
    and_ids: OnceLock<Option<Vec<usize>>>,
    regex: OnceLock<LiteRegex>,
    /// [`LiteRegex::after_one_char`], for the searches at the words of a leading matcher.
    anchored: OnceLock<LiteRegex>,
    /// Its DFAs from the table built with the project ([`dfa`]), when it has them.
    dfa: OnceLock<Option<Dfa>>,
    /// [`lite::folds`] of the pattern, asked at every search.
    folded: OnceLock<bool>,
    /// Every match starts with one of its words (not only holds one): a search starts where
    /// they occur, past the text before them (checked against the pattern by the tests).
    leading: bool,
}

enum Source {
    Fixed(&'static str, &'static [&'static str]),
    Built(fn() -> (String, Vec<String>)),
    /// Alternatives in order of preference, each gated and compiled on its own: a big
    /// alternation costs only the alternatives whose words a brief holds.
    Any(&'static [Matcher]),
}

impl Matcher {
    /// A pattern and its gate words: every match contains one of them, ASCII case-insensitively
    /// (an empty list: every text is tried).
    pub(crate) const fn new(pattern: &'static str, words: &'static [&'static str]) -> Matcher {
        Matcher::with(Source::Fixed(pattern, words), false)
    }

    /// A pattern every match of which starts with one of its words.
    pub(crate) const fn leading(pattern: &'static str, words: &'static [&'static str]) -> Matcher {
        Matcher::with(Source::Fixed(pattern, words), true)
    }

    /// The pattern a kind's trigger finds.
    pub(crate) const fn found(t: &'static Trigger) -> Matcher {
        Matcher::of(&t.found)
    }

    /// A declared pattern, leading or not as it says.
    pub(crate) const fn of(p: &'static Pattern) -> Matcher {
        Matcher::with(Source::Fixed(p.regex, p.words), p.leading).and(p.and_words)
    }

    /// The same matcher, whose every match also holds one of `words` (proved by the tests): a
    /// text without one is not searched.
    pub(crate) const fn and(mut self, words: &'static [&'static str]) -> Matcher {
        self.and_words = words;
        self
    }

    /// The pattern a kind's trigger also needs in the sentence (none: matches nothing).
    pub(crate) const fn also(t: &'static Trigger) -> Matcher {
        match &t.also {
            Some(p) => Matcher::of(p),
            None => Matcher::new(r"[^\s\S]", &[]),
        }
    }

    /// The alternation of `alternatives`, as `(?:A)|(?:B)|…` matches: the leftmost of their
    /// matches, the earlier alternative's where two start at one place. Each is gated, compiled
    /// and searched on its own, so a brief pays only for those whose words it holds. An
    /// alternative's groups are the match's groups. (The tests prove the equivalence and that
    /// no alternative matches the empty text.)
    pub(crate) const fn any(alternatives: &'static [Matcher]) -> Matcher {
        Matcher::with(Source::Any(alternatives), false)
    }

    /// A pattern and gate words built at first use (from the platform registry): an
    /// alternation of phrases whose first words are the gate, so every match starts with one.
    pub(crate) const fn built(build: fn() -> (String, Vec<String>)) -> Matcher {
        Matcher::with(Source::Built(build), true)
    }

    const fn with(source: Source, leading: bool) -> Matcher {
        Matcher {
            source,
            parts: OnceLock::new(),
            ids: OnceLock::new(),
            and_words: &[],
            and_ids: OnceLock::new(),
            regex: OnceLock::new(),
            anchored: OnceLock::new(),
            dfa: OnceLock::new(),
            folded: OnceLock::new(),
            leading,
        }
    }

    /// Whether every match starts with one of its words (the tests prove the declaration).
    #[cfg(test)]
    pub(crate) fn is_leading(&self) -> bool {
        self.leading
    }

    /// The matchers that are compiled: its alternatives, or itself.
    pub(crate) fn leaves(&self) -> &[Matcher] {
        match &self.source {
            Source::Any(alternatives) => alternatives,
            _ => std::slice::from_ref(self),
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
            Source::Any(alternatives) => {
                let joined: Vec<String> = alternatives
                    .iter()
                    .map(|a| format!("(?:{})", a.pattern()))
                    .collect();
                let mut words: Vec<Cow<'static, str>> = Vec::new();
                for w in alternatives.iter().flat_map(|a| a.words()) {
                    if !words.contains(w) {
                        words.push(w.clone());
                    }
                }
                (Cow::Owned(joined.join("|")), words)
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

    fn anchored(&self) -> &LiteRegex {
        self.anchored
            .get_or_init(|| LiteRegex::after_one_char(self.pattern()))
    }

    /// Its DFAs, when the table has them.
    fn dfa(&self) -> Option<&Dfa> {
        #[cfg(test)]
        if tests::DFA_OFF.get() {
            return None;
        }
        self.dfa.get_or_init(|| dfa::load(&self.dfa_key())).as_ref()
    }

    /// Its key in the DFA table.
    pub(crate) fn dfa_key(&self) -> String {
        dfa::key(&lite::body(self.pattern()), self.leading)
    }

    /// The groups of the match `dfa` found at `start..end` in `hay` (`groups` false: the match
    /// alone), read by its splits or else by the regex from `start`. `None` when the regex
    /// disagrees, which the tests prove it never does.
    fn groups_at(
        &self,
        (dfa, read): (&Dfa, &Read),
        hay: &str,
        (start, end): (usize, usize),
        groups: bool,
    ) -> Option<Spans> {
        if !groups {
            return Some(vec![Some((start, end))]);
        }
        if let Some(spans) = dfa.groups(read, (start, end)) {
            return Some(spans);
        }
        let c = self.regex().regex().captures_at(hay, start)?;
        let spans: Spans = c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect();
        (spans.first() == Some(&Some((start, end)))).then_some(spans)
    }

    /// [`Matcher::spans`] by the DFAs; `None` when they cannot answer.
    fn dfa_spans(&self, hay: &str, starts: &Starts, all: bool, groups: bool) -> Option<Vec<Spans>> {
        let dfa = (self.dfa()?, &Read::new(hay));
        match starts {
            Starts::Anywhere => dfa
                .0
                .find_all(dfa.1, all)
                .ok()?
                .into_iter()
                .map(|span| self.groups_at(dfa, hay, span, groups))
                .collect(),
            Starts::At(at) => {
                matches_at(at, all, |place| self.dfa_match_at(dfa, hay, place, groups))
            }
        }
    }

    /// The match an anchored DFA finds at `place`, with its groups; `None` when it cannot
    /// answer.
    fn dfa_match_at(
        &self,
        dfa: (&Dfa, &Read),
        hay: &str,
        place: usize,
        groups: bool,
    ) -> Option<Option<Spans>> {
        match dfa.0.end_at(dfa.1, place).ok()? {
            Some(end) => self.groups_at(dfa, hay, (place, end), groups).map(Some),
            None => Some(None),
        }
    }

    /// [`Matcher::first_from`] by the DFAs; `None` when they cannot answer.
    fn dfa_first_from(
        &self,
        hay: &str,
        starts: &Starts,
        from: usize,
        groups: bool,
    ) -> Option<Option<Spans>> {
        let dfa = (self.dfa()?, &Read::new(hay));
        match starts {
            Starts::Anywhere => match dfa.0.find_from(dfa.1, from).ok()? {
                Some(span) => self.groups_at(dfa, hay, span, groups).map(Some),
                None => Some(None),
            },
            Starts::At(at) => {
                let first = at.partition_point(|&p| p < from);
                let found = matches_at(&at[first..], false, |place| {
                    self.dfa_match_at(dfa, hay, place, groups)
                })?;
                Some(found.into_iter().next())
            }
        }
    }

    fn ids(&self) -> Option<&[usize]> {
        // Built first: building it sets a registered matcher's ids, which must not happen
        // inside this cell's own initialisation (a matcher asked outside a brief's scope).
        LazyLock::force(&WORDS);
        self.ids
            .get_or_init(|| word_ids(self.words().iter().map(|w| &**w)))
            .as_deref()
    }

    /// The words one of which every match also holds (empty: none).
    pub(crate) fn and_words(&self) -> &'static [&'static str] {
        self.and_words
    }

    fn and_ids(&self) -> Option<&[usize]> {
        LazyLock::force(&WORDS);
        self.and_ids
            .get_or_init(|| word_ids(self.and_words.iter().copied()))
            .as_deref()
    }

    /// Where a match can start in `s` while a brief is read: nowhere when none of its words
    /// occurs within `s` (sentences are searched one by one, and most lack most words of the
    /// brief); for a leading matcher, where its words start.
    fn open(&self, s: &str) -> Option<Starts> {
        let Some(ids) = self.ids() else {
            // A matcher left out of `patterns::ALL` would be searched in every sentence.
            debug_assert!(
                self.words().is_empty() || SEEN.with_borrow(Option::is_none),
                "not registered in patterns::ALL: {}",
                self.pattern()
            );
            return Some(Starts::Anywhere);
        };
        SEEN.with_borrow(|seen| {
            let Some(seen) = seen else {
                return Some(Starts::Anywhere);
            };
            if !seen.holds(s) {
                debug_assert!(false, "gated text outside the brief: {}", self.pattern());
                return Some(Starts::Anywhere);
            }
            if ids.iter().any(|&i| seen.at.get(i).is_none()) {
                return Some(Starts::Anywhere);
            }
            let lo = s.as_ptr() as usize;
            let hi = lo + s.len();
            // The occurrences of word `i` within `s`: all have the word's length, so those
            // that start in `s` end in order.
            let within = |i: usize| {
                let at = seen.at.get(i).map_or(&[][..], Vec::as_slice);
                let first = at.partition_point(|&(start, _)| start < lo);
                at[first..]
                    .iter()
                    .take_while(move |&&(_, end)| end <= hi)
                    .map(move |&(start, _)| start - lo)
            };
            if let Some(and) = self.and_ids()
                && !and.iter().any(|&i| within(i).next().is_some())
            {
                return None;
            }
            if !self.leading {
                return ids
                    .iter()
                    .any(|&i| within(i).next().is_some())
                    .then_some(Starts::Anywhere);
            }
            let mut at: Vec<usize> = ids.iter().flat_map(|&i| within(i)).collect();
            at.sort_unstable();
            at.dedup();
            (!at.is_empty()).then_some(Starts::At(at))
        })
    }

    /// The spans of the groups of its leftmost-first matches in `s` (`all`: every match, else
    /// the first; `groups`: every group, else the whole match only).
    pub(super) fn spans(&self, s: &str, all: bool, groups: bool) -> Vec<Spans> {
        if let Source::Any(alternatives) = &self.source {
            return any_spans(alternatives, s, all, groups);
        }
        let Some(starts) = self.open(s) else {
            return Vec::new();
        };
        if let Some(found) = self.on_hay(s, |hay| self.dfa_spans(hay, &starts, all, groups)) {
            return found;
        }
        let searcher = match &starts {
            Starts::Anywhere => Searcher::Whole(self.regex().regex()),
            Starts::At(at) => Searcher::At(self.anchored().regex(), at),
        };
        self.on_hay(s, |hay| searcher.spans(hay, all, groups))
    }

    /// `search` run over `s` as the regex must see it: lowercased when it folds case (the
    /// brief's lowercased copy while a scope is open, so nothing is copied per sentence).
    fn on_hay<T>(&self, s: &str, search: impl Fn(&str) -> T) -> T {
        let folded = *self.folded.get_or_init(|| lite::folds(self.pattern()));
        if !folded {
            return search(s);
        }
        let scoped = SEEN.with_borrow(|seen| {
            let seen = seen.as_ref().filter(|seen| seen.holds(s))?;
            let from = (s.as_ptr() as usize).checked_sub(seen.text.0)?;
            let hay = seen.lower.get(from..from + s.len())?;
            Some(search(hay))
        });
        scoped.unwrap_or_else(|| search(&lite::hay(folded, s)))
    }

    /// The spans of its first match in `s` that starts at `from` or later (the text before
    /// `from` read as context, for `\b`).
    pub(super) fn first_from(&self, s: &str, from: usize, groups: bool) -> Option<Spans> {
        let starts = self.open(s)?;
        if let Some(found) = self.on_hay(s, |hay| self.dfa_first_from(hay, &starts, from, groups)) {
            return found;
        }
        match &starts {
            Starts::Anywhere => {
                let re = self.regex().regex();
                self.on_hay(s, |hay| {
                    if groups {
                        re.captures_at(hay, from)
                            .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
                    } else {
                        re.find_at(hay, from)
                            .map(|m| vec![Some((m.start(), m.end()))])
                    }
                })
            }
            Starts::At(at) => {
                let re = self.anchored().regex();
                let first = at.partition_point(|&p| p < from);
                self.on_hay(s, |hay| {
                    let found = matches_at(&at[first..], false, |place| {
                        Some(anchored_at(re, hay, place, groups))
                    });
                    found.unwrap_or_default().into_iter().next()
                })
            }
        }
    }

    /// False when `s` lacks every word of the matcher, so it cannot match there: asked before
    /// another pattern that only counts beside this one is compiled and searched.
    pub(crate) fn may_match(&self, s: &str) -> bool {
        match &self.source {
            Source::Any(alternatives) => alternatives.iter().any(|a| a.may_match(s)),
            _ => self.open(s).is_some(),
        }
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        !self.spans(s, false, false).is_empty()
    }

    pub(crate) fn find<'h>(&self, s: &'h str) -> Option<Match<'h>> {
        let (a, b) = self.spans(s, false, false).first()?.first().copied()??;
        Some(Match::new(s, a, b))
    }

    pub(crate) fn captures<'h>(&self, s: &'h str) -> Option<Captures<'h>> {
        let groups = self.spans(s, false, true).into_iter().next()?;
        Some(Captures::from_spans(s, groups))
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
            let spans: Vec<(usize, usize)> = self
                .spans(s, true, false)
                .into_iter()
                .filter_map(|g| g.first().copied().flatten())
                .collect();
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
        self.spans(s, true, true)
            .into_iter()
            .map(move |groups| Captures::from_spans(s, groups))
    }
}

/// The indices of `words` in [`WORDS`]; `None` when there are none or one is not there.
fn word_ids<'w>(words: impl ExactSizeIterator<Item = &'w str>) -> Option<Vec<usize>> {
    if words.len() == 0 {
        return None;
    }
    words
        .map(|w| WORDS.index.get(&*lowercase(w)).copied())
        .collect()
}

pub(super) use super::dfa::Spans;

/// The matches of an alternation, from its alternatives': from where the last match ended,
/// the leftmost next match of any alternative, the earlier alternative's at a tie. Each
/// alternative's next match is kept until the search passes its start (it is still the
/// leftmost from there: nothing of that alternative starts before it).
fn any_spans(alternatives: &[Matcher], s: &str, all: bool, groups: bool) -> Vec<Spans> {
    let start = |spans: &Spans| spans.first().copied().flatten().map(|(a, _)| a);
    let mut next: Vec<Option<Option<Spans>>> = vec![None; alternatives.len()];
    let mut found = Vec::new();
    let mut from = 0;
    loop {
        let mut best: Option<(usize, usize)> = None;
        for (i, alternative) in alternatives.iter().enumerate() {
            let stale = match &next[i] {
                None => true,
                Some(Some(spans)) => start(spans).is_none_or(|a| a < from),
                Some(None) => false,
            };
            if stale {
                next[i] = Some(alternative.first_from(s, from, groups));
            }
            if let Some(Some(spans)) = &next[i]
                && let Some(a) = start(spans)
                && best.is_none_or(|(b, _)| a < b)
            {
                best = Some((a, i));
            }
        }
        let Some((_, i)) = best else {
            break;
        };
        let Some(Some(spans)) = next[i].take() else {
            break;
        };
        let end = spans.first().copied().flatten().map_or(from, |(_, b)| b);
        found.push(spans);
        if !all {
            break;
        }
        // No alternative matches the empty text (the tests check): a match ends past its start.
        from = if end > from {
            end
        } else {
            s[from..]
                .chars()
                .next()
                .map_or(s.len() + 1, |c| from + c.len_utf8())
        };
        if from > s.len() {
            break;
        }
    }
    found
}

/// Where in a text a match can start.
enum Starts {
    Anywhere,
    /// Only at these offsets (sorted, at least one): where a leading matcher's words start.
    At(Vec<usize>),
}

/// How a text is searched: the regex over the whole of it, or the anchored regex
/// ([`LiteRegex::after_one_char`]) at each place a leading matcher's words start, which reads
/// only as far as a match could go from there.
enum Searcher<'a> {
    Whole(&'a regex_lite::Regex),
    At(&'a regex_lite::Regex, &'a [usize]),
}

impl Searcher<'_> {
    fn spans(&self, hay: &str, all: bool, groups: bool) -> Vec<Spans> {
        let whole = |m: regex_lite::Match| vec![Some((m.start(), m.end()))];
        let every = |c: regex_lite::Captures| -> Spans {
            c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect()
        };
        match (self, all, groups) {
            (Searcher::Whole(re), true, false) => re.find_iter(hay).map(whole).collect(),
            (Searcher::Whole(re), true, true) => re.captures_iter(hay).map(every).collect(),
            (Searcher::Whole(re), false, false) => re.find(hay).map(whole).into_iter().collect(),
            (Searcher::Whole(re), false, true) => re.captures(hay).map(every).into_iter().collect(),
            (Searcher::At(re, at), ..) => {
                matches_at(at, all, |place| Some(anchored_at(re, hay, place, groups)))
                    .unwrap_or_default()
            }
        }
    }
}

/// The matches found at the places `at` (sorted) by `match_at`, which gives the match starting
/// at a place (`None`: it cannot answer, nor can this). A match starts with a word, so it is
/// never empty and the next one is looked for past it.
fn matches_at(
    at: &[usize],
    all: bool,
    mut match_at: impl FnMut(usize) -> Option<Option<Spans>>,
) -> Option<Vec<Spans>> {
    let mut found = Vec::new();
    let mut next = 0;
    for &place in at {
        if place < next {
            continue;
        }
        let Some(spans) = match_at(place)? else {
            continue;
        };
        next = spans
            .first()
            .copied()
            .flatten()
            .map_or(place + 1, |(_, end)| end.max(place + 1));
        found.push(spans);
        if !all {
            break;
        }
    }
    Some(found)
}

/// The match of an anchored regex at `place` in `hay`, as spans of `hay`. The regex reads one
/// character before the place: the one there, or a space at the start of the text (which a
/// `\b` reads as the start does; the tests keep `^` out of leading patterns).
fn anchored_at(re: &regex_lite::Regex, hay: &str, place: usize, groups: bool) -> Option<Spans> {
    let (text, shift): (Cow<str>, isize) = match hay.get(..place)?.chars().next_back() {
        Some(before) => {
            let from = place - before.len_utf8();
            (Cow::Borrowed(hay.get(from..)?), from as isize)
        }
        None => (Cow::Owned(format!(" {hay}")), -1),
    };
    let to_hay =
        |(a, b): (usize, usize)| ((a as isize + shift) as usize, (b as isize + shift) as usize);
    let mut spans: Spans = if groups {
        re.captures(&text)?
            .iter()
            .map(|g| g.map(|m| to_hay((m.start(), m.end()))))
            .collect()
    } else {
        let m = re.find(&text)?;
        vec![Some(to_hay((m.start(), m.end())))]
    };
    // Group 0 holds the character read before the place: the match starts at the place.
    if let Some(Some((start, _))) = spans.first_mut() {
        *start = place;
    }
    Some(spans)
}

/// Every gate word of every registered matcher, and one automaton finding them.
struct Words {
    /// Lowercase (the brief is searched lowercased).
    list: Vec<Cow<'static, str>>,
    index: HashMap<Cow<'static, str>, usize>,
    /// Built only for a long brief (see [`SHORT_BRIEF`]).
    finder: OnceLock<Option<AhoCorasick>>,
}

/// Up to this many bytes, one substring search per word finds the words in less time than
/// building an automaton over all of them takes (a 1.3 KB brief: 4.2M instructions to under
/// 1M); beyond it, the automaton's single pass wins.
const SHORT_BRIEF: usize = 16 * 1024;

impl Words {
    fn finder(&self) -> Option<&AhoCorasick> {
        self.finder
            .get_or_init(|| {
                // A noncontiguous NFA is the cheapest to build, and one brief is all it
                // searches; the words are lowercase and searched in the lowercased brief, so
                // case costs no transitions.
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .match_kind(MatchKind::Standard)
                    // A prefilter pays off on long haystacks; building one costs more than a
                    // brief's search.
                    .prefilter(false)
                    .build(self.list.iter().map(|w| w.as_bytes()))
                    .ok()
            })
            .as_ref()
    }

    /// Per word, where it occurs in `lower` (overlapping occurrences included), as offsets.
    fn occurrences(&self, lower: &str) -> Option<Vec<Vec<(usize, usize)>>> {
        if lower.len() <= SHORT_BRIEF {
            Some(self.by_substring(lower))
        } else {
            self.by_automaton(lower)
        }
    }

    fn by_substring(&self, lower: &str) -> Vec<Vec<(usize, usize)>> {
        let hay = lower.as_bytes();
        // The pairs of adjacent bytes the brief holds, as bits: a word one of whose pairs it
        // lacks does not occur, and is not searched for (most of the words, in a short brief).
        let mut pairs = [0u64; 1024];
        let pair = |p: &[u8]| usize::from(p[0]) << 8 | usize::from(p[1]);
        for p in hay.windows(2) {
            pairs[pair(p) >> 6] |= 1 << (pair(p) & 63);
        }
        let may_occur = |w: &[u8]| {
            w.windows(2)
                .all(|p| pairs[pair(p) >> 6] & (1 << (pair(p) & 63)) != 0)
        };
        self.list
            .iter()
            .map(|w| {
                if !may_occur(w.as_bytes()) {
                    return Vec::new();
                }
                let finder = memchr::memmem::Finder::new(w.as_bytes());
                let mut found = Vec::new();
                let mut from = 0;
                // From the next byte after each hit, so overlapping occurrences are found too.
                while let Some(p) = hay.get(from..).and_then(|rest| finder.find(rest)) {
                    found.push((from + p, from + p + w.len()));
                    from += p + 1;
                }
                found
            })
            .collect()
    }

    fn by_automaton(&self, lower: &str) -> Option<Vec<Vec<(usize, usize)>>> {
        let mut at = vec![Vec::new(); self.list.len()];
        for m in self.finder()?.find_overlapping_iter(lower) {
            if let Some(v) = at.get_mut(m.pattern().as_usize()) {
                v.push((m.start(), m.end()));
            }
        }
        Some(at)
    }
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    // A word's index is its place in `list`, the order words are first met (a `contains` scan
    // per word cost more than the automaton).
    let leaves = || {
        super::patterns::ALL
            .iter()
            .chain(&super::vocabulary::ALL)
            .flat_map(|m| m.leaves())
    };
    // Room for every word at once (repeats included): growing the map rehashed it again and
    // again.
    let most: usize = leaves()
        .map(|leaf| leaf.words().len() + leaf.and_words().len())
        .sum();
    let mut list: Vec<Cow<'static, str>> = Vec::with_capacity(most);
    let mut index: HashMap<Cow<'static, str>, usize> =
        HashMap::with_capacity_and_hasher(most, Default::default());
    for leaf in leaves() {
        let mut id = |w: &'static str| {
            let w = lowercase(w);
            if let Some(&i) = index.get(&*w) {
                return i;
            }
            index.insert(w.clone(), list.len());
            list.push(w);
            list.len() - 1
        };
        // Each leaf's word indices, known here: its first search need not look them up.
        let ids: Vec<usize> = leaf.words().iter().map(|w| id(w)).collect();
        let and_ids: Vec<usize> = leaf.and_words().iter().map(|w| id(w)).collect();
        let _ = leaf.ids.set((!ids.is_empty()).then_some(ids));
        let _ = leaf.and_ids.set((!and_ids.is_empty()).then_some(and_ids));
    }
    Words {
        list,
        index,
        finder: OnceLock::new(),
    }
});

/// `w` in ASCII lowercase, copied only when it has a capital.
fn lowercase(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

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
        let lower = text.to_ascii_lowercase();
        // No automaton: no word known, every matcher open.
        let mut at = words.occurrences(&lower).unwrap_or_default();
        for (a, b) in at.iter_mut().flatten() {
            *a += start;
            *b += start;
        }
        let outer = SEEN.replace(Some(Seen {
            at,
            lower,
            found: HashMap::default(),
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Set: every search runs on `regex-lite` (the tests compare the two).
        pub(crate) static DFA_OFF: Cell<bool> = const { Cell::new(false) };
    }

    /// A registered matcher asked before any brief is read (no scope, the word list not built)
    /// answers instead of waiting on itself. Run alone in a fresh process, where nothing else
    /// has built the word list.
    #[test]
    fn a_matcher_asked_before_any_brief_answers() {
        const NAME: &str = "spec::brief::matcher::tests::a_matcher_asked_before_any_brief_answers";
        if std::env::var_os("ROLLBOOK_FRESH_PROCESS").is_some() {
            let text = "A migration adds a column.";
            assert!(super::super::patterns::MIGRATION.is_match(text));
            return;
        }
        let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", NAME, "--test-threads=1"])
            .env("ROLLBOOK_FRESH_PROCESS", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the test binary runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().expect("a child's status") {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("the matcher waited on itself for 30 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert!(status.success(), "{status}");
    }

    /// The two ways of finding the gate words agree, on every brief the project holds and on
    /// overlapping occurrences (`aa` twice in `aaa`), so the length that picks one is only a
    /// matter of speed.
    #[test]
    fn substring_search_finds_what_the_automaton_finds() {
        let mut texts = vec!["rollback rollbackrollback --- service-api `x` ".repeat(40)];
        texts.extend(
            crate::spec::brief::tests::project_briefs()
                .into_iter()
                .map(|(_, t)| t.to_ascii_lowercase()),
        );
        let mut found = 0;
        for t in &texts {
            let by_substring = WORDS.by_substring(t);
            assert_eq!(Some(&by_substring), WORDS.by_automaton(t).as_ref());
            found += by_substring.iter().map(Vec::len).sum::<usize>();
        }
        assert!(found > 1000, "only {found} occurrences");
        let overlapping = Words {
            list: vec!["aa".into()],
            index: HashMap::default(),
            finder: OnceLock::new(),
        };
        assert_eq!(overlapping.by_substring("aaa"), vec![vec![(0, 2), (1, 3)]]);
        assert_eq!(
            overlapping.by_automaton("aaa"),
            Some(vec![vec![(0, 2), (1, 3)]])
        );
    }
}
