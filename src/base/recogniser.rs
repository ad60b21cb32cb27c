//! What reveals a change kind in a free-text brief, declared as data by the kind and read by the
//! brief reader (`spec::brief`).

/// The triggers and negations of one change kind.
#[derive(Debug, Clone, Copy)]
pub struct Recogniser {
    /// The kind's tag in a spec (`kind: migration`).
    pub kind: &'static str,
    /// The ways the kind shows in a sentence.
    pub triggers: &'static [Trigger],
    /// Words that cancel a trigger when they stand among the four words before it in its clause
    /// ("there is no migration").
    pub negations: &'static [&'static str],
}

/// One way a kind shows in a sentence: a pattern found, and one the sentence must also match.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    /// What it reveals, e.g. `email` for an external side effect.
    pub name: &'static str,
    pub found: Pattern,
    /// Needed beside it in the same sentence (a verb of sending beside "email").
    pub also: Option<Pattern>,
}

/// A regular expression (Rust `regex` syntax) and the words one of which each of its matches
/// holds, ASCII case-insensitively, so a reader can skip the pattern for a text without them.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    pub regex: &'static str,
    pub words: &'static [&'static str],
}

/// The words that negate what follows them in a brief: the negations every kind uses.
pub const NEGATION_WORDS: &[&str] = &[
    "no", "not", "never", "without", "none", "nor", "neither", "nothing", "zero", "cannot",
    "nobody", "won't",
];
