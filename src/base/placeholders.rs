//! The registry of unknown values. Every unknown becomes a `<NAME>` token recorded once, in order of
//! first use, so the JSON can list and count them.

use super::parts::Placeholder;
use crate::base::shell::Word;

/// `fill_with` of a value the operator records with the Go / No-Go commands, before the deploy.
pub const AT_DEPLOY: &str = "recorded before the deploy by the Go / No-Go check that names it";
/// `fill_with` of a blank in a message, filled when the message is sent.
pub const AT_SEND: &str = "when the message is sent";

#[derive(Debug, Default, Clone)]
pub struct Placeholders {
    list: Vec<Placeholder>,
}

impl Placeholders {
    /// Records an unknown value and returns its shell word.
    pub fn hole(&mut self, name: &str, description: &str, fill_with: &str) -> Word {
        self.note(name, description, fill_with);
        Word::hole(name)
    }

    /// Records an unknown value and returns its text token `<NAME>`.
    pub fn text(&mut self, name: &str, description: &str, fill_with: &str) -> String {
        self.note(name, description, fill_with);
        format!("<{name}>")
    }

    /// A known value as a quoted word, or the placeholder.
    pub fn val_or(
        &mut self,
        value: Option<&str>,
        name: &str,
        description: &str,
        fill_with: &str,
    ) -> Word {
        match value {
            Some(v) if !v.trim().is_empty() => Word::val(v),
            _ => self.hole(name, description, fill_with),
        }
    }

    /// A known value as text, or the placeholder token.
    pub fn text_or(
        &mut self,
        value: Option<&str>,
        name: &str,
        description: &str,
        fill_with: &str,
    ) -> String {
        match value {
            Some(v) if !v.trim().is_empty() => v.to_string(),
            _ => self.text(name, description, fill_with),
        }
    }

    fn note(&mut self, name: &str, description: &str, fill_with: &str) {
        let token = format!("<{name}>");
        if !self.list.iter().any(|p| p.token == token) {
            let when = match fill_with {
                AT_DEPLOY => "before-deploy",
                AT_SEND => "when-sending",
                _ => "before-use",
            };
            self.list.push(Placeholder {
                token,
                description: description.to_string(),
                fill_with: fill_with.to_string(),
                when: when.to_string(),
            });
        }
    }

    pub fn into_vec(self) -> Vec<Placeholder> {
        self.list
    }
    pub fn list(&self) -> &[Placeholder] {
        &self.list
    }
}

/// Length of a `<UPPER_SNAKE>` placeholder token at the start of `s`, so renderers can keep
/// tokens findable (shown as code) instead of escaping their `<`.
pub fn token_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') || !b.get(1).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    let end = b
        .iter()
        .skip(1)
        .position(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_'))?
        + 1;
    (b.get(end) == Some(&b'>')).then_some(end + 1)
}

/// Upper-snake name from any text: `checkout api` → `CHECKOUT_API`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        "VALUE".to_string()
    } else {
        out
    }
}
