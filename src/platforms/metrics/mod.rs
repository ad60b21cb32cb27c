//! Queries in the user's metrics system (PromQL, Datadog, CloudWatch).
//!
//! Each system is one unit (`<system>.rs`) implementing [`MetricsSystemUnit`], registered once
//! in [`SYSTEMS`]; the public functions dispatch through the registry.

pub mod cloudwatch;
pub mod datadog;
pub mod none;
pub mod prometheus;

#[cfg(test)]
mod tests;

use crate::model::{MetricsSystem, Observability, Service};

pub use datadog::DD_OPERATION_PLACEHOLDER;

/// Every metrics system rollbook writes queries for: one line per unit.
pub const SYSTEMS: &[&dyn MetricsSystemUnit] = &[
    &prometheus::Prometheus,
    &datadog::Datadog,
    &cloudwatch::Cloudwatch,
    &none::NoSystem,
];

/// What one metrics system knows about watching a rollout and verifying a rollback: the three
/// queries every trigger and Go / No-Go baseline is made of. `window` is already checked.
pub trait MetricsSystemUnit: Sync {
    /// The model value this unit serves.
    fn system(&self) -> MetricsSystem;

    /// The words that name this system in a brief (lowercase, single spaces).
    fn words(&self) -> &'static [&'static str];

    /// Error ratio (0..1) over `window`.
    fn error_ratio(&self, obs: Option<&Observability>, svc: &Service, window: &str) -> String;

    /// p99 latency over `window`.
    fn p99_latency(&self, obs: Option<&Observability>, svc: &Service, window: &str) -> String;

    /// Request rate over `window`.
    fn request_rate(&self, obs: Option<&Observability>, svc: &Service, window: &str) -> String;

    /// A signal of a service that does not serve HTTP (gRPC, queue consumer, batch job). Where
    /// the metric name is not standard, the query names it as a placeholder from
    /// [`Signal::placeholders`], which the caller records.
    fn signal(
        &self,
        obs: Option<&Observability>,
        svc: &Service,
        signal: Signal,
        window: &str,
    ) -> String;

    /// Whether the queries hold a placeholder the caller must record.
    fn needs_placeholder(&self, _obs: Option<&Observability>) -> bool {
        false
    }
}

/// The unit of a system, if registered (a test proves every system is).
pub fn unit(system: MetricsSystem) -> Option<&'static dyn MetricsSystemUnit> {
    SYSTEMS.iter().copied().find(|u| u.system() == system)
}

fn unit_of(obs: Option<&Observability>) -> &'static dyn MetricsSystemUnit {
    unit(obs.map(|o| o.metrics).unwrap_or(MetricsSystem::None)).unwrap_or(&none::NoSystem)
}

/// Error ratio (0..1) over `window` (e.g. `5m`).
pub fn error_ratio(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    unit_of(obs).error_ratio(obs, svc, window_or_default(window))
}

/// p99 latency in seconds (Prometheus) or ms (Datadog, CloudWatch) over `window`.
pub fn p99_latency(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    unit_of(obs).p99_latency(obs, svc, window_or_default(window))
}

/// Request rate over `window`, to tell a quiet canary from a healthy one.
pub fn request_rate(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    unit_of(obs).request_rate(obs, svc, window_or_default(window))
}

/// A signal of a non-HTTP service over `window`, in the declared metrics system.
pub fn signal(obs: Option<&Observability>, svc: &Service, signal: Signal, window: &str) -> String {
    unit_of(obs).signal(obs, svc, signal, window_or_default(window))
}

/// The signals of services that serve something other than HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Share of gRPC calls ending UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED or UNKNOWN.
    GrpcErrorRatio,
    /// p99 time to handle a gRPC call.
    GrpcP99Latency,
    /// Messages waiting for the consumer (offset lag or queue backlog).
    ConsumerLag,
    /// Messages the consumer failed to process, per second.
    ProcessingErrors,
    /// Messages moved to the dead-letter queue, per second.
    DeadLetterRate,
    /// Runs of the job that failed.
    FailedRuns,
    /// How long the last run took.
    RunDuration,
    /// Rows (or items) the last run processed.
    RowsProcessed,
}

impl Signal {
    /// The named placeholders a query of this signal may hold where no standard metric exists:
    /// `(name, what to fill in)`.
    pub fn placeholders(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Signal::GrpcErrorRatio | Signal::GrpcP99Latency => &[],
            Signal::ConsumerLag => &[(
                "CONSUMER_LAG_METRIC",
                "the consumer's lag metric (e.g. kafka_consumergroup_lag from kafka_exporter, kafka.consumer_lag in Datadog, ApproximateAgeOfOldestMessage of the SQS queue)",
            )],
            Signal::ProcessingErrors => &[(
                "PROCESSING_ERRORS_METRIC",
                "the counter of messages the consumer failed to process",
            )],
            Signal::DeadLetterRate => &[(
                "DEAD_LETTER_METRIC",
                "the counter of messages sent to the dead-letter queue (e.g. NumberOfMessagesSent of the SQS dead-letter queue)",
            )],
            Signal::FailedRuns => &[(
                "FAILED_RUNS_METRIC",
                "the counter of failed runs of the job (e.g. kube_job_status_failed from kube-state-metrics)",
            )],
            Signal::RunDuration => &[(
                "RUN_DURATION_METRIC",
                "the duration of the job's last run, in seconds",
            )],
            Signal::RowsProcessed => &[(
                "ROWS_PROCESSED_METRIC",
                "the number of rows or items the job's last run processed",
            )],
        }
    }
}

/// Whether the queries hold [`DD_OPERATION_PLACEHOLDER`], so the caller records it.
pub fn needs_dd_operation(obs: Option<&Observability>) -> bool {
    unit_of(obs).needs_placeholder(obs)
}

/// A window such as `5m` or `1h30m`; anything else falls back to `5m`.
fn window_or_default(w: &str) -> &str {
    let ok = !w.is_empty()
        && w.len() <= 16
        && w.chars()
            .all(|c| c.is_ascii_digit() || "smhdwy".contains(c))
        && w.starts_with(|c: char| c.is_ascii_digit())
        && w.ends_with(|c: char| "smhdwy".contains(c));
    if ok { w } else { "5m" }
}

/// Seconds in a simple window (`30s`, `5m`, `1h`, `1d`); 300 when it is not that simple.
fn period(w: &str) -> u64 {
    let (num, unit) = w.split_at(w.len().saturating_sub(1));
    let n: u64 = num.parse().unwrap_or(0);
    let mul = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => 0,
    };
    match n.saturating_mul(mul) {
        0 => 300,
        s => s,
    }
}
