//! Amazon CloudWatch: metric math over Lambda or Application Load Balancer metrics.
//! https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html

use super::{MetricsSystemUnit, period};
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
}
