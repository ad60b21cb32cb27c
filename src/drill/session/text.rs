//! What a session prints: a step with its commands, a command's outcome, the timer, the log's
//! events and the closing summary.

use super::*;

pub(super) fn step_text(step: &DrillStep, index: usize, total: usize) -> String {
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

pub(super) fn outcome_text(command: &str, o: &CommandOutcome) -> String {
    match o {
        CommandOutcome::Refused(why) => format!(
            "  $ {}\n  not run: {why}; fix that and run it yourself\n",
            visible(command)
        ),
        CommandOutcome::Declined => "  not run\n".to_string(),
        CommandOutcome::Ran(Some(code)) => format!("  exit status {code}\n"),
        CommandOutcome::Ran(None) => "  ended by a signal\n".to_string(),
        CommandOutcome::Error(e) => format!("  could not start sh: {e}\n"),
    }
}

/// `[step 01:05 / 4 min · total 03:10 / 9 min]`
pub(super) fn timer_text(drill: &Drill, step: &DrillStep, now: jiff::Timestamp) -> String {
    format_timer(
        drill.step_elapsed(now),
        step.estimate_minutes,
        drill.total_elapsed(now),
        drill.plan().estimate_minutes(),
    )
}

pub(super) fn format_timer(step_s: u64, step_est: u32, total_s: u64, total_est: u32) -> String {
    format!(
        "[step {} / {step_est} min · total {} / {total_est} min]",
        clock_text(step_s),
        clock_text(total_s)
    )
}

pub(super) fn events_text(events: &[Event]) -> String {
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

pub(super) fn summary_text(drill: &Drill, clock: &dyn Clock, log: &Path) -> String {
    let plan = drill.plan();
    let now = clock.now();
    let count = |s: Status| drill.results().iter().filter(|r| r.status == s).count();
    let how = if !drill.stopped() && drill.results().len() == plan.steps.len() {
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
            && r.seconds as f64 > f64::from(est) * 60.0 * crate::drill::report::OVERRUN_FACTOR;
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
