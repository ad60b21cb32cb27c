//! Datadog: APM trace metrics of the service.
//! https://docs.datadoghq.com/tracing/metrics/metrics_namespace/

use super::{MetricsSystemUnit, Signal};
use crate::model::{MetricsSystem, Observability, Service};

pub struct Datadog;

/// Placeholder for the Datadog trace operation name when the spec does not give it.
pub const DD_OPERATION_PLACEHOLDER: &str = "DATADOG_TRACE_OPERATION";

impl MetricsSystemUnit for Datadog {
    fn system(&self) -> MetricsSystem {
        MetricsSystem::Datadog
    }

    fn words(&self) -> &'static [&'static str] {
        &["datadog"]
    }

    fn error_ratio(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        let s = dd_tag(&svc.name);
        let op = dd_operation(obs);
        format!(
            "sum(last_{w}):sum:trace.{op}.errors{{service:{s}}}.as_count() / sum:trace.{op}.hits{{service:{s}}}.as_count()"
        )
    }

    // The trace distribution is in seconds; * 1000 gives ms.
    fn p99_latency(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        format!(
            "avg(last_{w}):p99:trace.{}{{service:{}}} * 1000",
            dd_operation(obs),
            dd_tag(&svc.name)
        )
    }

    fn request_rate(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        format!(
            "sum(last_{w}):sum:trace.{}.hits{{service:{}}}.as_rate()",
            dd_operation(obs),
            dd_tag(&svc.name)
        )
    }

    // gRPC: the trace metrics of the server span (its operation is the placeholder above when
    // not given); errors are the spans the tracer marks failed, i.e. non-OK status codes.
    // https://docs.datadoghq.com/tracing/metrics/metrics_namespace/
    // Consumer and job metrics depend on the integration: a named placeholder.
    fn signal(
        &self,
        obs: Option<&Observability>,
        svc: &Service,
        signal: Signal,
        w: &str,
    ) -> String {
        let s = dd_tag(&svc.name);
        match signal {
            Signal::GrpcErrorRatio => self.error_ratio(obs, svc, w),
            Signal::GrpcP99Latency => self.p99_latency(obs, svc, w),
            Signal::ConsumerLag => {
                format!("max(last_{w}):max:<CONSUMER_LAG_METRIC>{{service:{s}}}")
            }
            Signal::ProcessingErrors => {
                format!("sum(last_{w}):sum:<PROCESSING_ERRORS_METRIC>{{service:{s}}}.as_rate()")
            }
            Signal::DeadLetterRate => {
                format!("sum(last_{w}):sum:<DEAD_LETTER_METRIC>{{service:{s}}}.as_rate()")
            }
            Signal::FailedRuns => {
                format!("sum(last_{w}):sum:<FAILED_RUNS_METRIC>{{service:{s}}}.as_count()")
            }
            Signal::RunDuration => {
                format!("max(last_{w}):max:<RUN_DURATION_METRIC>{{service:{s}}}")
            }
            Signal::RowsProcessed => {
                format!("sum(last_{w}):sum:<ROWS_PROCESSED_METRIC>{{service:{s}}}.as_count()")
            }
        }
    }

    fn needs_placeholder(&self, obs: Option<&Observability>) -> bool {
        obs.and_then(|o| o.request_metric.as_deref())
            .is_none_or(|m| dd_operation_name(m).is_empty())
    }
}

/// The span operation name of the service's trace metrics (`trace.<OPERATION>.hits`): it
/// depends on the tracer integration (`express.request`, `flask.request`, `http.request`, ...),
/// so it comes from `observability.request_metric` or stays a placeholder; never a guess.
/// https://docs.datadoghq.com/tracing/metrics/metrics_namespace/
fn dd_operation(obs: Option<&Observability>) -> String {
    match obs
        .and_then(|o| o.request_metric.as_deref())
        .map(dd_operation_name)
    {
        Some(op) if !op.is_empty() => op,
        _ => format!("<{DD_OPERATION_PLACEHOLDER}>"),
    }
}

/// `trace.express.request.hits` or `express.request` → `express.request`.
fn dd_operation_name(m: &str) -> String {
    let m = m.trim();
    let m = m.strip_prefix("trace.").unwrap_or(m);
    let m = m
        .strip_suffix(".hits")
        .or_else(|| m.strip_suffix(".errors"))
        .unwrap_or(m);
    m.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect()
}

/// Datadog tag values are lowercased and characters outside `[a-z0-9_.:/-]` become `_`.
fn dd_tag(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || "_.:/-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
