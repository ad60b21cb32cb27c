//! No metrics system declared: the queries say what to measure and where, in words.

use super::{MetricsSystemUnit, Signal};
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

    fn signal(
        &self,
        _obs: Option<&Observability>,
        svc: &Service,
        signal: Signal,
        w: &str,
    ) -> String {
        let n = &svc.name;
        let what = match signal {
            Signal::GrpcErrorRatio => format!(
                "the share of gRPC calls to {n} ending UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED or UNKNOWN over {w}, from the server's logs or interceptors"
            ),
            Signal::GrpcP99Latency => {
                format!("the 99th percentile time {n} takes to handle a gRPC call over {w}")
            }
            Signal::ConsumerLag => format!(
                "the messages waiting for {n} (offset lag or queue backlog), highest over {w}, with the broker's own tools"
            ),
            Signal::ProcessingErrors => {
                format!("the messages {n} failed to process over {w}, from its logs")
            }
            Signal::DeadLetterRate => {
                format!("the messages {n} sent to the dead-letter queue over {w}")
            }
            Signal::FailedRuns => {
                format!("the runs of {n} that failed over {w}, from the scheduler")
            }
            Signal::RunDuration => format!("how long the last run of {n} took, from the scheduler"),
            Signal::RowsProcessed => {
                format!("the rows or items the last run of {n} processed, from its logs")
            }
        };
        format!(
            "No metrics system is declared (architecture.observability.metrics): measure {what}"
        )
    }
}
