//! Executable triggers: the Rollback Trigger Criteria written for the tools that act on them, from
//! the same thresholds and queries as the plan's triggers section.
//!
//! - `prometheus-rule`: a prometheus-operator `PrometheusRule` (monitoring.coreos.com/v1), one
//!   alerting rule per threshold: `expr` is the plan's query compared with the threshold.
//! - `argo-analysis`: an Argo Rollouts `AnalysisTemplate` (argoproj.io/v1alpha1), one metric per
//!   threshold with a Prometheus provider whose address is the template argument
//!   `prometheus-address` (given by the Rollout).
//! - `flagger`: Flagger `MetricTemplate`s (flagger.app/v1beta1), one per threshold; the Canary's
//!   `analysis.metrics` entries with their `thresholdRange` follow as a comment to paste.
//! - `datadog-monitor`: a JSON array of Datadog metric monitors (`type: query alert`), one per
//!   threshold, each a body for `POST /api/v1/monitor`.
//!
//! Thresholds relative to a baseline (traffic) have no fixed value and are not exported; they are
//! listed in [`Export::skipped`].

use crate::base::error::{Error, Result};
use crate::model::MetricsSystem;
use crate::plan::model::{Plan, Threshold};
use serde_json::{Value, json};

/// The formats `rollbook export --to` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// prometheus-operator PrometheusRule (YAML).
    PrometheusRule,
    /// Argo Rollouts AnalysisTemplate (YAML).
    ArgoAnalysis,
    /// Flagger MetricTemplates (YAML).
    Flagger,
    /// Datadog monitors (JSON array).
    DatadogMonitor,
}

impl Target {
    fn system(self) -> MetricsSystem {
        match self {
            Target::DatadogMonitor => MetricsSystem::Datadog,
            _ => MetricsSystem::Prometheus,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Target::PrometheusRule => "prometheus-rule",
            Target::ArgoAnalysis => "argo-analysis",
            Target::Flagger => "flagger",
            Target::DatadogMonitor => "datadog-monitor",
        }
    }
}

/// The exported text and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub text: String,
    /// `service: signal (condition)` of each threshold not exported, and why.
    pub skipped: Vec<String>,
    /// Placeholders the output holds, to fill before applying it.
    pub placeholders: Vec<String>,
}

/// A threshold with a fixed value: `query op value`, in the query's own unit.
#[derive(Debug, Clone)]
pub struct Fixed<'a> {
    pub service: &'a str,
    pub threshold: &'a Threshold,
    /// `>` or `<` (or `>=`, `<=`): when it fires.
    pub op: &'a str,
    pub value: f64,
    /// The evaluation window (`5m`).
    pub window: String,
    /// How long it must hold before acting (`10m`), when the plan says.
    pub sustained: Option<String>,
    /// Consecutive evaluations it must hold, when the plan says so instead of a duration.
    pub evaluations: Option<u32>,
}

/// Reads the plan's condition (`> 7.2%`, `> 1000 ms (SLO)`) as an operator and a value in the
/// unit the query returns: a ratio for `%`, seconds or milliseconds for `ms` as the query says.
/// `None` for a relative condition (`< 50% of the pre-deploy baseline`).
pub fn parse_condition<'c>(
    condition: &'c str,
    query: &str,
    system: MetricsSystem,
) -> Option<(&'c str, f64)> {
    let c = condition.trim();
    // A trailing `(source)` names where the value came from.
    let c = match c.find(" (") {
        Some(i) if c.ends_with(')') => &c[..i],
        _ => c,
    };
    let (op, rest) = c.split_once(' ')?;
    if !matches!(op, ">" | "<" | ">=" | "<=") {
        return None;
    }
    let rest = rest.trim();
    if let Some(n) = rest.strip_suffix('%') {
        let v: f64 = n.parse().ok()?;
        return Some((op, tidy(v / 100.0)));
    }
    if let Some(n) = rest.strip_suffix(" ms") {
        let v: f64 = n.parse().ok()?;
        let in_ms = match system {
            // The Datadog query multiplies the trace distribution (seconds) by 1000.
            MetricsSystem::Datadog => query.contains("* 1000"),
            // Prometheus histograms are in seconds by convention; a histogram named in ms is not.
            _ => query.contains("_milliseconds") || query.contains("_ms_"),
        };
        return Some((op, if in_ms { v } else { tidy(v / 1000.0) }));
    }
    None
}

/// A quotient without the binary noise of the division (`7.2 / 100` is `0.072`, not
/// `0.07200000000000001`): 9 decimals are far below any threshold's precision.
fn tidy(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// `5m, sustained 10m` → window `5m`, sustained `10m`; `5m, sustained 2 consecutive
/// evaluations` → 2 evaluations.
fn parse_window(window: &str) -> (String, Option<String>, Option<u32>) {
    let mut parts = window.split(',').map(str::trim);
    let w = parts.next().unwrap_or("5m").to_string();
    let (mut sustained, mut evaluations) = (None, None);
    for p in parts {
        if let Some(rest) = p.strip_prefix("sustained ") {
            if let Some(n) = rest.strip_suffix(" consecutive evaluations") {
                evaluations = n.parse().ok();
            } else if is_duration(rest) {
                sustained = Some(rest.to_string());
            }
        }
    }
    (w, sustained, evaluations)
}

fn is_duration(s: &str) -> bool {
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && matches!(unit, "s" | "m" | "h")
}

fn seconds(d: &str) -> Option<u64> {
    if !is_duration(d) {
        return None;
    }
    let (n, unit) = d.split_at(d.len() - 1);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "s" => n,
        "m" => n * 60,
        _ => n * 3600,
    })
}

/// The thresholds of the plan that have a fixed value, and the others with the reason.
pub fn fixed(plan: &Plan, system: MetricsSystem) -> (Vec<Fixed<'_>>, Vec<String>) {
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for s in &plan.triggers.services {
        for t in &s.thresholds {
            match parse_condition(&t.condition, &t.query, system) {
                Some((op, value)) => {
                    let (window, sustained, evaluations) = parse_window(&t.window);
                    out.push(Fixed {
                        service: &s.service,
                        threshold: t,
                        op,
                        value,
                        window,
                        sustained,
                        evaluations,
                    });
                }
                None => skipped.push(format!(
                    "{}: {} ({}): not a fixed threshold",
                    s.service, t.signal, t.condition
                )),
            }
        }
    }
    (out, skipped)
}

/// Writes the triggers of `plan` for `target`. The spec's metrics system must be the one the
/// target reads (Prometheus, or Datadog for monitors): the queries are written in it.
pub fn export(plan: &Plan, system: MetricsSystem, target: Target) -> Result<Export> {
    if system != target.system() {
        return Err(Error::Usage(format!(
            "--to {} needs {:?} queries, and this spec's metrics system is {}\n  help: set `architecture.observability.metrics: {}` if that is where the metrics are",
            target.name(),
            target.system(),
            match system {
                MetricsSystem::None => "not set".to_string(),
                other => format!("`{}`", system_name(other)),
            },
            system_name(target.system())
        )));
    }
    let (fixed, skipped) = fixed(plan, system);
    if fixed.is_empty() {
        return Err(Error::Usage(format!(
            "the plan has no threshold with a fixed value to export to {}",
            target.name()
        )));
    }
    let name = k8s_name(&plan.deployment.name);
    let (text, placeholders) = match target {
        Target::PrometheusRule => (yaml(&[prometheus_rule(&name, &fixed)])?, vec![]),
        Target::ArgoAnalysis => (yaml(&[argo_analysis(&name, &fixed)])?, vec![]),
        Target::Flagger => flagger(&name, &fixed)?,
        Target::DatadogMonitor => {
            let mut s = serde_json::to_string_pretty(&datadog_monitors(plan, &fixed))
                .map_err(|e| Error::Usage(e.to_string()))?;
            s.push('\n');
            (s, vec![])
        }
    };
    Ok(Export {
        text,
        skipped,
        placeholders,
    })
}

fn yaml(docs: &[Value]) -> Result<String> {
    let mut out = String::new();
    for d in docs {
        out.push_str("---\n");
        let y = serde_saphyr::to_string(d)
            .map_err(|e| Error::Usage(format!("cannot write YAML: {e}")))?;
        out.push_str(&y);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// A Kubernetes object name (RFC 1123 subdomain): lower case, `[a-z0-9.-]`, at most 253.
pub fn k8s_name(s: &str) -> String {
    let mut n: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    n.truncate(200);
    let n = n
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    if n.is_empty() {
        "rollbook".to_string()
    } else {
        n
    }
}

/// The spec's spelling of a metrics system (`prometheus`, `datadog`).
fn system_name(m: MetricsSystem) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{m:?}").to_lowercase())
}

/// `error ratio (fast burn)` → `error-ratio-fast-burn`. Secrets are masked first: once slugged,
/// `ghp_…` no longer looks like a token to the output's redaction layer.
fn kebab(s: &str) -> String {
    let s = crate::base::redact::secrets(s);
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// `notifications-api` + `p99 latency` → `NotificationsApiP99Latency` (a Prometheus alert name).
fn camel(parts: &[&str]) -> String {
    let mut out = String::from("Rollback");
    for p in parts {
        let p = crate::base::redact::secrets(p);
        for w in p.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        }
    }
    out
}

/// A number as the tools read it: no exponent, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn severity(action: &str) -> &'static str {
    if action.starts_with("roll back") || action.contains("roll back now") {
        "critical"
    } else {
        "warning"
    }
}

fn metric_name(f: &Fixed) -> String {
    kebab(&format!("{} {}", f.service, f.threshold.signal))
}

/// The rule group's evaluation interval, set so "N consecutive evaluations" is an exact `for:`.
const EVALUATION_INTERVAL: &str = "1m";

/// The PrometheusRule: docs at https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
fn prometheus_rule(name: &str, fixed: &[Fixed]) -> Value {
    let rules: Vec<Value> = fixed
        .iter()
        .map(|f| {
            let mut rule = json!({
                "alert": camel(&[f.service, &f.threshold.signal]),
                "expr": format!("({}) {} {}", f.threshold.query, f.op, num(f.value)),
            });
            if let Some(d) = &f.sustained {
                rule["for"] = json!(d);
            } else if let Some(n) = f.evaluations.filter(|n| *n > 1) {
                // N consecutive evaluations at the group's 1m interval hold for N-1 minutes.
                rule["for"] = json!(format!("{}m", n - 1));
            }
            rule["labels"] = json!({
                "severity": severity(&f.threshold.action),
                "service": f.service,
                "rollbook_signal": kebab(&f.threshold.signal),
            });
            rule["annotations"] = json!({
                "summary": format!("{}: {} {} over {}", f.service, f.threshold.signal, f.threshold.condition, f.threshold.window),
                "description": format!("Rollback trigger from the rollbook plan: {}.", f.threshold.action),
            });
            rule
        })
        .collect();
    json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": format!("{name}-rollback-triggers"), "labels": {"app.kubernetes.io/managed-by": "rollbook"}},
        "spec": {"groups": [{"name": format!("{name}.rollback-triggers"), "interval": EVALUATION_INTERVAL, "rules": rules}]},
    })
}

/// Measurements that may fail before the analysis fails: one fewer than the evaluations (or the
/// sustained time over the interval) the plan asks for.
fn failure_limit(f: &Fixed) -> u64 {
    if let Some(n) = f.evaluations {
        return u64::from(n.saturating_sub(1));
    }
    match (f.sustained.as_deref().and_then(seconds), seconds(&f.window)) {
        (Some(s), Some(i)) if i > 0 => s.div_ceil(i).saturating_sub(1),
        _ => 0,
    }
}

/// The opposite comparison, as a success condition: the threshold fires on `>`, so success is
/// `<=`.
fn success_op(op: &str) -> &'static str {
    match op {
        ">" => "<=",
        ">=" => "<",
        "<" => ">=",
        _ => ">",
    }
}

/// The AnalysisTemplate: docs at https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
fn argo_analysis(name: &str, fixed: &[Fixed]) -> Value {
    let metrics: Vec<Value> = fixed
        .iter()
        .map(|f| {
            json!({
                "name": metric_name(f),
                "interval": f.window,
                "successCondition": format!("result[0] {} {}", success_op(f.op), num(f.value)),
                "failureLimit": failure_limit(f),
                "provider": {"prometheus": {
                    "address": "{{args.prometheus-address}}",
                    "query": f.threshold.query,
                }},
            })
        })
        .collect();
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisTemplate",
        "metadata": {"name": format!("{name}-rollback-triggers"), "labels": {"app.kubernetes.io/managed-by": "rollbook"}},
        "spec": {
            "args": [{"name": "prometheus-address"}],
            "metrics": metrics,
        },
    })
}

/// Flagger MetricTemplates: docs at https://docs.flagger.app/usage/metrics#custom-metrics
fn flagger(name: &str, fixed: &[Fixed]) -> Result<(String, Vec<String>)> {
    let address = "<PROMETHEUS_ADDRESS>";
    let docs: Vec<Value> = fixed
        .iter()
        .map(|f| {
            json!({
                "apiVersion": "flagger.app/v1beta1",
                "kind": "MetricTemplate",
                "metadata": {"name": k8s_name(&format!("{name}-{}", metric_name(f))), "labels": {"app.kubernetes.io/managed-by": "rollbook"}},
                "spec": {
                    "provider": {"type": "prometheus", "address": address},
                    "query": f.threshold.query,
                },
            })
        })
        .collect();
    let mut text = format!(
        "# Flagger MetricTemplates from the rollbook plan's triggers. Fill {address} (the\n# Prometheus URL), then add to the Canary's spec.analysis.metrics:\n"
    );
    for f in fixed {
        let range = match f.op {
            ">" | ">=" => format!("max: {}", num(f.value)),
            _ => format!("min: {}", num(f.value)),
        };
        text.push_str(&format!(
            "#   - name: {}\n#     templateRef: {{name: {}}}\n#     thresholdRange: {{{range}}}\n#     interval: {}\n",
            metric_name(f),
            k8s_name(&format!("{name}-{}", metric_name(f))),
            f.window
        ));
    }
    text.push_str(&yaml(&docs)?);
    Ok((text, vec![address.to_string()]))
}

/// Datadog monitors: docs at https://docs.datadoghq.com/api/latest/monitors/#create-a-monitor
/// A metric monitor's query ends with the comparison, whose value is also
/// `options.thresholds.critical`.
fn datadog_monitors(plan: &Plan, fixed: &[Fixed]) -> Value {
    let notify = plan.triggers.notify.join(" ");
    Value::Array(
        fixed
            .iter()
            .map(|f| {
                json!({
                    "name": format!("[rollbook] {}: {} {}", f.service, f.threshold.signal, f.threshold.condition),
                    "type": "query alert",
                    "query": format!("{} {} {}", f.threshold.query, f.op, num(f.value)),
                    "message": format!("Rollback trigger for {} ({}): {}. Decision: {}. {notify}", plan.deployment.name, f.threshold.window, f.threshold.action, plan.triggers.decision_maker),
                    "tags": [format!("service:{}", f.service), "managed-by:rollbook".to_string(), format!("rollbook-signal:{}", kebab(&f.threshold.signal))],
                    "options": {
                        "thresholds": {"critical": f.value},
                        "notify_no_data": false,
                        "include_tags": true,
                    },
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_become_values_in_the_query_unit() {
        let prom = MetricsSystem::Prometheus;
        assert_eq!(parse_condition("> 7.2%", "q", prom), Some((">", 0.072)));
        assert_eq!(
            parse_condition(
                "> 1000 ms (default)",
                "histogram_quantile(0.99, x_seconds_bucket)",
                prom
            ),
            Some((">", 1.0))
        );
        assert_eq!(
            parse_condition("> 250 ms (SLO)", "a * 1000", MetricsSystem::Datadog),
            Some((">", 250.0))
        );
        assert_eq!(
            parse_condition("< 50% of the pre-deploy baseline", "q", prom),
            None
        );
        assert_eq!(parse_condition("about 3", "q", prom), None);
    }

    #[test]
    fn windows_give_interval_and_how_long_it_holds() {
        assert_eq!(
            parse_window("5m, sustained 10m"),
            ("5m".into(), Some("10m".into()), None)
        );
        assert_eq!(
            parse_window("5m, sustained 2 consecutive evaluations"),
            ("5m".into(), None, Some(2))
        );
        assert_eq!(parse_window("30m"), ("30m".into(), None, None));
    }

    #[test]
    fn names_fit_their_tools() {
        assert_eq!(
            k8s_name("Notifications API_2.14.1"),
            "notifications-api-2.14.1"
        );
        assert_eq!(k8s_name("--"), "rollbook");
        assert_eq!(kebab("error ratio (fast burn)"), "error-ratio-fast-burn");
        // A token in a name is masked before it is slugged out of the redaction layer's sight.
        let token = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        assert!(!kebab(&format!("orders api {token}")).contains("abcdefghij"));
        assert!(!camel(&[&format!("orders {token}")]).contains("AbCdEfGhIj"));
        assert_eq!(
            camel(&["notifications-api", "p99 latency"]),
            "RollbackNotificationsApiP99Latency"
        );
        assert_eq!(num(0.072), "0.072");
        assert_eq!(num(1.0), "1");
    }
}
