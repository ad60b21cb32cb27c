//! Slack: the Communication Plan's messages as Block Kit payloads for `chat.postMessage`, one per
//! message, in plan order (pre-deploy, rollback started, rollback finished, post-rollback).

use crate::plan::model::{Message, Plan};
use serde_json::{Value, json};

/// Longest text Slack accepts in a section or context element.
const MAX_TEXT: usize = 3000;

/// A JSON array of payloads, each `{"channel", "text", "blocks"}`; `text` is the notification
/// fallback. Deterministic: same plan, same bytes.
pub fn render(plan: &Plan) -> String {
    let payloads: Vec<Value> = plan
        .communication
        .messages
        .iter()
        .map(|m| payload(plan, m))
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(payloads)).unwrap_or_default();
    s.push('\n');
    s
}

/// One message as a Block Kit payload.
pub fn payload(plan: &Plan, m: &Message) -> Value {
    let text = limit(&escape(&m.text));
    let context = limit(&format!(
        "*{}* · {} · audience: {} · channel: {}",
        escape(&moment_title(&m.moment)),
        escape(&plan.deployment.name),
        escape(&m.audience),
        escape(&m.channel)
    ));
    json!({
        "channel": m.channel,
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    })
}

/// Escapes the three characters Slack's mrkdwn gives meaning to: `&`, `<`, `>`. Control
/// characters other than newline and tab are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Cuts escaped text to Slack's limit without splitting an entity.
fn limit(s: &str) -> String {
    if s.chars().count() <= MAX_TEXT {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(MAX_TEXT - 1).collect();
    if let Some(amp) = cut.rfind('&')
        && !cut[amp..].contains(';')
    {
        cut.truncate(amp);
    }
    cut.push('…');
    cut
}

/// `rollback-started` → `Rollback started`.
pub fn moment_title(moment: &str) -> String {
    if moment == "pre-deploy" {
        return "Pre-deploy".to_string();
    }
    let words = moment.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_the_mrkdwn_controls() {
        assert_eq!(escape("a & <b> *c*"), "a &amp; &lt;b&gt; *c*");
        assert_eq!(escape("x\u{7}y\nz"), "xy\nz");
    }

    #[test]
    fn limit_keeps_entities_whole() {
        let s = format!("{}&amp;", "a".repeat(MAX_TEXT - 3));
        let l = limit(&s);
        assert!(l.chars().count() <= MAX_TEXT, "{}", l.len());
        assert!(l.ends_with("a…"), "{l}");
        assert_eq!(limit("short"), "short");
    }

    #[test]
    fn moment_titles() {
        assert_eq!(moment_title("rollback-started"), "Rollback started");
        assert_eq!(moment_title(""), "");
    }
}
