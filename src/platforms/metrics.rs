//! Queries in the user's metrics system (PromQL, Datadog, CloudWatch).

use crate::model::{MetricsSystem, Observability, Platform, Service};

/// Error ratio (0..1) over `window` (e.g. `5m`).
pub fn error_ratio(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let w = window_or_default(window);
    match system(obs) {
        MetricsSystem::Prometheus => {
            let (req, _, sel) = prom(obs, svc);
            format!("sum(rate({req}{{{sel},code=~\"5..\"}}[{w}])) / sum(rate({req}{{{sel}}}[{w}]))")
        }
        MetricsSystem::Datadog => {
            let s = dd_tag(&svc.name);
            let op = dd_operation(obs);
            format!(
                "sum(last_{w}):sum:trace.{op}.errors{{service:{s}}}.as_count() / sum:trace.{op}.hits{{service:{s}}}.as_count()"
            )
        }
        MetricsSystem::Cloudwatch => {
            let p = period(w);
            if svc.platform == Some(Platform::Lambda) {
                format!(
                    "CloudWatch metric math, namespace AWS/Lambda, FunctionName={f}, period {p} s: m1 = Errors (Sum), m2 = Invocations (Sum); expression m1 / m2",
                    f = svc.resource_name()
                )
            } else {
                format!(
                    "CloudWatch metric math, namespace AWS/ApplicationELB, dimensions LoadBalancer and TargetGroup of {n}, period {p} s: m1 = HTTPCode_Target_5XX_Count (Sum), m2 = RequestCount (Sum); expression m1 / m2",
                    n = svc.name
                )
            }
        }
        MetricsSystem::None => format!(
            "No metrics system is declared (architecture.observability.metrics): measure the share of requests to {} answered with 5xx over {w}, from the load balancer or access logs",
            svc.name
        ),
    }
}

/// p99 latency in seconds (Prometheus) or ms (Datadog, CloudWatch) over `window`.
pub fn p99_latency(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let w = window_or_default(window);
    match system(obs) {
        MetricsSystem::Prometheus => {
            let (_, lat, sel) = prom(obs, svc);
            format!("histogram_quantile(0.99, sum by (le) (rate({lat}_bucket{{{sel}}}[{w}])))")
        }
        // The trace distribution is in seconds; * 1000 gives ms.
        MetricsSystem::Datadog => format!(
            "avg(last_{w}):p99:trace.{}{{service:{}}} * 1000",
            dd_operation(obs),
            dd_tag(&svc.name)
        ),
        MetricsSystem::Cloudwatch => {
            let p = period(w);
            if svc.platform == Some(Platform::Lambda) {
                format!(
                    "CloudWatch metric, namespace AWS/Lambda, FunctionName={f}, Duration, statistic p99, period {p} s (ms)",
                    f = svc.resource_name()
                )
            } else {
                format!(
                    "CloudWatch metric math, namespace AWS/ApplicationELB, dimensions LoadBalancer and TargetGroup of {n}, period {p} s: m1 = TargetResponseTime (p99, seconds); expression m1 * 1000 (ms)",
                    n = svc.name
                )
            }
        }
        MetricsSystem::None => format!(
            "No metrics system is declared (architecture.observability.metrics): measure the 99th percentile response time of {} over {w}, from the load balancer or access logs",
            svc.name
        ),
    }
}

/// Request rate over `window`, to tell a quiet canary from a healthy one.
pub fn request_rate(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let w = window_or_default(window);
    match system(obs) {
        MetricsSystem::Prometheus => {
            let (req, _, sel) = prom(obs, svc);
            format!("sum(rate({req}{{{sel}}}[{w}]))")
        }
        MetricsSystem::Datadog => format!(
            "sum(last_{w}):sum:trace.{}.hits{{service:{}}}.as_rate()",
            dd_operation(obs),
            dd_tag(&svc.name)
        ),
        MetricsSystem::Cloudwatch => {
            let p = period(w);
            if svc.platform == Some(Platform::Lambda) {
                format!(
                    "CloudWatch metric math, namespace AWS/Lambda, FunctionName={f}, period {p} s: m1 = Invocations (Sum); expression m1 / {p} (per second)",
                    f = svc.resource_name()
                )
            } else {
                format!(
                    "CloudWatch metric math, namespace AWS/ApplicationELB, dimensions LoadBalancer and TargetGroup of {n}, period {p} s: m1 = RequestCount (Sum); expression m1 / {p} (per second)",
                    n = svc.name
                )
            }
        }
        MetricsSystem::None => format!(
            "No metrics system is declared (architecture.observability.metrics): count requests per second to {} over {w}, from the load balancer or access logs",
            svc.name
        ),
    }
}

/// Placeholder for the Datadog trace operation name when the spec does not give it.
pub const DD_OPERATION_PLACEHOLDER: &str = "DATADOG_TRACE_OPERATION";

/// Whether the queries hold [`DD_OPERATION_PLACEHOLDER`], so the caller records it.
pub fn needs_dd_operation(obs: Option<&Observability>) -> bool {
    system(obs) == MetricsSystem::Datadog
        && obs
            .and_then(|o| o.request_metric.as_deref())
            .is_none_or(|m| dd_operation_name(m).is_empty())
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

fn system(obs: Option<&Observability>) -> MetricsSystem {
    obs.map(|o| o.metrics).unwrap_or(MetricsSystem::None)
}

/// Request metric, latency histogram and the service selector (`label="name"`).
fn prom(obs: Option<&Observability>, svc: &Service) -> (String, String, String) {
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
