//! `plan --rehearsal REPORT`: what a rehearsal measured goes into the plan: the down's measured
//! time into the procedure's estimates, its problems into the class's reasons and the Go / No-Go
//! checks, and its losses and schema differences into the Data Recovery Strategy.

use crate::assess::Level;
use crate::evidence::Evidence;
use crate::evidence::rehearsal::{Fit, Rehearsed, Report};
use crate::plan::Ctx;
use crate::plan::model::{
    Check, Classification, DataRecovery, EstimateSource, GoNoGo, Reason, Step,
};

/// The class a rehearsal's problems impose: a down that fails, a schema that does not come
/// back or a loss the plan does not declare means the rollback is not the planned one-command
/// down but a repair (restore, hand-written fix): at least Complex.
pub fn class_floor(rh: &Rehearsed) -> Level {
    if rh.report.problems.is_empty() {
        Level::Instant
    } else {
        Level::Complex
    }
}

/// The down files of a change's migrations.
fn down_files(ctx: &Ctx, change: usize) -> Vec<String> {
    ctx.migrations
        .iter()
        .filter(|m| m.change == change)
        .filter_map(|m| m.down_source.as_ref())
        .map(|e| match &e.field {
            Some(f) => format!("{} {f}", e.file),
            None => e.file.clone(),
        })
        .collect()
}

/// Seconds of the down statements of `files`: fitted at the declared rows when the report has
/// a target, else measured at its largest size. (seconds, how it was obtained)
fn down_seconds(r: &Report, files: &[String]) -> Option<(f64, String)> {
    let ours = |at: &str| {
        files
            .iter()
            .any(|f| at.rsplit_once(':').is_some_and(|(file, _)| file == f))
    };
    let fits: Vec<&Fit> = r
        .fits
        .iter()
        .filter(|f| f.phase == "down" && ours(&f.at))
        .collect();
    if fits.is_empty() {
        return None;
    }
    if fits.iter().all(|f| f.predicted_seconds.is_some()) {
        let s: f64 = fits.iter().filter_map(|f| f.predicted_seconds).sum();
        let t = fits
            .iter()
            .find_map(|f| f.target_rows.zip(f.target_source.clone()));
        let how = match t {
            Some((n, src)) => format!("fitted to {n} rows ({src})"),
            None => "fitted".into(),
        };
        return Some((s, how));
    }
    let run = r.runs.last()?;
    let s: f64 = run
        .statements
        .iter()
        .filter(|t| t.phase == "down" && ours(&t.at))
        .filter_map(|t| t.seconds)
        .sum();
    Some((
        s,
        format!(
            "measured at {} rows; the spec declares no row count to extrapolate to",
            run.rows
        ),
    ))
}

/// Step estimates: a step that runs a rehearsed down takes at least the measured time.
pub fn procedure(ctx: &Ctx, rh: &Rehearsed, steps: &mut [Step]) {
    for (i, c) in ctx.input.spec.deployment.changes.iter().enumerate() {
        let label = format!("`{}`", c.label(i));
        let files = down_files(ctx, i);
        let Some((seconds, how)) = down_seconds(&rh.report, &files) else {
            continue;
        };
        for s in steps
            .iter_mut()
            .filter(|s| s.title.contains(&label) && s.title.contains("down migration"))
        {
            let minutes = u32::try_from((seconds / 60.0).ceil() as u64)
                .unwrap_or(u32::MAX)
                .max(1);
            s.estimate_minutes = s.estimate_minutes.max(minutes);
            s.estimate_source = EstimateSource::Rehearsal;
            s.notes.push(format!(
                "Rehearsed {} ({}): the down's statements take {seconds:.3} s, {how}.",
                rh.when(),
                rh.path
            ));
        }
    }
}

/// The class's reasons, a Go / No-Go line and the Data Recovery counts.
pub fn sections(
    ctx: &Ctx,
    rh: &Rehearsed,
    classification: &mut Classification,
    go_no_go: &mut GoNoGo,
    data_recovery: &mut DataRecovery,
) {
    let r = &rh.report;
    for p in &r.problems {
        classification.reasons.push(Reason {
            rule: "rehearsal".into(),
            message: format!("the rehearsal found: {p}"),
            evidence: Evidence::field(&rh.path, "problems"),
        });
    }
    // Which of the plan's migration files the report did not rehearse.
    let missing: Vec<String> = ctx
        .migrations
        .iter()
        .map(|m| match &m.up_source.field {
            Some(f) => format!("{} {f}", m.up_source.file),
            None => m.up_source.file.clone(),
        })
        .filter(|f| !r.sources.contains(f))
        .collect();
    let title = if !missing.is_empty() {
        format!(
            "The rehearsal ({}, {}) does not cover {}: rehearse again with `rollbook rehearse {}`",
            rh.path,
            rh.when(),
            missing.join(", "),
            ctx.input.path
        )
    } else if r.problems.is_empty() {
        format!(
            "The rollback was rehearsed {} ({}): up, down and up again ran, the schema came back, every loss is declared",
            rh.when(),
            rh.path
        )
    } else {
        format!(
            "The rehearsal {} ({}) found {} problem(s): {}",
            rh.when(),
            rh.path,
            r.problems.len(),
            r.problems.join("; ")
        )
    };
    go_no_go.checks.push(Check {
        title,
        commands: Vec::new(),
        queries: Vec::new(),
        expect: "no problem in the rehearsal report of these exact migration files".into(),
    });
    let Some(run) = r.runs.last() else { return };
    let mut lines = Vec::new();
    let scaled = |table_col: &str, n: u64| -> String {
        let bare = table_col.strip_prefix("public.").unwrap_or(table_col);
        let table = bare.rsplit_once('.').map(|(t, _)| t).unwrap_or(bare);
        match r.targets.get(table) {
            // A count derived from the store's size is an upper bound (the source says how).
            Some((rows, src)) if run.rows > 0 && src.starts_with("derived from") => format!(
                "up to {} values of {bare} at up to {rows} rows ({src}; {n} of {} rehearsed rows)",
                (n as f64 / run.rows as f64 * *rows as f64).round() as u64,
                run.rows
            ),
            Some((rows, src)) if run.rows > 0 => format!(
                "about {} values of {bare} at the declared {rows} rows ({src}; {n} of {} rehearsed rows)",
                (n as f64 / run.rows as f64 * *rows as f64).round() as u64,
                run.rows
            ),
            _ => format!("{n} values of {bare} in {} rehearsed rows", run.rows),
        }
    };
    for (c, n) in &run.down_destroyed {
        lines.push(format!(
            "Rehearsal ({}): the down drops {}.",
            rh.path,
            scaled(c, *n)
        ));
    }
    for (c, n) in &run.up_changed {
        lines.push(format!(
            "Rehearsal ({}): the up removes or changes {}.",
            rh.path,
            scaled(c, *n)
        ));
    }
    for d in &run.schema_diff {
        lines.push(format!(
            "Rehearsal ({}): after the down, {} is {}.",
            rh.path,
            d.object,
            d.kind.replace('_', " ")
        ));
    }
    if let Some(store) = data_recovery.stores.first_mut() {
        store.migrations.extend(lines);
    }
}
