//! The line-based terminal front end: prints a step, reads answers, logs every event.

use super::log::{DrillLog, Event};
use super::machine::{AfterFailure, Answer, CommandOutcome, Drill, Offer, Runner, Status, visible};
use super::{Clock, DrillPlan, DrillStep, clock_text, placeholders_in};
use crate::base::error::{Error, Result};
use crate::base::shell::is_forbidden_char;
use std::collections::BTreeMap;
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

/// Set by Ctrl-C; answers report it as an `Interrupted` error so the session can log and
/// summarise before exiting.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    wake: Arc<std::sync::Mutex<Option<std::sync::mpsc::Sender<Option<String>>>>>,
}

impl Interrupt {
    /// Routes SIGINT to this flag instead of killing the process (once per process).
    pub fn install() -> Self {
        let i = Interrupt::default();
        let handler = i.clone();
        // When a handler cannot be set the default (exit by signal) stays: no summary, no harm.
        let _ = ctrlc::set_handler(move || handler.raise());
        i
    }
    pub fn raise(&self) {
        self.flag.store(true, Ordering::SeqCst);
        if let Ok(guard) = self.wake.lock()
            && let Some(tx) = guard.as_ref()
        {
            let _ = tx.send(None);
        }
    }
    pub fn raised(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
    fn check(&self) -> std::io::Result<()> {
        if self.raised() {
            return Err(std::io::Error::from(std::io::ErrorKind::Interrupted));
        }
        Ok(())
    }
}

/// Answers typed on stdin, read on a thread so Ctrl-C can interrupt a wait.
#[derive(Debug)]
pub struct StdinAnswers {
    lines: std::sync::mpsc::Receiver<Option<String>>,
    interrupt: Interrupt,
}

impl StdinAnswers {
    pub fn start(interrupt: Interrupt) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        if let Ok(mut guard) = interrupt.wake.lock() {
            *guard = Some(tx.clone());
        }
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            loop {
                let mut line = String::new();
                let read = stdin.lock().read_line(&mut line);
                let Ok(n) = read else {
                    let _ = tx.send(None);
                    return;
                };
                if n == 0 {
                    let _ = tx.send(None);
                    return;
                }
                let line = line.trim_end_matches(['\n', '\r']).to_string();
                if tx.send(Some(line)).is_err() {
                    return;
                }
            }
        });
        StdinAnswers {
            lines: rx,
            interrupt,
        }
    }
}

impl Answers for StdinAnswers {
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        self.interrupt.check()?;
        let line = self.lines.recv().unwrap_or(None);
        self.interrupt.check()?;
        Ok(line)
    }
    fn echo(&self) -> bool {
        false
    }
}

/// Answers from a script: one per line; blank lines and `#` comments are skipped.
#[derive(Debug, Clone)]
pub struct ScriptAnswers(VecDeque<String>, Interrupt);

impl ScriptAnswers {
    pub fn parse(text: &str) -> Self {
        ScriptAnswers(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
            Interrupt::default(),
        )
    }
    /// Stops at the next answer once `interrupt` is raised.
    pub fn interruptible(mut self, interrupt: Interrupt) -> Self {
        self.1 = interrupt;
        self
    }
}

impl Answers for ScriptAnswers {
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        self.1.check()?;
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
    /// The environment commands run in, to refuse one whose variables are unset.
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub log_path: PathBuf,
    pub completed: bool,
    /// A script ended before the drill did.
    pub ran_out: bool,
    /// Interrupted (Ctrl-C).
    pub interrupted: bool,
    /// A step failed, or the drill stopped before its last step.
    pub unsuccessful: bool,
}

mod text;
use text::*;

const CHOICES: &str = "[d]one [f]ailed [s]kipped [n]ote [q]uit";
const AFTER_FAILURE: &str = "step failed: [r]etry [s]kip to the next step [a]bort the drill";

/// What the operator typed, or why there is nothing.
enum Line {
    Text(String),
    End,
    Interrupted,
}

/// Runs a drill of `plan`, logging to a new file under `log_dir`. Every event is on disk before
/// the answer that caused it is acknowledged on screen.
pub fn run(plan: &DrillPlan, log_dir: &Path, s: Session) -> Result<Outcome> {
    let mut log = DrillLog::create(log_dir, &plan.name, s.clock.now())?;
    let (mut drill, started) = Drill::start(plan, s.clock.now(), s.exec);
    log.append(&started)?;
    let out = s.out;
    let answers = s.answers;
    let mut w = |text: &str| -> Result<()> {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("<stdout>", e))
    };
    let exec_note = if s.exec {
        "--exec: each command and Verify command is offered to run after you confirm it"
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
    let mut read = |w: &mut dyn FnMut(&str) -> Result<()>| -> Result<Line> {
        match answers.next_line() {
            Ok(Some(l)) => {
                if answers.echo() {
                    w(&format!("{l}\n"))?;
                }
                Ok(Line::Text(l))
            }
            Ok(None) => Ok(Line::End),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(Line::Interrupted),
            Err(e) => Err(Error::io("<stdin>", e)),
        }
    };

    let (mut ran_out, mut interrupted) = (false, false);
    // Placeholder values typed so far, reused by later commands.
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    'steps: while let Some(step) = drill.current() {
        w(&step_text(step, drill.index(), plan.steps.len()))?;
        if s.exec {
            let offered = step
                .commands
                .iter()
                .map(|c| (c, false))
                .chain(step.verify.iter().map(|c| (c, true)));
            for (command, verify) in offered {
                for hole in placeholders_in(command) {
                    if values.contains_key(&hole) || command.chars().any(is_forbidden_char) {
                        continue;
                    }
                    w(&format!("  value of {hole} (- or empty: leave it): "))?;
                    match read(&mut w)? {
                        Line::Text(v) if !matches!(v.trim(), "" | "-") => {
                            values.insert(hole, v.trim().to_string());
                        }
                        Line::Text(_) => {}
                        Line::End => break,
                        Line::Interrupted => {
                            interrupted = true;
                            break 'steps;
                        }
                    }
                }
                let offer = Offer::prepare(command, verify, &values, s.env);
                let kind = if verify { "verify" } else { "run" };
                // A destructive step is confirmed by typing the name of what it acts on, as
                // GitHub asks for the repository's name: a reflex `y` cannot run it, and the
                // name read back is the check that it is the right target. A step that names no
                // component (a hand-written plan) takes terraform's `yes`: never an empty line.
                let word = match step.component.trim() {
                    "" => "yes",
                    c => c,
                };
                let confirmed = match &offer.ready {
                    Err(_) => false,
                    Ok(line) => {
                        let question = if step.destructive && word == "yes" {
                            format!("DESTRUCTIVE: type `yes` to {kind} it: ")
                        } else if step.destructive {
                            format!("DESTRUCTIVE: type the component name `{word}` to {kind} it: ")
                        } else {
                            format!("{kind}? [y/N] ")
                        };
                        w(&format!("  $ {}\n  {question}", visible(line)))?;
                        match read(&mut w)? {
                            Line::Text(l) if step.destructive => l.trim() == word,
                            Line::Text(l) => {
                                matches!(l.trim().to_ascii_lowercase().as_str(), "y" | "yes")
                            }
                            Line::End => false,
                            Line::Interrupted => {
                                interrupted = true;
                                break 'steps;
                            }
                        }
                    }
                };
                if let Some((outcome, ev)) = drill.exec(&offer, confirmed, s.runner, s.clock.now())
                {
                    log.append(&ev)?;
                    w(&outcome_text(&offer.template, &outcome))?;
                }
            }
        }
        loop {
            let now = s.clock.now();
            let timer = timer_text(&drill, step, now);
            let choices = if drill.awaiting_choice() {
                AFTER_FAILURE
            } else {
                CHOICES
            };
            w(&format!("{timer} {choices} > "))?;
            let ticker = s.ticker.then(|| Ticker::start(&drill, step));
            let line = read(&mut w);
            drop(ticker);
            let l = match line? {
                Line::Text(l) => l,
                Line::Interrupted => {
                    interrupted = true;
                    break 'steps;
                }
                Line::End => {
                    ran_out = answers.echo();
                    w(if ran_out {
                        "\n  the script has no more answers: the drill stops here\n"
                    } else {
                        "\n  end of input: the drill stops here\n"
                    })?;
                    for e in &drill.answer(Answer::Quit, s.clock.now()) {
                        log.append(e)?;
                    }
                    break 'steps;
                }
            };
            if drill.awaiting_choice() {
                let Some(choice) = AfterFailure::parse(&l) else {
                    w(&format!(
                        "  answer r, s or a (not {:?})\n",
                        visible(l.trim())
                    ))?;
                    continue;
                };
                let events = drill.after_failure(choice, s.clock.now());
                for e in &events {
                    log.append(e)?;
                }
                if choice == AfterFailure::Retry {
                    w("  retrying the step\n")?;
                    continue 'steps;
                }
                break;
            }
            let answer = match Answer::parse(&l) {
                Some(a) => a,
                None if matches!(l.trim().to_ascii_lowercase().as_str(), "n" | "note") => {
                    w("  a note needs text: n TEXT\n")?;
                    continue;
                }
                None => {
                    w(&format!(
                        "  answer d, f REASON, s, n TEXT or q (not {:?})\n",
                        visible(l.trim())
                    ))?;
                    continue;
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
            if !drill.awaiting_choice() {
                break;
            }
        }
    }
    if interrupted {
        if let Some(e) = drill.abort(s.clock.now()) {
            log.append(&e)?;
        }
        w("\n  interrupted: the drill is aborted\n")?;
    }
    w(&summary_text(&drill, s.clock, log.path()))?;
    let completed = drill.results().len() == plan.steps.len();
    Ok(Outcome {
        log_path: log.path().to_path_buf(),
        completed,
        ran_out,
        interrupted,
        unsuccessful: drill.unsuccessful(),
    })
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
mod tests;
