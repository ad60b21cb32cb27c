//! The line-based terminal front end: prints a step, reads answers, logs every event.

use super::log::{DrillLog, Event};
use super::machine::{Answer, CommandOutcome, Drill, Runner, Status};
use super::{Clock, DrillPlan, DrillStep, clock_text};
use crate::error::{Error, Result};
use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where answers come from: the operator, or a script.
pub trait Answers {
    /// The next answer line without its newline; `None` at the end.
    fn next_line(&mut self) -> std::io::Result<Option<String>>;
    /// Whether to print the answer (a script's answers are not echoed by a terminal).
    fn echo(&self) -> bool;
}

/// Answers typed on stdin.
#[derive(Debug, Default)]
pub struct StdinAnswers;

impl Answers for StdinAnswers {
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
    }
    fn echo(&self) -> bool {
        false
    }
}

/// Answers from a script: one per line; blank lines and `#` comments are skipped.
#[derive(Debug, Clone)]
pub struct ScriptAnswers(VecDeque<String>);

impl ScriptAnswers {
    pub fn parse(text: &str) -> Self {
        ScriptAnswers(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        )
    }
}

impl Answers for ScriptAnswers {
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        Ok(self.0.pop_front())
    }
    fn echo(&self) -> bool {
        true
    }
}

/// Everything a session talks to.
pub struct Session<'a> {
    pub out: &'a mut dyn Write,
    pub answers: &'a mut dyn Answers,
    pub clock: &'a dyn Clock,
    pub runner: &'a mut dyn Runner,
    /// Offer each command to run (`--exec`).
    pub exec: bool,
    /// Redraw the timer every second while waiting (stdout is a terminal, real clock).
    pub ticker: bool,
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub log_path: PathBuf,
    pub completed: bool,
    /// A script ended before the drill did.
    pub ran_out: bool,
}

const CHOICES: &str = "[d]one [f]ailed [s]kipped [n]ote [q]uit";

/// Runs a drill of `plan`, logging to a new file under `log_dir`.
pub fn run(plan: &DrillPlan, log_dir: &Path, s: Session) -> Result<Outcome> {
    let mut log = DrillLog::create(log_dir, &plan.name, s.clock.now())?;
    let (mut drill, started) = Drill::start(plan, s.clock.now(), s.exec);
    log.append(&started)?;
    let out = s.out;
    let mut w = |text: &str| -> Result<()> {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("<stdout>", e))
    };
    let exec_note = if s.exec {
        "--exec: each command is offered to run after you confirm it"
    } else {
        "nothing is executed: run the commands yourself"
    };
    w(&format!(
        "Drill: {} ({} steps, estimate {} min)\nLog: {}\n{exec_note}\n",
        plan.name,
        plan.steps.len(),
        plan.estimate_minutes(),
        log.path().display()
    ))?;

    let mut ran_out = false;
    while let Some(step) = drill.current() {
        w(&step_text(step, drill.index(), plan.steps.len()))?;
        if s.exec {
            for (i, command) in step.commands.iter().enumerate() {
                let refused = super::machine::refusal(command).is_some();
                let mut confirmed = false;
                if !refused {
                    w(&format!("  $ {command}\n  run? [y/N] "))?;
                    let line = s.answers.next_line().map_err(|e| Error::io("<stdin>", e))?;
                    let line = line.unwrap_or_default();
                    if s.answers.echo() {
                        w(&format!("{line}\n"))?;
                    }
                    confirmed = matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes");
                }
                if let Some((outcome, ev)) = drill.exec(i, confirmed, s.runner, s.clock.now()) {
                    log.append(&ev)?;
                    w(&outcome_text(command, &outcome))?;
                }
            }
        }
        loop {
            let now = s.clock.now();
            let timer = timer_text(&drill, step, now);
            w(&format!("{timer} {CHOICES} > "))?;
            let ticker = s.ticker.then(|| Ticker::start(&drill, step));
            let line = s.answers.next_line();
            drop(ticker);
            let line = line.map_err(|e| Error::io("<stdin>", e))?;
            let answer = match line {
                Some(l) => {
                    if s.answers.echo() {
                        w(&format!("{l}\n"))?;
                    }
                    match Answer::parse(&l) {
                        Some(a) => a,
                        None => {
                            w(&format!(
                                "  answer d, f REASON, s, n TEXT or q (not {:?})\n",
                                l.trim()
                            ))?;
                            continue;
                        }
                    }
                }
                None => {
                    ran_out = s.answers.echo();
                    w(if ran_out {
                        "\n  the script has no more answers: the drill stops here\n"
                    } else {
                        "\n  end of input: the drill stops here\n"
                    })?;
                    Answer::Quit
                }
            };
            let noted = matches!(answer, Answer::Note(_));
            let events = drill.answer(answer, s.clock.now());
            for e in &events {
                log.append(e)?;
            }
            if noted {
                w("  noted\n")?;
                continue;
            }
            w(&events_text(&events))?;
            break;
        }
    }
    w(&summary_text(&drill, s.clock, log.path()))?;
    let completed = drill.results().len() == plan.steps.len();
    Ok(Outcome {
        log_path: log.path().to_path_buf(),
        completed,
        ran_out,
    })
}

fn step_text(step: &DrillStep, index: usize, total: usize) -> String {
    let mut t = format!(
        "\nStep {}/{total}: {}\nComponent: {} · Estimate: {} min",
        index + 1,
        step.title,
        step.component,
        step.estimate_minutes
    );
    if step.destructive {
        t.push_str(" · DESTRUCTIVE");
    }
    t.push('\n');
    if !step.commands.is_empty() {
        t.push_str("Commands:\n");
        for c in &step.commands {
            t.push_str(&format!("  $ {c}\n"));
        }
    }
    if !step.verify.is_empty() {
        t.push_str("Verify:\n");
        for c in &step.verify {
            t.push_str(&format!("  $ {c}\n"));
        }
    }
    if !step.success.is_empty() {
        t.push_str(&format!("Success: {}\n", step.success));
    }
    for n in &step.notes {
        t.push_str(&format!("Note: {n}\n"));
    }
    t
}

fn outcome_text(command: &str, o: &CommandOutcome) -> String {
    match o {
        CommandOutcome::Refused(holes) => format!(
            "  $ {command}\n  not run: it still holds {}; fill in the value and run it yourself\n",
            holes.join(" ")
        ),
        CommandOutcome::Declined => "  not run\n".to_string(),
        CommandOutcome::Ran(Some(code)) => format!("  exit status {code}\n"),
        CommandOutcome::Ran(None) => "  ended by a signal\n".to_string(),
        CommandOutcome::Error(e) => format!("  could not start sh: {e}\n"),
    }
}

/// `[step 01:05 / 4 min · total 03:10 / 9 min]`
fn timer_text(drill: &Drill, step: &DrillStep, now: jiff::Timestamp) -> String {
    format_timer(
        drill.step_elapsed(now),
        step.estimate_minutes,
        drill.total_elapsed(now),
        drill.plan().estimate_minutes(),
    )
}

fn format_timer(step_s: u64, step_est: u32, total_s: u64, total_est: u32) -> String {
    format!(
        "[step {} / {step_est} min · total {} / {total_est} min]",
        clock_text(step_s),
        clock_text(total_s)
    )
}

fn events_text(events: &[Event]) -> String {
    let mut t = String::new();
    for e in events {
        if let Event::StepFinished {
            step,
            status,
            seconds,
            estimate_minutes,
            ..
        } = e
        {
            t.push_str(&format!(
                "  step {step} {status} in {} (estimate {estimate_minutes} min)\n",
                clock_text(*seconds)
            ));
        }
    }
    t
}

fn summary_text(drill: &Drill, clock: &dyn Clock, log: &Path) -> String {
    let plan = drill.plan();
    let now = clock.now();
    let count = |s: Status| drill.results().iter().filter(|r| r.status == s).count();
    let how = if drill.results().len() == plan.steps.len() {
        "Drill completed".to_string()
    } else {
        format!(
            "Drill stopped after {} of {} steps",
            drill.results().len(),
            plan.steps.len()
        )
    };
    let mut t = format!(
        "\n{how}: {} done, {} failed, {} skipped in {} (estimate {} min)\n",
        count(Status::Done),
        count(Status::Failed),
        count(Status::Skipped),
        clock_text(drill.total_elapsed(now)),
        plan.estimate_minutes()
    );
    for r in drill.results() {
        let est = plan
            .steps
            .iter()
            .find(|s| s.number == r.step)
            .map_or(0, |s| s.estimate_minutes);
        let over = r.status != Status::Skipped
            && r.seconds as f64 > f64::from(est) * 60.0 * super::report::OVERRUN_FACTOR;
        t.push_str(&format!(
            "  {:>2}. {:<7} {} / {est} min{}\n",
            r.step,
            r.status.as_str(),
            clock_text(r.seconds),
            if over { "  OVERRAN" } else { "" }
        ));
    }
    t.push_str(&format!("Log: {}\n", log.display()));
    t
}

/// Redraws the timer at the start of the prompt line every second, keeping the cursor where the
/// operator types. Stops when dropped.
struct Ticker {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    fn start(drill: &Drill, step: &DrillStep) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let (step_started, started) = (drill.step_started(), drill.started());
        let (step_est, total_est) = (step.estimate_minutes, drill.plan().estimate_minutes());
        let handle = std::thread::spawn(move || {
            let secs = |from: jiff::Timestamp| {
                u64::try_from(jiff::Timestamp::now().as_second() - from.as_second()).unwrap_or(0)
            };
            let mut last = secs(step_started);
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                let now = secs(step_started);
                if now == last || flag.load(Ordering::Relaxed) {
                    continue;
                }
                last = now;
                let t = format_timer(now, step_est, secs(started), total_est);
                // Save cursor, rewrite the line start, restore cursor.
                let mut o = std::io::stdout().lock();
                let _ = write!(o, "\x1b7\r{t}\x1b8");
                let _ = o.flush();
            }
        });
        Ticker {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
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
            ScriptAnswers::parse("n slow\nwhat\nd\n# c\n\nf boom\n"),
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
            },
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(o.completed && !o.ran_out);
        assert!(text.contains("not run: it still holds <X>"), "{text}");
        assert!(
            text.contains("answer d, f REASON, s, n TEXT or q (not \"what\")"),
            "{text}"
        );
        assert!(
            text.contains("[step 00:50 / 1 min · total 00:50 / 2 min]"),
            "{text}"
        );
        assert!(
            text.contains("Drill completed: 1 done, 1 failed, 0 skipped in 03:20 (estimate 2 min)"),
            "{text}"
        );
        // 150 s against 1 min is an overrun; 50 s is not.
        assert!(
            text.contains(" 1. done    02:30 / 1 min  OVERRAN"),
            "{text}"
        );
        assert!(text.contains(" 2. failed  00:50 / 1 min\n"), "{text}");
        let logs = read_dir(dir.path()).unwrap();
        let kinds: Vec<&str> = logs[0]
            .events
            .iter()
            .map(|e| match e {
                Event::DrillStarted { .. } => "start",
                Event::CommandRun { .. } => "cmd",
                Event::StepFinished { .. } => "step",
                Event::DrillFinished { .. } => "end",
            })
            .collect();
        assert_eq!(kinds, ["start", "cmd", "step", "cmd", "step", "end"]);
        assert!(
            matches!(&logs[0].events[2], Event::StepFinished { note: Some(n), .. } if n == "slow")
        );
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
            },
        )
        .unwrap();
        assert!(!o.completed && o.ran_out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Drill stopped after 1 of 2 steps"), "{text}");
    }
}
