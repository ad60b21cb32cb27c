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

impl Recogniser {
    /// The trigger named `name`. Evaluated where the reader builds its matchers (in `static`s),
    /// so a name the kind does not declare fails the build rather than matching the wrong thing.
    pub const fn trigger(&self, name: &str) -> &'static Trigger {
        let mut i = 0;
        while i < self.triggers.len() {
            if same_bytes(self.triggers[i].name.as_bytes(), name.as_bytes()) {
                return &self.triggers[i];
            }
            i += 1;
        }
        panic!("the recogniser declares no trigger of that name");
    }
}

/// `a == b`, usable in a `const fn`.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
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
    /// Every match starts with one of `words` (the pattern opens with `\b` and an alternation
    /// of them): a reader searches from where they occur, not from the start of the text.
    /// The brief reader's tests prove it from the pattern, and that no such pattern is missed.
    pub leading: bool,
    /// Words one of which each match also holds, beside one of `words` (empty: no second
    /// condition): a text that lacks them all is not searched, and the pattern is not compiled
    /// for it. The brief reader's tests prove them from the pattern.
    pub and_words: &'static [&'static str],
}

/// The words that negate what follows them in a brief: the negations every kind uses.
pub const NEGATION_WORDS: &[&str] = &[
    "no", "not", "never", "without", "none", "nor", "neither", "nothing", "zero", "cannot",
    "nobody", "won't",
];
