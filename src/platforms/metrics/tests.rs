use crate::model::*;
use crate::platforms::metrics;

fn obs(m: MetricsSystem) -> Observability {
    Observability {
        metrics: m,
        dashboards: Vec::new(),
        request_metric: None,
        latency_metric: None,
        service_label: None,
    }
}

#[test]
fn prometheus_queries_escape_the_service_name() {
    let o = obs(MetricsSystem::Prometheus);
    let v = Service::named("check\"out\\");
    assert_eq!(
        metrics::error_ratio(Some(&o), &v, "5m"),
        "sum(rate(http_requests_total{service=\"check\\\"out\\\\\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{service=\"check\\\"out\\\\\"}[5m]))"
    );
    let mut o2 = obs(MetricsSystem::Prometheus);
    o2.latency_metric = Some("app_latency_seconds".into());
    o2.service_label = Some("app".into());
    assert_eq!(
        metrics::p99_latency(Some(&o2), &Service::named("checkout"), "30m"),
        "histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket{app=\"checkout\"}[30m])))"
    );
    assert_eq!(
        metrics::request_rate(Some(&o), &Service::named("checkout"), "5m]) or vector(1"),
        "sum(rate(http_requests_total{service=\"checkout\"}[5m]))"
    );
}

#[test]
fn datadog_cloudwatch_and_none() {
    let v = Service::named("Checkout API");
    let d = obs(MetricsSystem::Datadog);
    assert_eq!(
        metrics::error_ratio(Some(&d), &v, "5m"),
        "sum(last_5m):sum:trace.<DATADOG_TRACE_OPERATION>.errors{service:checkout_api}.as_count() / sum:trace.<DATADOG_TRACE_OPERATION>.hits{service:checkout_api}.as_count()"
    );
    assert_eq!(
        metrics::p99_latency(Some(&d), &v, "5m"),
        "avg(last_5m):p99:trace.<DATADOG_TRACE_OPERATION>{service:checkout_api} * 1000"
    );
    let c = obs(MetricsSystem::Cloudwatch);
    assert!(
        metrics::error_ratio(Some(&c), &v, "5m").contains(
            "HTTPCode_Target_5XX_Count (Sum), m2 = RequestCount (Sum); expression m1 / m2"
        )
    );
    let mut l = Service::named("fn");
    l.platform = Some(Platform::Lambda);
    assert!(
        metrics::error_ratio(Some(&c), &l, "1h")
            .contains("period 3600 s: m1 = Errors (Sum), m2 = Invocations (Sum)")
    );
    assert!(metrics::error_ratio(None, &v, "5m").starts_with("No metrics system is declared"));
}

/// A service that serves no HTTP is never watched by an HTTP metric, in any system.
#[test]
fn non_http_signals_hold_no_http_metric() {
    use metrics::Signal::*;
    let svc = Service::named("invoice-worker");
    for m in [
        MetricsSystem::Prometheus,
        MetricsSystem::Datadog,
        MetricsSystem::Cloudwatch,
        MetricsSystem::None,
    ] {
        let o = obs(m);
        for s in [
            GrpcErrorRatio,
            ConsumerLag,
            ProcessingErrors,
            DeadLetterRate,
            FailedRuns,
            RunDuration,
            RowsProcessed,
        ] {
            let q = metrics::signal(Some(&o), &svc, s, "5m").to_lowercase();
            assert!(
                !q.contains("http") && !q.contains("5xx"),
                "{m:?} {s:?}: {q}"
            );
            for (name, _) in s.placeholders() {
                if m != MetricsSystem::None {
                    assert!(
                        q.contains(&format!("<{}>", name.to_lowercase())),
                        "{m:?} {s:?}: {q}"
                    );
                }
            }
        }
    }
    let grpc = metrics::signal(
        Some(&obs(MetricsSystem::Prometheus)),
        &svc,
        GrpcErrorRatio,
        "5m",
    );
    assert!(grpc.contains("grpc_server_handled_total") && grpc.contains("Unavailable|Internal"));
}
