//! The only way a plan builds a shell command.
//!
//! A command is a list of words. Literal parts are written by rollbook itself; every value that came
//! from input is single-quoted when it needs to be; unknown values are placeholders such as
//! `<PREVIOUS_VERSION>`, which a shell refuses to run (`<` is a redirection from a missing file), so a
//! half-filled command cannot run by accident. Values carrying control characters never reach a
//! command: spec validation rejects them, and the renderer turns any that slip through into a
//! placeholder.

use serde::{Serialize, Serializer};
use std::fmt;

/// One part of a shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Trusted text written by rollbook (may contain shell syntax such as `"$DATABASE_URL"`).
    Lit(String),
    /// A value from input: quoted if needed.
    Val(String),
    /// An unknown value: rendered as `<NAME>`.
    Hole(String),
}

/// A shell word made of parts, rendered without spaces between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    pub fn lit(s: impl Into<String>) -> Self {
        Word(vec![Part::Lit(s.into())])
    }
    pub fn val(s: impl Into<String>) -> Self {
        Word(vec![Part::Val(s.into())])
    }
    pub fn hole(name: impl Into<String>) -> Self {
        Word(vec![Part::Hole(name.into())])
    }
    /// Appends a literal part.
    pub fn then_lit(mut self, s: impl Into<String>) -> Self {
        self.0.push(Part::Lit(s.into()));
        self
    }
    /// Appends another word's parts.
    pub fn then(mut self, w: Word) -> Self {
        self.0.extend(w.0);
        self
    }
    /// The placeholders in this word.
    pub fn holes(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Part::Hole(h) => Some(h.as_str()),
            _ => None,
        })
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Self {
        Word::lit(s)
    }
}

/// A shell command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cmd {
    pub words: Vec<Word>,
}

impl Cmd {
    /// Starts a command from trusted literal words separated by spaces.
    pub fn new(program: &str) -> Self {
        Cmd {
            words: program
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(Word::lit)
                .collect(),
        }
    }
    /// Appends trusted literal words separated by spaces.
    pub fn lit(mut self, s: &str) -> Self {
        self.words
            .extend(s.split(' ').filter(|s| !s.is_empty()).map(Word::lit));
        self
    }
    /// Appends one value from input, quoted as needed.
    pub fn val(mut self, s: impl Into<String>) -> Self {
        self.words.push(Word::val(s));
        self
    }
    /// Appends a word.
    pub fn word(mut self, w: Word) -> Self {
        self.words.push(w);
        self
    }
    /// Appends `--flag` and the value as a separate word.
    pub fn opt(self, flag: &str, value: Word) -> Self {
        self.lit(flag).word(value)
    }
    /// Appends `--flag=value` as one word.
    pub fn opt_eq(self, flag: &str, value: Word) -> Self {
        self.word(Word::lit(format!("{flag}=")).then(value))
    }
    /// The placeholders in this command, in order.
    pub fn holes(&self) -> Vec<&str> {
        self.words.iter().flat_map(|w| w.holes()).collect()
    }
    /// Rendered command line.
    pub fn render(&self) -> String {
        self.to_string()
    }
}

/// Whether a value may appear in a command at all: no C0/C1 control characters, no bidi overrides.
pub fn is_safe_value(s: &str) -> bool {
    !s.chars().any(is_forbidden_char)
}

/// Control characters and bidirectional overrides, which quoting cannot make safe to paste.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Quotes one value for a POSIX shell. Values that cannot be quoted safely become a placeholder.
pub fn quote(s: &str) -> String {
    if !is_safe_value(s) {
        return "<INVALID_VALUE>".to_string();
    }
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            match p {
                Part::Lit(s) => f.write_str(s)?,
                Part::Val(s) => f.write_str(&quote(s))?,
                Part::Hole(h) => write!(f, "<{h}>")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}

impl Serialize for Cmd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.render())
    }
}

impl schemars::JsonSchema for Cmd {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Command".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A POSIX shell command line; unknown values appear as <NAME> placeholders."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_stay_bare_and_others_are_quoted() {
        let c = Cmd::new("kubectl rollout undo")
            .val("deployment/web")
            .opt("-n", Word::val("it's prod"));
        assert_eq!(
            c.render(),
            "kubectl rollout undo deployment/web -n 'it'\\''s prod'"
        );
    }

    #[test]
    fn holes_render_as_placeholders_and_are_listed() {
        let c = Cmd::new("helm rollback")
            .val("web")
            .word(Word::hole("HELM_REVISION"));
        assert_eq!(c.render(), "helm rollback web <HELM_REVISION>");
        assert_eq!(c.holes(), vec!["HELM_REVISION"]);
    }

    #[test]
    fn control_characters_never_reach_a_command() {
        assert_eq!(quote("a\nb"), "<INVALID_VALUE>");
        assert_eq!(quote("a\u{202E}b"), "<INVALID_VALUE>");
        assert_eq!(quote(""), "''");
    }
}
