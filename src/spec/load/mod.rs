//! Reading a spec file or brief from disk, with budgets against hostile input.

use super::{Input, InputForm};
use crate::base::error::{Error, Location, Result};
use crate::base::source::SourceFile;
use crate::model::{ChangeKind, Spec};

/// Largest input read, in bytes.
pub const MAX_INPUT_BYTES: u64 = crate::base::fsio::SPEC_BYTES;

/// Loads `path`: a spec (by extension `.yaml`/`.yml`, `.toml`, `.json`) or a brief (`.md`, `.txt`,
/// or content that is not a spec). Validates it.
pub fn load(path: &str) -> Result<Input> {
    let text = read_text(path)?;
    match detect_form(path, &text) {
        InputForm::Brief => super::brief::infer(path, &text),
        form => parse_spec(path, &text, form),
    }
}

/// The name that stands for standard input on the command line.
pub const STDIN: &str = "-";

/// Standard input, read once (within the size budget) and kept: `plan -` may read it twice.
fn stdin_text() -> Result<String> {
    use std::io::Read;
    static TEXT: std::sync::OnceLock<std::result::Result<Vec<u8>, String>> =
        std::sync::OnceLock::new();
    let bytes = TEXT.get_or_init(|| {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|e| e.to_string())
    });
    match bytes {
        Err(e) => Err(Error::io(STDIN, std::io::Error::other(e.clone()))),
        Ok(b) if b.len() as u64 > MAX_INPUT_BYTES => Err(too_large(STDIN, b.len() as u64)),
        Ok(b) => decode(STDIN, b.clone()),
    }
}

/// Reads a file named on the command line as UTF-8 text within the size budget: regular files
/// only, never more than the limit read; `-` is standard input.
pub fn read_text(path: &str) -> Result<String> {
    if path == STDIN {
        return stdin_text();
    }
    let bytes = crate::base::fsio::read(std::path::Path::new(path), MAX_INPUT_BYTES).map_err(|why| {
        let help = match why {
            crate::base::fsio::Refusal::Missing => {
                "check the path; `rollbook init -o rollbook.yaml` writes a starter spec"
            }
            crate::base::fsio::Refusal::Directory => {
                "pass a rollbook.yaml, .toml, .json or a brief (.md, .txt)"
            }
            crate::base::fsio::Refusal::TooLarge { .. } => {
                "a deployment spec is small; point at migration files with `path:` instead of inlining them"
            }
            _ => "pass a spec or brief saved as a regular file",
        };
        Error::input(Location::file(path), why.to_string(), Some(help.into()))
    })?;
    decode(path, bytes)
}

fn too_large(path: &str, len: u64) -> Error {
    Error::input(
        Location::file(path),
        format!("file is {len} bytes; the limit is {MAX_INPUT_BYTES} bytes (4 MiB)"),
        Some("a deployment spec is small; point at migration files with `path:` instead of inlining them".into()),
    )
}

/// Bytes to text; invalid UTF-8 is reported at its line and column.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(e.as_bytes().get(..offset).unwrap_or_default());
            let (line, col) = SourceFile::new(path, valid.into_owned()).line_col(offset);
            Err(Error::input(
                Location::at(path, line, col),
                format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
                Some("save the file as UTF-8".into()),
            ))
        }
    }
}

/// The form of an input: by extension, else by content.
pub fn detect_form(path: &str, text: &str) -> InputForm {
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("yaml" | "yml") => return InputForm::Yaml,
        Some("toml") => return InputForm::Toml,
        Some("json") => return InputForm::Json,
        Some("md" | "markdown" | "txt") => return InputForm::Brief,
        _ => {}
    }
    let body = text.trim_start_matches('\u{feff}');
    if body.trim_start().starts_with('{') {
        InputForm::Json
    } else if body.lines().any(|l| l.starts_with("deployment:")) {
        InputForm::Yaml
    } else if body.lines().any(|l| l.trim_end() == "[deployment]") {
        InputForm::Toml
    } else {
        InputForm::Brief
    }
}

/// Parses spec text of a known form (used by tests and `load`).
pub fn parse_spec(path: &str, text: &str, form: InputForm) -> Result<Input> {
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(path, text.len() as u64));
    }
    if text.trim().is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the file is empty",
            Some("a spec needs at least `deployment:` with a `name:`; `rollbook init` writes a starter spec".into()),
        ));
    }
    let spec = match form {
        InputForm::Yaml => parse_yaml(path, text)?,
        InputForm::Toml => parse_toml(path, text)?,
        InputForm::Json => parse_json(path, text)?,
        InputForm::Brief => {
            return Err(Error::Usage(format!(
                "{path}: a brief is not a spec; use `rollbook infer`"
            )));
        }
    };
    super::validate::validate(&spec, path, text)?;
    Ok(Input {
        path: path.to_string(),
        form,
        spec,
        assumptions: Vec::new(),
    })
}

/// Options for spec YAML: duplicate keys are errors; aliases, events and nesting are budgeted.
fn yaml_options() -> serde_saphyr::Options {
    budgeted_yaml(200_000, 32, serde_saphyr::DuplicateKeyPolicy::Error)
}

/// YAML options shared by every reader of user YAML: alias bombs are cut off by the same alias
/// and replay budgets everywhere; events, depth and duplicate keys vary by what is read.
pub fn budgeted_yaml(
    max_events: usize,
    max_depth: usize,
    duplicate_keys: serde_saphyr::DuplicateKeyPolicy,
) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: max_events,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: max_depth,
            max_recorded_anchor_events: 100_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
        duplicate_keys: duplicate_keys,
        with_snippet: false,
    }
}

fn parse_yaml(path: &str, text: &str) -> Result<Spec> {
    serde_saphyr::from_str_with_options::<Spec>(text, yaml_options()).map_err(|e| {
        let e = e.without_snippet();
        let loc = e
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| Location::at(path, clamp(l.line()), clamp(l.column().max(1))))
            .unwrap_or_else(|| Location::file(path));
        let message = plain_yaml_message(&strip_location(&e.to_string()));
        parse_error(loc, message, "YAML", text)
    })
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn parse_toml(path: &str, text: &str) -> Result<Spec> {
    toml::from_str::<Spec>(text).map_err(|e| {
        let loc = match e.span() {
            Some(span) => {
                let (l, c) = SourceFile::new(path, text).line_col(span.start);
                Location::at(path, l, c)
            }
            None => Location::file(path),
        };
        parse_error(loc, e.message().trim().to_string(), "TOML", text)
    })
}

fn parse_json(path: &str, text: &str) -> Result<Spec> {
    // serde_json stops at 128 levels of nesting by itself.
    serde_json::from_str::<Spec>(text).map_err(|e| {
        let loc = if e.line() > 0 {
            Location::at(
                path,
                clamp(e.line() as u64),
                clamp(e.column().max(1) as u64),
            )
        } else {
            Location::file(path)
        };
        parse_error(loc, strip_location(&e.to_string()), "JSON", text)
    })
}

/// Removes a trailing ` at line N column M` a parser appends to its message.
/// The YAML parser's messages that name its own API or internals, in plain words.
pub fn plain_yaml_message(msg: &str) -> String {
    if msg.contains("multiple YAML documents") {
        return "the file holds more than one YAML document (separated by `---`); a spec is one document".into();
    }
    if let Some(rest) = msg.split("budget breached:").nth(1) {
        let what = rest
            .trim()
            .split([' ', '{'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        let n: String = rest.chars().filter(char::is_ascii_digit).collect();
        let what = if what.is_empty() {
            "size".to_string()
        } else {
            what
        };
        return format!(
            "the YAML is too large or expands aliases too far to read safely ({n} {what}, over the reader's limit)"
        );
    }
    msg.to_string()
}

fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or("").trim();
    let mut s = first.to_string();
    for marker in [" at line ", " at byte "] {
        if let Some(i) = s.rfind(marker) {
            let tail = &s[i + marker.len()..];
            if tail.starts_with(|c: char| c.is_ascii_digit()) {
                s.truncate(i);
            }
        }
    }
    // serde-saphyr prefixes `error: line N column M: `.
    if let Some(rest) = s.strip_prefix("error: ") {
        s = rest.to_string();
    }
    if s.starts_with("line ")
        && let Some(i) = s.find(": ")
    {
        s = s[i + 2..].to_string();
    }
    s
}

/// Turns a parser message into an input error with a help line; unknown fields get a
/// did-you-mean.
fn parse_error(location: Location, message: String, form: &str, text: &str) -> Error {
    if let Some((field, expected)) = unknown_field(&message) {
        if let Some(kind) = change_kind_of(&expected) {
            return field_of_another_kind(location, text, &field, kind);
        }
        let context = location_context(&expected);
        let help = match did_you_mean(&field, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean '{s}'?"),
            None => format!("expected one of: {}", expected.join(", ")),
        };
        return Error::input(
            location,
            format!("unknown field '{field}'{context}"),
            Some(help),
        );
    }
    if let Some(variant) = between(&message, "unknown variant `", "`") {
        let expected = expected_list(&message);
        let help = match did_you_mean(&variant, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean '{s}'?"),
            None => format!("expected one of: {}", expected.join(", ")),
        };
        return Error::input(location, format!("unknown value '{variant}'"), Some(help));
    }
    if let Some(key) = message
        .strip_prefix("duplicate mapping key: ")
        .and_then(|r| r.split(',').next())
    {
        return Error::input(
            location,
            format!("duplicate key '{key}'"),
            Some("each key may appear once per mapping; remove or merge the repeated key".into()),
        );
    }
    let help = if message.contains("duplicate") {
        "each key may appear once per mapping; remove or merge the repeated key".to_string()
    } else if message.contains("missing field") {
        "add the field; `rollbook init` writes a starter spec with every section".to_string()
    } else if message.contains("untagged enum Risk") {
        "a risk is free text, or `{kind: ..., note: ...}` with a known kind (`rollbook schema spec` lists them)".to_string()
    } else if message.contains("more than one YAML document") {
        "keep one deployment per spec file: remove the `---` and the documents after it".to_string()
    } else if message.contains("budget") || message.contains("limit") || message.contains("depth") {
        "the file is too deeply nested or uses too many aliases for a deployment spec".to_string()
    } else if message.contains("unexpected end of input") {
        "the document has no content; a spec needs at least `deployment:` with a `name:`"
            .to_string()
    } else if message.contains("invalid type")
        || message.starts_with("expected")
        || message.contains(", expected")
    {
        "the value has the wrong type here; `rollbook schema spec` prints what each field takes"
            .to_string()
    } else {
        format!("fix the {form} syntax at this place; `rollbook schema spec` prints the schema")
    };
    Error::input(location, message, Some(help))
}

/// The kind of change whose fields are exactly `expected`: the parser names them when a change
/// has a field its kind does not take.
fn change_kind_of(expected: &[String]) -> Option<ChangeKind> {
    ChangeKind::all().find(|k| {
        let fields = k.fields();
        fields.len() == expected.len() && fields.iter().all(|f| expected.iter().any(|e| e == f))
    })
}

/// A field that a change of `kind` does not take. The parsers report such an error where the
/// change starts (YAML, TOML) or ends (JSON), since the change is read whole before its kind is
/// known; the key's own line and column are recovered from the text.
fn field_of_another_kind(location: Location, text: &str, field: &str, kind: ChangeKind) -> Error {
    let location = match location.line {
        Some(line) => match super::validate::locate_key_in_change(text, line, field, kind) {
            Some((l, c)) => Location::at(&location.file, l, c),
            None => location,
        },
        None => location,
    };
    let owners: Vec<&str> = ChangeKind::all()
        .filter(|k| k.fields().contains(&field))
        .map(|k| k.as_str())
        .collect();
    let help = if !owners.is_empty() {
        format!(
            "'{field}' belongs to {} changes; remove it or change `kind`",
            owners.join(" / ")
        )
    } else {
        let own = kind.fields();
        match did_you_mean(field, own.iter().copied()) {
            Some(s) => format!("did you mean '{s}'?"),
            None => format!(
                "{} change takes: {}",
                with_article(kind.as_str()),
                own.join(", ")
            ),
        }
    };
    Error::input(
        location,
        format!(
            "'{field}' is not a field of {} change",
            with_article(kind.as_str())
        ),
        Some(help),
    )
}

/// `a config`, `an infrastructure`.
fn with_article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// `unknown field `x`, expected one of `a`, `b`` → (`x`, [a, b]).
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let field = between(message, "unknown field `", "`")?;
    if message.contains("there are no fields") {
        return Some((field, Vec::new()));
    }
    Some((field, expected_list(message)))
}

fn expected_list(message: &str) -> Vec<String> {
    let Some(i) = message.find("expected") else {
        return Vec::new();
    };
    let tail = &message[i..];
    if tail.contains('`') {
        // serde's own format: expected one of `a`, `b`
        return tail
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
    }
    // serde-saphyr's format: expected one of a, b, c
    tail.trim_start_matches("expected one of")
        .trim_start_matches("expected")
        .split(',')
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)?;
    Some(s[i..i + j].to_string())
}

/// Names the spec section whose field list matches, for ` in deployment`.
fn location_context(expected: &[String]) -> String {
    let has = |f: &str| expected.iter().any(|e| e == f);
    let section = if has("previous_version") {
        "deployment"
    } else if has("deployment") {
        "the top level"
    } else if has("kind") && has("sql") {
        "a change"
    } else if has("data_stores") {
        "architecture"
    } else if has("platform") && has("health_endpoint") {
        "a service"
    } else if has("engine") {
        "a data store"
    } else if has("decision_maker") {
        "people"
    } else if has("blocked_windows") {
        "policy"
    } else {
        return String::new();
    };
    format!(" in {section}")
}

/// The closest candidate by Jaro-Winkler similarity, if it is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word.to_ascii_lowercase(), &c.to_ascii_lowercase());
        if score >= 0.8 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests;
