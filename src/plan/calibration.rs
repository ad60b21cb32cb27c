//! `plan --calibrate`: estimates practised in drills replace the defaults. The drill command reads
//! its logs and hands the durations over; the plan only applies them.

use super::model::{EstimateSource, Step};
use std::collections::BTreeMap;

/// Durations of steps finished `done` in drills, keyed by (step title, component), across plans:
/// the same action on the same component takes the same time whatever the release.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    runs: BTreeMap<(String, String), Vec<u64>>,
}

impl Calibration {
    /// Records one practised run of a step that worked.
    pub fn record(&mut self, title: &str, component: &str, seconds: u64) {
        self.runs
            .entry((title.to_string(), component.to_string()))
            .or_default()
            .push(seconds);
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

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[300, 10, 70]), Some(70));
        assert_eq!(median(&[10, 20, 31, 1000]), Some(26));
    }

    #[test]
    fn estimate_is_the_rounded_up_median_in_minutes() {
        let mut c = Calibration::default();
        for s in [61, 500, 130] {
            c.record("Undo", "api", s);
        }
        // 61, 500, 130 -> median 130 s -> 3 min.
        assert_eq!(c.estimate("Undo", "api"), Some((3, 3)));
        assert_eq!(c.estimate("Undo", "web"), None);
        let mut quick = Calibration::default();
        quick.record("Undo", "api", 0);
        assert_eq!(quick.estimate("Undo", "api"), Some((1, 1)));
    }
}
