//! No metrics system declared: the queries say what to measure and where, in words.

use super::MetricsSystemUnit;
use crate::model::{MetricsSystem, Observability, Service};

pub struct NoSystem;

impl MetricsSystemUnit for NoSystem {
    fn system(&self) -> MetricsSystem {
        MetricsSystem::None
    }

    /// None: this is the absence of a system.
    fn words(&self) -> &'static [&'static str] {
        &[]
    }

    fn error_ratio(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        format!(
            "No metrics system is declared (architecture.observability.metrics): measure the share of requests to {} answered with 5xx over {w}, from the load balancer or access logs",
            svc.name
        )
    }

    fn p99_latency(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        format!(
            "No metrics system is declared (architecture.observability.metrics): measure the 99th percentile response time of {} over {w}, from the load balancer or access logs",
            svc.name
        )
    }

    fn request_rate(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
        format!(
            "No metrics system is declared (architecture.observability.metrics): count requests per second to {} over {w}, from the load balancer or access logs",
            svc.name
        )
    }
}
