use super::*;
use crate::drill::FakeClock;
use crate::drill::log::read_dir;

struct Steps<'c>(&'c FakeClock, ScriptAnswers, i64);
impl Answers for Steps<'_> {
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        // Each answer takes the operator `self.2` seconds.
        self.0.advance(self.2);
        self.1.next_line()
    }
    fn echo(&self) -> bool {
        true
    }
}

struct NoRun;
impl Runner for NoRun {
    fn run(&mut self, _: &str) -> std::io::Result<Option<i32>> {
        Err(std::io::Error::other("must not run"))
    }
}

fn plan() -> DrillPlan {
    DrillPlan {
        name: "api-2".into(),
        hash: "h".into(),
        source: "s".into(),
        steps: (1..=2)
            .map(|n| DrillStep {
                number: n,
                title: format!("Step {n}"),
                component: "api".into(),
                commands: vec!["echo <X>".into()],
                verify: vec![],
                success: "ok".into(),
                estimate_minutes: 1,
                destructive: false,
                notes: vec![],
            })
            .collect(),
    }
}

#[test]
fn a_scripted_session_logs_every_answer_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at("2026-11-26T10:00:00Z".parse().unwrap());
    let mut answers = Steps(
        &clock,
        ScriptAnswers::parse("-\nn slow\nn\nwhat\nd\n# c\n-\n\nf boom\ns\n"),
        50,
    );
    let mut out = Vec::new();
    let o = run(
        &plan(),
        dir.path(),
        Session {
            out: &mut out,
            answers: &mut answers,
            clock: &clock,
            runner: &mut NoRun,
            exec: true,
            ticker: false,
            env: &|_| None,
        },
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(o.completed && !o.ran_out);
    assert!(text.contains("not run: it still holds <X>"), "{text}");
    assert!(
        text.contains("value of <X> (- or empty: leave it)"),
        "{text}"
    );
    assert!(text.contains("a note needs text"), "{text}");
    assert!(text.contains("step failed: [r]etry"), "{text}");
    assert!(
        text.contains("answer d, f REASON, s, n TEXT or q (not \"what\")"),
        "{text}"
    );
    assert!(
        text.contains("[step 00:50 / 1 min · total 00:50 / 2 min]"),
        "{text}"
    );
    assert!(
        text.contains("Drill completed: 1 done, 1 failed, 0 skipped in 06:40 (estimate 2 min)"),
        "{text}"
    );
    // 250 s against 1 min is an overrun; 50 s is not.
    assert!(
        text.contains(" 1. done    04:10 / 1 min  OVERRAN"),
        "{text}"
    );
    assert!(text.contains("step 00:50 / 1 min"), "{text}");
    let logs = read_dir(dir.path()).unwrap();
    let kinds: Vec<&str> = logs[0]
        .events
        .iter()
        .map(|e| match e {
            Event::DrillStarted { .. } => "start",
            Event::CommandRun { .. } => "cmd",
            Event::StepFinished { .. } => "step",
            Event::DrillFinished { .. } => "end",
            Event::NoteAdded { .. } => "note",
            Event::StepRetried { .. } => "retry",
        })
        .collect();
    assert_eq!(
        kinds,
        ["start", "cmd", "note", "step", "cmd", "step", "end"]
    );
    assert!(matches!(&logs[0].events[3], Event::StepFinished { note: Some(n), .. } if n == "slow"));
    assert!(o.unsuccessful && !o.interrupted);
}

#[test]
fn a_script_that_runs_out_quits_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at("2026-11-26T10:00:00Z".parse().unwrap());
    let mut answers = ScriptAnswers::parse("d\n");
    let mut out = Vec::new();
    let o = run(
        &plan(),
        dir.path(),
        Session {
            out: &mut out,
            answers: &mut answers,
            clock: &clock,
            runner: &mut NoRun,
            exec: false,
            ticker: false,
            env: &|_| None,
        },
    )
    .unwrap();
    assert!(!o.completed && o.ran_out);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Drill stopped after 1 of 2 steps"), "{text}");
}
