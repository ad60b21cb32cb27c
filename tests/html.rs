//! The HTML runbook page of every shipped example and of a spec made of injection payloads: CSP
//! hashes that match the inline blocks, no external references, escaping, determinism, and the
//! seven sections in order. (The browser test in tests/browser/ runs it in Chromium.)

use rollbook::plan::{self, Options, model::SECTION_TITLES};
use rollbook::render::html;
use rollbook::spec::load::load;

const INJECTION: &str = "tests/browser/fixtures/injection.yaml";

fn examples() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("examples")
        .expect("examples/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "toml" | "json" | "md")
            )
        })
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    assert!(out.len() >= 5, "{out:?}");
    out.push(INJECTION.to_string());
    out
}

fn page(path: &str) -> String {
    let input = load(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let p = plan::build(&input, &Options::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
    html::render(&p)
}

/// The text between the first `open` and the next `</tag>` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let len = s[start..]
        .find(close)
        .unwrap_or_else(|| panic!("no {close}"));
    &s[start..start + len]
}

#[test]
fn csp_hashes_match_the_inline_blocks() {
    for path in examples() {
        let h = page(&path);
        let csp = between(
            &h,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"",
            "\"",
        );
        let style = between(&h, "<style>", "</style>");
        let script = between(&h, "<script>", "</script>");
        assert_eq!(
            csp,
            format!(
                "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
                html::csp_hash(script),
                html::csp_hash(style)
            ),
            "{path}"
        );
        // Exactly one style block, one executable script and one data block: nothing unhashed.
        assert_eq!(h.matches("<style").count(), 1, "{path}");
        assert_eq!(h.matches("<script").count(), 2, "{path}");
        assert_eq!(
            h.matches("<script type=\"application/json\" id=\"rollbook-data\">")
                .count(),
            1,
            "{path}"
        );
        // The CSP comes before anything it governs.
        assert!(
            h.find("Content-Security-Policy") < h.find("<style>"),
            "{path}"
        );
        assert!(
            !h.contains(" style=\""),
            "{path}: inline style attributes need a hash too"
        );
    }
}

#[test]
fn no_external_assets() {
    for path in examples() {
        let h = page(&path);
        let lower = h.to_ascii_lowercase();
        for bad in [
            "src=\"http",
            "src=\"//",
            "<link rel=\"stylesheet",
            "@import",
            "url(",
            "<img",
            "<iframe",
            "<object",
            "<embed",
        ] {
            assert!(!lower.contains(bad), "{path}: {bad}");
        }
        // The only link element is the empty data: icon (keeps the browser from asking for one).
        assert_eq!(lower.matches("<link").count(), 1, "{path}");
        assert!(
            lower.contains("<link rel=\"icon\" href=\"data:,\">"),
            "{path}"
        );
        // Every href is an in-page anchor, an http(s) link, or the icon.
        for part in h.split("href=\"").skip(1) {
            let href = &part[..part.find('"').unwrap_or(part.len())];
            assert!(
                href.starts_with('#')
                    || href.starts_with("https:")
                    || href.starts_with("http:")
                    || href == "data:,",
                "{path}: href {href}"
            );
        }
    }
}

#[test]
fn hostile_values_are_escaped() {
    let h = page(INJECTION);
    let body = between(&h, "<body>", "<script type=\"application/json\"");
    // No tag from the spec survives as markup.
    for tag in [
        "<img",
        "<svg",
        "<iframe",
        "<b ",
        "<details",
        "<math",
        "<script",
        "<a href=\"javascript",
    ] {
        assert!(!body.contains(tag), "{tag}");
    }
    assert!(!h.contains("href=\"javascript"), "javascript: link");
    assert!(!h.contains("href=\"data:text"), "data: link");
    // Shown as text instead, escaped.
    assert!(
        body.contains("&lt;script&gt;window.__pwned=&#x27;name&#x27;;alert(1)&lt;&#x2f;script&gt;"),
        "name"
    );
    assert!(body.contains("&quot;&gt;&lt;img src=x onerror="), "version");
    // javascript: ticket and dashboards are text, not links.
    assert!(body.contains("<td>javascript:window.__pwned=&#x27;ticket&#x27;</td>"));
    assert!(body.contains("<li>javascript:window.__pwned=&#x27;dash&#x27;</li>"));
    // An http URL with a quote stays inside its attribute.
    assert!(body.contains(
        "href=\"https:&#x2f;&#x2f;grafana.example.com&#x2f;d&#x2f;x&quot;onmouseover=&quot;window.__pwned=&#x27;attr&#x27;\""
    ));
    // The data block cannot be closed early and still parses to the raw values.
    let data = between(
        &h,
        "<script type=\"application/json\" id=\"rollbook-data\">",
        "</script>",
    );
    assert!(
        !data.contains('<') && !data.contains('>') && !data.contains('&'),
        "{data}"
    );
    let v: serde_json::Value = serde_json::from_str(data).expect("data is JSON");
    assert_eq!(
        v["deployment"]["name"],
        "<script>window.__pwned='name';alert(1)</script>"
    );
    assert_eq!(v["plan_hash"].as_str().map(str::len), Some(64));
}

#[test]
fn deterministic() {
    for path in examples() {
        assert_eq!(page(&path), page(&path), "{path}");
    }
}

#[test]
fn seven_sections_in_order() {
    for path in examples() {
        let h = page(&path);
        let mut at = 0;
        for (i, (id, title)) in SECTION_TITLES.iter().enumerate() {
            let title = minijinja::HtmlEscape(title).to_string();
            let head = format!("<section id=\"{id}\">\n<h2>{}. {title}</h2>", i + 1);
            let found = h[at..]
                .find(&head)
                .unwrap_or_else(|| panic!("{path}: {head} missing or out of order"));
            at += found + head.len();
        }
        assert_eq!(h.matches("<section").count(), 7, "{path}");
    }
}

#[test]
fn procedure_is_a_checklist_with_timers() {
    let input = load("examples/additive-migration-canary.yaml").expect("loads");
    let p = plan::build(&input, &Options::default()).expect("builds");
    let h = html::render(&p);
    assert!(!p.procedure.steps.is_empty());
    for s in &p.procedure.steps {
        let n = s.number;
        assert!(h.contains(&format!("<li id=\"step-{n}\">")), "step {n}");
        assert!(
            h.contains(&format!(
                "<input type=\"checkbox\" class=\"persist step-box\" id=\"step-{n}-done\">"
            )),
            "checkbox {n}"
        );
        assert!(h.contains(&format!(
            "id=\"step-{n}-timer\">0:00</span> of {} min",
            s.estimate_minutes
        )));
    }
    let commands: usize = p
        .procedure
        .steps
        .iter()
        .map(|s| s.commands.len() + s.verify.len())
        .sum();
    let procedure = between(&h, "<section id=\"procedure\">", "</section>");
    assert_eq!(procedure.matches("class=\"copy\"").count(), commands);
    // Progress is keyed by the hash of the plan JSON.
    assert!(h.contains(&format!("\"plan_hash\":\"{}\"", html::plan_hash(&p))));
    // Print CSS shows the checkboxes and hides the timers and buttons.
    assert!(html::CSS.contains("@media print"));
    assert!(html::CSS.contains("button,.runbar,.timer-row,nav.toc{display:none!important}"));
}

#[test]
fn cli_writes_the_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("runbook.html");
    assert_cmd::Command::cargo_bin("rollbook")
        .expect("binary")
        .args([
            "plan",
            "examples/stateless-k8s.yaml",
            "--format",
            "html",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let written = std::fs::read_to_string(&out).expect("written");
    assert_eq!(written, page("examples/stateless-k8s.yaml"));
    assert!(written.starts_with("<!DOCTYPE html>\n"));
}

/// Long commands wrap instead of scrolling under the Copy button, which sits beside them.
#[test]
fn commands_wrap_and_the_copy_button_is_beside_them() {
    let css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/html/runbook.css"
    ))
    .unwrap();
    let rule = |selector: &str| {
        css.lines()
            .find(|l| l.starts_with(&format!("{selector}{{")))
            .unwrap_or_else(|| panic!("no rule {selector}"))
            .to_string()
    };
    assert!(rule("pre code").contains("white-space:pre-wrap"), "{css}");
    assert!(rule("pre code").contains("overflow-wrap:anywhere"), "{css}");
    assert!(rule(".cmd").contains("display:flex"), "{css}");
    assert!(!rule(".copy").contains("position:absolute"), "{css}");
}
