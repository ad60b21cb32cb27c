//! Slack: the Communication Plan's messages as Block Kit payloads for `chat.postMessage`, one per
//! message, in plan order (pre-deploy, rollback started, rollback finished, post-rollback).

use crate::plan::model::{Message, Plan};
use serde_json::{Value, json};

/// Longest text Slack accepts in a section or context element.
const MAX_TEXT: usize = 3000;

/// One message's payload, pretty JSON: what an incoming webhook accepts as its body.
pub fn render_moment(plan: &Plan, moment: &str) -> Option<String> {
    let m = plan
        .communication
        .messages
        .iter()
        .find(|m| m.moment == moment)?;
    let mut s = serde_json::to_string_pretty(&payload(plan, m)).unwrap_or_default();
    s.push('\n');
    Some(s)
}

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

/// One message as a Block Kit payload. Slack member and user-group IDs written in `people`
/// (`@U024BE7LH`, `<@U024BE7LH>`, `@S0614TZR7`) become mentions that notify; a channel ID
/// (`C024BE91L`) is addressed and linked as such.
pub fn payload(plan: &Plan, m: &Message) -> Value {
    let text = limit(&mentions(&escape(&m.text)));
    let channel_id = channel_id(&m.channel);
    let channel_shown = match channel_id {
        Some(id) => format!("<#{id}>"),
        None => escape(&m.channel),
    };
    let context = limit(&format!(
        "*{}* · {} · audience: {} · channel: {}",
        escape(&moment_title(&m.moment)),
        escape(&plan.deployment.name),
        mentions(&escape(&m.audience)),
        channel_shown
    ));
    json!({
        "channel": channel_id.unwrap_or(m.channel.as_str()),
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    })
}

/// Whether `s` is a Slack ID with the given first letters: an upper-case letter, then 8 to 12
/// upper-case letters and digits, at least one a digit (Slack's IDs look like `U024BE7LH`).
fn is_slack_id(s: &str, first: &[char]) -> bool {
    let mut chars = s.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    first.contains(&c)
        && (8..=12).contains(&rest.len())
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && rest.chars().any(|c| c.is_ascii_digit())
}

/// The channel ID of a channel written as `C024BE91L` or `#C024BE91L`.
pub fn channel_id(channel: &str) -> Option<&str> {
    let id = channel.trim().trim_start_matches('#');
    is_slack_id(id, &['C', 'G']).then_some(id)
}

/// Turns member and user-group IDs in escaped mrkdwn into mentions: `@U…`/`@W…` and a written
/// `<@U…>` (escaped as `&lt;@U…&gt;`) become `<@U…>`, `@S…` becomes `<!subteam^S…>`. Names
/// (`@maria`) stay text: Slack does not resolve them in API messages.
pub fn mentions(escaped: &str) -> String {
    let id_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
            .unwrap_or(s.len())
    };
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = rest.find('@') {
        let before = &rest[..at];
        let after = &rest[at + 1..];
        let n = id_end(after);
        let id = &after[..n];
        let wrapped = before.ends_with("&lt;") && after[n..].starts_with("&gt;");
        // `@` inside a word (an e-mail address) is not a mention.
        let starts_word = wrapped
            || before
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '.' && c != '_');
        let mention = if !starts_word {
            None
        } else if is_slack_id(id, &['U', 'W']) {
            Some(format!("<@{id}>"))
        } else if is_slack_id(id, &['S']) {
            Some(format!("<!subteam^{id}>"))
        } else {
            None
        };
        match mention {
            Some(m) => {
                out.push_str(if wrapped {
                    &before[..before.len() - 4]
                } else {
                    before
                });
                out.push_str(&m);
                rest = if wrapped {
                    &after[n + 4..]
                } else {
                    &after[n..]
                };
            }
            None => {
                out.push_str(&rest[..=at]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
    fn slack_ids_become_mentions_and_names_stay_text() {
        assert_eq!(
            mentions(&escape(
                "Decided by @U024BE7LH (on-call), <@W0123ABCD9>, @S0614TZR7 team"
            )),
            "Decided by <@U024BE7LH> (on-call), <@W0123ABCD9>, <!subteam^S0614TZR7> team"
        );
        // Names, words that only look like IDs, and e-mail addresses are left alone.
        assert_eq!(
            mentions(&escape(
                "@maria @UNDERSCORE @U12 ops@U024BE7LH.example <@maria>"
            )),
            "@maria @UNDERSCORE @U12 ops@U024BE7LH.example &lt;@maria&gt;"
        );
        assert_eq!(channel_id("#C024BE91L"), Some("C024BE91L"));
        assert_eq!(channel_id("#deploys"), None);
    }

    #[test]
    fn moment_titles() {
        assert_eq!(moment_title("rollback-started"), "Rollback started");
        assert_eq!(moment_title(""), "");
    }
}
