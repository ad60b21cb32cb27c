//! The drill log: one JSON object per line, appended, flushed and synced after every event so a
//! crash loses nothing already answered.

use crate::base::error::{Error, Result};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A step as planned, recorded when the drill starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub step: u32,
    pub title: String,
    pub component: String,
    pub estimate_minutes: u32,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    DrillStarted {
        plan_name: String,
        plan_hash: String,
        source: String,
        started_at: String,
        exec: bool,
        estimate_minutes: u32,
        steps: Vec<PlannedStep>,
    },
    /// A command offered under `--exec`: refused (placeholders), declined, run or not startable.
    CommandRun {
        step: u32,
        command: String,
        outcome: String,
        exit_code: Option<i32>,
        #[serde(default)]
        detail: Option<String>,
        /// A Verify command rather than an action.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        verify: bool,
        /// Placeholder values typed at the prompt; a secret-looking one is logged as `<hidden>`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<(String, String)>,
        at: String,
    },
    /// A note taken on a step, logged as soon as it is typed (the step's `note` repeats it).
    NoteAdded { step: u32, text: String, at: String },
    /// The operator chose to retry a failed step; the step's clock restarts.
    StepRetried { step: u32, at: String },
    StepFinished {
        step: u32,
        title: String,
        component: String,
        status: String,
        note: Option<String>,
        started_at: String,
        finished_at: String,
        seconds: u64,
        estimate_minutes: u32,
    },
    DrillFinished {
        /// `completed`, or `quit` / `aborted` at `at_step` (aborted: after a failure, or Ctrl-C).
        outcome: String,
        at_step: Option<u32>,
        note: Option<String>,
        finished_at: String,
        seconds: u64,
        estimate_minutes: u32,
        done: u32,
        failed: u32,
        skipped: u32,
    },
}

/// A timestamp as written in the log: RFC 3339, UTC, whole seconds.
pub fn ts(t: Timestamp) -> String {
    Timestamp::from_second(t.as_second())
        .unwrap_or(t)
        .to_string()
}

/// An open, append-only drill log.
#[derive(Debug)]
pub struct DrillLog {
    file: File,
    path: PathBuf,
}

impl DrillLog {
    /// Creates `<dir>/<plan-name>-<UTC timestamp>.jsonl` (and `dir`), never over an existing file.
    pub fn create(dir: &Path, plan_name: &str, now: Timestamp) -> Result<Self> {
        let shown = dir.display().to_string();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(&shown, e))?;
        let stamp = now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let base = format!("{}-{stamp}", file_slug(plan_name));
        // Two drills in the same second get -2, -3, ...: create_new never overwrites.
        for n in 1..1000u32 {
            let name = if n == 1 {
                format!("{base}.jsonl")
            } else {
                format!("{base}-{n}.jsonl")
            };
            let path = dir.join(name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => return Ok(DrillLog { file, path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(&path.display().to_string(), e)),
            }
        }
        Err(Error::Usage(format!(
            "{shown}: too many drill logs named {base}-N.jsonl"
        )))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event and makes it durable before returning.
    pub fn append(&mut self, event: &Event) -> Result<()> {
        let shown = self.path.display().to_string();
        let mut line = serde_json::to_string(event)
            .map_err(|e| Error::io(&shown, std::io::Error::other(e)))?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.flush())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| Error::io(&shown, e))
    }
}

/// A plan name made safe as a file name: letters, digits, `.`, `_`, `-`; the rest become `-`.
pub fn file_slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    let s = s.trim_start_matches(['.', '-']).to_string();
    if s.is_empty() { "plan".to_string() } else { s }
}

/// One log file as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct LogFile {
    pub path: String,
    pub events: Vec<Event>,
    /// Lines that were not events (a crash mid-line, hand edits), by line number.
    pub bad_lines: Vec<usize>,
}

impl LogFile {
    /// The plan name from the `drill-started` event.
    pub fn plan_name(&self) -> Option<&str> {
        self.events.iter().find_map(|e| match e {
            Event::DrillStarted { plan_name, .. } => Some(plan_name.as_str()),
            _ => None,
        })
    }
}

/// Reads every `*.jsonl` in `dir`, in file-name order.
pub fn read_dir(dir: &Path) -> Result<Vec<LogFile>> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&shown, e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl") && !p.is_dir())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        // One unreadable log must not hide the others from --report and --calibrate.
        match crate::base::fsio::read_text(&p, crate::base::fsio::DRILL_BYTES) {
            Ok(text) => out.push(parse(&shown, &text)),
            Err(why) => {
                let line = format!("warning: drill log {shown} {why}; skipped");
                let line =
                    crate::base::redact::for_output(&line, crate::base::redact::Shape::Human);
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }
    Ok(out)
}

/// Parses a log's text; lines that are not events are listed, not fatal.
pub fn parse(path: &str, text: &str) -> LogFile {
    let mut events = Vec::new();
    let mut bad_lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Event>(line) {
            Ok(e) => events.push(e),
            Err(_) => bad_lines.push(i + 1),
        }
    }
    LogFile {
        path: path.to_string(),
        events,
        bad_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn create_never_overwrites_and_names_by_plan_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let now = t("2026-11-26T06:45:27.5Z");
        let a = DrillLog::create(dir.path(), "api/2.1 x", now).unwrap();
        let b = DrillLog::create(dir.path(), "api/2.1 x", now).unwrap();
        let name = |l: &DrillLog| l.path().file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(name(&a), "api-2.1-x-20261126T064527Z.jsonl");
        assert_eq!(name(&b), "api-2.1-x-20261126T064527Z-2.jsonl");
    }

    #[test]
    fn appended_events_read_back_and_torn_lines_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = DrillLog::create(dir.path(), "p", t("2026-01-01T00:00:00Z")).unwrap();
        let ev = Event::StepFinished {
            step: 1,
            title: "Undo".into(),
            component: "api".into(),
            status: "done".into(),
            note: None,
            started_at: ts(t("2026-01-01T00:00:00Z")),
            finished_at: ts(t("2026-01-01T00:01:00.9Z")),
            seconds: 60,
            estimate_minutes: 2,
        };
        log.append(&ev).unwrap();
        // A crash mid-write leaves half a line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"event\":\"step-fin")
            .unwrap();
        let logs = read_dir(dir.path()).unwrap();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].events, vec![ev]);
        assert_eq!(logs[0].bad_lines, vec![2]);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(
            text.contains(r#""finished_at":"2026-01-01T00:01:00Z""#),
            "{text}"
        );
    }

    #[test]
    fn slug_keeps_names_safe() {
        assert_eq!(file_slug("../etc/passwd"), "etc-passwd");
        assert_eq!(file_slug(""), "plan");
    }
}
