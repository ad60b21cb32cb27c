//! Plan-wide principles, each proven by a brief that must show it and one that must not
//! (`tests/fixtures/briefs/principles/<principle>-{fire,ok}.md`).

use rollbook::plan::{self, Options, model::Plan};
use rollbook::render;
use rollbook::spec::load::load;

const DIR: &str = "tests/fixtures/briefs/principles";

fn build(name: &str) -> (Plan, String) {
    let path = format!("{DIR}/{name}.md");
    let input = load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let p = plan::build(&input, &Options::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
    let md = render::markdown::render(&p);
    (p, md)
}

fn confirm_recovery(p: &Plan) -> String {
    let step = p
        .procedure
        .steps
        .iter()
        .find(|s| s.title == "Confirm recovery")
        .expect("a final verification step");
    format!("{step:?}")
}

/// A change pushed to hosts is staged by a share of hosts, not of traffic; a service canary is
/// staged by traffic.
#[test]
fn stages_count_the_targets_a_change_reaches() {
    let (p, md) = build("stage-share-fire");
    assert_eq!(p.rollout.share_of, "hosts", "{md}");
    assert!(md.contains("| Stage | Share of hosts |"), "{md}");
    assert!(!md.contains("| Stage | Traffic |"), "{md}");
    let (p, md) = build("stage-share-ok");
    assert_eq!(p.rollout.share_of, "traffic", "{md}");
    assert!(md.contains("| Stage | Traffic |"), "{md}");
}

/// A customer-facing service is given a status page even when its rollback is instant; a
/// background job whose rollback is instant is not.
#[test]
fn customers_who_notice_are_told_whatever_the_class() {
    let (p, md) = build("status-page-fire");
    assert_eq!(p.classification.title, "Instant", "{md}");
    assert!(md.contains("Status page `<STATUS_PAGE_URL>`"), "{md}");
    let (p, md) = build("status-page-ok");
    assert_eq!(p.classification.title, "Instant", "{md}");
    assert!(!md.contains("STATUS_PAGE_URL"), "{md}");
}

/// Recovery is confirmed by what the plan knows (the steps' own checks) before a smoke test is
/// asked for.
#[test]
fn recovery_is_confirmed_by_known_checks_before_a_placeholder() {
    let (p, md) = build("stage-share-fire");
    let confirm = confirm_recovery(&p);
    assert!(!confirm.contains("SMOKE_TEST_COMMAND"), "{md}");
    assert!(confirm.contains("ansible"), "{md}");
}

/// A script that deletes is a data change: its input is dry-run and counted, a mark for deletion
/// comes before a permanent delete, a small batch goes first, and Data Recovery never reads as if
/// no data were changed. A service deploy gets none of it.
#[test]
fn a_deleting_script_is_dry_run_soft_deleted_and_batched() {
    let (p, md) = build("deletion-fire");
    let go = format!("{:?}", p.go_no_go);
    assert!(
        go.contains("dry run") && go.contains("mark for deletion"),
        "{md}"
    );
    assert_eq!(p.rollout.share_of, "records", "{md}");
    assert!(md.contains("a small batch first"), "{md}");
    assert!(!p.data_recovery.summary.contains("No data store"), "{md}");
    assert!(!p.data_recovery.summary.starts_with("0 data store"), "{md}");
    let (p, md) = build("deletion-ok");
    assert!(
        !format!("{:?}", p.go_no_go).contains("mark for deletion"),
        "{md}"
    );
}

/// A batch job is judged by its runs: a job that failed or did not complete, and a row count
/// checked against the source it reads, never by requests.
#[test]
fn a_batch_job_is_watched_by_its_runs_and_row_count() {
    let (p, md) = build("status-page-ok");
    let triggers = format!("{:?}", p.triggers);
    assert!(
        triggers.contains("a job failed") && triggers.contains("row count"),
        "{md}"
    );
    assert!(!triggers.contains("5xx"), "{md}");
}
