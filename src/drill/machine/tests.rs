use super::*;
use crate::drill::{Clock, FakeClock};

fn step(n: u32, title: &str, minutes: u32, commands: &[&str]) -> DrillStep {
    DrillStep {
        number: n,
        title: title.into(),
        component: "api".into(),
        commands: commands.iter().map(|c| c.to_string()).collect(),
        verify: vec![],
        success: String::new(),
        estimate_minutes: minutes,
        destructive: false,
        notes: vec![],
    }
}

fn plan() -> DrillPlan {
    DrillPlan {
        name: "api-2.0".into(),
        hash: "h".into(),
        source: "s.yaml".into(),
        steps: vec![
            step(1, "Undo", 4, &["kubectl undo --to=<REV>", "echo ok"]),
            step(2, "Check", 5, &[]),
            step(3, "Tell", 1, &[]),
        ],
    }
}

fn clock() -> FakeClock {
    FakeClock::at("2026-11-26T10:00:00Z".parse().unwrap())
}

#[test]
fn answers_parse() {
    assert_eq!(Answer::parse("d"), Some(Answer::Finish(Status::Done, None)));
    assert_eq!(
        Answer::parse(" f  pods crashlooping "),
        Some(Answer::Finish(
            Status::Failed,
            Some("pods crashlooping".into())
        ))
    );
    assert_eq!(
        Answer::parse("s"),
        Some(Answer::Finish(Status::Skipped, None))
    );
    assert_eq!(
        Answer::parse("n took a while"),
        Some(Answer::Note("took a while".into()))
    );
    assert_eq!(Answer::parse("n"), None);
    assert_eq!(Answer::parse("q"), Some(Answer::Quit));
    assert_eq!(Answer::parse("x"), None);
    assert_eq!(Answer::parse(""), None);
}

#[test]
fn steps_are_timed_by_the_clock_and_notes_attach_to_their_step() {
    let p = plan();
    let c = clock();
    let (mut d, start) = Drill::start(&p, c.now(), false);
    assert!(
        matches!(start, Event::DrillStarted { estimate_minutes: 10, ref steps, .. } if steps.len() == 3)
    );
    c.advance(150);
    assert!(matches!(
        &d.answer(Answer::Note("slow api".into()), c.now())[..],
        [Event::NoteAdded { step: 1, text, .. }] if text == "slow api"
    ));
    assert_eq!(d.step_elapsed(c.now()), 150);
    c.advance(30);
    let ev = d.answer(Answer::Finish(Status::Done, None), c.now());
    assert_eq!(
        ev,
        vec![Event::StepFinished {
            step: 1,
            title: "Undo".into(),
            component: "api".into(),
            status: "done".into(),
            note: Some("slow api".into()),
            started_at: "2026-11-26T10:00:00Z".into(),
            finished_at: "2026-11-26T10:03:00Z".into(),
            seconds: 180,
            estimate_minutes: 4,
        }]
    );
    assert_eq!(d.current().map(|s| s.number), Some(2));
    assert_eq!(d.step_elapsed(c.now()), 0);
    c.advance(400);
    let ev = d.answer(
        Answer::Finish(Status::Failed, Some("5xx stayed high".into())),
        c.now(),
    );
    assert!(
        matches!(&ev[..], [Event::StepFinished { status, note: Some(n), seconds: 400, .. }]
        if status == "failed" && n == "5xx stayed high")
    );
    assert!(d.after_failure(AfterFailure::Skip, c.now()).is_empty());
    c.advance(5);
    let ev = d.answer(Answer::Finish(Status::Skipped, None), c.now());
    assert_eq!(ev.len(), 2);
    assert_eq!(
        ev[1],
        Event::DrillFinished {
            outcome: "completed".into(),
            at_step: None,
            note: None,
            finished_at: "2026-11-26T10:09:45Z".into(),
            seconds: 585,
            estimate_minutes: 10,
            done: 1,
            failed: 1,
            skipped: 1,
        }
    );
    assert!(d.is_over());
    assert!(
        d.answer(Answer::Finish(Status::Done, None), c.now())
            .is_empty()
    );
}

#[test]
fn quit_ends_the_drill_at_the_current_step() {
    let p = plan();
    let c = clock();
    let (mut d, _) = Drill::start(&p, c.now(), false);
    d.answer(Answer::Finish(Status::Done, None), c.now());
    c.advance(10);
    let ev = d.answer(Answer::Quit, c.now());
    assert!(
        matches!(&ev[..], [Event::DrillFinished { outcome, at_step: Some(2), done: 1, seconds: 10, .. }] if outcome == "quit")
    );
    assert!(d.is_over());
}

#[derive(Default)]
struct FakeRunner(Vec<String>);
impl Runner for FakeRunner {
    fn run(&mut self, command: &str) -> std::io::Result<Option<i32>> {
        self.0.push(command.to_string());
        Ok(Some(3))
    }
}

fn env(name: &str) -> Option<String> {
    match name {
        "SET" => Some("x".into()),
        "EMPTY" => Some(String::new()),
        _ => None,
    }
}

fn offer(template: &str, values: &[(&str, &str)]) -> Offer {
    let values = values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Offer::prepare(template, false, &values, &env)
}

#[test]
fn exec_refuses_placeholders_and_runs_only_confirmed_commands() {
    let p = plan();
    let c = clock();
    let (mut d, _) = Drill::start(&p, c.now(), true);
    let mut r = FakeRunner::default();
    // Confirmed or not, a placeholder never runs.
    let (o, ev) = d
        .exec(
            &offer("kubectl undo --to=<REV>", &[]),
            true,
            &mut r,
            c.now(),
        )
        .unwrap();
    assert_eq!(
        o,
        CommandOutcome::Refused(Refusal::Placeholders(vec!["<REV>".into()]))
    );
    assert!(matches!(ev, Event::CommandRun { ref outcome, .. } if outcome == "refused"));
    let (o, _) = d
        .exec(&offer("echo ok", &[]), false, &mut r, c.now())
        .unwrap();
    assert_eq!(o, CommandOutcome::Declined);
    assert!(r.0.is_empty());
    let (o, ev) = d
        .exec(&offer("echo ok", &[]), true, &mut r, c.now())
        .unwrap();
    assert_eq!(o, CommandOutcome::Ran(Some(3)));
    assert!(
        matches!(ev, Event::CommandRun { exit_code: Some(3), ref command, .. } if command == "echo ok")
    );
    assert_eq!(r.0, vec!["echo ok"]);
}

#[test]
fn typed_values_fill_placeholders_quoted_and_secrets_are_not_logged() {
    let o = offer(
        "kubectl undo --to=<REV> && psql <DB_PASSWORD>",
        &[("<REV>", "3"), ("<DB_PASSWORD>", "a b'c")],
    );
    assert_eq!(
        o.ready,
        Ok("kubectl undo --to=3 && psql 'a b'\\''c'".to_string())
    );
    assert_eq!(
        o.values,
        vec![
            ("<REV>".to_string(), "3".to_string()),
            ("<DB_PASSWORD>".to_string(), "<hidden>".to_string())
        ]
    );
    // The log keeps the plan's text, never the filled line.
    let p = plan();
    let c = clock();
    let (mut d, _) = Drill::start(&p, c.now(), true);
    let (_, ev) = d
        .exec(&o, false, &mut FakeRunner::default(), c.now())
        .unwrap();
    let line = serde_json::to_string(&ev).unwrap();
    assert!(!line.contains("a b"), "{line}");
    assert!(looks_secret("<URL>", "x") && looks_secret("<X>", "https://u:p@h/"));
    assert!(!looks_secret("<REVISION>", "42"));
}

#[test]
fn control_characters_unset_variables_and_unclosed_quotes_are_refused() {
    assert_eq!(
        offer("echo ok\r\x1b[2Ktouch /tmp/pwned", &[]).ready,
        Err(Refusal::ControlCharacters(
            "echo ok\\u{d}\\u{1b}[2Ktouch /tmp/pwned".into()
        ))
    );
    assert!(matches!(
        offer("echo <V>", &[("<V>", "a\u{202e}b")]).ready,
        Err(Refusal::ControlCharacters(_))
    ));
    assert_eq!(
        offer(
            "migrate -database \"$EMPTY\" up; echo $SET ${NOPE} '$QUOTED' ${DEF:-x} $1",
            &[]
        )
        .ready,
        Err(Refusal::UnsetVariables(vec!["EMPTY".into(), "NOPE".into()]))
    );
    assert_eq!(offer("echo 'open", &[]).ready, Err(Refusal::NotWords));
    assert_eq!(offer("echo $SET", &[]).ready, Ok("echo $SET".into()));
    // A placeholder is found in the words even where the shell would read a redirection.
    assert_eq!(
        offer("cat <X>", &[]).ready,
        Err(Refusal::Placeholders(vec!["<X>".into()]))
    );
    assert_eq!(
        Refusal::UnsetVariables(vec!["A".into()]).to_string(),
        "$A is unset or empty"
    );
}

#[test]
fn a_failed_step_waits_for_retry_skip_or_abort() {
    let p = plan();
    let c = clock();
    let (mut d, _) = Drill::start(&p, c.now(), false);
    c.advance(60);
    let ev = d.answer(Answer::Finish(Status::Failed, Some("boom".into())), c.now());
    assert_eq!(ev.len(), 1);
    assert!(d.awaiting_choice());
    assert_eq!(d.current().map(|s| s.number), Some(1));
    c.advance(5);
    let ev = d.after_failure(AfterFailure::Retry, c.now());
    assert!(matches!(&ev[..], [Event::StepRetried { step: 1, .. }]));
    assert!(d.results().is_empty() && d.step_elapsed(c.now()) == 0);
    d.answer(Answer::Finish(Status::Failed, None), c.now());
    let ev = d.after_failure(AfterFailure::Skip, c.now());
    assert!(ev.is_empty());
    assert_eq!(d.current().map(|s| s.number), Some(2));
    d.answer(Answer::Finish(Status::Failed, None), c.now());
    let ev = d.after_failure(AfterFailure::Abort, c.now());
    assert!(
        matches!(&ev[..], [Event::DrillFinished { outcome, at_step: Some(2), failed: 2, .. }] if outcome == "aborted")
    );
    assert!(d.is_over() && d.stopped() && d.unsuccessful());
    assert_eq!(AfterFailure::parse(" R "), Some(AfterFailure::Retry));
    assert_eq!(AfterFailure::parse("x"), None);
}

#[test]
fn abort_ends_the_drill_with_an_aborted_event() {
    let p = plan();
    let c = clock();
    let (mut d, _) = Drill::start(&p, c.now(), false);
    let ev = d.abort(c.now()).unwrap();
    assert!(
        matches!(ev, Event::DrillFinished { ref outcome, at_step: Some(1), .. } if outcome == "aborted")
    );
    assert!(d.abort(c.now()).is_none());
}
