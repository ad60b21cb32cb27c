//! Config diffs between two versions of a `.env`, YAML, JSON or TOML file. Values that look like
//! secrets are never kept, only their keys.
//!
//! `.env` files are read by a small line parser of our own: `dotenvy` (the maintained crate)
//! expands `${VAR}` from the process environment, which would make the plan depend on the machine
//! and could copy that machine's secrets into it. Here `$` is text like any other.

use crate::base::error::{Error, Location, Result};
use crate::evidence::{Artifact, Evidence};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Largest config file read.
pub const MAX_CONFIG_BYTES: u64 = crate::base::fsio::CONFIG_BYTES;
/// Deepest nesting followed when flattening (deeper values are compared as one leaf).
const MAX_DEPTH: usize = 64;
/// Most keys kept per file.
const MAX_KEYS: usize = 100_000;

/// One key that differs between the two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigKeyDiff {
    pub evidence: Evidence,
    /// Index of the spec change it belongs to.
    pub change: usize,
    /// Dotted key path.
    pub key: String,
    /// `added`, `removed`, `changed`.
    pub status: String,
    /// Previous value, `None` when absent or secret.
    pub before: Option<String>,
    /// New value, `None` when absent or secret.
    pub after: Option<String>,
    pub secret: bool,
    /// Where the previous value is (the before file and line), when the key existed.
    pub before_evidence: Option<Evidence>,
}

/// File formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Env,
    Yaml,
    Json,
    Toml,
}

impl Format {
    /// The format by file name: `.env`, `*.env`, `.env.*`, `.yaml`/`.yml`, `.json`, `.toml`.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("yaml" | "yml") => Some(Format::Yaml),
            Some("json") => Some(Format::Json),
            Some("toml") => Some(Format::Toml),
            Some("env") => Some(Format::Env),
            _ if name == ".env" || name.starts_with(".env.") => Some(Format::Env),
            _ => None,
        }
    }
}

/// A flattened leaf: value and 1-based line (when found).
#[derive(Debug, Clone, PartialEq)]
struct Leaf {
    value: Option<String>,
    line: Option<u32>,
}

/// A config file that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

mod env_file;
mod flatten;
mod secrets;

use flatten::flatten_text;
pub use secrets::{secret_by_name, secret_by_value};

/// Diffs two parsed versions. Secret values are dropped here, after comparing.
fn diff(
    before: &BTreeMap<String, Leaf>,
    after: &BTreeMap<String, Leaf>,
    before_file: &str,
    after_file: &str,
    change: usize,
) -> Vec<ConfigKeyDiff> {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        let b = before.get(k);
        let a = after.get(k);
        let status = match (b, a) {
            (Some(b), Some(a)) if b.value == a.value => continue,
            (Some(_), Some(_)) => "changed",
            (Some(_), None) => "removed",
            (None, Some(_)) => "added",
            (None, None) => continue,
        };
        let secret = secret_by_name(k)
            || [b, a]
                .iter()
                .flatten()
                .any(|l| l.value.as_deref().is_some_and(secret_by_value));
        let at = |file: &str, l: &Leaf| match l.line {
            Some(line) => Evidence::at(file, line, 1),
            None => Evidence::field(file, k.clone()),
        };
        let before_evidence = b.map(|l| at(before_file, l));
        let evidence = match (a, b) {
            (Some(l), _) => at(after_file, l),
            (None, Some(l)) => at(before_file, l),
            (None, None) => continue,
        }
        .with_excerpt(k.clone());
        let keep = |l: Option<&Leaf>| {
            if secret {
                None
            } else {
                l.and_then(|l| l.value.clone())
            }
        };
        out.push(ConfigKeyDiff {
            evidence,
            change,
            key: k.clone(),
            status: status.to_string(),
            before: keep(b),
            after: keep(a),
            secret,
            before_evidence,
        });
    }
    out
}

/// Diffs two config texts of the given formats. For tests and callers holding text.
pub fn diff_texts(
    before: (&str, &str, Format),
    after: (&str, &str, Format),
    change: usize,
) -> std::result::Result<Vec<ConfigKeyDiff>, (String, ParseError)> {
    let b = flatten_text(before.1, before.2).map_err(|e| (before.0.to_string(), e))?;
    let a = flatten_text(after.1, after.2).map_err(|e| (after.0.to_string(), e))?;
    Ok(diff(&b, &a, before.0, after.0, change))
}

fn read_config(path: &Path, spec: &str, field: &str) -> Result<(String, String, Format)> {
    let shown = path.display().to_string();
    let err = |message: String, help: &str| {
        Error::input(
            Location::file(spec),
            format!("`{field}`: {message}"),
            Some(help.to_string()),
        )
    };
    let format = Format::of(path).ok_or_else(|| {
        err(
            format!("{shown}: not a config format rollbook reads"),
            "point it at a `.env`, `.yaml`/`.yml`, `.json` or `.toml` file",
        )
    })?;
    let text = crate::base::fsio::Root::of_spec(spec)
        .read_text(path, MAX_CONFIG_BYTES)
        .map_err(|why| {
            err(
                format!("{shown} {why}"),
                "paths are relative to the spec file's directory and must stay inside the repository; point it at one config file saved as UTF-8",
            )
        })?;
    Ok((shown, text, format))
}

fn diff_files(
    before: &Path,
    after: &Path,
    spec: &str,
    fields: (&str, &str),
    change: usize,
) -> Result<(Vec<ConfigKeyDiff>, Vec<Artifact>)> {
    let b = read_config(before, spec, fields.0)?;
    let a = read_config(after, spec, fields.1)?;
    let diffs = diff_texts((&b.0, &b.1, b.2), (&a.0, &a.1, a.2), change).map_err(|(file, e)| {
        let loc = match e.line {
            Some(l) => Location::at(&file, l, 1),
            None => Location::file(&file),
        };
        // The parser's message never quotes values (it may sit on a secret's line).
        Error::input(
            loc,
            format!("does not parse: {}", first_line(&e.message)),
            Some("fix the file's syntax".to_string()),
        )
    })?;
    let artifacts = [b.0, a.0]
        .into_iter()
        .map(|p| Artifact {
            path: p,
            kind: "config".into(),
            findings: 0,
        })
        .collect();
    Ok((diffs, artifacts))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

/// Reads the config files the spec's config changes point at (`before_path`, `after_path`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::base::error::Result<(Vec<ConfigKeyDiff>, Vec<Artifact>)> {
    let spec_file = input.path.as_str();
    let base = Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut diffs = Vec::new();
    let mut artifacts = Vec::new();
    for (i, c) in input.spec.deployment.changes.iter().enumerate() {
        let Some(k) = c.as_config() else {
            continue;
        };
        let (Some(b), Some(a)) = (&k.before_path, &k.after_path) else {
            if k.before_path.is_some() != k.after_path.is_some() {
                return Err(Error::input(
                    Location::file(spec_file),
                    format!(
                        "`deployment.changes[{i}]`: `before_path` and `after_path` go together"
                    ),
                    Some("give both versions of the file, or neither".to_string()),
                ));
            }
            continue;
        };
        let fields = (
            format!("deployment.changes[{i}].before_path"),
            format!("deployment.changes[{i}].after_path"),
        );
        let (d, a) = diff_files(
            &base.join(b),
            &base.join(a),
            spec_file,
            (&fields.0, &fields.1),
            i,
        )?;
        diffs.extend(d);
        artifacts.extend(a);
    }
    Ok((diffs, artifacts))
}

/// Reads the given files directly (for `rollbook scan`), with no spec: consecutive pairs of
/// (before, after) versions, change index 0.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::base::error::Result<(Vec<ConfigKeyDiff>, Vec<Artifact>)> {
    if !paths.len().is_multiple_of(2) {
        return Err(Error::Usage(
            "config files are diffed in pairs: give the before and the after version of each"
                .to_string(),
        ));
    }
    let mut diffs = Vec::new();
    let mut artifacts = Vec::new();
    for pair in paths.chunks(2) {
        if let [b, a] = pair {
            let shown = b.display().to_string();
            let (d, x) = diff_files(b, a, &shown, ("before", "after"), 0)?;
            diffs.extend(d);
            artifacts.extend(x);
        }
    }
    Ok((diffs, artifacts))
}

#[cfg(test)]
mod tests;
