//! `rollbook export`: the plan's triggers as a PrometheusRule, an Argo Rollouts AnalysisTemplate,
//! Flagger MetricTemplates and Datadog monitors, each validated against its schema (the CRD
//! OpenAPI schemas of the projects, Datadog's documented monitor body: tests/fixtures/export/).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn rollbook() -> Command {
    let mut c = Command::cargo_bin("rollbook").unwrap();
    c.current_dir(ROOT);
    c
}

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/export/{name}.schema.json"))
        .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn export(spec: &str, to: &str) -> String {
    let out = rollbook()
        .args(["export", spec, "--to", to])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn yaml_docs(text: &str) -> Vec<Value> {
    serde_saphyr::from_multiple(text).unwrap()
}

fn valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

/// The plan's fixed thresholds: (query, value in the query's unit) per threshold, in order.
fn plan_thresholds(spec: &str) -> Vec<(String, String)> {
    let out = rollbook()
        .args(["plan", spec, "--format", "json"])
        .assert()
        .success();
    let plan: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    plan["triggers"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["thresholds"].as_array().unwrap().clone())
        .filter(|t| !t["condition"].as_str().unwrap().contains("baseline"))
        // A query still to be written (a named placeholder) is not exported.
        .filter(|t| !t["query"].as_str().unwrap().starts_with('<'))
        .map(|t| {
            (
                t["query"].as_str().unwrap().to_string(),
                t["condition"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const PROMETHEUS_SPECS: [&str; 3] = [
    "examples/stateless-k8s.yaml",
    "examples/additive-migration-canary.yaml",
    "examples/k8s-manifests.yaml",
];

#[test]
fn prometheus_rules_validate_and_carry_the_plans_queries() {
    let v = schema("prometheusrule");
    for spec in PROMETHEUS_SPECS {
        let docs = yaml_docs(&export(spec, "prometheus-rule"));
        assert_eq!(docs.len(), 1, "{spec}");
        let d = &docs[0];
        assert_eq!(d["apiVersion"], "monitoring.coreos.com/v1");
        assert_eq!(d["kind"], "PrometheusRule");
        valid(&v, d);
        let rules = d["spec"]["groups"][0]["rules"].as_array().unwrap();
        let plan = plan_thresholds(spec);
        assert_eq!(rules.len(), plan.len(), "{spec}");
        for (rule, (query, _)) in rules.iter().zip(&plan) {
            let expr = rule["expr"].as_str().unwrap();
            assert!(expr.starts_with(&format!("({query}) > ")), "{expr}");
            let name = rule["alert"].as_str().unwrap();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
                "{name}"
            );
        }
    }
    // The stateless example: SLO 99.5% gives 7.2% fast burn; the p99 default is 1000 ms = 1 s,
    // held for 10m.
    let d = &yaml_docs(&export(PROMETHEUS_SPECS[0], "prometheus-rule"))[0];
    let rules = &d["spec"]["groups"][0]["rules"];
    assert!(rules[0]["expr"].as_str().unwrap().ends_with(") > 0.072"));
    assert!(rules[2]["expr"].as_str().unwrap().ends_with(") > 1"));
    assert_eq!(rules[2]["for"], "10m");
}

#[test]
fn argo_analysis_templates_validate() {
    let v = schema("analysistemplate");
    for spec in PROMETHEUS_SPECS {
        let docs = yaml_docs(&export(spec, "argo-analysis"));
        let d = &docs[0];
        assert_eq!(d["apiVersion"], "argoproj.io/v1alpha1");
        assert_eq!(d["kind"], "AnalysisTemplate");
        valid(&v, d);
        let plan = plan_thresholds(spec);
        let metrics = d["spec"]["metrics"].as_array().unwrap();
        assert_eq!(metrics.len(), plan.len());
        for (m, (query, _)) in metrics.iter().zip(&plan) {
            assert_eq!(
                m["provider"]["prometheus"]["query"].as_str(),
                Some(query.as_str())
            );
            assert_eq!(
                m["provider"]["prometheus"]["address"],
                "{{args.prometheus-address}}"
            );
            assert!(
                m["successCondition"]
                    .as_str()
                    .unwrap()
                    .starts_with("result[0] <= ")
            );
        }
    }
    let d = &yaml_docs(&export(PROMETHEUS_SPECS[0], "argo-analysis"))[0];
    // "sustained 2 consecutive evaluations": the second failure fails the analysis.
    assert_eq!(d["spec"]["metrics"][0]["failureLimit"], 1);
    assert_eq!(
        d["spec"]["metrics"][0]["successCondition"],
        "result[0] <= 0.072"
    );
}

#[test]
fn flagger_metric_templates_validate() {
    let v = schema("metrictemplate");
    for spec in PROMETHEUS_SPECS {
        let out = rollbook()
            .args(["export", spec, "--to", "flagger"])
            .assert()
            .success()
            .stderr(predicates::str::contains("fill <PROMETHEUS_ADDRESS>"));
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(text.contains("thresholdRange: {max: "), "{text}");
        let docs = yaml_docs(&text);
        assert_eq!(docs.len(), plan_thresholds(spec).len());
        for d in &docs {
            assert_eq!(d["apiVersion"], "flagger.app/v1beta1");
            assert_eq!(d["kind"], "MetricTemplate");
            valid(&v, d);
        }
    }
}

#[test]
fn datadog_monitors_validate_and_agree_with_their_thresholds() {
    let v = schema("datadog-monitor");
    let spec = "examples/destructive-migration-emails.yaml";
    let monitors: Value = serde_json::from_str(&export(spec, "datadog-monitor")).unwrap();
    let monitors = monitors.as_array().unwrap();
    let plan = plan_thresholds(spec);
    assert_eq!(monitors.len(), plan.len());
    for (m, (query, _)) in monitors.iter().zip(&plan) {
        valid(&v, m);
        let q = m["query"].as_str().unwrap();
        assert!(q.starts_with(query.as_str()), "{q}");
        // The query's threshold is the critical threshold.
        let critical = m["options"]["thresholds"]["critical"].as_f64().unwrap();
        let in_query: f64 = q.rsplit(' ').next().unwrap().parse().unwrap();
        assert_eq!(in_query, critical, "{q}");
    }
}

#[test]
fn export_refuses_a_metrics_system_it_cannot_write() {
    rollbook()
        .args([
            "export",
            "examples/stateless-k8s.yaml",
            "--to",
            "datadog-monitor",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--to datadog-monitor needs Datadog queries",
        ));
    rollbook()
        .args([
            "export",
            "examples/ecs-blue-green-mysql-backfill.yaml",
            "--to",
            "prometheus-rule",
        ])
        .assert()
        .code(2);
}

#[test]
fn relative_thresholds_are_named_not_exported() {
    rollbook()
        .args([
            "export",
            "examples/additive-migration-canary.yaml",
            "--to",
            "prometheus-rule",
        ])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("not exported:").and(predicates::str::contains("baseline")),
        );
}

#[test]
fn the_schemas_catch_a_broken_document() {
    // A test of the tests: a rule without `expr` and a monitor without a threshold fail.
    let broken_rule =
        serde_json::json!({"spec": {"groups": [{"name": "g", "rules": [{"alert": "A"}]}]}});
    assert!(!schema("prometheusrule").is_valid(&broken_rule));
    let broken_monitor = serde_json::json!({"name": "n", "type": "query alert", "query": "avg(last_5m):x", "message": "", "options": {}});
    assert!(!schema("datadog-monitor").is_valid(&broken_monitor));
}
