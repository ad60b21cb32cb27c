//! Prometheus: PromQL over a request counter and a latency histogram.
//! https://prometheus.io/docs/prometheus/latest/querying/basics/

use super::{MetricsSystemUnit, Signal};
use crate::model::{MetricsSystem, Observability, Service};

pub struct Prometheus;

impl MetricsSystemUnit for Prometheus {
    fn system(&self) -> MetricsSystem {
        MetricsSystem::Prometheus
    }

    fn words(&self) -> &'static [&'static str] {
        &["prometheus"]
    }

    fn error_ratio(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        let (req, _, sel) = names(obs, svc);
        format!("sum(rate({req}{{{sel},code=~\"5..\"}}[{w}])) / sum(rate({req}{{{sel}}}[{w}]))")
    }

    fn p99_latency(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        let (_, lat, sel) = names(obs, svc);
        format!("histogram_quantile(0.99, sum by (le) (rate({lat}_bucket{{{sel}}}[{w}])))")
    }

    fn request_rate(&self, obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        let (req, _, sel) = names(obs, svc);
        format!("sum(rate({req}{{{sel}}}[{w}]))")
    }

    // gRPC: the go-grpc-prometheus names (same in java-grpc-prometheus and the
    // go-grpc-middleware v2 provider); `grpc_code` holds the code in title case.
    // https://pkg.go.dev/github.com/grpc-ecosystem/go-grpc-prometheus
    // Job and consumer metrics have no standard name: a named placeholder.
    fn signal(
        &self,
        obs: Option<&Observability>,
        svc: &Service,
        signal: Signal,
        w: &str,
    ) -> String {
        let (_, _, sel) = names(obs, svc);
        match signal {
            Signal::GrpcErrorRatio => format!(
                "sum(rate(grpc_server_handled_total{{{sel},grpc_code=~\"Unavailable|Internal|DeadlineExceeded|Unknown\"}}[{w}])) / sum(rate(grpc_server_handled_total{{{sel}}}[{w}]))"
            ),
            Signal::GrpcP99Latency => format!(
                "histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket{{{sel}}}[{w}])))"
            ),
            Signal::ConsumerLag => {
                format!("max(max_over_time(<CONSUMER_LAG_METRIC>{{{sel}}}[{w}]))")
            }
            Signal::ProcessingErrors => {
                format!("sum(rate(<PROCESSING_ERRORS_METRIC>{{{sel}}}[{w}]))")
            }
            Signal::DeadLetterRate => format!("sum(rate(<DEAD_LETTER_METRIC>{{{sel}}}[{w}]))"),
            Signal::FailedRuns => format!("sum(increase(<FAILED_RUNS_METRIC>{{{sel}}}[{w}]))"),
            Signal::RunDuration => {
                format!("max(max_over_time(<RUN_DURATION_METRIC>{{{sel}}}[{w}]))")
            }
            Signal::RowsProcessed => {
                format!("sum(increase(<ROWS_PROCESSED_METRIC>{{{sel}}}[{w}]))")
            }
        }
    }
}

/// Request metric, latency histogram and the service selector (`label="name"`).
fn names(obs: Option<&Observability>, svc: &Service) -> (String, String, String) {
    let pick = |v: Option<&String>, d: &str| {
        v.map(|s| prom_name(s, false))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| d.to_string())
    };
    let req = pick(
        obs.and_then(|o| o.request_metric.as_ref()),
        "http_requests_total",
    );
    let lat = pick(
        obs.and_then(|o| o.latency_metric.as_ref()),
        "http_request_duration_seconds",
    );
    let label = obs
        .and_then(|o| o.service_label.as_ref())
        .map(|s| prom_name(s, true))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "service".to_string());
    let sel = format!("{label}=\"{}\"", promql_string(&svc.name));
    (req, lat, sel)
}

/// Escapes a value for a PromQL double-quoted string.
pub(crate) fn promql_string(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A valid metric (`[a-zA-Z_:][a-zA-Z0-9_:]*`) or label (`[a-zA-Z_][a-zA-Z0-9_]*`) name: other
/// characters become `_`.
fn prom_name(s: &str, label: bool) -> String {
    let mut out: String = s
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || (!label && c == ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}
