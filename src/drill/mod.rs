//! Drills: walking an operator through a plan's rollback procedure, step by step, with a log.
//!
//! Underneath is a pure state machine ([`machine::Drill`]) fed answers and timestamps; the terminal
//! front end ([`session`]) only prints and reads lines. Every event goes to an append-only JSON-lines
//! log ([`log`]); [`report`] compares the logged durations with the estimates, and [`calibrate`]
//! reads them into the plan's [`Calibration`] for `plan --calibrate`.

pub mod calibrate;
pub mod log;
pub mod machine;
pub mod report;
pub mod session;

pub use calibrate::Calibration;
pub use machine::{Answer, Drill, Runner, ShellRunner, Status};

use crate::base::error::{Error, Location, Result};
use crate::plan::model::Plan;
use jiff::Timestamp;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::cell::Cell;

/// Where drills write their logs unless told otherwise.
pub const DEFAULT_LOG_DIR: &str = ".rollbook/drills";

/// The time source of a drill; injected so tests are deterministic.
pub trait Clock {
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct FakeClock(Cell<Timestamp>);

impl FakeClock {
    pub fn at(t: Timestamp) -> Self {
        FakeClock(Cell::new(t))
    }
    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        let t = self.0.get();
        let next = Timestamp::from_second(t.as_second().saturating_add(seconds)).unwrap_or(t);
        self.0.set(next);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        self.0.get()
    }
}

/// What a drill needs of a plan: its name, a hash to tell versions apart, and the steps.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillPlan {
    pub name: String,
    /// SHA-256 of the plan JSON, hex.
    pub hash: String,
    pub source: String,
    pub steps: Vec<DrillStep>,
}

/// One procedure step, with its commands as text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DrillStep {
    #[serde(default)]
    pub number: u32,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub component: String,
    #[serde(default)]
    pub commands: Vec<String>,
    #[serde(default)]
    pub verify: Vec<String>,
    #[serde(default)]
    pub success: String,
    #[serde(default)]
    pub estimate_minutes: u32,
    #[serde(default)]
    pub destructive: bool,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl DrillPlan {
    /// The drill view of a built plan.
    pub fn from_plan(plan: &Plan) -> Self {
        let json = crate::render::json::render(plan);
        DrillPlan {
            name: plan.deployment.name.clone(),
            hash: sha256_hex(json.as_bytes()),
            source: plan.deployment.source.clone(),
            steps: plan
                .procedure
                .steps
                .iter()
                .map(|s| DrillStep {
                    number: s.number,
                    title: s.title.clone(),
                    component: s.component.clone(),
                    commands: s.commands.iter().map(|c| c.render()).collect(),
                    verify: s.verify.iter().map(|c| c.render()).collect(),
                    success: s.success.clone(),
                    estimate_minutes: s.estimate_minutes,
                    destructive: s.destructive,
                    notes: s.notes.clone(),
                })
                .collect(),
        }
    }

    /// The drill view of a plan JSON written by `rollbook plan --format json`.
    pub fn from_json(path: &str, text: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct Deployment {
            #[serde(default)]
            name: String,
        }
        #[derive(Deserialize)]
        struct Procedure {
            #[serde(default)]
            steps: Vec<DrillStep>,
        }
        #[derive(Deserialize)]
        struct PlanJson {
            deployment: Deployment,
            procedure: Procedure,
        }
        let p: PlanJson = serde_json::from_str(text).map_err(|e| {
            Error::input(
                Location::at(path, e.line() as u32, e.column() as u32),
                format!("not a rollbook plan JSON: {e}"),
                Some("write one with `rollbook plan SPEC --format json`".into()),
            )
        })?;
        Ok(DrillPlan {
            name: p.deployment.name,
            hash: sha256_hex(text.as_bytes()),
            source: path.to_string(),
            steps: p.procedure.steps,
        })
    }

    /// Sum of the step estimates.
    pub fn estimate_minutes(&self) -> u32 {
        self.steps.iter().map(|s| s.estimate_minutes).sum()
    }
}

/// Whether a text is a plan JSON (an object with `format_version` and `procedure`) rather than a
/// spec.
pub fn is_plan_json(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => {
            m.contains_key("format_version") && m.contains_key("procedure")
        }
        _ => false,
    }
}

/// Loads a drill plan from a plan JSON, or builds it from a spec or brief.
pub fn load_plan(path: &str) -> Result<DrillPlan> {
    let text = crate::spec::load::read_text(path)?;
    if is_plan_json(&text) {
        return DrillPlan::from_json(path, &text);
    }
    let input = crate::spec::load::load(path)?;
    let plan = crate::plan::build(&input, &crate::plan::Options::default())?;
    Ok(DrillPlan::from_plan(&plan))
}

/// The placeholders (`<NAME>`) still in a command, in order.
pub fn placeholders_in(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = command;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if !name.is_empty()
            && after[name_len..].starts_with('>')
            && name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            out.push(format!("<{name}>"));
            rest = &after[name_len + 1..];
        } else {
            rest = after;
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `mm:ss`, or `h:mm:ss` from an hour on.
pub fn clock_text(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_redirections_are_not() {
        assert_eq!(
            placeholders_in("kubectl rollout undo x --to-revision=<NOTIFICATIONS_API_REVISION>"),
            vec!["<NOTIFICATIONS_API_REVISION>"]
        );
        assert_eq!(
            placeholders_in("a <A> <b> <1X> <B_2>"),
            vec!["<A>", "<B_2>"]
        );
        assert!(placeholders_in("sort < input.txt > out").is_empty());
        assert!(placeholders_in("echo <").is_empty());
    }

    #[test]
    fn plan_json_is_told_from_a_spec() {
        assert!(is_plan_json(r#"{"format_version":1,"procedure":{}}"#));
        assert!(!is_plan_json(r#"{"deployment":{"name":"x"}}"#));
        assert!(!is_plan_json("deployment:\n  name: x\n"));
    }

    #[test]
    fn plan_json_reads_steps_and_tolerates_missing_fields() {
        let text = r#"{"format_version":1,"deployment":{"name":"api-1"},
            "procedure":{"steps":[{"number":1,"title":"Undo","component":"api",
            "commands":["echo hi"],"estimate_minutes":4}]}}"#;
        let p = DrillPlan::from_json("p.json", text).unwrap();
        assert_eq!(p.name, "api-1");
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].commands, vec!["echo hi"]);
        assert_eq!(p.estimate_minutes(), 4);
        assert_eq!(p.hash.len(), 64);
        assert!(DrillPlan::from_json("p.json", "{").is_err());
    }

    #[test]
    fn clock_text_formats_minutes_and_hours() {
        assert_eq!(clock_text(0), "00:00");
        assert_eq!(clock_text(125), "02:05");
        assert_eq!(clock_text(3725), "1:02:05");
    }
}
