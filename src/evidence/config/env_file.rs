//! `.env` files, read line by line with no variable expansion (see the module doc for why).

use super::{Leaf, MAX_KEYS, ParseError};
use std::collections::BTreeMap;

/// Parses `.env` text: `KEY=value`, `export KEY=value`, `#` comments, single quotes (literal),
/// double quotes (escapes `\n`, `\"`, `\\`; may span lines). No variable expansion.
pub(super) fn parse_env(text: &str) -> std::result::Result<BTreeMap<String, Leaf>, ParseError> {
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
