//! The last step of every output: secrets masked, control characters made visible.
//!
//! rollbook quotes its inputs back as evidence (snippets, excerpts, URLs), and those inputs are
//! written by anyone and read in CI next to real credentials. Whatever a reader or renderer missed,
//! [`for_output`] masks secrets by key name (`DB_PASSWORD=…`, `api_key: …`) and by value shape
//! (URL credentials, query tokens, JDBC/ADO.NET passwords, webhook URLs, pre-signed URL signatures,
//! known token prefixes, private keys, high-entropy strings, values of secret-named environment
//! variables), and escapes control and bidirectional characters so that a terminal shows them
//! instead of obeying them.

use crate::base::lean_regex::{Captures, LeanRegex, Reach};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

use clues::Clues;

/// What a masked secret is replaced with.
/// Square brackets, not angle ones: `[REDACTED]` would be an (invisible) HTML tag in Markdown.
pub const MASK: &str = "[REDACTED]";

/// The shape of an output, which decides how control characters are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Read by people (Markdown, HTML, text, GitHub annotations): escaped visibly as `\u{1B}`.
    Human,
    /// JSON: escaped as `\u001b`, which any JSON reader decodes back to the same string.
    Json,
}

/// Masks secrets, then escapes control and bidi characters, as fits `shape`.
pub fn for_output(text: &str, shape: Shape) -> Cow<'_, str> {
    let masked = secrets(text);
    match escape_controls(&masked, shape) {
        Cow::Borrowed(_) => masked,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// A writer that masks and escapes what passes through it as [`for_output`] does, a block of
/// whole lines at a time, so that a large output is never held whole (a repository's scan
/// report runs to megabytes). Only for text where no secret shape spans a line break: pretty
/// JSON, where every string sits on one line (its newlines escaped) and lines begin with
/// indentation, a quote or a bracket. Call [`MaskingWriter::finish`] to write the last block.
pub struct MaskingWriter<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
    shape: Shape,
}

/// Bytes gathered before a block of lines is masked and written.
const MASK_BLOCK: usize = 64 * 1024;

impl<W: std::io::Write> MaskingWriter<W> {
    pub fn new(inner: W, shape: Shape) -> Self {
        MaskingWriter {
            inner,
            pending: Vec::with_capacity(MASK_BLOCK * 2),
            shape,
        }
    }

    /// Masks and writes `pending[..end]`, keeping the rest.
    fn emit(&mut self, end: usize) -> std::io::Result<()> {
        let block = String::from_utf8_lossy(&self.pending[..end]);
        self.inner
            .write_all(for_output(&block, self.shape).as_bytes())?;
        self.pending.drain(..end);
        Ok(())
    }

    /// Writes what is left and flushes; returns the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.emit(self.pending.len())?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for MaskingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= MASK_BLOCK
            && let Some(nl) = self.pending.iter().rposition(|&b| b == b'\n')
        {
            // Up to a line break: a character boundary, and no secret split.
            self.emit(nl + 1)?;
        }
        Ok(buf.len())
    }

    /// Writes nothing held back: a block is masked only once it is whole.
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Control characters (but newline and tab) and bidirectional overrides, which can hide or
/// reorder text on a terminal.
pub fn is_unsafe_char(c: char) -> bool {
    c != '\n' && c != '\t' && crate::base::shell::is_forbidden_char(c)
}

/// Whether `text` holds an [`is_unsafe_char`], found without decoding every character: a byte
/// test per chunk for ASCII controls (vectorised), then only the characters whose first byte
/// starts an unsafe one outside ASCII (C1 controls: `0xC2`; U+061C: `0xD8`; the marks and
/// overrides near U+2000: `0xE2`), which `memchr3` finds.
fn has_unsafe_char(text: &str) -> bool {
    let ascii_control = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
    let bytes = text.as_bytes();
    if bytes
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |any, &b| any | ascii_control(b)))
    {
        return true;
    }
    memchr::memchr3_iter(0xC2, 0xD8, 0xE2, bytes)
        .any(|at| text[at..].chars().next().is_some_and(is_unsafe_char))
}

/// Escapes every [`is_unsafe_char`] visibly.
pub fn escape_controls(text: &str, shape: Shape) -> Cow<'_, str> {
    if !has_unsafe_char(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !is_unsafe_char(c) {
            out.push(c);
        } else {
            match shape {
                Shape::Human => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
                Shape::Json => out.push_str(&format!("\\u{:04x}", c as u32)),
            }
        }
    }
    Cow::Owned(out)
}

/// Words in a key name that mark its value as a secret.
const SECRET_WORDS: &str = r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|SIGNING_?KEY|DSN";

static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^[A-Za-z0-9_.-]*(?:{SECRET_WORDS})[A-Za-z0-9_.-]*$"
    ))
    .expect("secret key regex")
});

/// [`SECRET_WORDS`] lowercased, `_?` spelled both ways: what an ASCII key is searched for.
const SECRET_WORDS_ASCII: [&str; 19] = [
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "privatekey",
    "access_key",
    "accesskey",
    "credential",
    "auth_key",
    "authkey",
    "client_secret",
    "clientsecret",
    "signing_key",
    "signingkey",
    "dsn",
];

/// Whether a key name (`DB_PASSWORD`, `stripe.apiKey`, `token`) marks a secret value.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.trim();
    if !key.is_ascii() {
        // Unicode case folding (`ſ` is an `s`, `K` a `k`): the regex decides.
        return SECRET_KEY.is_match(key);
    }
    // The regex's answer for ASCII, without compiling it: every environment variable's name is
    // asked at the first redaction of a process.
    let lower = key.to_ascii_lowercase();
    lower
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && SECRET_WORDS_ASCII.iter().any(|w| lower.contains(w))
}

/// Whether a value has the shape of a secret whatever its key (the environment not consulted,
/// so the answer is the same on every machine).
pub fn is_secret_value(value: &str) -> bool {
    shapes(value) != value
}

/// A shape of secret: its pattern, compiled at its first use, behind a gate.
struct Rule {
    /// As written, `\b` and all (the tests run it).
    #[cfg_attr(not(test), allow(dead_code))]
    pattern: String,
    re: LeanRegex,
    /// False when the text's [`Clues`] show the pattern cannot match it, so the pattern is
    /// neither compiled nor run: the gate only ever skips work, never a match.
    gate: fn(&Clues) -> bool,
    /// Where in a match the pattern's `\b` stands, when the match went through it.
    boundary: fn(&Captures) -> Option<usize>,
    /// False for a match that holds no secret after all: not a match, and the search goes on
    /// from its next character, so a key-and-value inside it is still found.
    accept: fn(&Captures) -> bool,
    /// The ranges of the text that hold every match, when the [`Clues`] know them (`None`: the
    /// whole text is searched).
    within: fn(&Clues) -> Option<&[std::ops::Range<usize>]>,
    replace: fn(&Captures) -> String,
}

impl Rule {
    /// The pattern's `Regex::replace_all`: the regex without `\b` finds every match that could
    /// be one, leftmost first; one whose boundary fails is not a match of the pattern, and the
    /// search goes on from the next character.
    fn replace_all<'t>(&self, text: &'t str, clues: &Clues) -> Cow<'t, str> {
        let ascii_alike = ascii_alike(text);
        let mut out = String::new();
        let (mut copied, mut at, mut replaced) = (0, 0, false);
        let windows = match (self.within)(clues) {
            Some(ranges) => merged(ranges),
            None => std::iter::once(0..text.len()).collect(),
        };
        for window in windows {
            at = at.max(window.start);
            if at > window.end {
                continue;
            }
            while let Some(c) = self.re.captures_in(text, at..window.end, ascii_alike) {
                let m = c.get(0).expect("group 0");
                let rejected = (self.boundary)(&c).is_some_and(|b| !is_word_boundary(text, b))
                    || !(self.accept)(&c);
                if !rejected {
                    out.push_str(&text[copied..m.start()]);
                    out.push_str(&(self.replace)(&c));
                    copied = m.end();
                    replaced = true;
                }
                // Past a rejected or empty match by one character, else from its end.
                let from = if rejected { m.start() } else { m.end() };
                if rejected || m.is_empty() {
                    match text[from..].chars().next() {
                        Some(ch) => at = from + ch.len_utf8(),
                        None => break,
                    }
                } else {
                    at = from;
                }
                if at > window.end {
                    break;
                }
            }
        }
        if !replaced {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

/// Whether every rule matches the same in `text` with Unicode off: no white space but ASCII's
/// (`\s`), no `ſ` or `K` (which `(?i)` reads as `s` and `k`). Other non-ASCII characters only
/// ever meet a rule's negated classes (`[^\s"']+`, `[^\n]*`), unbounded, where matching a
/// character or all its bytes is the same; every match starts at an ASCII character.
fn ascii_alike(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii() || !(c.is_whitespace() || c == '\u{17F}' || c == '\u{212A}'))
}

/// A Unicode `\b`: a word character on one side of `at` and not on the other.
fn is_word_boundary(text: &str, at: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    word(text[..at].chars().next_back()) != word(text[at..].chars().next())
}

fn rule(
    re: &str,
    gate: fn(&Clues) -> bool,
    boundary: fn(&Captures) -> Option<usize>,
    replace: fn(&Captures) -> String,
) -> Rule {
    Rule {
        pattern: re.to_string(),
        // Without its `\b`, which [`Rule::replace_all`] checks on each match instead: a Unicode
        // word boundary makes the regex engine drop its DFA for a PikeVM, ten times slower, on
        // any text that is not all ASCII (every plan has `—` or `→`).
        re: LeanRegex::new(re.replace(r"\b", ""), Reach::Long),
        gate,
        boundary,
        accept: |_| true,
        within: |_| None,
        replace,
    }
}

/// `ranges` in order, those that overlap or touch joined.
fn merged(ranges: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// No `\b` in the pattern.
fn no_boundary(_: &Captures) -> Option<usize> {
    None
}

/// A `\b` where the match starts.
fn boundary_at_start(c: &Captures) -> Option<usize> {
    c.get(0).map(|m| m.start())
}

fn group<'a>(c: &'a Captures, i: usize) -> &'a str {
    c.get(i).map_or("", |m| m.as_str())
}

/// A value that names a secret instead of holding one: a placeholder, a variable, a mask.
fn is_reference(v: &str) -> bool {
    v.is_empty()
        || v.starts_with(['<', '$', '%', '{', '*', '['])
        || v.starts_with("\\$")
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "none" | "yes" | "no" | "~" | "redacted"
        )
}

/// The known token prefixes, as [`Clues`] bits: asked of every text redacted.
static TOKEN_PREFIXES: LazyLock<u64> = LazyLock::new(|| Clues::bits(&clues::TOKEN_PREFIXES));

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Private keys: the whole block, or from the header to the end of the line.
        rule(
            // The rest of the END line goes too, so that masking the mask changes nothing.
            r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----[^\n]*|[^\n]*)",
            |k| k.has_exact("PRIVATE KEY-----"),
            no_boundary,
            |c| format!("-----BEGIN {}PRIVATE KEY----- {MASK}", group(c, 1)),
        ),
        // Slack and Discord webhooks: the path is the credential.
        rule(
            r"(https?://hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+",
            |k| k.has_exact("://hooks.slack"),
            no_boundary,
            |c| format!("{}{MASK}", group(c, 1)),
        ),
        rule(
            r"(https?://(?:canary\.|ptb\.)?discord(?:app)?\.com/api/webhooks/)[0-9]+/[A-Za-z0-9_-]+",
            |k| k.has_exact("/api/webhooks/"),
            no_boundary,
            |c| format!("{}{MASK}", group(c, 1)),
        ),
        // Credentials in a URL: scheme://user:password@host.
        rule(
            r#"([A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s:@"'<>`]*):([^/\s@"'<>`]+)@"#,
            |k| k.url_credentials,
            no_boundary,
            |c| {
                if is_reference(group(c, 2)) {
                    c[0].to_string()
                } else {
                    format!("{}:{MASK}@", group(c, 1))
                }
            },
        ),
        // Query and connection-string parameters: ?token=…, &X-Amz-Signature=…, ;Password=….
        rule(
            r#"(?i)([?&;]\s*|\b)(access_token|refresh_token|id_token|token|api_key|apikey|api-key|key|secret|client_secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|awsaccesskeyid|auth|authorization)(\s*=\s*)([^&;\s"'<>`#]+)"#,
            |k| k.query,
            // `\b` before the key when no `?`, `&` or `;` leads it.
            |c| {
                group(c, 1)
                    .is_empty()
                    .then(|| c.get(2).map_or(0, |m| m.start()))
            },
            |c| {
                let lead = group(c, 1);
                let key = group(c, 2);
                let value = group(c, 4);
                // Bare `key=` outside a query or connection string is too common a word.
                let bare = lead.is_empty() || lead.trim().is_empty();
                let weak = matches!(key.to_ascii_lowercase().as_str(), "key" | "sig" | "auth");
                if is_reference(value) || (bare && weak) {
                    c[0].to_string()
                } else {
                    format!("{lead}{key}{}{MASK}", group(c, 3))
                }
            },
        ),
        // Tokens with a known prefix: GitHub, Slack, AWS, Stripe, GitLab, Google, npm, JWTs.
        rule(
            r"\b(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[abposr]-|AKIA|ASIA|sk_live_|rk_live_|sk_test_|glpat-|AIza|npm_)([A-Za-z0-9_-]{16,})",
            |k| k.has_any_exact(*TOKEN_PREFIXES),
            boundary_at_start,
            |c| format!("{}{MASK}", group(c, 1)),
        ),
        rule(
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            |k| k.has_exact("eyJ"),
            boundary_at_start,
            |_| MASK.to_string(),
        ),
        // Assignments to a secret-named key: DB_PASSWORD=…, api_key: …, "token": "…".
        Rule {
            accept: assignment_holds_secret,
            within: |k| Some(&k.assignment),
            ..rule(
                &format!(
                    r#"(?i)(\b[A-Za-z0-9_.-]*(?:{SECRET_WORDS})[A-Za-z0-9_.-]*)("?\s*(?:=|:)\s*)("|')?([^\s"'`,;]+)"#
                ),
                |k| !k.assignment.is_empty(),
                boundary_at_start,
                |c| format!("{}{}{}{MASK}", group(c, 1), group(c, 2), group(c, 3)),
            )
        },
    ]
});

/// Words that end a key naming something about a secret, not the secret: its reset, its
/// request, its policy (`password_reset_request:`, `token_ttl:`, `password_min_length:`).
const ABOUT_A_SECRET: [&str; 14] = [
    "reset",
    "request",
    "requests",
    "policy",
    "rotation",
    "expiry",
    "expiration",
    "expires",
    "ttl",
    "length",
    "enabled",
    "required",
    "hint",
    "strength",
];

/// Whether a match of the assignment shape assigns a secret.
fn assignment_holds_secret(c: &Captures) -> bool {
    let key = group(c, 1);
    let sep = group(c, 2);
    let value = group(c, 4);
    // `key: word` in prose ("token: see below") is not an assignment unless the key looks like
    // a variable name or the value is quoted.
    let variable_like = key.contains('_')
        || key.chars().all(|ch| !ch.is_ascii_lowercase())
        || c.get(3).is_some()
        || sep.contains('=');
    // A file location (`token-rotation.sql:3:1`) is not one either.
    let file_like = key.rsplit_once('.').is_some_and(|(_, ext)| {
        (1..=5).contains(&ext.len()) && ext.chars().all(|ch| ch.is_ascii_alphanumeric())
    });
    let location = file_like && value.chars().all(|ch| ch.is_ascii_digit() || ch == ':');
    // `key:` then, on the next line, `other_key:`: the key opens a mapping and holds no value.
    let opens_mapping = sep.contains('\n') && value.ends_with(':');
    // The key ends with a word naming something about the secret, after its last secret word.
    let lower = key.to_ascii_lowercase();
    let after_secret = SECRET_WORDS_ASCII
        .iter()
        .filter_map(|w| lower.rfind(w).map(|i| i + w.len()))
        .max()
        .map_or("", |end| &lower[end..]);
    let about_secret = ABOUT_A_SECRET.iter().any(|w| after_secret.ends_with(w));
    !(is_reference(value) || !variable_like || location || opens_mapping || about_secret)
}

/// A byte of a long word: `[A-Za-z0-9+/_=-]`, the alphabets of base64, base64url and hex.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'_' | b'=' | b'-')
}

/// The byte ranges of the maximal runs of at least 32 word bytes (`[A-Za-z0-9+/_=-]{32,}`, the
/// regex's matches). All ASCII, so every end is a character boundary.
fn long_words(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    // `at` is 0 or just past a byte that is not a word byte.
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 32 <= bytes.len() {
            // A run of 32 from any start in `at..at + 32` holds the byte at `at + 31`: when that
            // is no word byte, none starts there (most of a text is passed 32 bytes at a time).
            let probe = at + 31;
            if !is_word_byte(bytes[probe]) {
                at = probe + 1;
                continue;
            }
            let start = at
                + bytes[at..probe]
                    .iter()
                    .rposition(|&b| !is_word_byte(b))
                    .map_or(0, |i| i + 1);
            let end = bytes[probe..]
                .iter()
                .position(|&b| !is_word_byte(b))
                .map_or(bytes.len(), |i| probe + i);
            at = end + 1;
            if end - start >= 32 {
                return Some(start..end);
            }
        }
        None
    })
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = f64::from(k) / n;
            -p * p.log2()
        })
        .sum()
}

/// A long run of mixed upper case, lower case and digits, as random as a generated key.
pub fn is_high_entropy(word: &str) -> bool {
    // A digest labelled with its algorithm (CSP and SRI `sha256-…`) is public, not a key.
    let digest = ["sha256-", "sha384-", "sha512-", "sha1-"];
    if digest.iter().any(|d| word.starts_with(d)) {
        return false;
    }
    let core = word.trim_end_matches('=');
    if core.len() < 32 {
        return false;
    }
    let upper = core.bytes().any(|b| b.is_ascii_uppercase());
    let lower = core.bytes().any(|b| b.is_ascii_lowercase());
    let digit = core.bytes().any(|b| b.is_ascii_digit());
    if !(upper && lower && digit) {
        return false;
    }
    let max = (core.len().min(64) as f64).log2();
    entropy(core) >= 0.85 * max
}

/// Values of environment variables with secret names, long enough not to match by chance.
static ENV_SECRETS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, v)| is_secret_key(k) && v.len() >= 8 && !v.contains('\n'))
        .map(|(_, v)| v)
        .collect();
    // Longest first, so a value containing another is masked whole.
    v.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    v.dedup();
    v
});

/// Masks every secret [`for_output`] knows.
pub fn secrets(text: &str) -> Cow<'_, str> {
    let mut out = shapes(text);
    for v in ENV_SECRETS.iter() {
        if out.contains(v.as_str()) {
            out = Cow::Owned(out.replace(v.as_str(), MASK));
        }
    }
    out
}

/// Masks secrets by key name and value shape, until nothing more changes: one mask can complete
/// another shape (a high-entropy run holding a `/` masked inside a URL password reveals the
/// `user:password@` shape), and masking the output again must change nothing.
fn shapes(text: &str) -> Cow<'_, str> {
    let mut out = shapes_once(text);
    // A pass that masks nothing has reached the fixed point: a second one would only repeat it
    // (half the redaction of a large JSON report).
    if let Cow::Borrowed(_) = out {
        return out;
    }
    // Each pass only masks more; the bound is a guard, not a limit reached in practice.
    for _ in 0..8 {
        match shapes_once(&out) {
            Cow::Borrowed(_) => break,
            Cow::Owned(next) if next == *out => break,
            Cow::Owned(next) => out = Cow::Owned(next),
        }
    }
    out
}

/// One pass of every shape rule, each skipped when the text lacks what it needs.
fn shapes_once(text: &str) -> Cow<'_, str> {
    let mut out: Cow<str> = Cow::Borrowed(text);
    let mut clues = Clues::of(text);
    for r in RULES.iter() {
        if !(r.gate)(&clues) {
            continue;
        }
        if let Cow::Owned(s) = r.replace_all(&out, &clues)
            && s != *out
        {
            clues = Clues::of(&s);
            out = Cow::Owned(s);
        }
    }
    if long_words(&out).any(|w| is_high_entropy(&out[w])) {
        let mut s = String::with_capacity(out.len());
        let mut last = 0;
        for w in long_words(&out) {
            if is_high_entropy(&out[w.clone()]) {
                s.push_str(&out[last..w.start]);
                s.push_str(MASK);
                last = w.end;
            }
        }
        s.push_str(&out[last..]);
        out = Cow::Owned(s);
    }
    out
}

mod clues;

#[cfg(test)]
mod tests;
