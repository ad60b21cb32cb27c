//! The seven sections, in plan order.

use super::*;

pub(super) fn classification(o: &mut Out, p: &Plan) {
    let c = &p.classification;
    o.para(&format!(
        "**{}** — estimated rollback time: {} min.",
        esc(&c.title),
        c.estimated_minutes
    ));
    if let Some(n) = &c.band_note {
        o.para(&format!("Note: {}", esc(n)));
    }
    if c.reasons.is_empty() {
        o.para("No rule raised the level: the rollback is a redeploy of the previous version.");
    } else {
        o.para("Why:");
        let (reasons, left) = summarise(&c.reasons, |r| format!("{} {}", r.rule, r.evidence.file));
        for r in reasons {
            o.line(&format!(
                "- {} {} — {}",
                code(&r.rule),
                esc(&r.message),
                cite(&r.evidence)
            ));
        }
        summary_lines(o, left);
        o.blank();
    }
    o.list(
        Some("**Mitigation** (this change cannot be rolled back; do this instead):"),
        &c.mitigation,
    );
    // Findings already given as reasons are not repeated.
    let others: Vec<_> = p
        .findings
        .iter()
        .filter(|f| {
            !c.reasons
                .iter()
                .any(|r| r.rule == f.rule && r.message == f.message)
        })
        .collect();
    if !others.is_empty() || !p.artifacts.is_empty() || !p.ignored.is_empty() {
        o.para("### Evidence");
        if !others.is_empty() {
            o.para("Findings that do not change the class:");
        }
        let (others, left) = summarise(&others, |f| format!("{} {}", f.rule, f.evidence.file));
        for f in others {
            o.line(&format!(
                "- {} {} ({}): {} — {}",
                code(f.rule),
                esc(f.name),
                f.severity.as_str(),
                esc(&f.message),
                cite(&f.evidence)
            ));
        }
        summary_lines(o, left);
        o.blank();
        if !p.artifacts.is_empty() {
            o.para("Read:");
            for a in &p.artifacts {
                o.line(&format!(
                    "- {} ({}, {} finding{})",
                    code(&a.path),
                    esc(&a.kind),
                    a.findings,
                    if a.findings == 1 { "" } else { "s" }
                ));
            }
            o.blank();
        }
        if !p.ignored.is_empty() {
            o.para("Changed but not read:");
            for i in &p.ignored {
                o.line(&format!("- {}: {}", code(&i.path), esc(&i.reason)));
            }
            o.blank();
        }
    }
}

pub(super) fn check(o: &mut Out, c: &Check) {
    o.line(&format!("- [ ] {}", esc_lead(&c.title)));
    if !c.commands.is_empty() {
        o.blank();
        o.commands(&c.commands, "  ");
    }
    if let Some(first) = c.queries.first() {
        o.blank();
        o.fence(&c.queries.join("\n"), query_language(first), "  ");
    }
    if !c.expect.is_empty() {
        o.line(&format!("  Expect: {}", esc(&c.expect)));
    }
}

pub(super) fn go_no_go(o: &mut Out, p: &Plan) {
    let g = &p.go_no_go;
    if !g.checks.is_empty() {
        o.para("Before the deploy, every box must be ticked:");
        for c in &g.checks {
            check(o, c);
        }
        o.blank();
    }
    if !g.approvals.is_empty() {
        o.para("Approvals:");
        for a in &g.approvals {
            o.line(&format!("- [ ] {}", esc_lead(a)));
        }
        o.blank();
    }
    let w = &g.window;
    let at = w
        .planned_start
        .as_deref()
        .map(|s| format!(" ({})", esc(s)))
        .unwrap_or_default();
    o.para(&format!(
        "**Deploy window: {}**{at} — {}",
        esc(&w.verdict),
        esc(&w.detail)
    ));
    o.list(
        Some("No-go: stop the rollout if any of these happens:"),
        &g.no_go_triggers,
    );
}

/// PromQL for Prometheus-shaped queries, plain text otherwise.
pub(super) fn query_language(q: &str) -> &'static str {
    let promql = [
        "rate(",
        "histogram_quantile(",
        "sum(",
        "sum by",
        "increase(",
        "up{",
    ];
    // Datadog queries also use `sum(`: tell them apart by their scope and time syntax.
    let datadog = q.contains("(last_") || q.contains("{service:") || q.contains(".as_count()");
    if !datadog && promql.iter().any(|m| q.contains(m)) {
        "promql"
    } else {
        "text"
    }
}

pub(super) fn triggers(o: &mut Out, p: &Plan) {
    let t = &p.triggers;
    for s in &t.services {
        o.para(&format!("### {}", esc(&s.service)));
        if !s.basis.is_empty() {
            o.para(&format!("Thresholds from {}.", esc(&s.basis)));
        }
        if !s.thresholds.is_empty() {
            let rows: Vec<Vec<String>> = s
                .thresholds
                .iter()
                .map(|x| {
                    vec![
                        x.signal.clone(),
                        x.condition.clone(),
                        x.window.clone(),
                        x.action.clone(),
                    ]
                })
                .collect();
            table(o, &["Signal", "Condition", "Window", "Action"], &rows);
            // All queries in one block, each under a comment naming its signal.
            let queries: Vec<String> = s
                .thresholds
                .iter()
                .filter(|x| !x.query.is_empty())
                .map(|x| format!("# {}\n{}", x.signal, x.query))
                .collect();
            if let Some(first) = s.thresholds.iter().find(|x| !x.query.is_empty()) {
                o.para("Queries:");
                o.fence(&queries.join("\n"), query_language(&first.query), "");
            }
        }
        if let Some(h) = &s.health_check {
            o.para("Health check:");
            o.commands(std::slice::from_ref(h), "");
        }
        o.list(Some("Critical flows to watch:"), &s.critical_flows);
    }
    if !t.data_checks.is_empty() {
        o.para("### Data checks");
        for d in &t.data_checks {
            o.para(&format!("{}:", esc_lead(&d.title)));
            o.fence(&d.query, "sh", "");
            if !d.expect.is_empty() {
                o.para(&format!("Expect: {}", esc(&d.expect)));
            }
        }
    }
    o.para(&format!(
        "**Decides the rollback:** {}",
        esc(&t.decision_maker)
    ));
    if !t.notify.is_empty() {
        let n: Vec<String> = t.notify.iter().map(|x| esc(x)).collect();
        o.para(&format!("**Notify:** {}", n.join(", ")));
    }
    o.list(Some("Dashboards:"), &t.dashboards);
}

pub(super) fn step(o: &mut Out, s: &Step) {
    o.para(&format!("### Step {}: {}", s.number, esc(&s.title)));
    let mut meta = format!(
        "Component: {} · Estimate: {} min",
        esc(&s.component),
        s.estimate_minutes
    );
    if let EstimateSource::Drill { runs } = s.estimate_source {
        let plural = if runs == 1 { "" } else { "s" };
        meta.push_str(&format!(" (from {runs} drill{plural})"));
    }
    if s.estimate_source == EstimateSource::Rehearsal {
        meta.push_str(" (at least the rehearsed time)");
    }
    if s.destructive {
        meta.push_str(" · ⚠ DESTRUCTIVE");
    }
    o.para(&meta);
    o.commands(&s.commands, "");
    if !s.verify.is_empty() {
        o.para("Verify:");
        o.commands(&s.verify, "");
    }
    if !s.success.is_empty() {
        o.para(&format!("Success: {}", esc(&s.success)));
    }
    o.list(None, &s.notes);
}

pub(super) fn procedure(o: &mut Out, p: &Plan) {
    let pr = &p.procedure;
    o.list(Some("Order:"), &pr.ordering);
    if pr.steps.is_empty() {
        o.para("No steps: nothing was deployed that needs reverting.");
    }
    for s in &pr.steps {
        step(o, s);
    }
    if !pr.not_reverted.is_empty() {
        o.para("### Not reverted by this procedure");
        o.list(None, &pr.not_reverted);
    }
}

pub(super) fn data_recovery(o: &mut Out, p: &Plan) {
    let d = &p.data_recovery;
    if !d.summary.is_empty() {
        o.para(&esc_lead(&d.summary));
    }
    for s in &d.stores {
        o.para(&format!("### {} ({})", esc(&s.store), esc(&s.engine)));
        if !s.writes_after_deploy.is_empty() {
            o.para(&format!(
                "Writes after the deploy: {}",
                esc(&s.writes_after_deploy)
            ));
        }
        o.list(Some("Migrations:"), &s.migrations);
        if !s.backup_before_rollback.is_empty() {
            o.para("Back up before rolling back:");
            o.commands(&s.backup_before_rollback, "");
        }
        if !s.restore.is_empty() {
            o.para("Restore:");
            o.commands(&s.restore, "");
        }
        if !s.restore_estimate.is_empty() {
            o.para(&format!("Restore estimate: {}", esc(&s.restore_estimate)));
        }
        if !s.backups_location.is_empty() {
            o.para(&format!("Backups: {}", esc(&s.backups_location)));
        }
        for c in &s.manual_correction {
            o.para(&format!("Manual correction: {}:", esc(&c.title)));
            o.fence(&c.query, "sh", "");
            if !c.expect.is_empty() {
                o.para(&format!("Expect: {}", esc(&c.expect)));
            }
        }
    }
    if !d.external.is_empty() {
        o.para("### Cannot be recalled");
        o.list(None, &d.external);
    }
}

pub(super) fn rollout(o: &mut Out, p: &Plan) {
    let r = &p.rollout;
    if r.summary.is_empty() && r.stages.is_empty() && r.flags.is_empty() && r.mechanism.is_empty() {
        o.para("No progressive rollout is planned: the new version takes all traffic at once.");
    }
    if !r.summary.is_empty() {
        o.para(&esc_lead(&r.summary));
    }
    if !r.stages.is_empty() {
        let rows: Vec<Vec<String>> = r
            .stages
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    format!("{}%", s.traffic_percent),
                    format!("{} min", s.bake_minutes),
                    s.watch.clone(),
                    s.advance_if.clone(),
                    s.abort_if.clone(),
                ]
            })
            .collect();
        let share = if r.share_of.is_empty() || r.share_of == "traffic" {
            "Traffic".to_string()
        } else {
            format!("Share of {}", r.share_of)
        };
        table(
            o,
            &[
                "Stage",
                share.as_str(),
                "Bake",
                "Watch",
                "Advance if",
                "Abort if",
            ],
            &rows,
        );
    }
    o.list(Some("Flags:"), &r.flags);
    for m in &r.mechanism {
        o.para(&format!("### {}: {}", esc(&m.service), esc(&m.name)));
        let lang: String = m
            .language
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
            .collect();
        o.fence(&m.snippet, &lang, "");
    }
}

pub(super) fn communication(o: &mut Out, p: &Plan) {
    let c = &p.communication;
    o.list(Some("**Before the deploy:**"), &c.before);
    o.list(Some("**During a rollback:**"), &c.during);
    o.list(Some("**After a rollback:**"), &c.after);
    for m in &c.messages {
        o.para(&format!(
            "### Message: {} — to {} in {}",
            esc(&m.moment),
            esc(&m.audience),
            esc(&m.channel)
        ));
        o.fence(&m.text, "text", "");
    }
}
