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
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<(String, String)> = ALL
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for dir in ["eval/briefs", "examples", "tests/fixtures/briefs/kinds"] {
        for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let e = e.expect("readable fixture folder");
            if e.path().extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(e.path()).expect("readable brief");
                texts.push((e.path().display().to_string(), t));
            }
        }
    }
    assert!(texts.len() > 20, "the briefs were not found");
    let matchers = crate::spec::brief::patterns::ALL
        .iter()
        .copied()
        .chain(crate::spec::brief::vocabulary::ALL.iter().copied());
    let mut checked = 0;
    for m in matchers {
        let words: Vec<String> = m.words().iter().map(|w| w.to_ascii_lowercase()).collect();
        if words.is_empty() {
            continue;
        }
        for (path, text) in &texts {
            for hit in m.regex().find_iter(text) {
                let h = hit.as_str().to_ascii_lowercase();
                assert!(
                    words.iter().any(|w| h.contains(w.as_str())),
                    "{path}: {:?} matches {:?}, which holds none of {words:?}",
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
