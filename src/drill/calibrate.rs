//! `plan --calibrate`: estimates from practised drills replace the defaults.

use super::log::{Event, LogFile, read_dir};
use crate::base::error::Result;
use crate::plan::model::{EstimateSource, Step};
use std::collections::BTreeMap;
use std::path::Path;

/// Durations of steps finished `done` in drills, keyed by (step title, component), across plans:
/// the same action on the same component takes the same time whatever the release.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    runs: BTreeMap<(String, String), Vec<u64>>,
}

impl Calibration {
    /// Reads every drill log in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        Ok(Self::from_logs(&read_dir(dir)?))
    }

    /// Collects the seconds of every step finished `done`; failed and skipped steps say nothing
    /// about how long the step takes when it works.
    pub fn from_logs(logs: &[LogFile]) -> Self {
        let mut runs: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
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
                    runs.entry((title.clone(), component.clone()))
                        .or_default()
                        .push(*seconds);
                }
            }
        }
        Calibration { runs }
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The practised estimate of a step: the median run in whole minutes, rounded up (at least
    /// one), and the number of runs.
    pub fn estimate(&self, title: &str, component: &str) -> Option<(u32, u32)> {
        let runs = self.runs.get(&(title.to_string(), component.to_string()))?;
        let median = median(runs)?;
        let minutes = u32::try_from(median.div_ceil(60))
            .unwrap_or(u32::MAX)
            .max(1);
        Some((minutes, u32::try_from(runs.len()).unwrap_or(u32::MAX)))
    }

    /// Replaces the estimates of practised steps and marks where they came from.
    pub fn apply(&self, steps: &mut [Step]) {
        for s in steps {
            if let Some((minutes, runs)) = self.estimate(&s.title, &s.component) {
                s.estimate_minutes = minutes;
                s.estimate_source = EstimateSource::Drill { runs };
            }
        }
    }
}

/// The median; of an even count, the mean of the middle two rounded up.
pub fn median(values: &[u64]) -> Option<u64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let hi = *v.get(n / 2)?;
    if n % 2 == 1 {
        return Some(hi);
    }
    let lo = *v.get(n / 2 - 1)?;
    Some(lo + (hi - lo).div_ceil(2))
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
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[300, 10, 70]), Some(70));
        assert_eq!(median(&[10, 20, 31, 1000]), Some(26));
    }

    #[test]
    fn estimate_is_the_rounded_up_median_of_done_runs() {
        let a = [
            finished("Undo", "done", 61),
            finished("Undo", "failed", 5000),
            finished("Undo", "skipped", 0),
        ]
        .join("\n");
        let b = [finished("Undo", "done", 500), finished("Undo", "done", 130)].join("\n");
        let c = Calibration::from_logs(&[parse("a", &a), parse("b", &b)]);
        // done runs: 61, 500, 130 -> median 130 s -> 3 min.
        assert_eq!(c.estimate("Undo", "api"), Some((3, 3)));
        assert_eq!(c.estimate("Undo", "web"), None);
        let quick = Calibration::from_logs(&[parse("q", &finished("Undo", "done", 0))]);
        assert_eq!(quick.estimate("Undo", "api"), Some((1, 1)));
    }
}
