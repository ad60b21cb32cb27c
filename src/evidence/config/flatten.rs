//! YAML, JSON and TOML text parsed into dotted keys with their values and lines (`.env` goes to
//! its own line parser).

use super::env_file::parse_env;
use super::{Format, Leaf, MAX_DEPTH, MAX_KEYS, ParseError};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

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

fn yaml_options() -> serde_saphyr::Options {
    crate::spec::load::budgeted_yaml(1_000_000, 64, serde_saphyr::DuplicateKeyPolicy::Error)
}

/// Parses a config text into dotted keys and their values (in key order).
pub(super) fn flatten_text(
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
