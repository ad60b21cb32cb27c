//! Drills end to end: scripted and through a pseudo-terminal, the log, the report, calibration,
//! and the generated man pages.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const EXAMPLE: &str = "examples/stateless-k8s.yaml";
const STEP1: &str = "Roll back notifications-api to the previous Deployment revision";

fn rollbook() -> Command {
    Command::cargo_bin("rollbook").unwrap()
}

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(EXAMPLE)
        .to_string_lossy()
        .into_owned()
}

/// The events of the only drill log under `dir/.rollbook/drills`.
fn only_log(dir: &Path) -> Vec<Value> {
    let logs: Vec<PathBuf> = std::fs::read_dir(dir.join(".rollbook/drills"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let name = logs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("notifications-api-2.14.1-") && name.ends_with("Z.jsonl"),
        "{name}"
    );
    std::fs::read_to_string(&logs[0])
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect()
}

#[test]
fn a_scripted_drill_logs_each_step_with_status_and_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answers"),
        "n pods slow\nd\nf 5xx still high\ns\n",
    )
    .unwrap();
    // A failed step makes the drill exit 1, also under --script.
    let out = rollbook()
        .current_dir(dir.path())
        .args(["drill", &example(), "--script", "answers"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains(&format!("Step 1/2: {STEP1}")), "{stdout}");
    assert!(
        stdout.contains("Drill completed: 1 done, 1 failed, 0 skipped"),
        "{stdout}"
    );
    let ev = only_log(dir.path());
    assert_eq!(
        kinds(&ev),
        [
            "drill-started",
            "note-added",
            "step-finished",
            "step-finished",
            "drill-finished"
        ]
    );
    let ev = &ev[..1].iter().chain(&ev[2..]).cloned().collect::<Vec<_>>();
    assert_eq!(ev[0]["plan_name"], "notifications-api-2.14.1");
    assert_eq!(ev[0]["plan_hash"].as_str().unwrap().len(), 64);
    assert_eq!(ev[0]["estimate_minutes"], 9);
    assert_eq!(ev[1]["title"], STEP1);
    assert_eq!(ev[1]["component"], "notifications-api");
    assert_eq!(ev[1]["status"], "done");
    assert_eq!(ev[1]["note"], "pods slow");
    assert_eq!(ev[1]["estimate_minutes"], 4);
    assert_eq!(ev[2]["status"], "failed");
    assert_eq!(ev[2]["note"], "5xx still high");
    assert_eq!(ev[3]["outcome"], "completed");
}

#[test]
fn a_plan_json_drills_like_its_spec_and_a_short_script_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["plan", &example(), "--format", "json", "-o", "plan.json"])
        .assert()
        .success();
    std::fs::write(dir.path().join("answers"), "s\n").unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["drill", "plan.json", "--script", "answers"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the script ended before the drill",
        ));
    let ev = only_log(dir.path());
    assert_eq!(
        kinds(&ev),
        ["drill-started", "step-finished", "drill-finished"]
    );
    assert_eq!(ev[1]["status"], "skipped");
    assert_eq!(ev[2]["outcome"], "quit");
    assert_eq!(ev[2]["at_step"], 2);
    // The hash is that of the plan JSON, whichever form was drilled.
    use sha2::Digest;
    let text = std::fs::read(dir.path().join("plan.json")).unwrap();
    let hex: String = sha2::Sha256::digest(&text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(ev[0]["plan_hash"], hex.as_str());
}

/// Spawns rollbook on a pseudo-terminal in `dir`.
fn pty(dir: &Path, args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rollbook"));
    cmd.current_dir(dir).args(args);
    rexpect::session::spawn_command(cmd, Some(10_000)).unwrap()
}

#[test]
fn an_operator_answers_done_at_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = pty(dir.path(), &["drill", &example()]);
    p.exp_string(&format!("Step 1/2: {STEP1}")).unwrap();
    p.exp_string("--to-revision=<NOTIFICATIONS_API_REVISION>")
        .unwrap();
    p.exp_string("[d]one [f]ailed [s]kipped [n]ote [q]uit > ")
        .unwrap();
    p.send_line("d").unwrap();
    p.exp_string("Step 2/2: Confirm recovery").unwrap();
    p.exp_string("[q]uit > ").unwrap();
    p.send_line("n all green").unwrap();
    p.exp_string("noted").unwrap();
    p.send_line("d").unwrap();
    p.exp_string("Drill completed: 2 done, 0 failed, 0 skipped")
        .unwrap();
    p.exp_string("Log: .rollbook/drills/notifications-api-2.14.1-")
        .unwrap();
    p.exp_eof().unwrap();
    let ev = only_log(dir.path());
    assert_eq!(
        kinds(&ev),
        [
            "drill-started",
            "step-finished",
            "note-added",
            "step-finished",
            "drill-finished"
        ]
    );
    assert_eq!(ev[2]["text"], "all green");
    assert_eq!(ev[3]["note"], "all green");
    assert_eq!(ev[4]["done"], 2);
}

#[test]
fn exec_refuses_placeholders_and_runs_only_what_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    // A tiny plan JSON whose commands only touch files in the temporary directory.
    let plan = serde_json::json!({
        "format_version": 1,
        "deployment": {"name": "notifications-api-2.14.1"},
        "procedure": {"steps": [{
            "number": 1, "title": "Touch", "component": "test",
            "commands": ["touch <TARGET>", "touch declined", "touch confirmed"],
            "estimate_minutes": 1
        }]}
    });
    std::fs::write(dir.path().join("plan.json"), plan.to_string()).unwrap();
    let mut p = pty(dir.path(), &["drill", "plan.json", "--exec"]);
    p.exp_string("value of <TARGET> (- or empty: leave it): ")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_string("not run: it still holds <TARGET>").unwrap();
    p.exp_string("$ touch declined").unwrap();
    p.exp_string("run? [y/N] ").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("not run").unwrap();
    p.exp_string("$ touch confirmed").unwrap();
    p.exp_string("run? [y/N] ").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("exit status 0").unwrap();
    p.exp_string("[q]uit > ").unwrap();
    p.send_line("d").unwrap();
    p.exp_string("Drill completed").unwrap();
    p.exp_eof().unwrap();
    assert!(!dir.path().join("declined").exists());
    assert!(dir.path().join("confirmed").exists());
    assert!(!dir.path().join("<TARGET>").exists());
    let ev = only_log(dir.path());
    let outcomes: Vec<(&str, &Value)> = ev
        .iter()
        .filter(|e| e["event"] == "command-run")
        .map(|e| (e["outcome"].as_str().unwrap(), &e["exit_code"]))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("refused", &Value::Null),
            ("declined", &Value::Null),
            ("ran", &Value::from(0))
        ]
    );
}

/// Writes a plan JSON of `steps` into `dir` and returns its file name.
fn plan_json(dir: &Path, steps: Value) -> &'static str {
    let plan = serde_json::json!({
        "format_version": 1,
        "deployment": {"name": "notifications-api-2.14.1"},
        "procedure": {"steps": steps}
    });
    std::fs::write(dir.join("plan.json"), plan.to_string()).unwrap();
    "plan.json"
}

#[test]
fn exec_asks_placeholder_values_once_offers_verify_and_guards_destructive_steps() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_json(
        dir.path(),
        serde_json::json!([
            {"number": 1, "title": "Make", "component": "files",
             "commands": ["touch <TARGET>"], "verify": ["test -f <TARGET>"],
             "estimate_minutes": 1},
            {"number": 2, "title": "Remove", "component": "files", "destructive": true,
             "commands": ["rm <TARGET>", "echo \"$ROLLBOOK_TEST_UNSET_VARIABLE\""],
             "estimate_minutes": 1}
        ]),
    );
    std::fs::write(dir.path().join("answers"), "made.txt\ny\ny\nd\nyes\nd\n").unwrap();
    // `yes` is not the component name: the destructive `rm` is not run.
    let out = rollbook()
        .current_dir(dir.path())
        .env_remove("ROLLBOOK_TEST_UNSET_VARIABLE")
        .args(["drill", plan, "--exec", "--script", "answers"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("$ touch made.txt\n  run? [y/N] y"),
        "{stdout}"
    );
    assert!(
        stdout.contains("$ test -f made.txt\n  verify? [y/N] y"),
        "{stdout}"
    );
    assert!(
        stdout.contains("DESTRUCTIVE: type the component name `files` to run it: yes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not run: $ROLLBOOK_TEST_UNSET_VARIABLE is unset or empty"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("value of <TARGET>").count(), 1, "{stdout}");
    assert!(dir.path().join("made.txt").exists());
    let ev = only_log(dir.path());
    let runs: Vec<(&str, bool)> = ev
        .iter()
        .filter(|e| e["event"] == "command-run")
        .map(|e| {
            (
                e["outcome"].as_str().unwrap(),
                e["verify"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            ("ran", false),
            ("ran", true),
            ("declined", false),
            ("refused", false)
        ]
    );
    // The log keeps the plan's command and the value typed (not secret-looking).
    assert_eq!(ev[1]["command"], "touch <TARGET>");
    assert_eq!(ev[1]["values"][0][1], "made.txt");

    // Typing the component name runs it.
    std::fs::remove_dir_all(dir.path().join(".rollbook")).unwrap();
    std::fs::write(dir.path().join("answers"), "made.txt\nn\nn\nd\nfiles\nd\n").unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["drill", plan, "--exec", "--script", "answers"])
        .assert()
        .success();
    assert!(!dir.path().join("made.txt").exists());
}

#[test]
fn a_destructive_step_with_no_component_is_never_run_by_an_empty_line() {
    // A hand-written plan may leave `component` out: the confirmation is then `yes`, never the
    // empty name an Enter would match.
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_json(
        dir.path(),
        serde_json::json!([{"number": 1, "title": "Make", "destructive": true,
            "commands": ["touch made.txt"], "estimate_minutes": 1}]),
    );
    // Answers on standard input, as typed: a script skips empty lines, a person can press Enter.
    let drill = |answers: &str| {
        let _ = std::fs::remove_dir_all(dir.path().join(".rollbook"));
        let out = rollbook()
            .current_dir(dir.path())
            .args(["drill", plan, "--exec"])
            .write_stdin(answers)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let stdout = drill("\nd\n");
    assert!(
        stdout.contains("DESTRUCTIVE: type `yes` to run it: "),
        "{stdout}"
    );
    assert!(!dir.path().join("made.txt").exists(), "{stdout}");
    drill("yes\nd\n");
    assert!(dir.path().join("made.txt").exists());
}

#[test]
fn exec_shows_and_refuses_a_disguised_command() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_json(
        dir.path(),
        serde_json::json!([{"number": 1, "title": "T", "component": "c",
            "commands": ["touch pwned\r\u{1b}[2Kecho harmless"], "estimate_minutes": 1}]),
    );
    std::fs::write(dir.path().join("answers"), "d\n").unwrap();
    let out = rollbook()
        .current_dir(dir.path())
        .args(["drill", plan, "--exec", "--script", "answers"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains(
            "not run: it holds control characters: touch pwned\\u{d}\\u{1b}[2Kecho harmless"
        ),
        "{stdout}"
    );
    assert!(!dir.path().join("pwned").exists());
}

#[test]
fn a_failed_step_can_be_retried_or_abort_the_drill() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("answers"), "f timeout\nr\nf again\na\n").unwrap();
    let out = rollbook()
        .current_dir(dir.path())
        .args(["drill", &example(), "--script", "answers"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("retrying the step"), "{stdout}");
    assert!(
        stdout.contains("Drill stopped after 1 of 2 steps"),
        "{stdout}"
    );
    let ev = only_log(dir.path());
    assert_eq!(
        kinds(&ev),
        [
            "drill-started",
            "step-finished",
            "step-retried",
            "step-finished",
            "drill-finished"
        ]
    );
    assert_eq!(ev[4]["outcome"], "aborted");
    // Quitting is not success either.
    std::fs::write(dir.path().join("answers"), "d\nq\n").unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["drill", &example(), "--script", "answers"])
        .assert()
        .code(1);
}

#[test]
fn ctrl_c_logs_an_aborted_event_keeps_the_note_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = pty(dir.path(), &["drill", &example()]);
    p.exp_string("[q]uit > ").unwrap();
    p.send_line("n rollout stuck").unwrap();
    p.exp_string("noted").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("interrupted: the drill is aborted").unwrap();
    p.exp_string("Drill stopped after 0 of 2 steps").unwrap();
    p.exp_eof().unwrap();
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 130),
        other => panic!("{other:?}"),
    }
    let ev = only_log(dir.path());
    assert_eq!(
        kinds(&ev),
        ["drill-started", "note-added", "drill-finished"]
    );
    assert_eq!(ev[1]["text"], "rollout stuck");
    assert_eq!(ev[2]["outcome"], "aborted");
    assert_eq!(ev[2]["note"], "rollout stuck");
}

#[test]
fn drill_and_check_default_to_rollbook_yaml_here() {
    let dir = tempfile::tempdir().unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["drill", "--script", "answers"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no FILE given and no rollbook.yaml",
        ));
    std::fs::copy(example(), dir.path().join("rollbook.yaml")).unwrap();
    std::fs::write(dir.path().join("answers"), "d\nd\n").unwrap();
    rollbook()
        .current_dir(dir.path())
        .args(["-v", "drill", "--script", "answers"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "no FILE given: using ./rollbook.yaml",
        ));
}

/// A log of one drill of the stateless example, with step 1 taking `seconds`.
fn write_log(dir: &Path, name: &str, seconds: u64, status: &str) {
    let lines = [
        serde_json::json!({"event": "drill-started", "plan_name": "notifications-api-2.14.1",
            "plan_hash": "h", "source": EXAMPLE, "started_at": "2026-11-01T10:00:00Z",
            "exec": false, "estimate_minutes": 9, "steps": []}),
        serde_json::json!({"event": "step-finished", "step": 1, "title": STEP1,
            "component": "notifications-api", "status": status, "note": null,
            "started_at": "2026-11-01T10:00:00Z", "finished_at": "2026-11-01T10:10:00Z",
            "seconds": seconds, "estimate_minutes": 4}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn report_flags_an_overrun_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    write_log(&logs, "a.jsonl", 600, "done"); // 10 min against 4: overran
    write_log(&logs, "b.jsonl", 120, "failed");
    let out = rollbook()
        .args(["drill", "--report", logs.to_str().unwrap()])
        .assert()
        .success();
    let table = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(table.contains("FAILED x1, OVERRAN x1"), "{table}");
    let out = rollbook()
        .args([
            "drill",
            "--report",
            logs.to_str().unwrap(),
            "--format",
            "json",
        ])
        .assert()
        .success();
    let r: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let s = &r["steps"][0];
    assert_eq!(s["title"], STEP1);
    assert_eq!(s["runs"], 2);
    assert_eq!(s["overruns"], 1);
    assert_eq!(s["median_seconds"], 600);
    assert_eq!(s["flags"], serde_json::json!(["failed", "overran"]));
}

#[test]
fn report_defaults_to_the_drills_directory() {
    let dir = tempfile::tempdir().unwrap();
    write_log(&dir.path().join(".rollbook/drills"), "a.jsonl", 60, "done");
    let out = rollbook()
        .current_dir(dir.path())
        .args(["drill", "--report"])
        .assert()
        .success();
    let table = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        table.starts_with("1 drill log(s), 0 completed drill(s)\n"),
        "{table}"
    );
    assert!(
        table.contains(STEP1) && !table.contains("OVERRAN"),
        "{table}"
    );
}

#[test]
fn calibrate_replaces_practised_estimates_and_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    write_log(&logs, "a.jsonl", 600, "done");
    write_log(&logs, "b.jsonl", 700, "done");
    write_log(&logs, "c.jsonl", 9000, "failed"); // not a practised duration
    let out = rollbook()
        .args(["plan", &example(), "--format", "json", "--calibrate"])
        .arg(&logs)
        .assert()
        .success();
    let p: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let steps = &p["procedure"]["steps"];
    // Median 650 s, rounded up to 11 min; step 2 was never practised.
    assert_eq!(steps[0]["estimate_minutes"], 11);
    assert_eq!(steps[0]["estimate_source"], "drill (2 runs)");
    assert_eq!(steps[1]["estimate_minutes"], 5);
    assert_eq!(steps[1]["estimate_source"], "default");
    assert_eq!(p["classification"]["estimated_minutes"], 16);
    let out = rollbook()
        .args(["plan", &example(), "--calibrate"])
        .arg(&logs)
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(md.contains("Estimate: 11 min (from 2 drills)"), "{md}");
    assert!(md.contains("Estimate: 5 min\n"), "{md}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = rollbook().args(["completions", shell]).assert().success();
        assert!(
            String::from_utf8_lossy(&out.get_output().stdout).contains("drill"),
            "{shell}"
        );
    }
}

/// Fails when a man page under man/ is stale; `ROLLBOOK_UPDATE_MAN=1 cargo test --test drill man`
/// rewrites them.
#[test]
fn man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let update = std::env::var_os("ROLLBOOK_UPDATE_MAN").is_some();
    let pages = rollbook::cli::man_pages();
    for (name, text) in &pages {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == *text,
            "man/{name} is stale: run `ROLLBOOK_UPDATE_MAN=1 cargo test --test drill man`"
        );
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut names: Vec<String> = pages.into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(files, names, "man/ holds a page of no command");
    let top = rollbook().arg("man").assert().success();
    assert_eq!(
        top.get_output().stdout,
        std::fs::read(dir.join("rollbook.1")).unwrap()
    );
}
