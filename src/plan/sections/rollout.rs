//! Canary & Progressive Rollout: stages with traffic share and bake time scaled to the risk, what
//! to watch at each with the thresholds to advance or abort, flag schedules, and the platform's
//! own mechanism.

use super::super::Ctx;
use super::super::model::{Rollout, Stage, Triggers};
use super::{flags, pct};
use crate::assess::Level;
use crate::assess::rules::elevated_risk::lengthens_bake;
use crate::base::parts::Mechanism;
use crate::platforms::deploy;

pub fn build(
    ctx: &mut Ctx,
    level: Level,
    triggers: &Triggers,
    procedure: &super::super::model::Procedure,
) -> Rollout {
    let spec = ctx.input.spec.clone();
    let slow = spec
        .risks
        .iter()
        .filter_map(|r| r.kind())
        .any(lengthens_bake);
    let factor = if slow { 2 } else { 1 };
    let ladder: &[(f64, u32)] = match level {
        Level::Instant => &[(10.0, 10), (100.0, 0)],
        Level::Fast => &[(5.0, 15), (25.0, 15), (100.0, 0)],
        Level::Complex => &[(1.0, 15), (5.0, 30), (25.0, 30), (50.0, 30), (100.0, 0)],
        Level::Irreversible => &[(1.0, 30), (5.0, 60), (25.0, 60), (50.0, 60), (100.0, 0)],
    };
    let fast = triggers
        .services
        .first()
        .and_then(|s| s.thresholds.first())
        .map(|t| t.condition.clone())
        .unwrap_or_default();
    let p99 = triggers
        .services
        .first()
        .and_then(|s| s.thresholds.get(2))
        .map(|t| t.condition.clone())
        .unwrap_or_default();
    // Services watched by error ratio and p99; anything else by the first signal it declares.
    let abort_if = match triggers.services.first().and_then(|s| s.thresholds.first()) {
        Some(t) if !t.signal.starts_with("error ratio") => {
            format!("{} {}, or any no-go trigger", t.signal, t.condition)
        }
        _ => format!("error ratio {fast} (5m) or p99 {p99}, or any no-go trigger"),
    };
    // What a stage watches: a service by error ratio and p99; a change watched on its own signals
    // (hosts, devices, installed apps, a model's business metric) by those signals.
    let own = triggers.services.first().filter(|s| {
        s.thresholds
            .first()
            .is_some_and(|t| !t.signal.starts_with("error ratio"))
    });
    let (watch, advance) = match own {
        Some(s) => (
            s.thresholds
                .iter()
                .map(|t| t.signal.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            "every watched signal stays within its trigger condition for the whole bake, measured on the targets that took the change".to_string(),
        ),
        None => (
            "error ratio, p99 latency, health checks, critical flows, data checks".to_string(),
            "error ratio and p99 stay within the pre-deploy baseline for the whole bake and at least 50 requests reached the new version".to_string(),
        ),
    };
    // A flag-only change rolls out by the flag's own schedule, not by instances.
    let flag_schedule: Option<Vec<(f64, u32)>> = if super::flag_only(&spec) {
        flags(&spec).first().and_then(|f| {
            let steps: Vec<f64> = if !f.rollout.is_empty() {
                f.rollout.clone()
            } else {
                f.to_percent.into_iter().collect()
            };
            let bake = ladder.first().map(|(_, b)| *b).unwrap_or(15);
            let n = steps.len();
            (n > 0).then(|| {
                steps
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (*p, if i + 1 == n { 0 } else { bake }))
                    .collect()
            })
        })
    } else {
        None
    };
    let ladder: &[(f64, u32)] = flag_schedule.as_deref().unwrap_or(ladder);
    let stages: Vec<Stage> = ladder
        .iter()
        .enumerate()
        .map(|(i, (p, bake))| Stage {
            name: if i + 1 == ladder.len() {
                "final".to_string()
            } else {
                format!("stage {}", i + 1)
            },
            traffic_percent: *p,
            bake_minutes: bake * factor,
            watch: watch.clone(),
            advance_if: if i + 1 == ladder.len() {
                "stays within thresholds for 30 min after full rollout, then the deploy is done"
                    .to_string()
            } else {
                advance.clone()
            },
            abort_if: abort_if.clone(),
        })
        .collect();

    let stages = by_network_targets(&spec, flag_schedule.is_some(), stages);

    let mut flag_lines = Vec::new();
    for f in flags(&spec) {
        let schedule: Vec<f64> = if !f.rollout.is_empty() {
            f.rollout.clone()
        } else if let Some(to) = f.to_percent {
            vec![to]
        } else {
            ladder.iter().map(|(p, _)| *p).collect()
        };
        let sched: Vec<String> = schedule.iter().map(|p| pct(*p)).collect();
        // An abort returns the flag to the share it had before (a bump), else turns it off; the
        // step named is the one the procedure really has.
        let back = super::step_mentioning(procedure, &format!("Return flag `{}`", f.key));
        let off = super::step_mentioning(procedure, &format!("Turn off feature flag {}", f.key));
        let abort = match (f.from_percent.filter(|p| *p > 0.0), back, off) {
            (Some(p), Some(n), _) => {
                format!("return it to its previous {} (procedure Step {n})", pct(p))
            }
            (Some(p), None, Some(n)) => format!(
                "turn it off (procedure Step {n}), or set it back to its previous {} in the provider",
                pct(p)
            ),
            (Some(p), None, None) => format!("return it to its previous {}", pct(p)),
            (None, _, Some(n)) => format!("turn it off (procedure Step {n})"),
            (None, _, None) => "turn it off".to_string(),
        };
        flag_lines.push(format!(
            "Flag `{}`: default {}, from {} to {} in steps {} with a bake of {} min between steps; at any abort condition {abort}.",
            f.key,
            match f.default {
                Some(true) => "on",
                Some(false) => "off",
                None => "not stated",
            },
            f.from_percent.map(pct).unwrap_or_else(|| "0%".to_string()),
            schedule.last().map(|p| pct(*p)).unwrap_or_else(|| "100%".to_string()),
            sched.join(" → "),
            ladder.first().map(|(_, b)| b * factor).unwrap_or(15)
        ));
    }

    let mut mechanism = Vec::new();
    let services = if flag_schedule.is_some() {
        Vec::new()
    } else {
        super::deployed_services(&spec)
    };
    for svc in &services {
        if let Some(m) = deploy::mechanism_with(svc, &stages, &mut ctx.ph) {
            mechanism.push(m);
        }
    }
    // A change that reaches its own targets rather than service instances (hosts, node pools,
    // the accounts of a cutover, topics, indexes, principals, devices, model versions) is staged
    // the way its kind declares (KindDecl::staged_by_own_targets).
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        let d = c.declaration();
        if d.staged_by_own_targets {
            mechanism.push(Mechanism {
                service: c.label(i),
                name: format!("{} staging", d.name.replace('_', " ")),
                snippet: d.staging.to_string(),
                language: "text".to_string(),
            });
        }
    }
    let share_of = super::rollout_units::share_of(&spec, flag_schedule.is_some());
    let by_traffic = share_of == super::rollout_units::TRAFFIC;
    mechanism.extend(super::rollout_units::target_staging(
        &spec, &mechanism, by_traffic,
    ));
    let total: u32 = stages.iter().map(|s| s.bake_minutes).sum();
    let summary = format!(
        "{} stages over about {total} min of bake{}{}{}.",
        stages.len(),
        if slow {
            " (doubled for the declared risks)"
        } else {
            ""
        },
        if super::flag_only(&spec) {
            ", driven by the flag percentage rather than by instances"
        } else {
            ""
        },
        if by_traffic {
            String::new()
        } else {
            format!(", each stage a share of the {share_of} the change reaches, not of traffic")
        }
    );
    Rollout {
        summary,
        stages,
        share_of,
        flags: flag_lines,
        mechanism,
    }
}

/// A network change with no service shipped beside it is staged by devices, PoPs or regions
/// (the change's declared stages, else one first and then the rest), watched from outside: a
/// device has no traffic percentage to canary.
fn by_network_targets(spec: &crate::model::Spec, flags: bool, stages: Vec<Stage>) -> Vec<Stage> {
    let network = spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_network_change());
    let Some(n) = network else {
        return stages;
    };
    if flags || !super::deployed_services(spec).is_empty() {
        return stages;
    }
    let names: Vec<String> = if n.stages.is_empty() {
        vec![
            "one device, PoP or region".to_string(),
            "the rest, one at a time".to_string(),
        ]
    } else {
        n.stages.clone()
    };
    let bake = stages.first().map(|s| s.bake_minutes).unwrap_or(15).max(10);
    let count = names.len();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let last = i + 1 == count;
            Stage {
                name,
                traffic_percent: ((i + 1) as f64 * 100.0 / count as f64).round(),
                bake_minutes: if last { 0 } else { bake },
                watch: "the external probes and the change's own signals (Rollback Trigger Criteria), from outside the changed network".to_string(),
                advance_if: if last {
                    "probes and signals stay at their pre-change baseline for 30 min after the last device, then the change is done".to_string()
                } else {
                    "probes from outside stay green and the change's signals stay at baseline for the whole bake".to_string()
                },
                abort_if: "any probe from outside fails, or any trigger in Rollback Trigger Criteria fires: roll back what was changed so far".to_string(),
            }
        })
        .collect()
}
