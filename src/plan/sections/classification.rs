//! Rollback Classification: the level forced by the findings, the time the procedure takes, and
//! for irreversible changes the mitigation that replaces a rollback.

use super::super::Ctx;
use super::super::model::{Classification, Procedure, Reason};
use crate::assess::{Finding, Level};

/// The highest level any finding forces; instant when none does.
pub fn level(findings: &[Finding]) -> Level {
    findings
        .iter()
        .filter_map(|f| f.level)
        .max()
        .unwrap_or(Level::Instant)
}

/// The class the migration facts force: one the previous version cannot run on needs a reverse
/// migration before the code (complex), whatever the findings' own levels say.
pub fn level_of_facts(facts: &[super::facts::MigrationFacts]) -> Level {
    if facts.iter().any(|m| m.backward_compatible == Some(false)) {
        Level::Complex
    } else {
        Level::Instant
    }
}

pub fn build(ctx: &mut Ctx, level: Level, procedure: &Procedure) -> Classification {
    let estimated_minutes: u32 = procedure.steps.iter().map(|s| s.estimate_minutes).sum();
    let (low, high) = level.nominal_band();
    let band_note = match high {
        Some(h) if estimated_minutes > h => Some(format!(
            "The procedure's estimates add up to {estimated_minutes} min, above the {} band of this class: plan for the longer time.",
            band_text(level)
        )),
        _ if estimated_minutes < low => Some(format!(
            "The procedure's estimates add up to {estimated_minutes} min, below the {} band: the class comes from what the rollback must recover, not from its length.",
            band_text(level)
        )),
        _ => None,
    };

    // Reasons: the findings that force a level, hardest first; then the rest that explain it.
    let mut forcing: Vec<&Finding> = ctx.findings.iter().filter(|f| f.level.is_some()).collect();
    forcing.sort_by_key(|f| std::cmp::Reverse(f.level));
    let mut reasons: Vec<Reason> = forcing
        .iter()
        .map(|f| Reason {
            rule: f.rule.to_string(),
            message: f.message.clone(),
            evidence: f.evidence.clone(),
        })
        .collect();
    if reasons.is_empty() {
        reasons.push(Reason {
            rule: "RB001".to_string(),
            message: "no change outside the deployed artifact: redeploying the previous version is the whole rollback".to_string(),
            evidence: crate::evidence::Evidence::field(&ctx.input.path, "deployment.changes"),
        });
    }

    let mitigation = if level == Level::Irreversible {
        mitigation(ctx)
    } else {
        Vec::new()
    };
    Classification {
        level,
        title: level.title().to_string(),
        estimated_minutes,
        band_note,
        reasons,
        mitigation,
    }
}

fn band_text(level: Level) -> &'static str {
    match level {
        Level::Instant => "instant (up to 10 min)",
        Level::Fast => "fast (under 15 min)",
        Level::Complex => "complex (15-60 min)",
        Level::Irreversible => "irreversible",
    }
}

/// What to do instead of a rollback, per irreversible change.
fn mitigation(ctx: &mut Ctx) -> Vec<String> {
    let mut out = Vec::new();
    let spec = &ctx.input.spec;
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        let forced = ctx
            .findings
            .iter()
            .any(|f| f.change == Some(i) && f.level == Some(Level::Irreversible));
        if !forced {
            continue;
        }
        let label = c.label(i);
        let line = match c.as_side_effect() {
            Some(_) => {
                let what = c
                    .as_side_effect()
                    .and_then(|e| e.effect)
                    .map(|e| e.describe())
                    .unwrap_or("side effects");
                let stop = match &c.gated_by_flag() {
                    Some(f) => format!("turn flag `{f}` off to stop further {what}"),
                    None => format!("stop further {what} by rolling back the sender"),
                };
                format!(
                    "`{label}`: {stop}; list what was already sent (recipients, ids, amounts) from the sender's log; send the prepared correction or compensation (refund, follow-up message, compensating event, deletion request) after the decision-maker approves it."
                )
            }
            // The kind declares what limits the damage.
            None => match c.declaration().irreversible_mitigation {
                Some(text) => text.replace("{label}", &label),
                None => format!(
                    "`{label}`: contain the damage (turn off what keeps causing it), then fix forward; a redeploy alone does not undo it."
                ),
            },
        };
        out.push(line);
    }
    // Irreversible by the brief's own words or by destruction rollbook could not map: no change
    // carries it, so the mitigation quotes the words, unless a change's own mitigation already
    // says what to do (the words stay quoted among the reasons).
    let by_change = !out.is_empty();
    for f in ctx
        .findings
        .iter()
        .filter(|f| f.change.is_none() && f.level == Some(Level::Irreversible))
    {
        let stated = f.rule == crate::assess::rules::stated_no_way_back::STATED_NO_WAY_BACK.code;
        if stated && by_change {
            continue;
        }
        let words = f.evidence.excerpt.clone().unwrap_or_default();
        let cite = f.evidence.cite();
        let line = if stated {
            format!(
                "\u{201c}{words}\u{201d} ({cite}): there is no rollback, so limit what a bad change can reach before it ships (stage it to a few targets first, keep what rebuilds the old state: a snapshot, the old pool or version, the saved configuration), stop it at the first sign of harm, and fix forward."
            )
        } else {
            format!(
                "\u{201c}{words}\u{201d} ({cite}): what it destroys returns only from a copy taken before: take and verify that copy, run it on a few targets first, and fix forward if it goes wrong."
            )
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}
