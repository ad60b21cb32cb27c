//! HTML: the plan as a self-contained runbook page to execute from, on a laptop or a phone.
//!
//! One file, no network: the style and script are inline and allowed by a Content-Security-Policy
//! that names their SHA-256 hashes and nothing else. The procedure is a checklist with a timer per
//! step; progress lives in the browser's local storage under the plan's hash. Every input-derived
//! value is HTML-escaped (minijinja autoescape, and [`rich`]/[`link`] escape before adding markup);
//! the script's data is JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped. Deterministic: no clock
//! at render time, so the same plan gives the same bytes.

use crate::evidence::Evidence;
use crate::plan::model::{Plan, SECTION_TITLES};
use base64::Engine;
use minijinja::{Environment, HtmlEscape, Value, context};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::sync::OnceLock;

/// The page template (autoescaped: its name ends in `.html`).
pub const TEMPLATE: &str = include_str!("../../templates/html/runbook.html");
/// The inline style, byte for byte as hashed in the CSP.
pub const CSS: &str = include_str!("../../templates/html/runbook.css");
/// The inline script, byte for byte as hashed in the CSP.
pub const JS: &str = include_str!("../../templates/html/runbook.js");

/// Renders the runbook page. Deterministic: the same plan gives the same bytes.
pub fn render(plan: &Plan) -> String {
    // The template is fixed and tested on every example; an error here is a bug, not bad input.
    try_render(plan).expect("the built-in HTML template renders")
}

/// [`render`], reporting a template error instead of panicking.
pub fn try_render(plan: &Plan) -> Result<String, minijinja::Error> {
    let tmpl = env().get_template("runbook.html")?;
    let hash = plan_hash(plan);
    let mut out = tmpl.render(context! {
        p => ser(plan),
        d => ser(&plan.deployment),
        sections => ser(SECTION_TITLES.iter().map(|(id, title)| Sec { id, title }).collect::<Vec<_>>()),
        reasons => ser(reasons(plan)),
        other_findings => ser(other_findings(plan)),
        assumptions => ser(assumptions(plan)),
        placeholder_groups => ser(placeholder_groups(plan)),
        stages => ser(stages(plan)),
        plan_hash => hash.clone(),
        csp => Value::from_safe_string(csp()),
        css => Value::from_safe_string(CSS.to_string()),
        js => Value::from_safe_string(JS.to_string()),
        data => Value::from_safe_string(script_data(plan, &hash)),
    })?;
    out.push('\n');
    Ok(out)
}

fn ser<T: Serialize>(t: T) -> Value {
    Value::from(minijinja::value::Serde(t))
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .unwrap_or_default(),
        );
        env.add_filter("rich", |s: String| Value::from_safe_string(rich(&s)));
        env.add_filter("link", |s: String| Value::from_safe_string(link(&s)));
        // A broken template shows up as an error from `get_template`.
        let _ = env.add_template("runbook.html", TEMPLATE);
        env
    })
}

/// `'sha256-…'` of an inline block, as CSP wants it.
pub fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy: only its own inline script and style, by hash.
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(JS),
        csp_hash(CSS)
    )
}

/// Hex SHA-256 of the plan JSON: names the plan, and keys its progress in local storage.
pub fn plan_hash(plan: &Plan) -> String {
    let json = super::json::render(plan);
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(json.as_bytes()) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// JSON safe inside `<script type="application/json">`: nothing in it can close the element or
/// start a comment, and JavaScript line separators are escaped.
pub fn script_json(value: &serde_json::Value) -> String {
    let raw = value.to_string();
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        // These characters only occur inside JSON strings, where `\uXXXX` means the same.
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

fn script_data(plan: &Plan, hash: &str) -> String {
    let steps: Vec<serde_json::Value> = plan
        .procedure
        .steps
        .iter()
        .map(|s| {
            serde_json::json!({
                "number": s.number,
                "title": s.title,
                "estimate_minutes": s.estimate_minutes,
            })
        })
        .collect();
    script_json(&serde_json::json!({
        "plan_hash": hash,
        "deployment": { "name": plan.deployment.name, "version": plan.deployment.version },
        "estimated_minutes": plan.classification.estimated_minutes,
        "steps": steps,
    }))
}

/// Escaped text, secrets masked first: once escaped (`&#x2f;&#x2f;`) a URL no longer looks like one.
fn esc(s: &str) -> String {
    HtmlEscape(&crate::base::redact::secrets(s)).to_string()
}

/// Escaped text with rollbook's own light markup: `` `name` `` spans and `<PLACEHOLDER>` tokens
/// become code. Nothing else from the input turns into markup.
pub fn rich(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() > 1 && parts.len() % 2 == 1 {
        let mut out = String::with_capacity(s.len() + 16);
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 && !p.is_empty() {
                let _ = write!(out, "<code>{}</code>", esc(p));
            } else {
                out.push_str(&placeholders(p));
            }
        }
        return out;
    }
    placeholders(s)
}

/// Escaped text with `<UPPER_SNAKE>` placeholders marked, so they stand out to be filled.
fn placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        let (before, from) = rest.split_at(at);
        out.push_str(&esc(before));
        match crate::plan::placeholders::token_len(from) {
            Some(len) => {
                let _ = write!(out, "<code class=\"ph\">{}</code>", esc(&from[..len]));
                rest = &from[len..];
            }
            None => {
                out.push_str("&lt;");
                rest = &from[1..];
            }
        }
    }
    out.push_str(&esc(rest));
    out
}

/// A link for `http:`/`https:` URLs without whitespace or control characters; anything else
/// (`javascript:`, `data:`, relative paths) is shown as text.
pub fn link(s: &str) -> String {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if web && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        let e = esc(s);
        format!("<a href=\"{e}\" rel=\"noopener noreferrer\">{e}</a>")
    } else {
        rich(s)
    }
}

#[derive(Serialize)]
struct Sec {
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct CitedReason<'a> {
    rule: &'a str,
    message: std::borrow::Cow<'a, str>,
    cite: String,
}

#[derive(Serialize)]
struct CitedFinding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'a str,
    message: std::borrow::Cow<'a, str>,
    cite: String,
}

#[derive(Serialize)]
struct CitedAssumption<'a> {
    text: &'a str,
    cite: String,
}

#[derive(Serialize)]
struct PlaceholderItem<'a> {
    token: &'a str,
    description: &'a str,
    how: String,
}

#[derive(Serialize)]
struct PlaceholderGroup<'a> {
    heading: String,
    items: Vec<PlaceholderItem<'a>>,
}

#[derive(Serialize)]
struct StageRow<'a> {
    name: &'a str,
    traffic: String,
    bake_minutes: u32,
    watch: &'a str,
    advance_if: &'a str,
    abort_if: &'a str,
}

/// Evidence citation with its excerpt quoted (raw text: the template escapes it).
fn cite(e: &Evidence) -> String {
    let mut s = e.cite();
    if let Some(x) = &e.excerpt {
        let _ = write!(s, ": “{x}”");
    }
    s
}

/// The class's reasons; past [`crate::plan::sections::LIST_MAX`] of one rule in one file, a count.
fn reasons(p: &Plan) -> Vec<CitedReason<'_>> {
    let mut per_kind: std::collections::BTreeMap<(&str, &str), usize> =
        std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for r in &p.classification.reasons {
        let n = per_kind
            .entry((r.rule.as_str(), r.evidence.file.as_str()))
            .or_insert(0);
        *n += 1;
        if *n <= crate::plan::sections::LIST_MAX {
            out.push(CitedReason {
                rule: &r.rule,
                message: std::borrow::Cow::Borrowed(&r.message),
                cite: cite(&r.evidence),
            });
        }
    }
    for ((rule, file), n) in per_kind {
        if n > crate::plan::sections::LIST_MAX {
            out.push(CitedReason {
                rule,
                message: std::borrow::Cow::Owned(format!(
                    "… and {} more {rule} findings in {file} (same rule, same file; `--format json` lists every one)",
                    n - crate::plan::sections::LIST_MAX
                )),
                cite: String::new(),
            });
        }
    }
    out
}

/// Findings not already given as reasons for the class. Past [`crate::plan::sections::LIST_MAX`] findings of one rule in one file (a huge artifact's
/// repeats), one line counts the rest; the JSON keeps every one.
fn other_findings(p: &Plan) -> Vec<CitedFinding<'_>> {
    let reasons: std::collections::HashSet<(&str, &str)> = p
        .classification
        .reasons
        .iter()
        .map(|r| (r.rule.as_str(), r.message.as_str()))
        .collect();
    let mut per_kind: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    for f in p
        .findings
        .iter()
        .filter(|f| !reasons.contains(&(f.rule, f.message.as_str())))
    {
        let n = per_kind
            .entry((f.rule, f.evidence.file.as_str()))
            .or_insert(0);
        *n += 1;
        if *n <= crate::plan::sections::LIST_MAX {
            out.push(CitedFinding {
                rule: f.rule,
                name: f.name,
                severity: f.severity.as_str(),
                message: std::borrow::Cow::Borrowed(&f.message),
                cite: cite(&f.evidence),
            });
        }
    }
    let mut left: Vec<((&str, &str), usize)> = per_kind
        .into_iter()
        .filter(|(_, n)| *n > crate::plan::sections::LIST_MAX)
        .collect();
    left.sort();
    for ((rule, file), n) in left {
        out.push(CitedFinding {
            rule,
            name: "",
            severity: "info",
            message: std::borrow::Cow::Owned(format!(
                "… and {} more {rule} findings in {file} (same rule, same file; `--format json` lists every one)",
                n - crate::plan::sections::LIST_MAX
            )),
            cite: String::new(),
        });
    }
    out
}

fn assumptions(p: &Plan) -> Vec<CitedAssumption<'_>> {
    p.assumptions
        .iter()
        .map(|a| CitedAssumption {
            text: &a.text,
            cite: cite(&a.evidence),
        })
        .collect()
}

fn placeholder_groups(p: &Plan) -> Vec<PlaceholderGroup<'_>> {
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
    groups
        .iter()
        .filter_map(|(when, heading)| {
            let items: Vec<PlaceholderItem<'_>> = p
                .placeholders
                .iter()
                .filter(|x| x.when == *when)
                .map(|x| PlaceholderItem {
                    token: &x.token,
                    description: if *when == "when-sending" {
                        ""
                    } else {
                        &x.description
                    },
                    how: match *when {
                        "before-use" if looks_like_field(&x.fill_with) => {
                            format!("set `{}`", x.fill_with)
                        }
                        "before-use" => x.fill_with.clone(),
                        _ => String::new(),
                    },
                })
                .collect();
            let n = items.len();
            let heading = match (*when, n) {
                ("when-sending", _) => format!("{n} {heading}"),
                (_, 1) => format!("1 placeholder {heading}"),
                _ => format!("{n} placeholders {heading}"),
            };
            (n > 0).then_some(PlaceholderGroup { heading, items })
        })
        .collect()
}

/// `deployment.previous_version`, `architecture.services[].namespace`: a spec field path.
fn looks_like_field(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._[]".contains(c))
        && s.contains('.')
}

fn stages(p: &Plan) -> Vec<StageRow<'_>> {
    p.rollout
        .stages
        .iter()
        .map(|s| StageRow {
            name: &s.name,
            traffic: format!("{}", s.traffic_percent),
            bake_minutes: s.bake_minutes,
            watch: &s.watch,
            advance_if: &s.advance_if,
            abort_if: &s.abort_if,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_escapes_and_marks_only_our_markup() {
        assert_eq!(
            rich("<script>x</script> & <NAME_1>"),
            "&lt;script&gt;x&lt;&#x2f;script&gt; &amp; <code class=\"ph\">&lt;NAME_1&gt;</code>"
        );
        assert_eq!(rich("set `a<b>` now"), "set <code>a&lt;b&gt;</code> now");
        assert_eq!(rich("odd ` tick"), "odd ` tick");
        assert_eq!(rich("\"><img src=x>"), "&quot;&gt;&lt;img src=x&gt;");
    }

    #[test]
    fn links_only_for_web_urls() {
        assert_eq!(
            link("https://x.test/a?b=1&c=\"2\""),
            "<a href=\"https:&#x2f;&#x2f;x.test&#x2f;a?b=1&amp;c=&quot;2&quot;\" rel=\"noopener noreferrer\">https:&#x2f;&#x2f;x.test&#x2f;a?b=1&amp;c=&quot;2&quot;</a>"
        );
        assert!(link("HTTP://x.test").starts_with("<a href="));
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "https://x y",
            "data:text/html,x",
            "//evil.test",
            "ht\ttps://x",
        ] {
            assert!(!link(bad).contains("<a"), "{bad}");
        }
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = serde_json::json!({"a": "</script><!-- & \u{2028}\u{2029}"});
        let s = script_json(&v);
        assert_eq!(
            s,
            r#"{"a":"\u003c/script\u003e\u003c!-- \u0026 \u2028\u2029"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn inline_blocks_cannot_end_early() {
        // The template inserts CSS and JS raw: neither may contain a closing tag.
        assert!(!CSS.contains("</"));
        assert!(!JS.contains("</"));
    }

    #[test]
    fn csp_hash_is_base64_sha256() {
        // printf '' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }
}
