//! The DFA table ([`crate::spec::brief::dfa`]): generated from the registered matchers, current,
//! and finding what `regex-lite` finds.

use super::super::dfa::{self, FILE, MAGIC, NAMED};
use super::super::matcher::{BriefScope, Matcher, tests::DFA_OFF};
use super::super::{patterns, vocabulary};
use super::project_briefs;
use regex_automata::MatchKind;
use regex_automata::dfa::{StartKind, dense, regex::Regex};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_syntax::hir::{Hir, HirKind};
use std::collections::BTreeMap;

/// A pattern whose DFAs take more bytes than this is left to `regex-lite`: the few that do
/// (long gaps searched unanchored) would take most of the table.
const MAX_BYTES: usize = 32 * 1024;

fn leaves() -> impl Iterator<Item = &'static Matcher> {
    patterns::ALL
        .iter()
        .copied()
        .chain(vocabulary::ALL.iter().copied())
        .flat_map(|m| m.leaves())
}

/// A pattern's DFAs as the table stores them: forward, reverse (empty: anchored), and its
/// splits (`None`: `regex-lite` reads its groups).
type Dfas = (Vec<u8>, Vec<u8>, Option<Vec<Split>>);

/// The DFAs of the pattern's parts before and after a split (empty: the part is empty).
type Split = (Vec<u8>, Vec<u8>);

/// Bytes, ASCII classes, ASCII `\b`, ASCII case folding: `regex-lite`'s meaning on ASCII.
fn syntax() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

fn thompson() -> thompson::Config {
    thompson::Config::new().utf8(false)
}

fn limits() -> dense::Config {
    dense::Config::new()
        .dfa_size_limit(Some(1 << 20))
        .determinize_size_limit(Some(8 << 20))
}

/// A pattern's DFAs, when they are small enough.
fn build(body: &str, leading: bool) -> Option<Dfas> {
    let (syntax, thompson, limits) = (syntax(), thompson(), limits());
    let (forward, reverse) = if leading {
        let dfa = dense::Builder::new()
            .syntax(syntax)
            .thompson(thompson)
            .configure(limits.start_kind(StartKind::Anchored))
            .build(body)
            .ok()?;
        (dfa.to_sparse().ok()?.to_bytes_little_endian(), Vec::new())
    } else {
        let re = Regex::builder()
            .syntax(syntax)
            .thompson(thompson)
            .dense(limits.start_kind(StartKind::Unanchored))
            .build(body)
            .ok()?;
        (
            re.forward().to_sparse().ok()?.to_bytes_little_endian(),
            re.reverse().to_sparse().ok()?.to_bytes_little_endian(),
        )
    };
    (forward.len() + reverse.len() <= MAX_BYTES).then(|| (forward, reverse, splits(body)))
}

/// Per group, the splits where it starts and where it ends (see [`dfa::Dfa::groups`]), when
/// every group is a step of the pattern's top-level sequence and the DFAs are small; no
/// group: an empty list.
fn splits(body: &str) -> Option<Vec<Split>> {
    let hir = syntax::parse_with(body, &syntax()).ok()?;
    let steps = match hir.kind() {
        HirKind::Concat(steps) => steps.clone(),
        _ => vec![hir.clone()],
    };
    let mut splits = Vec::new();
    let mut groups = 0;
    for (i, step) in steps.iter().enumerate() {
        let captures = step.properties().explicit_captures_len();
        match step.kind() {
            HirKind::Capture(group) if captures == 1 && group.index as usize == groups + 1 => {
                groups += 1;
                splits.push(split(&steps, i)?);
                splits.push(split(&steps, i + 1)?);
            }
            _ if captures == 0 => {}
            _ => return None,
        }
    }
    let bytes: usize = splits.iter().map(|(a, b)| a.len() + b.len()).sum();
    (bytes <= MAX_BYTES).then_some(splits)
}

/// The split of `steps` before step `at`: an anchored forward DFA of the steps before it and an
/// anchored reverse DFA of those after it, both reporting every match.
fn split(steps: &[Hir], at: usize) -> Option<Split> {
    let dfa = |part: &[Hir], reverse: bool| -> Option<Vec<u8>> {
        if part.is_empty() {
            return Some(Vec::new());
        }
        let nfa = thompson::Compiler::new()
            // A reverse NFA takes no groups, and a DFA reads none.
            .configure(
                thompson()
                    .reverse(reverse)
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(&Hir::concat(part.to_vec()))
            .ok()?;
        let dfa = dense::Builder::new()
            .configure(
                limits()
                    .start_kind(StartKind::Anchored)
                    .match_kind(MatchKind::All)
                    .minimize(true),
            )
            .build_from_nfa(&nfa)
            .ok()?;
        Some(dfa.to_sparse().ok()?.to_bytes_little_endian())
    };
    Some((dfa(&steps[..at], false)?, dfa(&steps[at..], true)?))
}

/// The table, in key order.
fn table() -> Vec<u8> {
    let leading: BTreeMap<String, bool> = leaves()
        .map(|leaf| (leaf.dfa_key(), leaf.is_leading()))
        .collect();
    let named = named(leading.keys().map(|key| &key[1..]));
    let entries = leading
        .iter()
        .map(|(key, &leading)| (key.clone(), build(&bytewise(&key[1..], &named), leading)))
        .collect();
    table_of(&named, &entries)
}

/// The characters outside ASCII that `bodies` name, in order.
fn named<'b>(bodies: impl Iterator<Item = &'b str>) -> String {
    let named: std::collections::BTreeSet<char> = bodies
        .flat_map(str::chars)
        .filter(|c| !c.is_ascii())
        .collect();
    named.into_iter().collect()
}

/// `body` as the DFAs read text (see [`dfa::Read`]): each character outside ASCII it names
/// becomes the byte that stands for it.
fn bytewise(body: &str, named: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for c in body.chars() {
        match named.chars().position(|n| n == c) {
            Some(i) if !c.is_ascii() => {
                assert!(
                    !out.ends_with('\\'),
                    "{body}: an escaped character outside ASCII"
                );
                let byte = NAMED + u8::try_from(i).expect("few named characters");
                out.push_str(&format!(r"\x{byte:02X}"));
            }
            _ => out.push(c),
        }
    }
    out
}

/// The table of `entries` (those without DFAs left out), whose patterns name `named`.
fn table_of(named: &str, entries: &BTreeMap<String, Option<Dfas>>) -> Vec<u8> {
    let number = |n: usize| u32::try_from(n).expect("a table under 4 GiB").to_le_bytes();
    let mut index = Vec::new();
    let mut dfas = Vec::new();
    for (key, (forward, reverse, splits)) in
        entries.iter().filter_map(|(k, d)| Some((k, d.as_ref()?)))
    {
        index.extend_from_slice(&number(key.len()));
        index.extend_from_slice(key.as_bytes());
        let mut place = |index: &mut Vec<u8>, dfa: &[u8]| {
            index.extend_from_slice(&number(dfas.len()));
            index.extend_from_slice(&number(dfa.len()));
            dfas.extend_from_slice(dfa);
        };
        place(&mut index, forward);
        place(&mut index, reverse);
        match splits {
            Some(splits) => {
                index.extend_from_slice(&number(splits.len() / 2 + 1));
                for (before, after) in splits {
                    place(&mut index, before);
                    place(&mut index, after);
                }
            }
            None => index.extend_from_slice(&number(0)),
        }
    }
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&number(entries.values().flatten().count()));
    out.extend_from_slice(&number(named.len()));
    out.extend_from_slice(named.as_bytes());
    out.extend_from_slice(&number(index.len()));
    out.extend(index);
    out.extend(dfas);
    out
}

#[test]
fn dfa_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
    assert!(
        path.ends_with("src/spec/brief/dfas.bin"),
        "FILE names the included table"
    );
    let fresh = table();
    if std::env::var_os("ROLLBOOK_UPDATE_DFAS").is_some() {
        std::fs::write(&path, &fresh).expect("the table is written");
        return;
    }
    let shipped = std::fs::read(&path).expect("the table is readable");
    assert!(
        shipped == fresh,
        "{FILE} is stale (a brief pattern changed): rewrite it with \
         `ROLLBOOK_UPDATE_DFAS=1 cargo test --lib dfa_table_is_current`"
    );
    // Most patterns have DFAs, and every one passes the checks the runtime skips.
    let table = dfa::parse(&fresh).expect("the table parses");
    // The patterns name `’`, dashes and arrows: each is read as a byte of its own.
    assert!(table.named.contains('’'), "{:?}", table.named);
    let entries = table.entries;
    assert!(entries.len() > 200, "only {} patterns", entries.len());
    for (key, entry) in &entries {
        let key = std::str::from_utf8(key).expect("a key is a pattern's text");
        for bytes in entry.all_dfas() {
            let checked = regex_automata::dfa::sparse::DFA::from_bytes(bytes);
            assert!(checked.is_ok(), "{key}: {:?}", checked.err());
        }
        assert!(dfa::load(key).is_some(), "{key} does not load");
    }
    // Most patterns with groups have them read by DFAs.
    let split = entries
        .values()
        .filter(|e| e.groups_split().is_some_and(|groups| groups > 0))
        .count();
    assert!(split > 40, "only {split} patterns' groups are split");
}

/// The DFAs of `body` alone, from a table of their own, as a pattern searched over the whole
/// text.
fn dfa_of(body: &str) -> dfa::Dfa {
    assert!(
        body.is_ascii(),
        "a pattern naming no character of the shipped table's"
    );
    let entries = BTreeMap::from([(dfa::key(body, false), build(body, false))]);
    let table: &'static [u8] = Box::leak(table_of("", &entries).into_boxed_slice());
    let parsed = dfa::parse(table).expect("the table parses");
    let entry = parsed.entries.values().next().expect("one entry");
    dfa::from_entry(entry).expect("the DFAs load")
}

/// The groups of the first match of `dfa` in `hay` as its splits place them.
fn split_groups(dfa: &dfa::Dfa, hay: &str) -> Option<Vec<Option<(usize, usize)>>> {
    let read = dfa::Read::new(hay);
    let found = dfa.find_from(&read, 0).expect("the DFA answers");
    dfa.groups(&read, found.expect("a match"))
}

/// A character outside ASCII is one byte to a DFA, as it is one character to `regex-lite`: a
/// gap counts it once, and a match's places are the text's.
#[test]
fn a_dfa_reads_one_byte_per_character() {
    let gap = dfa_of(r"t[^x]{3}x");
    let text = "at—é🚀x";
    let read = dfa::Read::new(text);
    assert_eq!(gap.find_from(&read, 0), Ok(Some((1, text.len()))));
    let short = dfa_of(r"t[^x]{2}x");
    assert_eq!(short.find_from(&read, 0), Ok(None));
    // A search cannot start inside a character.
    assert_eq!(gap.find_from(&read, 3), Err(()));
}

/// Splits place a group where only one place fits it, and leave the others to the regex.
#[test]
fn splits_place_groups_only_where_one_place_fits() {
    let two = dfa_of(r"\b([a-z]+)-([0-9]+)\b");
    assert_eq!(
        split_groups(&two, "see ab-12 now"),
        Some(vec![Some((4, 9)), Some((4, 6)), Some((7, 9))])
    );
    // The boundaries are read in the text around the match: after `1` is no place for `\b`.
    assert_eq!(
        split_groups(&two, "1ab-12 ab-3"),
        Some(vec![Some((7, 11)), Some((7, 9)), Some((10, 11))])
    );
    let first = dfa_of(r"(a+)b");
    assert_eq!(
        split_groups(&first, "caab"),
        Some(vec![Some((1, 4)), Some((1, 3))])
    );
    // No group: the match alone.
    assert_eq!(
        split_groups(&dfa_of(r"a+b"), "caab"),
        Some(vec![Some((1, 4))])
    );
    // `aaa`: the first group could end after one `a` or after two; which is the regex's
    // choice (greedy: two).
    assert_eq!(split_groups(&dfa_of(r"(a+)(a+)"), "aaa"), None);
    // An optional group, or one in an alternative, has no split.
    assert_eq!(split_groups(&dfa_of(r"x(y)?z"), "xyz"), None);
    assert_eq!(split_groups(&dfa_of(r"(x)|(y)"), "y"), None);
}

/// Every match and group of every registered pattern, with the DFAs and without, over every
/// brief the project holds, line by line and whole, while the brief is read (a leading
/// pattern searched where its words start, any other over the whole text). Matches are
/// compared without groups too: with them, a match the regex does not confirm is searched
/// again by the regex, which would hide a DFA's mistake.
#[test]
fn dfas_find_what_the_regex_finds() {
    let briefs: Vec<String> = project_briefs().into_iter().map(|(_, t)| t).collect();
    // The same briefs as a word processor writes them, with other characters outside ASCII
    // among their words: a DFA reads each as one byte.
    let typeset = briefs.iter().map(|t| {
        t.replace("'", "’")
            .replace(" - ", " — ")
            .replace("->", "→")
            .replace(" the ", " thé ")
            .replace(". ", ". 🚀 ")
            .replace(" to ", " to 日本 ")
    });
    let mut texts: Vec<String> = briefs.iter().cloned().chain(typeset).collect();
    texts.push("The `payments-api` — v2.3.1 — can’t be rolled back after 10:00 UTC.".into());
    let mut compared = 0;
    for text in &texts {
        let _scope = BriefScope::enter(text);
        let pieces = std::iter::once(text.as_str()).chain(text.lines());
        for piece in pieces {
            for leaf in leaves() {
                compared += same_with_and_without_dfas(leaf, piece);
            }
        }
    }
    assert!(compared > 2000, "only {compared} matches compared");
}

/// Asserts that `leaf` finds the same in `text` with its DFAs and without; the matches found.
fn same_with_and_without_dfas(leaf: &Matcher, text: &str) -> usize {
    let from = text.len() / 3;
    let search = || {
        (
            leaf.spans(text, true, false),
            leaf.spans(text, true, true),
            leaf.spans(text, false, false),
            leaf.first_from(text, from, false),
            leaf.first_from(text, from, true),
        )
    };
    let with = search();
    DFA_OFF.set(true);
    let without = search();
    DFA_OFF.set(false);
    assert_eq!(with, without, "{} in {text:?}", leaf.pattern());
    with.0.len()
}

/// Texts made of the patterns' own words, digits, names and punctuation: the DFAs and the regex
/// agree on texts no brief holds.
fn word_soup() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let mut words: Vec<String> = leaves()
        .flat_map(|m| m.words().iter().map(|w| w.to_string()))
        .collect();
    words.sort();
    words.dedup();
    words.extend(
        [
            " ",
            "  ",
            "\n",
            ".",
            ",",
            ";",
            ":",
            "`",
            "(",
            ")",
            "-",
            "_",
            "/",
            "%",
            "'",
            "v2.3.1",
            "10",
            "1,500",
            "2026-12-01",
            "09:30",
            "UTC",
            "payments-api",
            "`orders`",
            "@alice",
            "Alice Smith",
            "#ops",
            "the",
            "to",
            "from",
            "no",
            "not",
            "é",
            "’",
            "—",
            "–",
            "→",
            "⇒",
            "🚀",
            "(日本)",
        ]
        .map(String::from),
    );
    proptest::collection::vec(proptest::sample::select(words), 1..40).prop_map(|parts| {
        parts
            .iter()
            .enumerate()
            .fold(String::new(), |mut text, (i, p)| {
                if i % 3 == 0 {
                    text.push(' ');
                }
                text.push_str(p);
                text
            })
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn dfas_find_what_the_regex_finds_in_word_soup(text in word_soup()) {
        let _scope = BriefScope::enter(&text);
        for leaf in leaves() {
            same_with_and_without_dfas(leaf, &text);
        }
    }
}
