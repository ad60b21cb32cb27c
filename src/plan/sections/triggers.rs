//! Rollback Trigger Criteria: per service, thresholds derived from its SLO (multiwindow burn
//! rate) or from stated defaults, each as a query in the user's metrics system; health checks;
//! critical flows; data-consistency checks where data changes; who decides and who is told.

use super::super::Ctx;
use super::super::model::{DataCheck, ServiceTriggers, Threshold, Triggers};
use super::{decision_maker, pct, store_for};
use crate::model::{ChangeKind, Engine, Service};
use crate::platforms::{datastores, deploy, metrics};

/// Error-rate threshold in percent when no SLO and no policy value are given.
pub const DEFAULT_ERROR_RATE_PERCENT: f64 = 1.0;
/// p99 latency threshold in ms when no SLO and no policy value are given.
pub const DEFAULT_P99_MS: u32 = 1000;

/// Words of a data check that compares with a value recorded before the deploy.
pub const RECORDED_MARK: &str = "recorded before the deploy";
/// Title of the Go / No-Go check that records those values.
pub const RECORD_COUNTS_TITLE: &str = "Record the row counts the data checks compare with";

pub fn build(ctx: &mut Ctx) -> Triggers {
    let spec = ctx.input.spec.clone();
    let mut services: Vec<Service> = spec.architecture.services.clone();
    if services.is_empty() {
        services.push(Service::named(&spec.deployment.name));
    }
    let obs = spec.architecture.observability.clone();
    if metrics::needs_dd_operation(obs.as_ref()) {
        ctx.ph.text(
            metrics::DD_OPERATION_PLACEHOLDER,
            "Datadog trace operation name of the services (e.g. express.request, flask.request, http.request: see APM > Service > Operation)",
            "architecture.observability.request_metric",
        );
    }
    let mut out = Vec::new();
    // Low risk: nothing but code or flags; the plan stays short.
    let low_risk = spec.deployment.changes.iter().all(|c| {
        matches!(
            c.kind(),
            ChangeKind::Code | ChangeKind::Dependency | ChangeKind::FeatureFlag
        )
    });
    for svc in &services {
        out.push(service_triggers(ctx, svc, obs.as_ref(), low_risk));
    }
    let data_checks = data_checks(ctx);
    let dm = decision_maker(ctx);
    let mut notify = spec.people.notify.clone();
    if notify.is_empty() {
        notify.push(ctx.ph.text(
            "NOTIFY",
            "who is told when a rollback starts (people, teams, rotations)",
            "people.notify",
        ));
    }
    let dashboards = obs
        .as_ref()
        .map(|o| o.dashboards.clone())
        .unwrap_or_default();
    Triggers {
        services: out,
        data_checks,
        decision_maker: dm,
        notify,
        dashboards,
    }
}

/// `(fast-burn error ratio %, slow-burn error ratio %, basis)` for a service.
pub fn error_thresholds(ctx: &Ctx, svc: &Service) -> (f64, f64, String) {
    if let Some(a) = svc.slo.as_ref().and_then(|s| s.availability) {
        let budget = 100.0 - a;
        (
            budget * 14.4,
            budget * 6.0,
            format!(
                "SLO {}% availability: error budget {}; multiwindow burn rates 14.4x (fast) and 6x (slow)",
                trim(a),
                pct(budget)
            ),
        )
    } else {
        let d = ctx
            .input
            .spec
            .policy
            .default_error_rate_percent
            .unwrap_or(DEFAULT_ERROR_RATE_PERCENT);
        let src = if ctx.input.spec.policy.default_error_rate_percent.is_some() {
            "policy.default_error_rate_percent"
        } else {
            "rollbook's default"
        };
        (
            d,
            d / 2.0,
            format!(
                "no SLO declared: error-rate threshold {} ({src}); set `slo.availability` to derive burn rates",
                pct(d)
            ),
        )
    }
}

/// The p99 threshold in ms and where it came from.
pub fn latency_threshold(ctx: &Ctx, svc: &Service) -> (u32, &'static str) {
    match svc.slo.as_ref().and_then(|s| s.latency_p99_ms) {
        Some(ms) => (ms, "SLO"),
        None => match ctx.input.spec.policy.default_p99_latency_ms {
            Some(ms) => (ms, "policy"),
            None => (DEFAULT_P99_MS, "default"),
        },
    }
}

fn service_triggers(
    ctx: &mut Ctx,
    svc: &Service,
    obs: Option<&crate::model::Observability>,
    low_risk: bool,
) -> ServiceTriggers {
    let (fast, slow, basis) = error_thresholds(ctx, svc);
    let (p99, p99_src) = latency_threshold(ctx, svc);
    let mut thresholds = vec![
        Threshold {
            signal: "error ratio (fast burn)".to_string(),
            condition: format!("> {}", pct(fast)),
            window: "5m, sustained 2 consecutive evaluations".to_string(),
            query: metrics::error_ratio(obs, svc, "5m"),
            action: "roll back now".to_string(),
        },
        Threshold {
            signal: "error ratio (slow burn)".to_string(),
            condition: format!("> {}", pct(slow)),
            window: "30m".to_string(),
            query: metrics::error_ratio(obs, svc, "30m"),
            action: "halt the rollout and roll back".to_string(),
        },
        Threshold {
            signal: "p99 latency".to_string(),
            condition: format!("> {p99} ms ({p99_src})"),
            window: "5m, sustained 10m".to_string(),
            query: metrics::p99_latency(obs, svc, "5m"),
            action: "roll back".to_string(),
        },
    ];
    if !low_risk {
        thresholds.push(Threshold {
        signal: "traffic".to_string(),
        condition: "< 50% of the pre-deploy baseline".to_string(),
        window: "10m".to_string(),
        query: metrics::request_rate(obs, svc, "5m"),
        action:
            "investigate: requests may be failing before they are counted; roll back if unexplained"
                .to_string(),
    });
    }
    let health_check = Some(deploy::health_check(svc, &mut ctx.ph));
    ServiceTriggers {
        service: svc.name.clone(),
        basis,
        thresholds,
        health_check,
        critical_flows: svc.critical_flows.clone(),
    }
}

fn trim(f: f64) -> String {
    let s = format!("{f}");
    s
}

/// A quoted SQL identifier for the engine.
pub fn ident(engine: Engine, name: &str) -> String {
    // Schema-qualified names are quoted part by part.
    name.split('.')
        .map(|p| {
            if engine.is_mysql_family() {
                format!("`{}`", p.replace('`', "``"))
            } else {
                format!("\"{}\"", p.replace('"', "\"\""))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn data_checks(ctx: &mut Ctx) -> Vec<DataCheck> {
    let spec = ctx.input.spec.clone();
    let mut out = Vec::new();
    for m in super::facts::migrations(ctx) {
        let c = &spec.deployment.changes[m.index];
        let Some(store) = store_for(&spec, c).cloned() else {
            continue;
        };
        for (table, column) in &m.added_columns {
            let sql = format!(
                "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
                ident(store.engine, table),
                ident(store.engine, column)
            );
            out.push(DataCheck {
                title: format!("Rows written in the new column {table}.{column} since the deploy"),
                query: datastores::query(&store, &sql, &mut ctx.ph).render(),
                expect: "grows only as expected; a down migration would lose exactly these values"
                    .to_string(),
            });
        }
        // A set: scanning the added columns per table is quadratic on huge migrations.
        let widened: std::collections::HashSet<&String> =
            m.added_columns.iter().map(|(a, _)| a).collect();
        for t in m.tables.iter().filter(|t| !widened.contains(t)).take(3) {
            let sql = format!("SELECT count(*) FROM {}", ident(store.engine, t));
            out.push(DataCheck {
                title: format!("Row count of {t}"),
                query: datastores::query(&store, &sql, &mut ctx.ph).render(),
                expect: format!(
                    "equal to the count {RECORDED_MARK} (Go / No-Go: {RECORD_COUNTS_TITLE}), give or take normal traffic"
                ),
            });
        }
    }
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        let Some(d) = c.as_data_operation() else {
            continue;
        };
        let (Some(store), Some(table)) = (store_for(&spec, c).cloned(), d.table.clone()) else {
            continue;
        };
        let sql = format!("SELECT count(*) FROM {}", ident(store.engine, &table));
        let rows = d
            .rows
            .map(|r| format!(" (expected to touch {r} rows)"))
            .unwrap_or_default();
        out.push(DataCheck {
            title: format!("Row count of {table} around `{}`{rows}", c.label(i)),
            query: datastores::query(&store, &sql, &mut ctx.ph).render(),
            expect: format!("matches the count {RECORDED_MARK} (Go / No-Go: {RECORD_COUNTS_TITLE}) plus or minus the rows it was meant to change"),
        });
    }
    out
}
