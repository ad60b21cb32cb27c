//! Reading the text: limits, hostile input, sentences, headings, negation.

use super::*;

#[test]
fn too_large_a_brief_is_an_input_error() {
    let big = "a".repeat(MAX_BRIEF_BYTES + 1);
    match infer("big.md", &big) {
        Err(Error::Input { location, help, .. }) => {
            assert_eq!(location.file, "big.md");
            assert!(help.is_some());
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn negation_is_local_to_the_clause() {
    let s = "There is no migration, but the worker sends emails.";
    let at = |w: &str| s.find(w).expect("word");
    assert!(negated(s, at("migration"), at("migration") + 9));
    assert!(!negated(s, at("emails"), at("emails") + 6));
    let s = "This release does not include any schema changes.";
    assert!(negated(s, s.find("schema").expect("w"), s.len() - 1));
    let s = "No downtime expected since the migration is online.";
    let m = s.find("migration").expect("w");
    assert!(!negated(s, m, m + 9), "negation too far away");
    let s = "Migrations: none.";
    assert!(negated(s, 0, 10));
    let s = "It doesn’t send emails.";
    assert!(negated(s, s.find("emails").expect("w"), s.len() - 1));
}

#[test]
fn section_headings_at_any_level_and_plain_lines() {
    let text = "# Title\n\n### DEPLOYMENT DESCRIPTION\n\nShips the thing. More.\n\nRisks:\n- Cache cold start\n- n/a\n";
    let i = run("b.md", text);
    assert_eq!(
        i.spec.deployment.summary.as_deref(),
        Some("Ships the thing.")
    );
    assert_eq!(texts(&i), ["Cache cold start"]);
    assumed(&i, "risk factor", 8, "Cache cold start");
}

#[test]
fn sentences_do_not_split_on_versions_or_abbreviations() {
    let t = "Ships v1.2.3 now, e.g. for EU. Then more!";
    let parts: Vec<_> = split_sentences(t, 0, t.len(), false)
        .into_iter()
        .map(|(a, b)| &t[a..b])
        .collect();
    assert_eq!(parts, ["Ships v1.2.3 now, e.g. for EU.", "Then more!"]);
}

#[test]
fn hostile_input_neither_panics_nor_crawls() {
    let odd = [
        "",
        "\n\n\n",
        "```sql\nDROP TABLE x;",
        "# \n## Risks\n- \n-",
        "Deployment:\nRisks:\n",
        "é`ü-api` service ´ from 1. to 2. ％ 10% flag `",
        "`a` `b`` ``` `c-api`",
        "2026-13-45T99:99:99+99:99 v1.2.3.4.5.6 from v to v",
        "\u{202e}Postgres 99999999999999999999 99999999999999999999 rows 1e400 GB",
        "> # Title in a quote\n> - item\n\n    indented code\n",
    ];
    for t in odd {
        let i = run("odd.md", t);
        let yaml = serde_saphyr::to_string(&i.spec).expect("yaml");
        assert_eq!(serde_saphyr::from_str::<Spec>(&yaml).expect("back"), i.spec);
    }
    // One giant sentence full of matches: cut into bounded pieces.
    let unit = "no `x-api` service sends emails to customers via Kafka events, ";
    let big: String = unit.repeat(MAX_BRIEF_BYTES / unit.len());
    let start = std::time::Instant::now();
    let i = run("big.md", &big);
    assert!(
        i.spec
            .deployment
            .changes
            .iter()
            .all(|c| c.as_side_effect().and_then(|e| e.effect) != Some(SideEffect::Payment))
    );
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

#[test]
fn a_brief_of_exactly_the_limit_is_read() {
    let text = "x".repeat(MAX_BRIEF_BYTES);
    assert!(infer("edge.md", &text).is_ok());
}

#[test]
fn long_sentences_are_cut_at_white_space() {
    let t = "word ".repeat(500);
    let parts = split_sentences(&t, 0, t.len(), false);
    assert!(parts.len() >= 3, "{}", parts.len());
    for (a, b) in &parts {
        assert!(b - a <= crate::spec::brief::text::MAX_SENTENCE);
        assert!(t[*a..*b].starts_with("word"));
    }
}
