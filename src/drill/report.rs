//! `drill --report`: actual durations against estimates, step by step, with failures and overruns
//! flagged.

use super::clock_text;
use super::log::{Event, LogFile};
use crate::plan::calibration::median;
use serde::Serialize;
use std::collections::BTreeMap;

/// A run overran when it took more than this many times its estimate.
pub const OVERRUN_FACTOR: f64 = 1.5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub plan: String,
    pub step: u32,
    pub title: String,
    pub component: String,
    /// The estimate of the latest run.
    pub estimate_minutes: u32,
    /// Runs that were attempted (done or failed).
    pub runs: u32,
    pub done: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Median of the done runs.
    pub median_seconds: Option<u64>,
    pub max_seconds: Option<u64>,
    /// Attempted runs that took more than 1.5 times the estimate.
    pub overruns: u32,
    /// `failed`, `overran`.
    pub flags: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub logs: usize,
    pub drills_completed: usize,
    pub steps: Vec<StepReport>,
    /// Lines that could not be read, and logs without a start.
    pub warnings: Vec<String>,
}

#[derive(Default)]
struct Acc {
    step: u32,
    estimate: u32,
    done: Vec<u64>,
    attempted: Vec<u64>,
    failed: u32,
    skipped: u32,
    overruns: u32,
}

/// Aggregates the logs per (plan name, step title, component).
pub fn build(logs: &[LogFile]) -> Report {
    let mut acc: BTreeMap<(String, String, String), Acc> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut completed = 0;
    for log in logs {
        for line in &log.bad_lines {
            warnings.push(format!("{}:{line}: not a drill event, ignored", log.path));
        }
        let Some(plan) = log.plan_name() else {
            if !log.events.is_empty() {
                warnings.push(format!("{}: no drill-started event, ignored", log.path));
            }
            continue;
        };
        for e in &log.events {
            match e {
                Event::DrillFinished { outcome, .. } if outcome == "completed" => completed += 1,
                Event::StepFinished {
                    step,
                    title,
                    component,
                    status,
                    seconds,
                    estimate_minutes,
                    ..
                } => {
                    let a = acc
                        .entry((plan.to_string(), title.clone(), component.clone()))
                        .or_default();
                    a.step = *step;
                    a.estimate = *estimate_minutes;
                    match status.as_str() {
                        "skipped" => a.skipped += 1,
                        s => {
                            if s == "failed" {
                                a.failed += 1;
                            } else {
                                a.done.push(*seconds);
                            }
                            a.attempted.push(*seconds);
                            if overran(*seconds, *estimate_minutes) {
                                a.overruns += 1;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut steps: Vec<StepReport> = acc
        .into_iter()
        .map(|((plan, title, component), a)| {
            let mut flags = Vec::new();
            if a.failed > 0 {
                flags.push("failed");
            }
            if a.overruns > 0 {
                flags.push("overran");
            }
            StepReport {
                plan,
                step: a.step,
                title,
                component,
                estimate_minutes: a.estimate,
                runs: a.attempted.len() as u32,
                done: a.done.len() as u32,
                failed: a.failed,
                skipped: a.skipped,
                median_seconds: median(&a.done),
                max_seconds: a.attempted.iter().copied().max(),
                overruns: a.overruns,
                flags,
            }
        })
        .collect();
    steps.sort_by(|x, y| {
        (&x.plan, x.step, &x.title, &x.component).cmp(&(&y.plan, y.step, &y.title, &y.component))
    });
    Report {
        logs: logs.len(),
        drills_completed: completed,
        steps,
        warnings,
    }
}

fn overran(seconds: u64, estimate_minutes: u32) -> bool {
    seconds as f64 > f64::from(estimate_minutes) * 60.0 * OVERRUN_FACTOR
}

pub fn render_json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// A plain table, one row per step.
pub fn render_table(r: &Report) -> String {
    let mut out = format!(
        "{} drill log(s), {} completed drill(s)\n",
        r.logs, r.drills_completed
    );
    if r.steps.is_empty() {
        out.push_str("No steps practised yet: run `rollbook drill PLAN` first.\n");
    } else {
        let header = [
            "plan",
            "#",
            "step",
            "component",
            "runs",
            "median",
            "estimate",
            "flags",
        ];
        let rows: Vec<[String; 8]> = r
            .steps
            .iter()
            .map(|s| {
                let mut flags = Vec::new();
                if s.failed > 0 {
                    flags.push(format!("FAILED x{}", s.failed));
                }
                if s.overruns > 0 {
                    flags.push(format!("OVERRAN x{}", s.overruns));
                }
                if s.skipped > 0 {
                    flags.push(format!("skipped x{}", s.skipped));
                }
                [
                    s.plan.clone(),
                    s.step.to_string(),
                    s.title.clone(),
                    s.component.clone(),
                    s.runs.to_string(),
                    s.median_seconds
                        .map(clock_text)
                        .unwrap_or_else(|| "-".into()),
                    format!("{} min", s.estimate_minutes),
                    flags.join(", "),
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut l = String::new();
            for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
                if i > 0 {
                    l.push_str("  ");
                }
                l.push_str(c);
                if i + 1 < cells.len() {
                    l.push_str(&" ".repeat(w.saturating_sub(c.chars().count())));
                }
            }
            l.trim_end().to_string() + "\n"
        };
        out.push_str(&line(header.to_vec()));
        for row in &rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
    }
    for w in &r.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::log::parse;

    const START: &str = r#"{"event":"drill-started","plan_name":"api-2","plan_hash":"h","source":"s","started_at":"t","exec":false,"estimate_minutes":6,"steps":[]}"#;

    fn finished(step: u32, title: &str, status: &str, seconds: u64, est: u32) -> String {
        format!(
            r#"{{"event":"step-finished","step":{step},"title":"{title}","component":"api","status":"{status}","note":null,"started_at":"x","finished_at":"y","seconds":{seconds},"estimate_minutes":{est}}}"#
        )
    }

    #[test]
    fn overruns_and_failures_are_flagged_per_step() {
        let a = [
            START,
            &finished(1, "Undo", "done", 400, 4), // > 1.5 x 4 min
            &finished(2, "Check", "done", 60, 2),
        ]
        .join("\n");
        let b = [
            START,
            &finished(1, "Undo", "done", 120, 4),
            &finished(2, "Check", "failed", 30, 2),
            "garbage",
        ]
        .join("\n");
        let r = build(&[parse("a.jsonl", &a), parse("b.jsonl", &b)]);
        assert_eq!(r.steps.len(), 2);
        let undo = &r.steps[0];
        assert_eq!((undo.step, undo.runs, undo.overruns), (1, 2, 1));
        assert_eq!(undo.median_seconds, Some(260));
        assert_eq!(undo.flags, vec!["overran"]);
        let check = &r.steps[1];
        assert_eq!((check.failed, check.done), (1, 1));
        assert_eq!(check.flags, vec!["failed"]);
        assert_eq!(r.warnings, vec!["b.jsonl:4: not a drill event, ignored"]);
        let t = render_table(&r);
        assert!(t.contains("OVERRAN x1"), "{t}");
        assert!(t.contains("FAILED x1"), "{t}");
    }

    #[test]
    fn exactly_one_and_a_half_times_is_not_an_overrun() {
        assert!(!overran(360, 4));
        assert!(overran(361, 4));
        assert!(overran(1, 0));
    }
}
