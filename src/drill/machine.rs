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
    /// Not run, and why (see [`Refusal`]).
    Refused(Refusal),
    /// The operator did not confirm.
    Declined,
    Ran(Option<i32>),
    /// `sh` could not be started.
    Error(String),
}

/// Why a command is not offered to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Control or bidi characters could hide part of the command; the text shows them escaped.
    ControlCharacters(String),
    /// The command is not a well-formed list of shell words (an unclosed quote).
    NotWords,
    /// Placeholders still in the words.
    Placeholders(Vec<String>),
    /// Variables the command expands that are unset or empty (names only, never values).
    UnsetVariables(Vec<String>),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ControlCharacters(shown) => {
                write!(f, "it holds control characters: {shown}")
            }
            Refusal::NotWords => f.write_str("it does not split into shell words (unclosed quote)"),
            Refusal::Placeholders(h) => write!(f, "it still holds {}", h.join(" ")),
            Refusal::UnsetVariables(v) => {
                let names: Vec<String> = v.iter().map(|n| format!("${n}")).collect();
                write!(f, "{} is unset or empty", names.join(", "))
            }
        }
    }
}

/// A command as offered: the plan's text, and the line to run or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The command as the plan writes it (placeholders unfilled): what the log records.
    pub template: String,
    /// A Verify command rather than an action.
    pub verify: bool,
    /// The placeholder values used, for the log (secret-looking ones hidden).
    pub values: Vec<(String, String)>,
    pub ready: Result<String, Refusal>,
}

impl Offer {
    /// Fills the placeholders of `template` from `values` and checks the result: no control
    /// characters, well-formed words, no placeholder left in any word, and every variable it
    /// expands set and non-empty according to `env`.
    pub fn prepare(
        template: &str,
        verify: bool,
        values: &std::collections::BTreeMap<String, String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Offer {
        let used: Vec<(String, String)> = placeholders_in(template)
            .into_iter()
            .filter_map(|h| values.get(&h).map(|v| (h.clone(), logged_value(&h, v))))
            .collect();
        let ready = fill(template, values).and_then(|line| check(&line, env).map(|()| line));
        Offer {
            template: template.to_string(),
            verify,
            values: dedup(used),
            ready,
        }
    }
}

fn dedup(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|(k, _)| seen.insert(k.clone()));
    v
}

/// The command with every known placeholder replaced by its shell-quoted value.
fn fill(
    template: &str,
    values: &std::collections::BTreeMap<String, String>,
) -> Result<String, Refusal> {
    if template.chars().any(crate::base::shell::is_forbidden_char) {
        return Err(Refusal::ControlCharacters(visible(template)));
    }
    let mut line = template.to_string();
    for (hole, value) in values {
        if value.chars().any(crate::base::shell::is_forbidden_char) {
            return Err(Refusal::ControlCharacters(visible(value)));
        }
        line = line.replace(hole.as_str(), &crate::base::shell::quote(value));
    }
    Ok(line)
}

/// Checks a filled command on its words, as the shell will split them, not by running it.
fn check(line: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(), Refusal> {
    let words = shlex::split(line).ok_or(Refusal::NotWords)?;
    let holes: Vec<String> = words.iter().flat_map(|w| placeholders_in(w)).collect();
    if !holes.is_empty() {
        return Err(Refusal::Placeholders(
            dedup(holes.into_iter().map(|h| (h, String::new())).collect())
                .into_iter()
                .map(|(h, _)| h)
                .collect(),
        ));
    }
    let unset: Vec<String> = expanded_variables(line)
        .into_iter()
        .filter(|name| env(name).is_none_or(|v| v.is_empty()))
        .collect();
    if !unset.is_empty() {
        return Err(Refusal::UnsetVariables(unset));
    }
    Ok(())
}

/// The names of the variables a POSIX shell would expand in `line` (`$NAME`, `${NAME}`,
/// `${NAME:-x}`), outside single quotes; special parameters (`$1`, `$?`) are not names.
pub fn expanded_variables(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut i, mut single, mut escaped) = (Vec::<String>::new(), 0, false, false);
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' => single = !single,
            '$' if !single => {
                let braced = chars.get(i) == Some(&'{');
                let start = if braced { i + 1 } else { i };
                let mut end = start;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                    && !(end == start && chars[end].is_ascii_digit())
                {
                    end += 1;
                }
                if end > start {
                    let name: String = chars[start..end].iter().collect();
                    // `${NAME:-default}` and friends supply their own value.
                    let defaulted =
                        braced && matches!(chars.get(end), Some(':' | '-' | '=' | '+' | '?'));
                    if !defaulted && !out.contains(&name) {
                        out.push(name);
                    }
                    i = end;
                }
            }
            _ => {}
        }
    }
    out
}

/// A command or value with its control and bidi characters written as visible escapes.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::base::shell::is_forbidden_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A typed value as the log records it: hidden when the placeholder's name or the value's shape
/// suggests a secret.
pub fn logged_value(hole: &str, value: &str) -> String {
    if looks_secret(hole, value) {
        "<hidden>".to_string()
    } else {
        value.to_string()
    }
}

/// Whether a placeholder value should never be written down.
pub fn looks_secret(hole: &str, value: &str) -> bool {
    let name = hole.to_ascii_uppercase();
    let secret_name = [
        "PASS",
        "SECRET",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "COOKIE",
        "PRIVATE",
        "DSN",
        "URL",
    ]
    .iter()
    .any(|w| name.contains(w));
    // URLs often carry credentials; long unbroken mixes of letters and digits look like keys.
    let url_with_user = value.contains("://") && value.contains('@');
    let long_mixed = value.len() >= 20
        && !value.contains(char::is_whitespace)
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic());
    secret_name || url_with_user || long_mixed
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
}
