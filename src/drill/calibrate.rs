//! `plan --calibrate`: the durations of practised drills, read from their logs and handed to the
//! plan as a [`Calibration`].

use super::log::{Event, LogFile, read_dir};
use crate::base::error::Result;
pub use crate::plan::calibration::Calibration;
use std::path::Path;

/// Reads every drill log in `dir`.
pub fn from_dir(dir: &Path) -> Result<Calibration> {
    Ok(from_logs(&read_dir(dir)?))
}

/// Collects the seconds of every step finished `done`; failed and skipped steps say nothing
/// about how long the step takes when it works.
pub fn from_logs(logs: &[LogFile]) -> Calibration {
    let mut calibration = Calibration::default();
    for log in logs {
        for e in &log.events {
            if let Event::StepFinished {
                title,
                component,
                status,
                seconds,
                ..
            } = e
                && status == "done"
            {
                calibration.record(title, component, *seconds);
            }
        }
    }
    calibration
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::log::parse;

    fn finished(title: &str, status: &str, seconds: u64) -> String {
        format!(
            r#"{{"event":"step-finished","step":1,"title":"{title}","component":"api","status":"{status}","note":null,"started_at":"x","finished_at":"y","seconds":{seconds},"estimate_minutes":4}}"#
        )
    }

    #[test]
    fn only_done_runs_count() {
        let a = [
            finished("Undo", "done", 61),
            finished("Undo", "failed", 5000),
            finished("Undo", "skipped", 0),
        ]
        .join("\n");
        let b = [finished("Undo", "done", 500), finished("Undo", "done", 130)].join("\n");
        let c = from_logs(&[parse("a", &a), parse("b", &b)]);
        // done runs: 61, 500, 130 -> median 130 s -> 3 min.
        assert_eq!(c.estimate("Undo", "api"), Some((3, 3)));
        assert_eq!(c.estimate("Undo", "web"), None);
        assert!(from_logs(&[parse("s", &finished("Undo", "skipped", 9))]).is_empty());
    }
}
