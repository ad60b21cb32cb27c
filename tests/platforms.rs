//! Plans of the platform fixtures (tests/fixtures/platforms): one spec per deploy platform added
//! as a unit after the registry, snapshotted whole so its commands are reviewed in the diff.

use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::spec::load::load;

#[test]
fn every_platform_fixture_plan_matches_its_snapshot() {
    let mut paths: Vec<_> = std::fs::read_dir("tests/fixtures/platforms")
        .expect("tests/fixtures/platforms exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let shown = path.to_string_lossy().replace('\\', "/");
        let input = load(&shown).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let plan =
            plan::build(&input, &Options::default()).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let stem = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        insta::assert_snapshot!(
            format!("platform_{stem}_md"),
            render::markdown::render(&plan)
        );
    }
}
