//! Commands per tool: deploy platforms, flag services, data stores, migration tools, metrics
//! systems. Every builder takes spec values and a placeholder registry and returns commands built
//! with [`crate::base::shell`]; nothing here decides *whether* a step is needed, only *how* it is done.

pub mod datastores;
pub mod deploy;
pub mod flags;
pub mod metrics;
pub mod migrations;
pub mod vocabulary;

#[cfg(test)]
pub(crate) mod tests;

use crate::base::shell::{Cmd, Part, Word};

/// One concrete action for the procedure: one step of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub title: String,
    /// Component this acts on (service, flag, database).
    pub component: String,
    pub commands: Vec<Cmd>,
    pub verify: Vec<Cmd>,
    /// What success looks like.
    pub success: String,
    pub minutes: u32,
    pub destructive: bool,
    pub notes: Vec<String>,
}

impl Action {
    /// A non-destructive action with no commands yet.
    pub(crate) fn new(title: impl Into<String>, component: impl Into<String>) -> Self {
        Action {
            title: title.into(),
            component: component.into(),
            commands: Vec::new(),
            verify: Vec::new(),
            success: String::new(),
            minutes: 1,
            destructive: false,
            notes: Vec::new(),
        }
    }
    pub(crate) fn cmd(mut self, c: Cmd) -> Self {
        self.commands.push(c);
        self
    }
    pub(crate) fn verify(mut self, c: Cmd) -> Self {
        self.verify.push(c);
        self
    }
    pub(crate) fn success(mut self, s: impl Into<String>) -> Self {
        self.success = s.into();
        self
    }
    pub(crate) fn minutes(mut self, m: u32) -> Self {
        self.minutes = m;
        self
    }
    pub(crate) fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(n.into());
        self
    }
}

// Sentinels mark a placeholder inside text that is built first and quoted afterwards (JSON bodies,
// remote shell commands, URLs). Private-use characters never occur in rendered output: `splice`
// turns every sentinel into a `Part::Hole`.
const HOLE_START: char = '\u{E000}';
const HOLE_END: char = '\u{E001}';

/// Marks placeholder `word` (a single hole, as returned by `Placeholders::hole`) inside a text
/// that [`splice`] will quote later. A non-hole word is rendered as its text.
pub(crate) fn mark(word: &Word) -> String {
    match word.0.as_slice() {
        [Part::Hole(h)] => format!("{HOLE_START}{h}{HOLE_END}"),
        [Part::Val(v)] => v.clone(),
        _ => word.to_string(),
    }
}

/// Marks a placeholder by name.
pub(crate) fn mark_name(name: &str) -> String {
    format!("{HOLE_START}{name}{HOLE_END}")
}

/// One shell word from text holding sentinels: the text between them is quoted as a value, the
/// sentinels become bare `<NAME>` tokens (outside the quotes, so the shell refuses to run the
/// command until they are filled; once filled, the quoted pieces join into one word).
pub(crate) fn splice(text: &str) -> Word {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(HOLE_START) {
        let (before, after) = rest.split_at(start);
        if !before.is_empty() {
            parts.push(Part::Val(before.to_string()));
        }
        let after = &after[HOLE_START.len_utf8()..];
        match after.find(HOLE_END) {
            Some(end) => {
                parts.push(Part::Hole(after[..end].to_string()));
                rest = &after[end + HOLE_END.len_utf8()..];
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(Part::Val(rest.to_string()));
    }
    Word(parts)
}

/// Percent-encodes one URL path segment or query value (RFC 3986 unreserved characters stay).
pub(crate) fn url_seg(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A percentage for humans and CLIs: `5`, `2.5`; clamped to 0..=100, NaN as 0.
pub(crate) fn fmt_pct(p: f64) -> String {
    let p = if p.is_finite() {
        p.clamp(0.0, 100.0)
    } else {
        0.0
    };
    let r = (p * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as u32)
    } else {
        format!("{r}")
    }
}

/// A value that is known and not blank.
pub(crate) fn known(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.trim().is_empty())
}
