//! `plan --format slack|text`: the Communication Plan's messages for chat tools.

use assert_cmd::Command;
use serde_json::Value;

fn plan(file: &str, format: &str) -> Vec<u8> {
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .args(["plan", file, "--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn slack_payloads_are_block_kit_one_per_message() {
    let out = plan("examples/destructive-migration-emails.yaml", "slack");
    assert_eq!(
        out,
        plan("examples/destructive-migration-emails.yaml", "slack")
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let payloads = v.as_array().unwrap();
    let moments: Vec<String> = payloads
        .iter()
        .map(|p| {
            p["blocks"][1]["elements"][0]["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for m in [
        "Pre-deploy",
        "Rollback started",
        "Rollback finished",
        "Post rollback",
    ] {
        assert!(moments.iter().any(|t| t.contains(m)), "{m}: {moments:?}");
    }
    for p in payloads {
        assert!(p["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(p["blocks"][0]["type"], "section");
        assert_eq!(p["blocks"][0]["text"]["type"], "mrkdwn");
        assert_eq!(p["blocks"][1]["type"], "context");
        let t = p["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(!t.contains('<') && !t.contains('>'), "{t}");
    }
    // Placeholders survive as visible text, escaped.
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("&lt;WHAT_FIRED&gt;")
    );
}

#[test]
fn hostile_text_is_escaped_for_mrkdwn() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("rollbook.yaml");
    std::fs::write(
        &spec,
        "deployment:\n  name: \"x <!channel> & <https://evil.example|click>\"\n  version: \"1 > 0\"\n  changes:\n    - kind: code\n      services: [api]\narchitecture:\n  services:\n    - name: api\n      platform: kubernetes\n",
    )
    .unwrap();
    let out = plan(spec.to_str().unwrap(), "slack");
    let s = String::from_utf8(out).unwrap();
    assert!(
        !s.contains("<!channel>") && !s.contains("<https://evil"),
        "{s}"
    );
    assert!(
        s.contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
        "{s}"
    );
    let text = String::from_utf8(plan(spec.to_str().unwrap(), "text")).unwrap();
    assert!(
        text.contains("x <!channel> & "),
        "plain text is not escaped: {text}"
    );
}

#[test]
fn text_prints_every_message_under_its_moment() {
    let out =
        String::from_utf8(plan("examples/destructive-migration-emails.yaml", "text")).unwrap();
    assert!(out.starts_with("== Pre-deploy · #deploys · to "), "{out}");
    assert!(out.contains("\n== Rollback started · "), "{out}");
    assert!(out.contains("\n== Post rollback · "), "{out}");
}
