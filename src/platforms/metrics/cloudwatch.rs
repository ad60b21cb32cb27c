//! Amazon CloudWatch: metric math over Lambda or Application Load Balancer metrics.
//! https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html

use super::{MetricsSystemUnit, Signal, period};
use crate::model::{MetricsSystem, Observability, Platform, Service};

pub struct Cloudwatch;

impl MetricsSystemUnit for Cloudwatch {
    fn system(&self) -> MetricsSystem {
        MetricsSystem::Cloudwatch
    }

    fn words(&self) -> &'static [&'static str] {
        &["cloudwatch"]
    }

    fn error_ratio(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
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

    fn p99_latency(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
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

    fn request_rate(&self, _obs: Option<&Observability>, svc: &Service, w: &str) -> String {
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

    // gRPC status codes are not among the ALB or Lambda metrics: the service's own metrics.
    // Queues (SQS): ApproximateAgeOfOldestMessage, and NumberOfMessagesSent on the dead-letter
    // queue, dimension QueueName.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    fn signal(
        &self,
        _obs: Option<&Observability>,
        svc: &Service,
        signal: Signal,
        w: &str,
    ) -> String {
        let p = period(w);
        let n = &svc.name;
        match signal {
            Signal::GrpcErrorRatio => format!(
                "CloudWatch metric math over the gRPC status metrics {n} publishes, period {p} s: m1 = calls ending UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED or UNKNOWN (Sum), m2 = all calls (Sum); expression m1 / m2"
            ),
            Signal::GrpcP99Latency => format!(
                "CloudWatch metric, the gRPC handling time {n} publishes, statistic p99, period {p} s"
            ),
            Signal::ConsumerLag => format!(
                "CloudWatch metric <CONSUMER_LAG_METRIC> of the queue {n} reads (for SQS: namespace AWS/SQS, ApproximateAgeOfOldestMessage, dimension QueueName), statistic Maximum, period {p} s"
            ),
            Signal::ProcessingErrors => format!(
                "CloudWatch metric <PROCESSING_ERRORS_METRIC> of {n}, statistic Sum, period {p} s"
            ),
            Signal::DeadLetterRate => format!(
                "CloudWatch metric <DEAD_LETTER_METRIC> (for SQS: namespace AWS/SQS, NumberOfMessagesSent of the dead-letter queue, dimension QueueName), statistic Sum, period {p} s"
            ),
            Signal::FailedRuns => format!(
                "CloudWatch metric <FAILED_RUNS_METRIC> of {n}, statistic Sum, period {p} s"
            ),
            Signal::RunDuration => format!(
                "CloudWatch metric <RUN_DURATION_METRIC> of {n}, statistic Maximum, period {p} s"
            ),
            Signal::RowsProcessed => format!(
                "CloudWatch metric <ROWS_PROCESSED_METRIC> of {n}, statistic Sum, period {p} s"
            ),
        }
    }
}
