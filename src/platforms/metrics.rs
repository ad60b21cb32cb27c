//! Queries in the user's metrics system (PromQL, Datadog, CloudWatch).

use crate::spec::model::{Observability, Service};

/// Error ratio (0..1) over `window` (e.g. `5m`).
pub fn error_ratio(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let _ = (obs, svc, window);
    todo!()
}

/// p99 latency in seconds (Prometheus) or ms (Datadog, CloudWatch) over `window`.
pub fn p99_latency(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let _ = (obs, svc, window);
    todo!()
}

/// Request rate over `window`, to tell a quiet canary from a healthy one.
pub fn request_rate(obs: Option<&Observability>, svc: &Service, window: &str) -> String {
    let _ = (obs, svc, window);
    todo!()
}
