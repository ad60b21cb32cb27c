//! Plain text: the Communication Plan's messages for any chat tool, one block per message.

use crate::plan::model::Plan;

/// Each message under a header line naming its moment, channel and audience.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for (i, m) in plan.communication.messages.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "== {} · {} · to {}\n",
            clean(&super::slack::moment_title(&m.moment)),
            clean(&m.channel),
            clean(&m.audience)
        ));
        out.push_str(m.text.trim_end());
        out.push('\n');
    }
    if plan.communication.messages.is_empty() {
        out.push_str("(the plan has no messages)\n");
    }
    out.retain(|c| !c.is_control() || c == '\n' || c == '\t');
    out
}

/// A header stays one line.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
