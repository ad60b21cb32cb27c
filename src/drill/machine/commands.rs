//! The commands a drill offers under `--exec`: placeholders filled with typed values (quoted),
//! lines refused when they would run something unseen, values kept out of the log when secret, and
//! the runner that runs what the operator confirmed.

use super::*;

/// Runs a confirmed command; the real one is [`ShellRunner`], tests use a fake.
pub trait Runner {
    /// Runs the command line and returns its exit code (`None` when killed by a signal).
    fn run(&mut self, command: &str) -> std::io::Result<Option<i32>>;
}

/// Runs a command with `sh -c`, with the terminal's stdin, stdout and stderr.
#[derive(Debug, Default)]
pub struct ShellRunner;

impl Runner for ShellRunner {
    fn run(&mut self, command: &str) -> std::io::Result<Option<i32>> {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .status()?;
        Ok(status.code())
    }
}

/// What happened to a command offered under `--exec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOutcome {
    /// Not run, and why (see [`Refusal`]).
    Refused(Refusal),
    /// The operator did not confirm.
    Declined,
    Ran(Option<i32>),
    /// `sh` could not be started.
    Error(String),
}

/// Why a command is not offered to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Control or bidi characters could hide part of the command; the text shows them escaped.
    ControlCharacters(String),
    /// The command is not a well-formed list of shell words (an unclosed quote).
    NotWords,
    /// Placeholders still in the words.
    Placeholders(Vec<String>),
    /// Variables the command expands that are unset or empty (names only, never values).
    UnsetVariables(Vec<String>),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ControlCharacters(shown) => {
                write!(f, "it holds control characters: {shown}")
            }
            Refusal::NotWords => f.write_str("it does not split into shell words (unclosed quote)"),
            Refusal::Placeholders(h) => write!(f, "it still holds {}", h.join(" ")),
            Refusal::UnsetVariables(v) => {
                let names: Vec<String> = v.iter().map(|n| format!("${n}")).collect();
                write!(f, "{} is unset or empty", names.join(", "))
            }
        }
    }
}

/// A command as offered: the plan's text, and the line to run or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The command as the plan writes it (placeholders unfilled): what the log records.
    pub template: String,
    /// A Verify command rather than an action.
    pub verify: bool,
    /// The placeholder values used, for the log (secret-looking ones hidden).
    pub values: Vec<(String, String)>,
    pub ready: Result<String, Refusal>,
}

impl Offer {
    /// Fills the placeholders of `template` from `values` and checks the result: no control
    /// characters, well-formed words, no placeholder left in any word, and every variable it
    /// expands set and non-empty according to `env`.
    pub fn prepare(
        template: &str,
        verify: bool,
        values: &std::collections::BTreeMap<String, String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Offer {
        let used: Vec<(String, String)> = placeholders_in(template)
            .into_iter()
            .filter_map(|h| values.get(&h).map(|v| (h.clone(), logged_value(&h, v))))
            .collect();
        let ready = fill(template, values).and_then(|line| check(&line, env).map(|()| line));
        Offer {
            template: template.to_string(),
            verify,
            values: dedup(used),
            ready,
        }
    }
}

pub(super) fn dedup(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|(k, _)| seen.insert(k.clone()));
    v
}

/// The command with every known placeholder replaced by its shell-quoted value.
pub(super) fn fill(
    template: &str,
    values: &std::collections::BTreeMap<String, String>,
) -> Result<String, Refusal> {
    if template.chars().any(crate::base::shell::is_forbidden_char) {
        return Err(Refusal::ControlCharacters(visible(template)));
    }
    let mut line = template.to_string();
    for (hole, value) in values {
        if value.chars().any(crate::base::shell::is_forbidden_char) {
            return Err(Refusal::ControlCharacters(visible(value)));
        }
        line = line.replace(hole.as_str(), &crate::base::shell::quote(value));
    }
    Ok(line)
}

/// Checks a filled command on its words, as the shell will split them, not by running it.
pub(super) fn check(line: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(), Refusal> {
    let words = shlex::split(line).ok_or(Refusal::NotWords)?;
    let holes: Vec<String> = words.iter().flat_map(|w| placeholders_in(w)).collect();
    if !holes.is_empty() {
        return Err(Refusal::Placeholders(
            dedup(holes.into_iter().map(|h| (h, String::new())).collect())
                .into_iter()
                .map(|(h, _)| h)
                .collect(),
        ));
    }
    let unset: Vec<String> = expanded_variables(line)
        .into_iter()
        .filter(|name| env(name).is_none_or(|v| v.is_empty()))
        .collect();
    if !unset.is_empty() {
        return Err(Refusal::UnsetVariables(unset));
    }
    Ok(())
}

/// The names of the variables a POSIX shell would expand in `line` (`$NAME`, `${NAME}`,
/// `${NAME:-x}`), outside single quotes; special parameters (`$1`, `$?`) are not names.
pub fn expanded_variables(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut i, mut single, mut escaped) = (Vec::<String>::new(), 0, false, false);
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' => single = !single,
            '$' if !single => {
                let braced = chars.get(i) == Some(&'{');
                let start = if braced { i + 1 } else { i };
                let mut end = start;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                    && !(end == start && chars[end].is_ascii_digit())
                {
                    end += 1;
                }
                if end > start {
                    let name: String = chars[start..end].iter().collect();
                    // `${NAME:-default}` and friends supply their own value.
                    let defaulted =
                        braced && matches!(chars.get(end), Some(':' | '-' | '=' | '+' | '?'));
                    if !defaulted && !out.contains(&name) {
                        out.push(name);
                    }
                    i = end;
                }
            }
            _ => {}
        }
    }
    out
}

/// A command or value with its control and bidi characters written as visible escapes.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::base::shell::is_forbidden_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A typed value as the log records it: hidden when the placeholder's name or the value's shape
/// suggests a secret.
pub fn logged_value(hole: &str, value: &str) -> String {
    if looks_secret(hole, value) {
        "<hidden>".to_string()
    } else {
        value.to_string()
    }
}

/// Whether a placeholder value should never be written down.
pub fn looks_secret(hole: &str, value: &str) -> bool {
    let name = hole.to_ascii_uppercase();
    let secret_name = [
        "PASS",
        "SECRET",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "COOKIE",
        "PRIVATE",
        "DSN",
        "URL",
    ]
    .iter()
    .any(|w| name.contains(w));
    // URLs often carry credentials; long unbroken mixes of letters and digits look like keys.
    let url_with_user = value.contains("://") && value.contains('@');
    let long_mixed = value.len() >= 20
        && !value.contains(char::is_whitespace)
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic());
    secret_name || url_with_user || long_mixed
}
