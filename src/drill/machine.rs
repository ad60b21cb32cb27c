//! The drill as a state machine: answers and timestamps in, log events out. No I/O here except
//! through the [`Runner`] the caller hands in.

use super::log::{Event, PlannedStep, ts};
use super::{DrillPlan, DrillStep, placeholders_in};
use jiff::Timestamp;

mod commands;
pub use commands::*;

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

/// The choice after a failed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    Retry,
    Skip,
    Abort,
}

impl AfterFailure {
    /// Parses `r`, `s`, `a` (and the full words).
    pub fn parse(line: &str) -> Option<Self> {
        match line.trim().to_ascii_lowercase().as_str() {
            "r" | "retry" => Some(AfterFailure::Retry),
            "s" | "skip" => Some(AfterFailure::Skip),
            "a" | "abort" => Some(AfterFailure::Abort),
            _ => None,
        }
    }
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
    awaiting_choice: bool,
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
            awaiting_choice: false,
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

    /// Applies an answer. Returns the events to log: a note, a finished step, and the drill's end
    /// when that was the last step or the answer was quit. A failed step waits for
    /// [`Drill::after_failure`].
    pub fn answer(&mut self, answer: Answer, now: Timestamp) -> Vec<Event> {
        let Some(step) = self.current() else {
            return Vec::new();
        };
        match answer {
            Answer::Note(text) => {
                self.notes.push(text.clone());
                vec![Event::NoteAdded {
                    step: step.number,
                    text,
                    at: ts(now),
                }]
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
                if status == Status::Failed {
                    // The operator decides: retry, skip or abort.
                    self.awaiting_choice = true;
                    return events;
                }
                events.extend(self.advance(now));
                events
            }
        }
    }

    /// Runs an offered command of the current step under `--exec`: the runner is called only
    /// for a ready, confirmed one.
    pub fn exec(
        &mut self,
        offer: &Offer,
        confirmed: bool,
        runner: &mut dyn Runner,
        now: Timestamp,
    ) -> Option<(CommandOutcome, Event)> {
        let step = self.current()?;
        let outcome = match &offer.ready {
            Err(why) => CommandOutcome::Refused(why.clone()),
            Ok(_) if !confirmed => CommandOutcome::Declined,
            Ok(line) => match runner.run(line) {
                Ok(code) => CommandOutcome::Ran(code),
                Err(e) => CommandOutcome::Error(e.to_string()),
            },
        };
        let (word, exit_code, detail) = match &outcome {
            CommandOutcome::Refused(why) => ("refused", None, Some(why.to_string())),
            CommandOutcome::Declined => ("declined", None, None),
            CommandOutcome::Ran(code) => ("ran", *code, None),
            CommandOutcome::Error(e) => ("error", None, Some(e.clone())),
        };
        let event = Event::CommandRun {
            step: step.number,
            command: offer.template.clone(),
            outcome: word.to_string(),
            exit_code,
            detail,
            verify: offer.verify,
            values: offer.values.clone(),
            at: ts(now),
        };
        Some((outcome, event))
    }

    /// Whether the current step failed and waits for retry, skip or abort.
    pub fn awaiting_choice(&self) -> bool {
        self.awaiting_choice
    }

    /// Settles a failed step: retry it (its clock restarts), skip to the next, or abort.
    pub fn after_failure(&mut self, choice: AfterFailure, now: Timestamp) -> Vec<Event> {
        let Some(step) = self.current() else {
            return Vec::new();
        };
        if !self.awaiting_choice {
            return Vec::new();
        }
        self.awaiting_choice = false;
        match choice {
            AfterFailure::Retry => {
                self.results.pop();
                self.step_started = now;
                vec![Event::StepRetried {
                    step: step.number,
                    at: ts(now),
                }]
            }
            AfterFailure::Skip => self.advance(now),
            AfterFailure::Abort => {
                self.quit = true;
                vec![self.finished_event("aborted", Some(step.number), now)]
            }
        }
    }

    /// Ends the drill at once (Ctrl-C): the `aborted` event, with the notes not yet attached.
    pub fn abort(&mut self, now: Timestamp) -> Option<Event> {
        let step = self.current()?;
        self.quit = true;
        self.awaiting_choice = false;
        Some(self.finished_event("aborted", Some(step.number), now))
    }

    /// Whether the drill ended badly: a step failed, or it stopped before the last step.
    pub fn unsuccessful(&self) -> bool {
        self.quit
            || self.results.iter().any(|r| r.status == Status::Failed)
            || self.results.len() < self.plan.steps.len()
    }

    /// Whether the drill was quit or aborted rather than run to its end.
    pub fn stopped(&self) -> bool {
        self.quit
    }

    fn advance(&mut self, now: Timestamp) -> Vec<Event> {
        self.current += 1;
        self.step_started = now;
        if self.is_over() {
            vec![self.finished_event("completed", None, now)]
        } else {
            Vec::new()
        }
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

fn seconds_between(a: Timestamp, b: Timestamp) -> u64 {
    u64::try_from(b.as_second().saturating_sub(a.as_second())).unwrap_or(0)
}

#[cfg(test)]
mod tests;
