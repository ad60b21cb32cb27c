//! What comes before the sections: the deployment, placeholders to fill, evidence read.

use super::*;

pub(super) fn preamble(o: &mut Out, p: &Plan) {
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
pub(super) const SHOWN_PER_KIND: usize = 20;

/// The items to show, and per kind with more than [`SHOWN_PER_KIND`] items the number left out
/// (kinds in order of first appearance).
pub(super) fn summarise<T>(
    items: &[T],
    kind: impl Fn(&T) -> String,
) -> (Vec<&T>, Vec<(String, usize)>) {
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
pub(super) fn summary_lines(o: &mut Out, left: Vec<(String, usize)>) {
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
pub(super) fn token_kind(token: &str) -> String {
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
pub(super) fn looks_like_field(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._[]".contains(c))
        && s.contains('.')
}

/// Evidence citation with its excerpt quoted.
pub(super) fn cite(e: &crate::evidence::Evidence) -> String {
    let mut s = esc(&e.cite());
    if let Some(x) = &e.excerpt {
        let _ = write!(s, ": “{}”", esc(x));
    }
    s
}
