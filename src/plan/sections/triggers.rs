//! Rollback Trigger Criteria: per service, thresholds derived from its SLO (multiwindow burn
//! rate) or from stated defaults, each as a query in the user's metrics system, on the signals of
//! what the service serves (HTTP, gRPC, queue consumer, batch job); per change of a kind that is
//! not a service, the signals its kind declares; health checks; critical flows; data-consistency
//! checks where data changes; who decides and who is told.

use super::super::Ctx;
use super::super::model::{DataCheck, ServiceTriggers, Threshold, Triggers};
use super::{decision_maker, pct, store_for};
use crate::model::{ChangeKind, Engine, Protocol, Service};
use crate::platforms::metrics::Signal;
use crate::platforms::{datastores, deploy, metrics};

/// Error-rate threshold in percent when no SLO and no policy value are given.
pub const DEFAULT_ERROR_RATE_PERCENT: f64 = 1.0;
/// p99 latency threshold in ms when no SLO and no policy value are given.
pub const DEFAULT_P99_MS: u32 = 1000;

/// How a query with no standard metric is filled: by hand, in the plan (no spec field names it).
const HAND_QUERY: &str =
    "by hand in the plan: the query in your metrics system, or the provider's console";

/// Words of a data check that compares with a value recorded before the deploy.
pub const RECORDED_MARK: &str = "recorded before the deploy";
/// Title of the Go / No-Go check that records those values.
pub const RECORD_COUNTS_TITLE: &str = "Record the row counts the data checks compare with";

pub fn build(ctx: &mut Ctx) -> Triggers {
    let spec = ctx.input.spec.clone();
    let mut services: Vec<Service> = spec.architecture.services.clone();
    // A client release runs on users' devices: its flags are remote config the app reads, and a
    // service it talks to is watched only when a change names it, so no service is invented.
    let client = spec
        .deployment
        .changes
        .iter()
        .any(|c| c.kind() == ChangeKind::ClientRelease);
    if client {
        let named = |s: &Service| {
            spec.deployment
                .changes
                .iter()
                .any(|c| c.services().contains(&s.name))
        };
        services.retain(named);
    }
    // A service is invented only for changes that run in one; a network, data or send change
    // gets its own declared signals, not HTTP thresholds on a service that does not exist.
    if services.is_empty() && !client && runs_in_a_service(&spec.deployment.changes) {
        // Nothing says what it serves: its signals are named by hand, never assumed HTTP's.
        let mut unnamed = Service::named(&spec.deployment.name);
        unnamed.serves = Some(Protocol::Other);
        services.push(unnamed);
    }
    let obs = spec.architecture.observability.clone();
    if metrics::needs_dd_operation(obs.as_ref())
        && services
            .iter()
            .any(|s| matches!(s.protocol(), Protocol::Http | Protocol::Grpc))
    {
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
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if let Some(t) = change_signals(ctx, c, i) {
            out.push(t);
        }
    }
    // Nothing says what changes: no protocol can be assumed, so the signal is asked for.
    if out.is_empty() {
        out.push(unknown_target(ctx, &spec.deployment.name));
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

/// Whether the changes run in a service (code, dependency, flag), or nothing says what changes.
/// With no change recognised, what runs is unknown: no service (and no protocol) is invented.
fn runs_in_a_service(changes: &[crate::model::Change]) -> bool {
    changes
        .iter()
        .any(|c| c.kind().declaration().signals.iter().any(|s| s.on_services))
}

/// The signals a change's kind declares on the change itself (rows touched, send volume,
/// reachability), each with its query as a named placeholder; `None` when the kind is watched
/// through its services only.
fn change_signals(ctx: &mut Ctx, c: &crate::model::Change, i: usize) -> Option<ServiceTriggers> {
    let decl = c.kind().declaration();
    let own: Vec<_> = decl
        .signals
        .iter()
        .filter(|s| !s.on_services && c.watches(s))
        .collect();
    if own.is_empty() {
        return None;
    }
    let thresholds = own
        .iter()
        .map(|s| Threshold {
            signal: s.signal.to_string(),
            condition: s.condition.to_string(),
            window: s.window.to_string(),
            query: c
                .known_query(s)
                .unwrap_or_else(|| ctx.ph.text(s.query, s.measure, HAND_QUERY)),
            action: s.action.to_string(),
        })
        .collect();
    Some(ServiceTriggers {
        service: format!("{} change `{}`", decl.name, c.label(i)),
        basis: format!(
            "the signals the {} kind declares: watched on what it changes rather than on the requests a service answers",
            decl.name
        ),
        thresholds,
        health_check: None,
        critical_flows: Vec::new(),
    })
}

/// The triggers of a deployment whose target rollbook could not tell: one named signal to fill.
fn unknown_target(ctx: &mut Ctx, name: &str) -> ServiceTriggers {
    let query = ctx.ph.text(
        "HEALTH_SIGNAL_QUERY",
        "the signal that shows what the change touches is healthy (error ratio, reachability, lag, failed runs: whatever it serves)",
        "by hand, or declare the change under deployment.changes and its services under architecture.services (with `serves`)",
    );
    ServiceTriggers {
        service: name.to_string(),
        basis: "nothing declared: what the change touches is unknown, so no protocol is assumed; name its health signal".to_string(),
        thresholds: vec![Threshold {
            signal: "health of what the change touches".to_string(),
            condition: "worse than before the change".to_string(),
            window: "5m".to_string(),
            query,
            action: "stop the change and roll back".to_string(),
        }],
        health_check: None,
        critical_flows: Vec::new(),
    }
}

fn service_triggers(
    ctx: &mut Ctx,
    svc: &Service,
    obs: Option<&crate::model::Observability>,
    low_risk: bool,
) -> ServiceTriggers {
    let protocol = svc.protocol();
    let (fast, slow, basis) = error_thresholds(ctx, svc);
    let (p99, p99_src) = latency_threshold(ctx, svc);
    let basis = match (svc.serves, protocol) {
        (None, _) => format!(
            "{basis}; serves HTTP (assumed: set `serves` to grpc, queue-consumer or batch when it does not)"
        ),
        (Some(_), Protocol::Http) => basis,
        (Some(_), Protocol::Grpc) => format!("{basis}; serves gRPC: errors are the calls ending UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED or UNKNOWN"),
        (Some(_), Protocol::QueueConsumer) => "consumes a queue or stream: watched by lag, processing errors and dead letters, not by requests".to_string(),
        (Some(_), Protocol::Batch) => "runs as a batch or scheduled job: watched by failed runs, run duration and rows processed, not by requests".to_string(),
        (Some(_), Protocol::Other) => "serves something rollbook has no signals for: watched by the errors and throughput of what it does, named by hand".to_string(),
    };
    let mut thresholds = match protocol {
        Protocol::Http | Protocol::Grpc => {
            let grpc = protocol == Protocol::Grpc;
            let ratio = |w: &str| {
                if grpc {
                    metrics::signal(obs, svc, Signal::GrpcErrorRatio, w)
                } else {
                    metrics::error_ratio(obs, svc, w)
                }
            };
            let latency = if grpc {
                metrics::signal(obs, svc, Signal::GrpcP99Latency, "5m")
            } else {
                metrics::p99_latency(obs, svc, "5m")
            };
            vec![
                Threshold {
                    signal: "error ratio (fast burn)".to_string(),
                    condition: format!("> {}", pct(fast)),
                    window: "5m, sustained 2 consecutive evaluations".to_string(),
                    query: ratio("5m"),
                    action: "roll back now".to_string(),
                },
                Threshold {
                    signal: "error ratio (slow burn)".to_string(),
                    condition: format!("> {}", pct(slow)),
                    window: "30m".to_string(),
                    query: ratio("30m"),
                    action: "halt the rollout and roll back".to_string(),
                },
                Threshold {
                    signal: "p99 latency".to_string(),
                    condition: format!("> {p99} ms ({p99_src})"),
                    window: "5m, sustained 10m".to_string(),
                    query: latency,
                    action: "roll back".to_string(),
                },
            ]
        }
        Protocol::QueueConsumer => vec![
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::ConsumerLag,
                "consumer lag",
                "rising for 10m, or above twice the lag before the deploy",
                "5m",
                "roll back",
            ),
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::ProcessingErrors,
                "processing errors",
                "above the rate before the deploy",
                "5m",
                "roll back now",
            ),
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::DeadLetterRate,
                "dead-letter rate",
                "any message dead-lettered that was not before the deploy",
                "5m",
                "roll back; keep the dead-lettered messages for replay",
            ),
        ],
        Protocol::Other => {
            let slug = crate::base::placeholders::slug(&svc.name);
            let fill = "by hand: rollbook has no signals for what this service serves (set `serves` when it is http, grpc, queue-consumer or batch)";
            vec![
                Threshold {
                    signal: "errors of what it does".to_string(),
                    condition: "above the rate before the deploy".to_string(),
                    window: "5m".to_string(),
                    query: ctx.ph.text(
                        &format!("{slug}_ERROR_SIGNAL"),
                        &format!("the query or dashboard panel that counts the failures of {} (rejected orders, failed operations, error logs)", svc.name),
                        fill,
                    ),
                    action: "roll back now".to_string(),
                },
                Threshold {
                    signal: "throughput of what it does".to_string(),
                    condition: "drops by more than 20% against the same hour before the deploy, or stops".to_string(),
                    window: "5m".to_string(),
                    query: ctx.ph.text(
                        &format!("{slug}_THROUGHPUT_SIGNAL"),
                        &format!("the query that counts the work {} completes (orders, messages, packets, operations)", svc.name),
                        fill,
                    ),
                    action: "roll back".to_string(),
                },
            ]
        }
        Protocol::Batch => vec![
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::FailedRuns,
                "failed runs",
                "> 0 since the deploy: a job failed, or did not complete by its usual end",
                "each run",
                "roll back before the next run",
            ),
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::RunDuration,
                "run duration",
                "above twice the duration before the deploy",
                "each run",
                "roll back before the next run",
            ),
            signal_threshold(
                ctx,
                obs,
                svc,
                Signal::RowsProcessed,
                "rows processed",
                "the row count differs from the source it reads, or by more than 10% from the run before the deploy",
                "each run",
                "hold the output, then roll back",
            ),
        ],
    };
    if !low_risk && protocol == Protocol::Http {
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
    let health_check = health_check(ctx, svc);
    ServiceTriggers {
        service: svc.name.clone(),
        basis,
        thresholds,
        health_check,
        critical_flows: svc.critical_flows.clone(),
    }
}

/// The health check of a service: its platform's own, else an HTTP probe only for what serves
/// HTTP, a gRPC health probe for gRPC, none for consumers and jobs (their signals tell).
// grpc_health_probe calls the standard grpc.health.v1.Health/Check and exits non-zero unless
// SERVING: https://github.com/grpc-ecosystem/grpc-health-probe ; `-addr value` is the Go flag
// package's spelling of `-addr=value` (https://pkg.go.dev/flag).
pub fn health_check(ctx: &mut Ctx, svc: &Service) -> Option<crate::base::shell::Cmd> {
    match svc.protocol() {
        Protocol::Http => Some(deploy::health_check(svc, &mut ctx.ph)),
        // What serves no HTTP is checked through its platform, never by an HTTP request.
        Protocol::QueueConsumer | Protocol::Batch | Protocol::Other => {
            deploy::workload_status(svc, &mut ctx.ph)
        }
        // A gRPC server answers the gRPC health protocol; an HTTP endpoint is used only when the
        // spec declares one for it.
        Protocol::Grpc
            if svc
                .health_endpoint
                .as_deref()
                .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://")) =>
        {
            Some(deploy::health_check(svc, &mut ctx.ph))
        }
        Protocol::Grpc => {
            let addr = ctx.ph.val_or(
                svc.health_endpoint.as_deref(),
                &format!("{}_GRPC_ADDR", crate::base::placeholders::slug(&svc.name)),
                &format!("host:port of the gRPC server of {}", svc.name),
                "architecture.services[].health_endpoint",
            );
            Some(crate::base::shell::Cmd::new("grpc_health_probe -addr").word(addr))
        }
    }
}

/// The baseline a service's thresholds compare with, in the signals of what it serves.
pub fn baseline_queries(obs: Option<&crate::model::Observability>, svc: &Service) -> Vec<String> {
    let q = |s| metrics::signal(obs, svc, s, "1h");
    match svc.protocol() {
        Protocol::Http => vec![
            metrics::error_ratio(obs, svc, "1h"),
            metrics::p99_latency(obs, svc, "1h"),
            metrics::request_rate(obs, svc, "1h"),
        ],
        Protocol::Grpc => vec![q(Signal::GrpcErrorRatio), q(Signal::GrpcP99Latency)],
        Protocol::QueueConsumer => vec![
            q(Signal::ConsumerLag),
            q(Signal::ProcessingErrors),
            q(Signal::DeadLetterRate),
        ],
        Protocol::Batch => vec![
            q(Signal::FailedRuns),
            q(Signal::RunDuration),
            q(Signal::RowsProcessed),
        ],
        Protocol::Other => vec![format!(
            "the errors and throughput of {} named in Rollback Trigger Criteria, over the last hour",
            svc.name
        )],
    }
}

#[allow(clippy::too_many_arguments)]
fn signal_threshold(
    ctx: &mut Ctx,
    obs: Option<&crate::model::Observability>,
    svc: &Service,
    signal: Signal,
    name: &str,
    condition: &str,
    window: &str,
    action: &str,
) -> Threshold {
    for (ph, what) in signal.placeholders() {
        ctx.ph.text(ph, what, HAND_QUERY);
    }
    Threshold {
        signal: name.to_string(),
        condition: condition.to_string(),
        window: window.to_string(),
        query: metrics::signal(obs, svc, signal, "5m"),
        action: action.to_string(),
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
