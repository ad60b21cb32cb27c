//! The drill as a state machine: answers and timestamps in, log events out. No I/O here except
//! through the [`Runner`] the caller hands in.

use super::log::{Event, PlannedStep, ts};
use super::{DrillPlan, DrillStep, placeholders_in};
use jiff::Timestamp;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    Failed,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// One answer at the step prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Finish the step; the text, if any, is a note.
    Finish(Status, Option<String>),
    /// Add a note to the current step.
    Note(String),
    Quit,
}

impl Answer {
    /// Parses `d`, `f reason`, `s`, `n text`, `q` (and the full words); `None` when not an answer.
    pub fn parse(line: &str) -> Option<Answer> {
        let line = line.trim();
        let (word, rest) = match line.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (line, ""),
        };
        let text = (!rest.is_empty()).then(|| rest.to_string());
        match word.to_ascii_lowercase().as_str() {
            "d" | "done" => Some(Answer::Finish(Status::Done, text)),
            "f" | "failed" | "fail" => Some(Answer::Finish(Status::Failed, text)),
            "s" | "skipped" | "skip" => Some(Answer::Finish(Status::Skipped, text)),
            "n" | "note" => text.map(Answer::Note),
            "q" | "quit" => Some(Answer::Quit),
            _ => None,
        }
    }
}

/// Runs a confirmed command; the real one is [`ShellRunner`], tests use a fake.
pub trait Runner {
    /// Runs the command line and returns its exit code (`None` when killed by a signal).
    fn run(&mut self, command: &str) -> std::io::Result<Option<i32>>;
}

/// Runs a command with `sh -c`, with the terminal's stdin, stdout and stderr.
#[derive(Debug, Default)]
pub struct ShellRunner;

impl Runner for ShellRunner {
    fn run(&mut self, command: &str) -> std::io::Result<Option<i32>> {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .status()?;
        Ok(status.code())
    }
}

/// What happened to a command offered under `--exec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOutcome {
    /// Not run: it still holds these placeholders.
    Refused(Vec<String>),
    /// The operator did not confirm.
    Declined,
    Ran(Option<i32>),
    /// `sh` could not be started.
    Error(String),
}

/// A finished step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub step: u32,
    pub status: Status,
    pub seconds: u64,
}

/// A drill in progress.
#[derive(Debug)]
pub struct Drill<'p> {
    plan: &'p DrillPlan,
    current: usize,
    started: Timestamp,
    step_started: Timestamp,
    notes: Vec<String>,
    results: Vec<StepResult>,
    quit: bool,
}

impl<'p> Drill<'p> {
    /// Starts a drill; the event is the log's first line.
    pub fn start(plan: &'p DrillPlan, now: Timestamp, exec: bool) -> (Self, Event) {
        let event = Event::DrillStarted {
            plan_name: plan.name.clone(),
            plan_hash: plan.hash.clone(),
            source: plan.source.clone(),
            started_at: ts(now),
            exec,
            estimate_minutes: plan.estimate_minutes(),
            steps: plan
                .steps
                .iter()
                .map(|s| PlannedStep {
                    step: s.number,
                    title: s.title.clone(),
                    component: s.component.clone(),
                    estimate_minutes: s.estimate_minutes,
                })
                .collect(),
        };
        let drill = Drill {
            plan,
            current: 0,
            started: now,
            step_started: now,
            notes: Vec::new(),
            results: Vec::new(),
            quit: false,
        };
        (drill, event)
    }

    pub fn plan(&self) -> &DrillPlan {
        self.plan
    }

    /// The step waiting for an answer; `None` once the drill is over.
    pub fn current(&self) -> Option<&'p DrillStep> {
        if self.quit {
            return None;
        }
        self.plan.steps.get(self.current)
    }

    /// 0-based index of the current step.
    pub fn index(&self) -> usize {
        self.current
    }

    pub fn is_over(&self) -> bool {
        self.current().is_none()
    }

    pub fn results(&self) -> &[StepResult] {
        &self.results
    }

    /// Notes taken on the current step so far.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub fn step_elapsed(&self, now: Timestamp) -> u64 {
        seconds_between(self.step_started, now)
    }

    pub fn total_elapsed(&self, now: Timestamp) -> u64 {
        seconds_between(self.started, now)
    }

    pub fn step_started(&self) -> Timestamp {
        self.step_started
    }

    pub fn started(&self) -> Timestamp {
        self.started
    }

    /// Applies an answer. Returns the events to log: a finished step, and the drill's end when
    /// that was the last step or the answer was quit. A note returns nothing.
    pub fn answer(&mut self, answer: Answer, now: Timestamp) -> Vec<Event> {
        let Some(step) = self.current() else {
            return Vec::new();
        };
        match answer {
            Answer::Note(text) => {
                self.notes.push(text);
                Vec::new()
            }
            Answer::Quit => {
                self.quit = true;
                vec![self.finished_event("quit", Some(step.number), now)]
            }
            Answer::Finish(status, text) => {
                if let Some(t) = text {
                    self.notes.push(t);
                }
                let seconds = self.step_elapsed(now);
                let note = self.take_note();
                let mut events = vec![Event::StepFinished {
                    step: step.number,
                    title: step.title.clone(),
                    component: step.component.clone(),
                    status: status.as_str().to_string(),
                    note,
                    started_at: ts(self.step_started),
                    finished_at: ts(now),
                    seconds,
                    estimate_minutes: step.estimate_minutes,
                }];
                self.results.push(StepResult {
                    step: step.number,
                    status,
                    seconds,
                });
                self.current += 1;
                self.step_started = now;
                if self.is_over() {
                    events.push(self.finished_event("completed", None, now));
                }
                events
            }
        }
    }

    /// Offers command `index` of the current step under `--exec`. A command with placeholders is
    /// refused whatever `confirmed` says; the runner is called only for a confirmed, complete one.
    pub fn exec(
        &mut self,
        index: usize,
        confirmed: bool,
        runner: &mut dyn Runner,
        now: Timestamp,
    ) -> Option<(CommandOutcome, Event)> {
        let step = self.current()?;
        let command = step.commands.get(index)?;
        let outcome = match refusal(command) {
            Some(holes) => CommandOutcome::Refused(holes),
            None if !confirmed => CommandOutcome::Declined,
            None => match runner.run(command) {
                Ok(code) => CommandOutcome::Ran(code),
                Err(e) => CommandOutcome::Error(e.to_string()),
            },
        };
        let (word, exit_code, detail) = match &outcome {
            CommandOutcome::Refused(h) => ("refused", None, Some(h.join(" "))),
            CommandOutcome::Declined => ("declined", None, None),
            CommandOutcome::Ran(code) => ("ran", *code, None),
            CommandOutcome::Error(e) => ("error", None, Some(e.clone())),
        };
        let event = Event::CommandRun {
            step: step.number,
            command: command.clone(),
            outcome: word.to_string(),
            exit_code,
            detail,
            at: ts(now),
        };
        Some((outcome, event))
    }

    fn take_note(&mut self) -> Option<String> {
        let notes = std::mem::take(&mut self.notes);
        (!notes.is_empty()).then(|| notes.join("; "))
    }

    fn finished_event(&mut self, outcome: &str, at_step: Option<u32>, now: Timestamp) -> Event {
        let count = |s: Status| self.results.iter().filter(|r| r.status == s).count() as u32;
        let (done, failed, skipped) = (
            count(Status::Done),
            count(Status::Failed),
            count(Status::Skipped),
        );
        Event::DrillFinished {
            outcome: outcome.to_string(),
            at_step,
            note: self.take_note(),
            finished_at: ts(now),
            seconds: self.total_elapsed(now),
            estimate_minutes: self.plan.estimate_minutes(),
            done,
            failed,
            skipped,
        }
    }
}

/// The placeholders that forbid running a command, if any.
pub fn refusal(command: &str) -> Option<Vec<String>> {
    let holes = placeholders_in(command);
    (!holes.is_empty()).then_some(holes)
}

fn seconds_between(a: Timestamp, b: Timestamp) -> u64 {
    u64::try_from(b.as_second().saturating_sub(a.as_second())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
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
        assert!(
            d.answer(Answer::Note("slow api".into()), c.now())
                .is_empty()
        );
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

    #[test]
    fn exec_refuses_placeholders_and_runs_only_confirmed_commands() {
        let p = plan();
        let c = clock();
        let (mut d, _) = Drill::start(&p, c.now(), true);
        let mut r = FakeRunner::default();
        // Confirmed or not, a placeholder never runs.
        let (o, ev) = d.exec(0, true, &mut r, c.now()).unwrap();
        assert_eq!(o, CommandOutcome::Refused(vec!["<REV>".into()]));
        assert!(matches!(ev, Event::CommandRun { ref outcome, .. } if outcome == "refused"));
        let (o, _) = d.exec(1, false, &mut r, c.now()).unwrap();
        assert_eq!(o, CommandOutcome::Declined);
        assert!(r.0.is_empty());
        let (o, ev) = d.exec(1, true, &mut r, c.now()).unwrap();
        assert_eq!(o, CommandOutcome::Ran(Some(3)));
        assert!(
            matches!(ev, Event::CommandRun { exit_code: Some(3), ref command, .. } if command == "echo ok")
        );
        assert_eq!(r.0, vec!["echo ok"]);
        assert!(d.exec(2, true, &mut r, c.now()).is_none());
    }
}
