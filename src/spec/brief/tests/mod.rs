//! Tests of the brief reader, by topic; the fixture briefs and helpers they share.

mod clients;
mod dfa;
mod facts;
mod fixtures;
mod network;
mod platform;
mod reading;
mod recognisers;
mod statements;
mod streams_access;

use super::text::{negated, split_sentences};
use super::{MAX_BRIEF_BYTES, infer};
use crate::base::error::Error;
use crate::base::parts::Assumption;
use crate::model::*;
use crate::spec::{Input, InputForm};

/// Every brief the project holds (the evaluation set, the examples, the kind fixtures), in a
/// stable order: what the tests on every pattern search.
pub(in crate::spec::brief) fn project_briefs() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
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
    texts
}

const FLAG: &str = include_str!("../../../../tests/fixtures/briefs/flag-bump.md");
const K8S: &str = include_str!("../../../../tests/fixtures/briefs/k8s-stateless.md");
const ECS: &str = include_str!("../../../../tests/fixtures/briefs/ecs-bluegreen-mysql.md");
const DESTRUCTIVE: &str = include_str!("../../../../tests/fixtures/briefs/destructive-emails.md");
const PLAIN: &str = include_str!("../../../../tests/fixtures/briefs/plain.txt");
const NEGATIONS: &str = include_str!("../../../../tests/fixtures/briefs/negations.md");

const ALL: [(&str, &str); 6] = [
    ("briefs/flag-bump.md", FLAG),
    ("briefs/k8s-stateless.md", K8S),
    ("briefs/ecs-bluegreen-mysql.md", ECS),
    ("briefs/destructive-emails.md", DESTRUCTIVE),
    ("briefs/plain.txt", PLAIN),
    ("briefs/negations.md", NEGATIONS),
];

fn run(path: &str, text: &str) -> Input {
    match infer(path, text) {
        Ok(i) => i,
        Err(e) => panic!("{path}: {e}"),
    }
}

/// The assumption whose text contains `what`; checks its line and excerpt.
fn assumed<'a>(i: &'a Input, what: &str, line: u32, excerpt: &str) -> &'a Assumption {
    let a = i
        .assumptions
        .iter()
        .find(|a| a.text.contains(what))
        .unwrap_or_else(|| panic!("no assumption with {what:?} in {:#?}", i.assumptions));
    assert_eq!(a.evidence.file, i.path);
    assert_eq!(a.evidence.line, Some(line), "line of {what:?}");
    assert_eq!(
        a.evidence.excerpt.as_deref(),
        Some(excerpt),
        "excerpt of {what:?}"
    );
    a
}

fn service<'a>(i: &'a Input, name: &str) -> &'a Service {
    i.spec
        .architecture
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name}: {:#?}", i.spec.architecture.services))
}

fn change(i: &Input, kind: ChangeKind) -> &Change {
    i.spec
        .deployment
        .changes
        .iter()
        .find(|c| c.kind() == kind)
        .unwrap_or_else(|| panic!("no {kind:?} change: {:#?}", i.spec.deployment.changes))
}

/// The brief's own words of each risk: a free-text risk, or the bullet explaining a known one.
fn texts(i: &Input) -> Vec<String> {
    i.spec
        .risks
        .iter()
        .filter_map(|r| match r {
            Risk::Text(t) => Some(t.clone()),
            Risk::Known { note, .. } => note.clone(),
        })
        .collect()
}
