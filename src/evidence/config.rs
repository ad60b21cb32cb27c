//! Config diffs between two versions of a `.env`, YAML, JSON or TOML file. Values that look like
//! secrets are never kept, only their keys.
//!
//! `.env` files are read by a small line parser of our own: `dotenvy` (the maintained crate)
//! expands `${VAR}` from the process environment, which would make the plan depend on the machine
//! and could copy that machine's secrets into it. Here `$` is text like any other.

use crate::base::error::{Error, Location, Result};
use crate::evidence::{Artifact, Evidence};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
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

/// A parsed config value, keys in document order (keys of any scalar type become strings).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// A map key of any scalar type.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Key, D::Error> {
        match Node::deserialize(d)? {
            Node::Scalar(s) => Ok(Key(s)),
            Node::Null => Ok(Key("null".to_string())),
            _ => Err(serde::de::Error::custom("a map key must be a scalar")),
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a config value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Node, E> {
        Ok(Node::Scalar(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
        let mut v = Vec::new();
        while let Some(n) = a.next_element::<Node>()? {
            v.push(n);
        }
        Ok(Node::Seq(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
        let mut v: Vec<(String, Node)> = Vec::new();
        while let Some((Key(k), n)) = a.next_entry::<Key, Node>()? {
            // A repeated key: the last one wins, as in most loaders.
            v.retain(|(old, _)| old != &k);
            v.push((k, n));
        }
        Ok(Node::Map(v))
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

fn yaml_options() -> serde_saphyr::Options {
    crate::spec::load::budgeted_yaml(1_000_000, 64, serde_saphyr::DuplicateKeyPolicy::Error)
}

/// Parses a config text into dotted keys and their values (in key order).
fn flatten_text(
    text: &str,
    format: Format,
) -> std::result::Result<BTreeMap<String, Leaf>, ParseError> {
    let node = match format {
        Format::Env => return parse_env(text),
        Format::Json => serde_json::from_str::<Node>(text).map_err(|e| ParseError {
            line: u32::try_from(e.line()).ok(),
            message: e.to_string(),
        })?,
        Format::Toml => toml::from_str::<Node>(text).map_err(|e| ParseError {
            line: e
                .span()
                .map(|s| crate::base::source::line_col(text, s.start).0),
            message: e.message().to_string(),
        })?,
        Format::Yaml => {
            if text.trim().is_empty() {
                Node::Null
            } else {
                serde_saphyr::from_str_with_options::<Node>(text, yaml_options()).map_err(|e| {
                    let e = e.without_snippet();
                    ParseError {
                        line: e
                            .location()
                            .and_then(|l| u32::try_from(l.line()).ok())
                            .filter(|l| *l > 0),
                        message: crate::spec::load::plain_yaml_message(&e.to_string()),
                    }
                })?
            }
        }
    };
    let mut out = BTreeMap::new();
    let mut path = Vec::new();
    flatten(&node, &mut path, 0, &mut out);
    let lines = LineFinder::new(text, format);
    for (k, leaf) in out.iter_mut() {
        leaf.line = lines.find(k);
    }
    Ok(out)
}

fn flatten(n: &Node, path: &mut Vec<String>, depth: usize, out: &mut BTreeMap<String, Leaf>) {
    if out.len() >= MAX_KEYS {
        return;
    }
    let key = || path.join(".");
    match n {
        Node::Map(m) if depth < MAX_DEPTH && !m.is_empty() => {
            for (k, v) in m {
                path.push(k.clone());
                flatten(v, path, depth + 1, out);
                path.pop();
            }
        }
        Node::Seq(s) if depth < MAX_DEPTH && !s.is_empty() => {
            for (i, v) in s.iter().enumerate() {
                let last = path.pop().unwrap_or_default();
                path.push(format!("{last}[{i}]"));
                flatten(v, path, depth + 1, out);
                path.pop();
                path.push(last);
            }
        }
        _ => {
            let value = match n {
                Node::Null => None,
                Node::Scalar(s) => Some(s.clone()),
                Node::Seq(_) => Some("[]".to_string()),
                Node::Map(_) => Some("{}".to_string()),
            };
            out.insert(key(), Leaf { value, line: None });
        }
    }
}

/// Finds the line of a dotted key: each segment is searched for after the line of the one before.
struct LineFinder<'a> {
    lines: Vec<&'a str>,
    format: Format,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str, format: Format) -> Self {
        LineFinder {
            lines: text.lines().collect(),
            format,
        }
    }
    fn find(&self, key: &str) -> Option<u32> {
        let mut from = 0usize;
        let mut found = None;
        for seg in key.split('.') {
            // `list[2]`: the list's own line is the best we can say.
            let name = seg.split('[').next().unwrap_or(seg);
            if name.is_empty() {
                continue;
            }
            let hit = self
                .lines
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, l)| self.declares(l, name))
                .map(|(i, _)| i)?;
            found = Some(hit);
            from = hit + 1;
        }
        found.and_then(|i| u32::try_from(i + 1).ok())
    }
    fn declares(&self, line: &str, name: &str) -> bool {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        match self.format {
            Format::Json => {
                t.starts_with(&format!("\"{name}\"")) || t.contains(&format!("\"{name}\":"))
            }
            Format::Yaml => {
                let unq = t
                    .strip_prefix(name)
                    .map(|r| r.trim_start().starts_with(':'));
                let q = [format!("\"{name}\""), format!("'{name}'")]
                    .iter()
                    .any(|q| {
                        t.strip_prefix(q.as_str())
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                    });
                unq == Some(true) || q
            }
            Format::Toml => {
                let bare = |r: &str| {
                    r.trim_start().starts_with('=') || r.starts_with('.') || r.starts_with(']')
                };
                t.strip_prefix(name).is_some_and(bare)
                    || t.strip_prefix(&format!("\"{name}\"")).is_some_and(bare)
                    || t.strip_prefix('[').is_some_and(|r| {
                        let r = r.trim_start_matches('[');
                        r.split(']').next().is_some_and(|h| {
                            h.split('.').any(|p| p.trim().trim_matches('"') == name)
                        })
                    })
            }
            Format::Env => false,
        }
    }
}

/// Parses `.env` text: `KEY=value`, `export KEY=value`, `#` comments, single quotes (literal),
/// double quotes (escapes `\n`, `\"`, `\\`; may span lines). No variable expansion.
fn parse_env(text: &str) -> std::result::Result<BTreeMap<String, Leaf>, ParseError> {
    let mut out = BTreeMap::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0usize;
    while i < lines.len() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let raw = lines.get(i).copied().unwrap_or("");
        i += 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let t = t.strip_prefix("export ").map(str::trim_start).unwrap_or(t);
        let err = |m: &str| ParseError {
            line: Some(line_no),
            message: m.to_string(),
        };
        let (key, rest) = t.split_once('=').ok_or_else(|| err("expected KEY=value"))?;
        let key = key.trim();
        let valid_key = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid_key {
            return Err(err(
                "a key is letters, digits, `_`, `.` or `-`, starting with a letter or `_`",
            ));
        }
        let rest = rest.trim_start();
        let value = if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'').ok_or_else(|| err("unclosed single quote"))?;
            r.get(..end).unwrap_or("").to_string()
        } else if let Some(r) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut cur = r.to_string();
            loop {
                let mut chars = cur.chars();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => v.push('\n'),
                            Some('t') => v.push('\t'),
                            Some(o) => v.push(o),
                            None => {}
                        },
                        '"' => {
                            closed = true;
                            break;
                        }
                        o => v.push(o),
                    }
                }
                if closed {
                    break;
                }
                let next = lines.get(i).ok_or_else(|| err("unclosed double quote"))?;
                i += 1;
                v.push('\n');
                cur = (*next).to_string();
            }
            v
        } else {
            let v = match rest.find(" #") {
                Some(p) => rest.get(..p).unwrap_or(""),
                None => rest,
            };
            v.trim().to_string()
        };
        if out.len() < MAX_KEYS {
            out.insert(
                key.to_string(),
                Leaf {
                    value: Some(value),
                    line: Some(line_no),
                },
            );
        }
    }
    Ok(out)
}

/// Words of a key name that mark its value secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "private",
    "privatekey",
    "apikey",
    "signing",
    "salt",
    "auth",
    "cookie",
];

/// Splits a key into lower-case words (`_`, `-`, `.`, `[`, camelCase).
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A key whose name says it holds a secret: a secret word anywhere, or `key` as the last word
/// of the leaf (`API_KEY`, `stripe.secretKey`, `private_key`; not `cache_key_prefix`).
pub fn secret_by_name(key: &str) -> bool {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    let all = words(key);
    let leaf_words = words(leaf);
    all.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || leaf_words.last().is_some_and(|w| w == "key" || w == "dsn")
        || crate::base::redact::is_secret_key(leaf)
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A value that looks like a secret: a URL with a password (`scheme://user:pass@host`), a PEM
/// block, or a long random-looking token (20+ characters, no spaces, letters mixed with digits,
/// at least 3.5 bits of entropy per character).
pub fn secret_by_value(v: &str) -> bool {
    // Webhook URLs, signed URLs, query tokens, connection-string passwords, token prefixes.
    if v.contains("-----BEGIN") || crate::base::redact::is_secret_value(v) {
        return true;
    }
    if let Some((_, rest)) = v.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        return authority.rsplit_once('@').is_some_and(|(userinfo, _)| {
            userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty())
        });
    }
    // A file path is a name, not a token.
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("~/") {
        return false;
    }
    let len = v.chars().count();
    if len < 20 || v.chars().any(char::is_whitespace) {
        return false;
    }
    let has_digit = v.chars().any(|c| c.is_ascii_digit());
    let has_alpha = v.chars().any(|c| c.is_ascii_alphabetic());
    has_digit && has_alpha && entropy(v) >= 3.5
}

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
mod tests {
    use super::*;

    fn d(b: &str, a: &str, f: Format) -> Vec<ConfigKeyDiff> {
        diff_texts(("before", b, f), ("after", a, f), 0).expect("parses")
    }

    fn find<'a>(v: &'a [ConfigKeyDiff], k: &str) -> &'a ConfigKeyDiff {
        v.iter()
            .find(|x| x.key == k)
            .unwrap_or_else(|| panic!("{k} not in {v:?}"))
    }

    #[test]
    fn env_keys_changed_added_removed_with_lines() {
        let v = d(
            "# comment\nexport POOL_SIZE=10\nOLD_FLAG=on\nTIMEOUT=5 # seconds\n",
            "POOL_SIZE=20\nTIMEOUT=5\n\nNEW_SETTING='a b'\n",
            Format::Env,
        );
        assert_eq!(v.len(), 3, "{v:?}");
        let p = find(&v, "POOL_SIZE");
        assert_eq!(
            (p.status.as_str(), p.before.as_deref(), p.after.as_deref()),
            ("changed", Some("10"), Some("20"))
        );
        assert_eq!(p.evidence.line, Some(1));
        assert_eq!(p.before_evidence.as_ref().and_then(|e| e.line), Some(2));
        assert_eq!(find(&v, "OLD_FLAG").status, "removed");
        assert_eq!(find(&v, "OLD_FLAG").evidence.line, Some(3));
        let n = find(&v, "NEW_SETTING");
        assert_eq!(
            (n.status.as_str(), n.after.as_deref(), n.evidence.line),
            ("added", Some("a b"), Some(4))
        );
    }

    #[test]
    fn env_does_not_expand_variables_and_reads_multiline_quotes() {
        let v = d("A=$HOME\n", "A=\"x\ny\"\n", Format::Env);
        assert_eq!(find(&v, "A").before.as_deref(), Some("$HOME"));
        assert_eq!(find(&v, "A").after.as_deref(), Some("x\ny"));
        assert!(diff_texts(("b", "A=\"open\n", Format::Env), ("a", "", Format::Env), 0).is_err());
        assert!(diff_texts(("b", "no equals\n", Format::Env), ("a", "", Format::Env), 0).is_err());
    }

    #[test]
    fn yaml_json_toml_flatten_to_dotted_keys_with_lines() {
        let y = d(
            "db:\n  pool: 10\n  host: a\ncache:\n  ttl: 60\nhosts: [x, y]\n",
            "db:\n  pool: 20\n  host: a\ncache:\n  ttl: 60\nhosts: [x]\n",
            Format::Yaml,
        );
        let keys: Vec<&str> = y.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, vec!["db.pool", "hosts[1]"]);
        assert_eq!(find(&y, "db.pool").evidence.line, Some(2));
        let j = d(
            r#"{"a": {"b": 1, "c": true}}"#,
            "{\n  \"a\": {\n    \"b\": 2,\n    \"c\": true\n  }\n}",
            Format::Json,
        );
        assert_eq!(j.len(), 1);
        assert_eq!(find(&j, "a.b").evidence.line, Some(3));
        let t = d(
            "[server]\nport = 80\n",
            "[server]\nport = 8080\n[log]\nlevel = \"info\"\n",
            Format::Toml,
        );
        assert_eq!(find(&t, "server.port").after.as_deref(), Some("8080"));
        assert_eq!(find(&t, "server.port").evidence.line, Some(2));
        assert_eq!(find(&t, "log.level").evidence.line, Some(4));
    }

    #[test]
    fn secrets_by_name_are_never_kept() {
        let v = d(
            "DB_PASSWORD=hunter2\nstripeApiKey=abc\nCACHE_KEY_PREFIX=v1\n",
            "DB_PASSWORD=correct-horse\nstripeApiKey=def\nCACHE_KEY_PREFIX=v2\n",
            Format::Env,
        );
        let p = find(&v, "DB_PASSWORD");
        assert!(p.secret);
        assert_eq!((p.before.as_deref(), p.after.as_deref()), (None, None));
        assert!(find(&v, "stripeApiKey").secret);
        assert!(!find(&v, "CACHE_KEY_PREFIX").secret);
        let dump = format!("{v:?}") + &serde_json::to_string(&v).unwrap_or_default();
        for s in ["hunter2", "correct-horse", "abc", "def"] {
            assert!(!dump.contains(s), "{s} kept");
        }
    }

    #[test]
    fn secrets_by_value_are_never_kept() {
        let v = d(
            "SENTRY=x\nDATABASE_URL=postgres://app:Pa55word@db:5432/app\nHOST=db.internal\n",
            "SENTRY=q8Zr4Tt1XwPn9LkV2mYb7HcJ\nDATABASE_URL=postgres://app:N3wPass@db:5432/app\nHOST=db2.internal\n",
            Format::Env,
        );
        assert!(find(&v, "SENTRY").secret);
        assert!(find(&v, "DATABASE_URL").secret);
        assert!(!find(&v, "HOST").secret);
        let dump = format!("{v:?}");
        for s in ["q8Zr4Tt1XwPn9LkV2mYb7HcJ", "Pa55word", "N3wPass"] {
            assert!(!dump.contains(s), "{s} kept");
        }
    }

    #[test]
    fn secret_detection_edges() {
        assert!(secret_by_name("auth.token"));
        assert!(secret_by_name("PRIVATE_KEY"));
        assert!(secret_by_name("sentry_dsn"));
        assert!(!secret_by_name("inbox.page_size"));
        assert!(!secret_by_name("monkey_count"));
        assert!(!secret_by_name("DB_SSLROOTCERT"));
        assert!(!secret_by_value("/etc/ssl/rds/eu-west-1-bundle.pem"));
        assert!(!secret_by_value("https://api.example.com/v1/orders"));
        assert!(!secret_by_value("aaaaaaaaaaaaaaaaaaaaaaaaaaaa1"));
        assert!(!secret_by_value("12"));
        assert!(secret_by_value("-----BEGIN PRIVATE KEY-----"));
        // Shapes the redaction layer knows, whatever the key.
        assert!(secret_by_value(
            "https://hooks.slack.com/services/T0/B0/XYZ"
        ));
        assert!(secret_by_value(
            "https://b.s3.amazonaws.com/k?X-Amz-Signature=ab12"
        ));
        assert!(secret_by_value("https://api.example.com/v1?api_key=k1"));
        assert!(secret_by_value(
            "jdbc:postgresql://db/app?user=a&password=pw"
        ));
        assert!(secret_by_value("Server=db;Database=app;Password=pw;"));
        assert!(secret_by_name("PGPASSWORD"));
    }

    #[test]
    fn format_by_name() {
        assert_eq!(Format::of(Path::new("a/.env")), Some(Format::Env));
        assert_eq!(
            Format::of(Path::new("a/.env.production")),
            Some(Format::Env)
        );
        assert_eq!(Format::of(Path::new("prod.env")), Some(Format::Env));
        assert_eq!(Format::of(Path::new("c.YML")), Some(Format::Yaml));
        assert_eq!(Format::of(Path::new("c.ini")), None);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(diff_texts(("b", "{", Format::Json), ("a", "{}", Format::Json), 0).is_err());
        assert!(diff_texts(("b", "a = ", Format::Toml), ("a", "", Format::Toml), 0).is_err());
        let deep = "[".repeat(5000) + &"]".repeat(5000);
        assert!(diff_texts(("b", &deep, Format::Json), ("a", "{}", Format::Json), 0).is_err());
        let yaml_deep = "a: ".to_string() + &"[".repeat(500) + &"]".repeat(500);
        assert!(diff_texts(("b", &yaml_deep, Format::Yaml), ("a", "", Format::Yaml), 0).is_err());
    }
}
