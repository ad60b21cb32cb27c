use super::*;
use crate::assess::Level;
use crate::evidence::Evidence;
use crate::plan::model::*;

fn plan() -> Plan {
    let step = |n: u32, destructive: bool| Step {
        number: n,
        title: format!("step {n}"),
        component: "checkout".into(),
        commands: vec![Cmd::new("kubectl rollout undo").val("deployment/checkout")],
        verify: vec![Cmd::new("kubectl rollout status").val("deployment/checkout")],
        success: "all pods ready".into(),
        estimate_minutes: 3,
        estimate_source: EstimateSource::Default,
        destructive,
        notes: vec![],
    };
    Plan {
        format_version: 1,
        deployment: DeploymentInfo {
            name: "# evil | name".into(),
            version: "v2".into(),
            previous_version: "v1".into(),
            summary: Some("<script>alert(1)</script>".into()),
            planned_start: None,
            ticket: None,
            source: "rollbook.yaml".into(),
        },
        sections: vec![],
        classification: Classification {
            level: Level::Complex,
            title: Level::Complex.title().into(),
            estimated_minutes: 25,
            band_note: None,
            reasons: vec![Reason {
                rule: "RB101".into(),
                message: "drops a column".into(),
                evidence: Evidence::at("m.sql", 3, 1).with_excerpt("ALTER TABLE t DROP COLUMN c"),
            }],
            mitigation: vec![],
        },
        go_no_go: GoNoGo {
            checks: vec![Check {
                queries: Vec::new(),
                title: "backup is fresh".into(),
                commands: vec![Cmd::new("echo").val("a ```` b")],
                expect: "a line".into(),
            }],
            approvals: vec![],
            window: WindowVerdict {
                planned_start: None,
                verdict: "unknown".into(),
                detail: "no planned start".into(),
            },
            no_go_triggers: vec![],
        },
        triggers: Triggers {
            services: vec![ServiceTriggers {
                service: "checkout".into(),
                basis: "SLO 99.9%".into(),
                thresholds: vec![Threshold {
                    signal: "error ratio".into(),
                    condition: "a | b > 1%".into(),
                    window: "5m".into(),
                    query: "sum(rate(x[5m]))".into(),
                    action: "roll back".into(),
                }],
                health_check: None,
                critical_flows: vec![],
            }],
            data_checks: vec![],
            decision_maker: "@alice".into(),
            notify: vec![],
            dashboards: vec![],
        },
        procedure: Procedure {
            ordering: vec![],
            steps: vec![step(1, false), step(2, true)],
            not_reverted: vec![],
        },
        data_recovery: DataRecovery {
            summary: "No data store is touched.".into(),
            stores: vec![],
            external: vec![],
        },
        rollout: Rollout {
            summary: String::new(),
            stages: vec![],
            share_of: "traffic".into(),
            flags: vec![],
            mechanism: vec![],
        },
        communication: Communication {
            before: vec!["- tell #deploys".into()],
            during: vec![],
            after: vec![],
            messages: vec![Message {
                moment: "rollback-started".into(),
                audience: "engineering".into(),
                channel: "#incident".into(),
                text: "```\nRolling back".into(),
            }],
        },
        assumptions: vec![],
        placeholders: vec![],
        findings: vec![],
        artifacts: vec![],
        ignored: vec![],
    }
}

#[test]
fn seven_sections_in_order_and_nothing_else() {
    let md = render(&plan());
    let h2: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    let want: Vec<String> = SECTION_TITLES
        .iter()
        .map(|(_, t)| format!("## {t}"))
        .collect();
    assert_eq!(h2, want);
    assert!(md.starts_with("# Rollback plan: "));
    // Outside fenced blocks (queries carry `#` comments), one title.
    let mut in_fence = false;
    let titles = md
        .lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                in_fence = !in_fence;
            }
            !in_fence && l.starts_with("# ")
        })
        .count();
    assert_eq!(titles, 1);
}

#[test]
fn input_cannot_become_structure_or_html() {
    let md = render(&plan());
    assert!(
        md.starts_with("# Rollback plan: # evil \\| name v2\n"),
        "{md}"
    );
    assert!(md.contains("in #incident\n"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("&lt;script>"), "{md}");
    // A `|` in a table cell is escaped so the row keeps its four cells.
    assert!(
        md.contains("| error ratio | a \\| b > 1% | 5m | roll back |"),
        "{md}"
    );
    // A leading `-` does not become a nested list.
    assert!(md.contains("- \\- tell #deploys"), "{md}");
}

#[test]
fn fences_outlast_backticks_in_content() {
    let md = render(&plan());
    assert!(
        md.contains("  `````sh\n  echo 'a ```` b'\n  `````\n"),
        "{md}"
    );
    assert!(md.contains("````text\n```\nRolling back\n````\n"), "{md}");
    assert!(
        md.contains("```promql\n# error ratio\nsum(rate(x[5m]))\n```"),
        "{md}"
    );
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x"), "`` `x ``");
}

#[test]
fn destructive_marker_only_on_destructive_steps() {
    let md = render(&plan());
    assert!(md.contains("### Step 1: step 1\n\nComponent: checkout · Estimate: 3 min\n"));
    assert!(
        md.contains(
            "### Step 2: step 2\n\nComponent: checkout · Estimate: 3 min · ⚠ DESTRUCTIVE\n"
        )
    );
    assert_eq!(md.matches("DESTRUCTIVE").count(), 1);
}

#[test]
fn reasons_cite_rule_and_evidence() {
    let md = render(&plan());
    assert!(md.contains("**Complex (15-60 min)** — estimated rollback time: 25 min."));
    assert!(
        md.contains("- `RB101` drops a column — m.sql:3:1: “ALTER TABLE t DROP COLUMN c”"),
        "{md}"
    );
}

#[test]
fn preamble_lists_placeholders_and_assumptions() {
    let mut p = plan();
    p.placeholders.push(Placeholder {
        token: "<CHECKOUT_NAMESPACE>".into(),
        description: "Kubernetes namespace of checkout".into(),
        fill_with: "architecture.services[0].namespace".into(),
        when: "before-use".into(),
    });
    p.assumptions.push(Assumption {
        text: "runs on Kubernetes".into(),
        evidence: Evidence::at("brief.md", 2, 5).with_excerpt("our k8s cluster"),
    });
    let md = render(&p);
    assert!(
        md.contains(
            "**1 placeholder to fill before use (set the field and re-run, or edit by hand):**\n"
        ),
        "{md}"
    );
    assert!(md.contains("- `<CHECKOUT_NAMESPACE>`: Kubernetes namespace of checkout (set `architecture.services[0].namespace`)"), "{md}");
    assert!(
        md.contains("- runs on Kubernetes — brief.md:2:5: “our k8s cluster”"),
        "{md}"
    );
    // Empty parts are left out rather than shown as empty lists.
    assert!(!render(&plan()).contains("placeholder"));
    assert!(!render(&plan()).contains("Assumptions"));
}

#[test]
fn data_recovery_rollout_and_triggers_parts() {
    let mut p = plan();
    p.data_recovery.stores.push(StoreRecovery {
        store: "orders-db".into(),
        engine: "postgres".into(),
        writes_after_deploy: "new rows in orders.discount".into(),
        migrations: vec!["V42 adds orders.discount".into()],
        manual_correction: vec![DataCheck {
            title: "rows written by v2".into(),
            query: "SELECT count(*) FROM orders WHERE discount IS NOT NULL;".into(),
            expect: "0 after the rollback".into(),
        }],
        backup_before_rollback: vec![Cmd::new("pg_dump").val("orders")],
        restore: vec![],
        restore_estimate: "about 60 min".into(),
        backups_location: String::new(),
    });
    p.rollout.stages.push(Stage {
        name: "canary".into(),
        traffic_percent: 5.0,
        bake_minutes: 15,
        watch: "error ratio".into(),
        advance_if: "below 1%".into(),
        abort_if: "above 1%".into(),
    });
    p.rollout.mechanism.push(Mechanism {
        service: "checkout".into(),
        name: "Argo Rollouts steps".into(),
        snippet: "steps:\n  - setWeight: 5".into(),
        language: "yaml\n# injected".into(),
    });
    p.triggers.services[0].health_check = Some(Cmd::new("curl -fsS").val("https://x/healthz"));
    let md = render(&p);
    assert!(md.contains("### orders-db (postgres)\n"), "{md}");
    assert!(
        md.contains("Back up before rolling back:\n\n```sh\npg_dump orders\n```\n"),
        "{md}"
    );
    assert!(
        md.contains("```sh\nSELECT count(*) FROM orders WHERE discount IS NOT NULL;\n```"),
        "{md}"
    );
    assert!(!md.contains("Restore:"), "{md}");
    assert!(
        md.contains("| canary | 5% | 15 min | error ratio | below 1% | above 1% |"),
        "{md}"
    );
    // A language tag from input cannot break out of the fence line.
    assert!(
        md.contains("```yamlinjected\nsteps:\n  - setWeight: 5\n```"),
        "{md}"
    );
    assert!(
        md.contains("Health check:\n\n```sh\ncurl -fsS https://x/healthz\n```"),
        "{md}"
    );
    assert!(!md.contains("No progressive rollout"), "{md}");
    assert!(render(&plan()).contains("No progressive rollout"));
}

#[test]
fn deterministic() {
    assert_eq!(render(&plan()), render(&plan()));
}

#[test]
fn escapes_ordered_markers() {
    assert_eq!(esc_lead("1. step"), "\\1. step");
    assert_eq!(esc_lead("# h"), "\\# h");
    assert_eq!(esc("# h"), "# h");
    assert_eq!(esc("v#"), "v\\#");
    assert_eq!(esc("a\nb"), "a b");
    assert_eq!(esc_lead("> quote"), "\\> quote");
    assert_eq!(esc("a `b|c` d|e"), "a `b|c` d\\|e");
    assert_eq!(esc("odd ` tick"), "odd \\` tick");
}
