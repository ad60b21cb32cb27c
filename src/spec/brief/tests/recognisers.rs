//! The recognisers and the platform vocabulary against every brief the project holds.

use super::*;

/// Each kind's recogniser fires on its fire brief and stays silent on its ok brief
/// (tests/fixtures/briefs/kinds/<kind>/{fire,ok}.md).
#[test]
fn each_kind_fires_on_its_fire_brief_and_not_on_its_ok_brief() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/briefs/kinds");
    for r in crate::spec::brief::recognisers::ALL {
        for (case, fires) in [("fire", true), ("ok", false)] {
            let path = root.join(r.kind).join(format!("{case}.md"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let i = run(&format!("kinds/{}/{case}.md", r.kind), &text);
            let found = i
                .spec
                .deployment
                .changes
                .iter()
                .any(|c| c.kind().as_str() == r.kind);
            assert_eq!(
                found, fires,
                "{} {case}: {:#?}",
                r.kind, i.spec.deployment.changes
            );
        }
    }
}

/// The recognisers name every kind once, by its tag.
#[test]
fn every_kind_has_one_recogniser() {
    use ChangeKind::*;
    let kinds = [
        Code,
        Migration,
        Config,
        FeatureFlag,
        Infrastructure,
        Dependency,
        ExternalSideEffect,
        DataOperation,
        DatabaseOperation,
        FleetPush,
        StreamQueue,
        IndexCache,
        AccessChange,
        PlatformUpgrade,
        Cutover,
        NetworkChange,
        ClientRelease,
        MlModel,
    ];
    let tags: Vec<&str> = crate::spec::brief::recognisers::ALL
        .iter()
        .map(|r| r.kind)
        .collect();
    let want: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    assert_eq!(tags, want);
}

/// Every brief the project holds: each match of each pattern holds one of the pattern's gate
/// words, so skipping a pattern for a brief without them loses nothing.
#[test]
fn every_match_holds_a_gate_word() {
    let mut texts: Vec<(String, String)> = ALL
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    texts.extend(project_briefs());
    let matchers = compiled_matchers();
    let mut checked = 0;
    for m in matchers {
        let words = lowercase(m.words());
        if words.is_empty() {
            continue;
        }
        let and_words = lowercase(m.and_words());
        for (path, text) in &texts {
            for hit in m.regex().find_iter(text) {
                let h = hit.as_str().to_ascii_lowercase();
                assert!(
                    words.iter().any(|w| h.contains(w.as_str())),
                    "{path}: {:?} matches {:?}, which holds none of {words:?}",
                    m.pattern(),
                    hit.as_str()
                );
                assert!(
                    and_words.is_empty() || and_words.iter().any(|w| h.contains(w.as_str())),
                    "{path}: {:?} matches {:?}, which holds none of {and_words:?}",
                    m.pattern(),
                    hit.as_str()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} matches checked");
}

/// Every word of the platform registry's vocabulary, written in a one-line brief, is read as its
/// value.
#[test]
fn every_vocabulary_word_in_a_one_line_brief_is_its_value() {
    use crate::platforms::vocabulary as v;
    for (word, want) in v::deploy_platforms() {
        let i = run("p.md", &format!("We deploy `billing-api` on {word}."));
        let got = i
            .spec
            .architecture
            .services
            .first()
            .and_then(|s| s.platform);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::migration_tools() {
        let i = run("t.md", &format!("The schema migration runs with {word}."));
        let got = i
            .spec
            .deployment
            .changes
            .iter()
            .find_map(|c| c.as_migration().and_then(|m| m.tool));
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::metrics_systems() {
        let i = run("m.md", &format!("Error rates are graphed in {word}."));
        let got = i.spec.architecture.observability.map(|o| o.metrics);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, want) in v::flag_providers() {
        let i = run("f.md", &format!("Flags are served by {word}."));
        let got = i.spec.architecture.flag_provider.map(|f| f.kind);
        assert_eq!(got, Some(want), "{word}");
    }
    for (word, engine, hosting) in v::engines() {
        let i = run("e.md", &format!("Orders are kept in {word}."));
        let got = i
            .spec
            .architecture
            .data_stores
            .first()
            .map(|d| (d.engine, d.hosting));
        assert_eq!(got, Some((engine, hosting)), "{word}");
    }
}

/// A brief naming two platforms of one family for a service (Kubernetes, then Argo Rollouts)
/// keeps the more specific one, in either order, for every pair the registry holds: the
/// ranking comes from the units, so a platform added to a family is ranked here too.
#[test]
fn of_two_platforms_of_one_family_the_more_specific_is_kept() {
    use crate::platforms::deploy;
    let mut pairs = 0;
    for a in deploy::PLATFORMS {
        for b in deploy::PLATFORMS {
            if !deploy::refines(b.platform(), a.platform()) {
                continue;
            }
            let (wa, wb) = (a.words()[0], b.words()[0]);
            for text in [
                format!("We deploy `billing-api` on {wa}. `billing-api` also runs on {wb}."),
                format!("We deploy `billing-api` on {wb}. `billing-api` also runs on {wa}."),
            ] {
                let i = run("p.md", &text);
                let got = service(&i, "billing-api").platform;
                assert_eq!(got, Some(b.platform()), "{text}");
            }
            pairs += 1;
        }
    }
    assert!(pairs >= 6, "only {pairs} ranked pairs");
}

/// The brief reader's engine (`regex-lite`, case folded by lowercasing) finds what `regex` finds
/// with the pattern as written: every match and every group, on every brief the project holds
/// (their whitespace made ASCII first, as the reader does), and on texts that probe case, word
/// boundaries and non-ASCII letters.
#[test]
fn the_lite_engine_matches_as_regex_does() {
    use crate::spec::brief::lite::{LiteRegex, ascii_whitespace};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = vec![
        "We CANNOT be Undone; Push The Config To Every Host. Kill-Switch `edge-rules` ON".into(),
        "déjà-vu: roll\u{a0}back of `café-api` v1.2.3 → v1.2.4 — can’t be undone".into(),
        "BLUE-GREEN on ECS cluster `prod-billing`, database `Orders`, namespace Payments".into(),
        String::new(),
    ];
    for dir in ["eval/briefs", "examples", "tests/fixtures/briefs"] {
        for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let e = e.expect("readable fixture folder");
            if e.path().extension().is_some_and(|x| x == "md") {
                texts.push(std::fs::read_to_string(e.path()).expect("readable brief"));
            }
        }
    }
    let texts: Vec<String> = texts
        .iter()
        .map(|t| ascii_whitespace(t).replace(['\u{17F}', '\u{212A}'], "x"))
        .collect();
    let patterns: Vec<String> = compiled_matchers()
        .map(|m| m.pattern().to_string())
        .chain(crate::model::kinds::KINDS.iter().flat_map(|d| {
            d.recogniser.triggers.iter().flat_map(|t| {
                std::iter::once(t.found.regex.to_string())
                    .chain(t.also.map(|a| a.regex.to_string()))
            })
        }))
        .collect();
    let mut folded = 0;
    let mut compared = 0;
    for p in &patterns {
        let lite = LiteRegex::new(p);
        folded += usize::from(lite.folded());
        let full = regex::Regex::new(p).expect("pattern compiles with regex");
        for t in &texts {
            let hay = crate::spec::brief::lite::hay(lite.folded(), t);
            let found: Vec<Vec<Option<(usize, usize)>>> = lite
                .regex()
                .captures_iter(&hay)
                .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
                .collect();
            let want: Vec<Vec<Option<(usize, usize)>>> = full
                .captures_iter(t)
                .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
                .collect();
            assert_eq!(found, want, "{p}\non: {}", &t[..t.len().min(200)]);
            compared += found.len();
        }
    }
    assert!(
        folded > 100,
        "only {folded} patterns fold case by lowercasing"
    );
    assert!(compared > 2000, "only {compared} matches compared");
}

/// Whether every match of `m` provably starts with one of its words: the pattern's prefix
/// literals (as `regex-syntax` extracts them, over the text the pattern is searched in) are
/// finite and each starts with a word, and no `^` looks at where it starts. `regex-syntax` reads `\s` and `(?i)` as Unicode, a
/// superset of the ASCII the brief reader matches, so its literals cover every match.
fn provably_leading(m: &crate::spec::brief::matcher::Matcher) -> bool {
    use regex_syntax::hir::Look;
    let words = lowercase(m.words());
    if words.is_empty() {
        return false;
    }
    let hir = searched_hir(m);
    // The search at a word reads one character before it, so a `^` there would not see the
    // start of the text.
    let looks = hir.properties().look_set();
    if [Look::Start, Look::StartLF, Look::StartCRLF]
        .iter()
        .any(|&l| looks.contains(l))
    {
        return false;
    }
    prefix_literals(&hir).is_some_and(|all| {
        !all.is_empty()
            && all
                .iter()
                .all(|l| words.iter().any(|w| l.starts_with(w.as_str())))
    })
}

/// `hir`'s prefix literals as `regex-syntax` extracts them, lowercased: every match starts
/// with one. `None` when they are not finite.
fn prefix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let prefixes = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(100_000)
        .limit_class(300)
        .limit_repeat(1)
        .limit_literal_len(64)
        .extract(hir);
    let literals = prefixes.literals()?;
    Some(
        literals
            .iter()
            .map(|l| String::from_utf8_lossy(l.as_bytes()).to_ascii_lowercase())
            .collect(),
    )
}

/// Words in ASCII lowercase, as the gates compare them.
fn lowercase<W: AsRef<str>>(words: &[W]) -> Vec<String> {
    words
        .iter()
        .map(|w| w.as_ref().to_ascii_lowercase())
        .collect()
}

/// The pattern of `m` as `regex-syntax` reads it over the text it is searched in: without its
/// `(?i)` when it is searched lowercased.
fn searched_hir(m: &crate::spec::brief::matcher::Matcher) -> regex_syntax::hir::Hir {
    let pattern = match m.pattern().strip_prefix("(?i)") {
        Some(rest) if crate::spec::brief::lite::folds(m.pattern()) => rest,
        _ => m.pattern(),
    };
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .expect("brief pattern")
}

/// Whether every match of `hir` provably holds one of `words` (lowercase): its prefix literals
/// are finite and each holds one; or a part that every match holds does (a piece of a
/// concatenation, or the concatenation from one piece on, a repetition's body repeated at
/// least once, a group's body); or every branch of an alternation does. Conservative: a
/// `false` only says the structure does not show it.
fn always_holds(hir: &regex_syntax::hir::Hir, words: &[String]) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    if prefix_literals_hold(hir, words) {
        return true;
    }
    match hir.kind() {
        HirKind::Capture(c) => always_holds(&c.sub, words),
        HirKind::Repetition(r) => r.min >= 1 && always_holds(&r.sub, words),
        HirKind::Alternation(branches) => branches.iter().all(|b| always_holds(b, words)),
        HirKind::Concat(parts) => (0..parts.len()).any(|i| {
            always_holds(&parts[i], words)
                || (i > 0 && prefix_literals_hold(&Hir::concat(parts[i..].to_vec()), words))
        }),
        _ => false,
    }
}

/// Whether `hir`'s prefix literals are finite and each holds one of `words`: every match
/// starts with one of them, so holds the word.
fn prefix_literals_hold(hir: &regex_syntax::hir::Hir, words: &[String]) -> bool {
    prefix_literals(hir).is_some_and(|all| {
        !all.is_empty()
            && all
                .iter()
                .all(|l| words.iter().any(|w| l.contains(w.as_str())))
    })
}

/// Each matcher's second words ([`crate::base::recogniser::Pattern::and_words`]) are proved
/// from its pattern: a text without them is skipped, so a word the pattern does not need would
/// lose matches.
#[test]
fn and_words_are_proved_from_the_pattern() {
    let mut proved = 0;
    for m in compiled_matchers() {
        if m.and_words().is_empty() {
            continue;
        }
        let words = lowercase(m.and_words());
        assert!(
            always_holds(&searched_hir(m), &words),
            "{:?}: not every match provably holds one of {words:?}",
            m.pattern()
        );
        proved += 1;
    }
    assert!(proved >= 10, "only {proved} matchers with second words");
}

/// The proof rejects what a match can do without the words, and accepts what it cannot.
#[test]
fn the_and_words_proof_tells_needed_words_from_optional_ones() {
    let holds = |pattern: &str, words: &[&str]| {
        let hir = regex_syntax::parse(pattern).expect("test pattern");
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        always_holds(&hir, &words)
    };
    assert!(holds(
        r"\bpush\s+(?:[a-z]+\s+){0,3}?(?:every|all)\s+hosts",
        &["every", "all"]
    ));
    assert!(holds(r"(?:a|b)c(?:x|yz)", &["x", "yz"]));
    assert!(holds(r"(?:to\s+)+end", &["to"]));
    assert!(holds(r"[0-9]+\.[0-9]+\s*(?:->|to)\s*[0-9]", &["->", "to"]));
    assert!(!holds(r"push\s+(?:every|all)?\s*hosts", &["every", "all"]));
    assert!(!holds(r"(?:every|hosts)", &["every"]));
    assert!(!holds(r"(?:to\s+)*end", &["to"]));
    assert!(!holds(r"[a-z]+", &["x"]));
}

/// A matcher declared leading (its search starts where its words occur) provably is, and
/// every pattern that provably is says so: a pattern edited out of the shape fails here, as
/// does a new one that forgot to declare it.
#[test]
fn leading_matchers_are_the_provably_leading_ones() {
    let mut leading = 0;
    for m in compiled_matchers() {
        assert_eq!(
            m.is_leading(),
            provably_leading(m),
            "{:?} with words {:?}: declare it {}",
            m.pattern(),
            m.words(),
            if m.is_leading() {
                "with Matcher::new or `leading: false`"
            } else {
                "with Matcher::leading or `leading: true`"
            }
        );
        leading += usize::from(m.is_leading());
    }
    assert!(leading > 50, "only {leading} leading matchers");
}

/// A leading matcher finds, from the occurrences of its words, what a search of the whole
/// text finds, on every brief the project holds.
#[test]
fn leading_search_finds_what_a_whole_search_finds() {
    let mut texts: Vec<String> = ALL.iter().map(|(_, t)| t.to_string()).collect();
    texts.extend(project_briefs().into_iter().map(|(_, t)| t));
    use crate::spec::brief::lite::{self, Captures};
    let (mut compared, mut starts_at_zero) = (0, 0);
    for text in &texts {
        let _scope = crate::spec::brief::matcher::BriefScope::enter(text);
        for m in compiled_matchers().filter(|m| m.is_leading()) {
            // The whole brief, and each line of it: a line that opens with a word is searched
            // from its start, where the anchored search reads a space before it.
            for part in std::iter::once(text.as_str()).chain(text.lines()) {
                let whole: Vec<(usize, usize)> = m
                    .regex()
                    .find_iter(part)
                    .iter()
                    .map(|x| (x.start(), x.end()))
                    .collect();
                let gated: Vec<(usize, usize)> =
                    m.find_iter(part).map(|x| (x.start(), x.end())).collect();
                assert_eq!(whole, gated, "{:?} in {part:?}", m.pattern());
                let spans = |c: Captures| {
                    (0..c.len())
                        .map(|i| c.get(i).map(|x| (x.start(), x.end())))
                        .collect::<Vec<_>>()
                };
                let hay = lite::hay(m.regex().folded(), part);
                let want = m.regex().regex().captures(&hay).map(|c| {
                    c.iter()
                        .map(|g| g.map(|x| (x.start(), x.end())))
                        .collect::<Vec<_>>()
                });
                assert_eq!(
                    want,
                    m.captures(part).map(spans),
                    "{:?} in {part:?}",
                    m.pattern()
                );
                assert_eq!(!whole.is_empty(), m.is_match(part), "{:?}", m.pattern());
                compared += whole.len();
                starts_at_zero += usize::from(whole.first().is_some_and(|w| w.0 == 0));
            }
        }
    }
    assert!(compared > 200, "only {compared} matches compared");
    assert!(
        starts_at_zero > 20,
        "only {starts_at_zero} matches at the start of a text"
    );
}

/// Every matcher the brief reader compiles: the registered ones, an alternation by its
/// alternatives.
fn compiled_matchers() -> impl Iterator<Item = &'static crate::spec::brief::matcher::Matcher> {
    crate::spec::brief::patterns::ALL
        .iter()
        .copied()
        .chain(crate::spec::brief::vocabulary::ALL.iter().copied())
        .flat_map(|m| m.leaves())
}

/// An alternation searched by its gated alternatives finds what its joined pattern
/// (`(?:A)|(?:B)|…`) finds, match by match, on every brief the project holds, whole and line by
/// line; its first match's groups are those of the alternative that matched; and no
/// alternative matches the empty text (the merge moves past each match).
#[test]
fn an_alternation_finds_what_its_joined_pattern_finds() {
    use crate::spec::brief::lite::{self, LiteRegex};
    let mut texts: Vec<String> = ALL.iter().map(|(_, t)| t.to_string()).collect();
    texts.extend(project_briefs().into_iter().map(|(_, t)| t));
    texts.extend(
        [
            "Can't be undone. No rollback: one-way. Kill switch `x` or revert by hand",
            // Two alternatives match at one place: the earlier one's match wins.
            "The previous alias is kept for a week.",
            // An alternative's match inside another's: the search moves past it.
            "We switch the push to prod, then push it to staging.",
        ]
        .map(String::from),
    );
    let alternations: Vec<_> = crate::spec::brief::patterns::ALL
        .iter()
        .copied()
        .filter(|m| m.leaves().len() > 1)
        .collect();
    assert!(
        alternations.len() >= 3,
        "{} alternations",
        alternations.len()
    );
    let mut compared = 0;
    for m in &alternations {
        for a in m.leaves() {
            let hir = regex_syntax::parse(a.pattern()).expect("alternative parses");
            assert!(
                hir.properties().minimum_len().is_some_and(|n| n > 0),
                "{:?} can match the empty text",
                a.pattern()
            );
        }
        let joined = LiteRegex::new(m.pattern());
        for text in &texts {
            let _scope = crate::spec::brief::matcher::BriefScope::enter(text);
            for part in std::iter::once(text.as_str()).chain(text.lines()) {
                let hay = lite::hay(joined.folded(), part);
                let want: Vec<(usize, usize)> = joined
                    .regex()
                    .find_iter(&hay)
                    .map(|x| (x.start(), x.end()))
                    .collect();
                let got: Vec<(usize, usize)> =
                    m.find_iter(part).map(|x| (x.start(), x.end())).collect();
                assert_eq!(want, got, "{:?} in {part:?}", m.pattern());
                let first = m.captures(part);
                assert_eq!(
                    want.first().copied(),
                    first
                        .as_ref()
                        .and_then(|c| c.get(0))
                        .map(|x| (x.start(), x.end())),
                    "{:?} in {part:?}",
                    m.pattern()
                );
                if let Some(c) = first {
                    assert!(
                        m.leaves()
                            .iter()
                            .any(|a| a.regex().regex().captures_len() == c.len()),
                        "{:?} in {part:?}: {} groups",
                        m.pattern(),
                        c.len()
                    );
                }
                assert_eq!(!want.is_empty(), m.is_match(part));
                compared += want.len();
            }
        }
    }
    assert!(compared > 100, "only {compared} matches compared");
}
