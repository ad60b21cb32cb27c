//! How a statement's time grows with the rows: a least-squares line `seconds = fixed + per_row ×
//! rows` through the measured sizes, its worst relative error on those sizes, and the time at
//! the production row count the spec declares — always with the inputs, never a bare number.

use super::Run;
use std::collections::BTreeMap;

pub use crate::evidence::rehearsal::Fit;

/// Least squares through `points`: (fixed, per_row).
pub fn line(points: &[(u64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    if points.is_empty() {
        return (0.0, 0.0);
    }
    let mx = points.iter().map(|p| p.0 as f64).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 as f64 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 as f64 - mx) * (p.1 - my)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    // Time never shrinks with more rows: a negative slope is noise.
    let b = b.max(0.0);
    let a = (my - b * mx).max(0.0);
    (a, b)
}

fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The fits of every statement that ran at every size. `targets`: bare table → (rows, source).
pub fn fits(runs: &[Run], targets: &BTreeMap<String, (u64, String)>) -> Vec<Fit> {
    // (phase, at) → (excerpt, points)
    type Series = (String, Vec<(u64, f64)>);
    let mut by: BTreeMap<(String, String), Series> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for run in runs {
        for t in &run.statements {
            let Some(s) = t.seconds else { continue };
            let key = (t.phase.clone(), t.at.clone());
            if !by.contains_key(&key) {
                order.push(key.clone());
            }
            by.entry(key)
                .or_insert_with(|| (t.excerpt.clone(), Vec::new()))
                .1
                .push((run.rows, s));
        }
    }
    // The largest declared row count among the tables a statement names.
    let target_for = |excerpt: &str| {
        let lower = excerpt.to_lowercase();
        targets
            .iter()
            .filter(|(t, _)| {
                lower
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|w| w == t.to_lowercase())
            })
            .map(|(_, v)| v.clone())
            .max_by_key(|(n, _)| *n)
    };
    order
        .into_iter()
        .filter_map(|key| {
            let (excerpt, points) = by.remove(&key)?;
            let (a, b) = line(&points);
            let err = if points.len() >= 3 {
                points
                    .iter()
                    .filter(|p| p.1 > 0.0)
                    .map(|p| ((p.1 - (a + b * p.0 as f64)) / p.1).abs())
                    .fold(0.0, f64::max)
            } else {
                0.0
            };
            let target = target_for(&excerpt);
            Some(Fit {
                phase: key.0,
                at: key.1,
                excerpt,
                points,
                fixed_seconds: round(a),
                per_row_seconds: round(b),
                max_relative_error: (err * 1000.0).round() / 1000.0,
                predicted_seconds: target
                    .as_ref()
                    .map(|(n, _)| (round(a + b * *n as f64) * 1000.0).round() / 1000.0),
                target_rows: target.as_ref().map(|t| t.0),
                target_source: target.map(|t| t.1),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_is_recovered() {
        let (a, b) = line(&[(100, 0.2), (1000, 1.1), (10000, 10.1)]);
        assert!(
            (a - 0.1).abs() < 1e-9 && (b - 0.001).abs() < 1e-9,
            "{a} {b}"
        );
        assert_eq!(line(&[(5, 1.0)]), (1.0, 0.0));
    }

    proptest::proptest! {
        #[test]
        fn fit_is_never_negative(ys in proptest::collection::vec(0.0f64..10.0, 1..5)) {
            let pts: Vec<(u64, f64)> = ys.iter().enumerate().map(|(i, y)| ((i as u64 + 1) * 100, *y)).collect();
            let (a, b) = line(&pts);
            proptest::prop_assert!(a >= 0.0 && b >= 0.0);
        }
    }
}
