//! Markdown: the plan as it is pasted into a pull request or change ticket.
//!
//! Written for a reader at 3 a.m.: commands in fenced blocks ready to copy, every input-derived
//! word escaped so it cannot turn into structure or HTML, empty parts left out.

use crate::base::shell::Cmd;
use crate::plan::model::{Check, EstimateSource, Plan, SECTION_TITLES, Step};
use std::fmt::Write;

/// Renders the plan. Deterministic: the same plan gives the same bytes.
pub fn render(plan: &Plan) -> String {
    let mut o = Out::default();
    preamble(&mut o, plan);
    for (id, title) in SECTION_TITLES {
        o.line(&format!("## {title}"));
        o.blank();
        match id {
            "classification" => classification(&mut o, plan),
            "go-no-go" => go_no_go(&mut o, plan),
            "triggers" => triggers(&mut o, plan),
            "procedure" => procedure(&mut o, plan),
            "data-recovery" => data_recovery(&mut o, plan),
            "rollout" => rollout(&mut o, plan),
            _ => communication(&mut o, plan),
        }
    }
    let mut s = o.0.trim_end().to_string();
    s.push('\n');
    s
}

#[derive(Default)]
struct Out(String);

impl Out {
    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }
    /// One blank line, never two.
    fn blank(&mut self) {
        if !self.0.is_empty() && !self.0.ends_with("\n\n") {
            self.0.push('\n');
        }
    }
    fn para(&mut self, s: &str) {
        self.line(s);
        self.blank();
    }
    /// A list of escaped items, followed by a blank line; nothing when empty.
    fn list<S: AsRef<str>>(&mut self, heading: Option<&str>, items: &[S]) {
        if items.is_empty() {
            return;
        }
        if let Some(h) = heading {
            self.line(h);
            self.blank();
        }
        for i in items {
            self.line(&format!("- {}", esc_lead(i.as_ref())));
        }
        self.blank();
    }
    fn fence(&mut self, content: &str, lang: &str, indent: &str) {
        self.0.push_str(&fenced(content, lang, indent));
        self.blank();
    }
    fn commands(&mut self, cmds: &[Cmd], indent: &str) {
        if cmds.is_empty() {
            return;
        }
        let body: Vec<String> = cmds.iter().map(Cmd::render).collect();
        self.fence(&body.join("\n"), "sh", indent);
    }
}

/// Escapes input-derived text for use inside a line of Markdown: no emphasis, links, code, HTML,
/// table breaks, and no trailing `#` that a heading would swallow.
pub fn esc(s: &str) -> String {
    // Secrets masked before escaping, which would hide their shape (`DB\_PASSWORD`).
    let s = crate::base::redact::secrets(s);
    let one_line = one_line(&s);
    // rollbook's own sentences mark names with backticks: keep those as code spans (which render
    // nothing inside them), and escape the text between them.
    let ticks = one_line.bytes().filter(|&b| b == b'`').count();
    if ticks > 0 && ticks % 2 == 0 {
        let mut out = String::with_capacity(one_line.len() + 8);
        for (i, p) in one_line.split('`').enumerate() {
            if i % 2 == 1 && !p.is_empty() {
                out.push_str(&code(p));
            } else {
                esc_text_into(&mut out, p);
            }
        }
        return out;
    }
    let mut out = String::with_capacity(one_line.len() + 8);
    esc_text_into(&mut out, &one_line);
    out
}

/// Runs of white space as one space, none at either end (`split_whitespace` joined by spaces).
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    let single_spaced = !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !s.chars().any(|c| c != ' ' && c.is_whitespace());
    if single_spaced {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Escapes inline Markdown in plain text: emphasis, links, HTML, table pipes, strike-through.
/// Appends to `out`; a trailing `#` of `s` is escaped.
fn esc_text_into(out: &mut String, s: &str) {
    let start = out.len();
    let mut rest = s;
    // Copied in runs between the characters that need escaping.
    while let Some(at) = rest.find(['\\', '`', '*', '[', '|', '~', '&', '<']) {
        out.push_str(&rest[..at]);
        let c = rest.as_bytes()[at];
        rest = &rest[at..];
        // A placeholder `<NAME>` stays findable: shown as code, not as an escaped `<`.
        if c == b'<'
            && let Some(len) = crate::plan::placeholders::token_len(rest)
        {
            out.push_str(&code(&rest[..len]));
            rest = &rest[len..];
            continue;
        }
        rest = &rest[1..];
        match c {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            _ => {
                out.push('\\');
                out.push(char::from(c));
            }
        }
    }
    out.push_str(rest);
    if out.len() > start && out.ends_with('#') {
        let at = out.len() - 1;
        out.insert(at, '\\');
    }
}

/// [`esc`] for text that starts a line or list item: a leading block marker would become a
/// heading, quote, list or rule.
pub fn esc_lead(s: &str) -> String {
    let mut out = esc(s);
    if out.starts_with(['#', '-', '+', '=', '_', '>']) || ordered_marker(&out) {
        out.insert(0, '\\');
    }
    out
}

/// `1.` or `1)` at the start: an ordered list marker.
fn ordered_marker(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')'))
}

/// Inline code that survives any backticks in its content.
pub fn code(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let ticks = "`".repeat(longest_backtick_run(&one_line) + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{one_line}{pad}{ticks}")
}

/// A fenced block whose fence is longer than any backtick run inside it.
pub fn fenced(content: &str, lang: &str, indent: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(content).max(2) + 1);
    let mut s = format!("{indent}{fence}{lang}\n");
    for l in content.trim_end_matches('\n').lines() {
        if l.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "{indent}{l}");
        }
    }
    let _ = writeln!(s, "{indent}{fence}");
    s
}

fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn escape_bare_pipes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A table row; cells are escaped (including `|`).
fn row(cells: &[&str]) -> String {
    // GFM splits cells on `|` even inside code spans, unless it is escaped.
    let cells: Vec<String> = cells.iter().map(|c| escape_bare_pipes(&esc(c))).collect();
    format!("| {} |", cells.join(" | "))
}

fn table(o: &mut Out, header: &[&str], rows: &[Vec<String>]) {
    o.line(&format!("| {} |", header.join(" | ")));
    o.line(&format!("|{}", "---|".repeat(header.len())));
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        o.line(&row(&cells));
    }
    o.blank();
}

fn preamble(o: &mut Out, p: &Plan) {
    let d = &p.deployment;
    o.para(&format!(
        "# Rollback plan: {} {}",
        esc(&d.name),
        esc(&d.version)
    ));
    if let Some(s) = &d.summary {
        o.para(&esc_lead(s));
    }
    let mut rows = vec![
        vec!["Version".to_string(), d.version.clone()],
        vec!["Previous version".to_string(), d.previous_version.clone()],
        vec![
            "Planned start".to_string(),
            d.planned_start.clone().unwrap_or_else(|| "not set".into()),
        ],
        vec!["Source".to_string(), d.source.clone()],
    ];
    if let Some(t) = &d.ticket {
        rows.push(vec!["Ticket".to_string(), t.clone()]);
    }
    table(o, &["Fact", "Value"], &rows);
    let groups = [
        (
            "before-use",
            "to fill before use (set the field and re-run, or edit by hand)",
        ),
        (
            "before-deploy",
            "recorded before the deploy by a Go / No-Go command",
        ),
        ("when-sending", "blanks filled when a message is sent"),
    ];
    for (when, heading) in groups {
        let these: Vec<_> = p.placeholders.iter().filter(|x| x.when == when).collect();
        if these.is_empty() {
            continue;
        }
        let n = these.len();
        if when == "when-sending" {
            // Message blanks need no explanation beyond their names.
            let tokens: Vec<String> = these.iter().map(|x| code(&x.token)).collect();
            o.para(&format!("**{n} {heading}:** {}", tokens.join(", ")));
            continue;
        }
        o.para(&format!(
            "**{n} placeholder{} {heading}:**",
            if n == 1 { "" } else { "s" }
        ));
        let (these, left) = summarise(&these, |x| token_kind(&x.token));
        for x in these {
            let how = if x.when == "before-use" && looks_like_field(&x.fill_with) {
                format!(" (set {})", code(&x.fill_with))
            } else if x.when == "before-use" {
                format!(" ({})", esc(&x.fill_with))
            } else {
                String::new()
            };
            o.line(&format!(
                "- {}: {}{how}",
                code(&x.token),
                esc(&x.description)
            ));
        }
        for (kind, n) in left {
            o.line(&format!(
                "- … and {n} more placeholders like {}, one per item of a huge artifact (each is in its step; `--format json` lists every one)",
                code(&kind)
            ));
        }
        o.blank();
    }
    if !p.assumptions.is_empty() {
        o.para("**Assumptions** (check them):");
        for a in &p.assumptions {
            o.line(&format!("- {} — {}", esc_lead(&a.text), cite(&a.evidence)));
        }
        o.blank();
    }
}

/// Items of one kind listed in full; beyond this a huge artifact's repeats are counted instead
/// (a 7.8 MB migration of one repeated statement once made a 126 MB plan).
const SHOWN_PER_KIND: usize = 20;

/// The items to show, and per kind with more than [`SHOWN_PER_KIND`] items the number left out
/// (kinds in order of first appearance).
fn summarise<T>(items: &[T], kind: impl Fn(&T) -> String) -> (Vec<&T>, Vec<(String, usize)>) {
    let mut count: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut shown = Vec::new();
    let mut over = Vec::new();
    for i in items {
        let k = kind(i);
        let n = count.entry(k.clone()).or_insert(0);
        *n += 1;
        if *n <= SHOWN_PER_KIND {
            shown.push(i);
        } else if *n == SHOWN_PER_KIND + 1 {
            over.push(k);
        }
    }
    let left = over
        .into_iter()
        .map(|k| {
            let n = count.get(&k).copied().unwrap_or(0) - SHOWN_PER_KIND;
            (k, n)
        })
        .collect();
    (shown, left)
}

/// `- … and 4980 more RB102 findings in m.sql` lines for what [`summarise`] left out.
fn summary_lines(o: &mut Out, left: Vec<(String, usize)>) {
    for (kind, n) in left {
        let (rule, file) = kind.split_once(' ').unwrap_or((kind.as_str(), ""));
        o.line(&format!(
            "- … and {n} more {} findings in {} (same rule, same file; `--format json` lists every one)",
            code(rule),
            code(file)
        ));
    }
}

/// The shape of a placeholder token: `<COLUMN_ORDERS_C7_COPY_BACK>` → `<COLUMN_…_COPY_BACK>`, so
/// the one-per-item placeholders of a huge artifact group together.
fn token_kind(token: &str) -> String {
    let inner = token.trim_start_matches('<').trim_end_matches('>');
    let parts: Vec<&str> = inner.split('_').collect();
    if parts.len() <= 3 {
        return token.to_string();
    }
    let (first, rest) = parts.split_at(1);
    let tail = &rest[rest.len() - 2..];
    format!("<{}_…_{}>", first.join("_"), tail.join("_"))
}

/// `deployment.previous_version`, `architecture.services[].namespace`: a spec field path.
fn looks_like_field(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._[]".contains(c))
        && s.contains('.')
}

/// Evidence citation with its excerpt quoted.
fn cite(e: &crate::evidence::Evidence) -> String {
    let mut s = esc(&e.cite());
    if let Some(x) = &e.excerpt {
        let _ = write!(s, ": “{}”", esc(x));
    }
    s
}

fn classification(o: &mut Out, p: &Plan) {
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

fn check(o: &mut Out, c: &Check) {
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

fn go_no_go(o: &mut Out, p: &Plan) {
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
fn query_language(q: &str) -> &'static str {
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

fn triggers(o: &mut Out, p: &Plan) {
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

fn step(o: &mut Out, s: &Step) {
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

fn procedure(o: &mut Out, p: &Plan) {
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

fn data_recovery(o: &mut Out, p: &Plan) {
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

fn rollout(o: &mut Out, p: &Plan) {
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
        table(
            o,
            &[
                "Stage",
                "Traffic",
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

fn communication(o: &mut Out, p: &Plan) {
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

#[cfg(test)]
mod tests {
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
                    evidence: Evidence::at("m.sql", 3, 1)
                        .with_excerpt("ALTER TABLE t DROP COLUMN c"),
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
        assert!(md.contains(
            "### Step 2: step 2\n\nComponent: checkout · Estimate: 3 min · ⚠ DESTRUCTIVE\n"
        ));
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
            md.contains("**1 placeholder to fill before use (set the field and re-run, or edit by hand):**\n"),
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
}
