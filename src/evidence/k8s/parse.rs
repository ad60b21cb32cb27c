//! Parsing a manifest file: splitting the YAML stream, telling chart sources from rendered
//! YAML, and turning each document into objects with the lines of their keys.

use super::MAX_FILE_BYTES;
use super::object::{K8sObject, KeyLine};
use crate::base::error::{Error, Location, Result};
use crate::evidence::Evidence;
use serde_json::Value;
use std::path::Path;

/// Options for manifests: the spec reader's alias and event budgets, duplicate keys resolved as
/// kubectl does (last wins), and deeper nesting, since CRD schemas nest far beyond a spec.
fn yaml_options() -> serde_saphyr::Options {
    crate::spec::load::budgeted_yaml(200_000, 64, serde_saphyr::DuplicateKeyPolicy::LastWins)
}

/// A document of a multi-document stream: its first line and text (document markers blanked, so
/// columns stay right).
struct Doc {
    first_line: u32,
    text: String,
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
}

/// Splits a stream at `---` and `...` lines. A marker at column 0 ends a document even inside a
/// block scalar (YAML forbids it there), so a line scan is exact.
fn split_docs(text: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut cur = Doc {
        first_line: 1,
        text: String::new(),
    };
    let mut in_doc = true;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if is_marker(line, "---") {
            docs.push(std::mem::replace(
                &mut cur,
                Doc {
                    first_line: n,
                    text: String::new(),
                },
            ));
            // `--- !tag` or `--- key: v`: keep what follows the marker on its line.
            cur.text.push_str("   ");
            cur.text.push_str(line.get(3..).unwrap_or(""));
            in_doc = true;
        } else if is_marker(line, "...") {
            in_doc = false;
            cur.text.push('\n');
        } else if in_doc {
            cur.text.push_str(line);
        } else {
            cur.text.push('\n');
        }
    }
    docs.push(cur);
    docs.retain(|d| {
        d.text.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with('%')
        })
    });
    docs
}

/// A file that is a chart source (Go template), not YAML. Rendered YAML holds `{{` too (Argo
/// analysis args `{{args.x}}`, notification templates `{{.rollout.metadata.name}}`, Prometheus
/// `{{ $labels.x }}`), so only Helm's own words count: trim markers, `.Values`, `.Release`,
/// `.Chart`, `include`, `define`, `template`.
pub fn is_template(text: &str) -> bool {
    const HELM: [&str; 8] = [
        ".Values",
        ".Release",
        ".Chart",
        ".Capabilities",
        ".Files",
        "include ",
        "define ",
        "template ",
    ];
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let after = rest.get(i + 2..).unwrap_or("");
        let action = after
            .get(..after.find("}}").unwrap_or(after.len()))
            .unwrap_or("");
        if action.starts_with('-') || action.ends_with('-') {
            return true;
        }
        let t = action.trim_start();
        if HELM
            .iter()
            .any(|h| action.contains(h) && (!h.ends_with(' ') || t.starts_with(h)))
        {
            return true;
        }
        rest = after;
    }
    false
}

/// A file under a chart's `templates/` directory (a `Chart.yaml` beside that directory).
pub(super) fn in_chart_templates(path: &Path) -> bool {
    path.ancestors().skip(1).take(4).any(|d| {
        d.file_name().is_some_and(|n| n == "templates")
            && d.parent().is_some_and(|c| c.join("Chart.yaml").is_file())
    })
}

fn key_lines(doc: &Doc, keep_values: bool) -> Vec<KeyLine> {
    let mut out = Vec::new();
    for (i, line) in doc.text.lines().enumerate() {
        let mut t = line.trim_start();
        while let Some(r) = t.strip_prefix("- ") {
            t = r.trim_start();
        }
        let Some(colon) = t.find(':') else { continue };
        let key = t.get(..colon).unwrap_or("").trim_matches(['"', '\'']);
        let rest = t.get(colon + 1..).unwrap_or("");
        let ok_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
        if !ok_key || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let value = if keep_values {
            let v = rest.trim();
            // Drop a trailing comment.
            let v = match v.find(" #") {
                Some(j) => v.get(..j).unwrap_or(v),
                None => v,
            };
            v.trim().to_string()
        } else {
            String::new()
        };
        let line = doc
            .first_line
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        out.push(KeyLine {
            line,
            key: key.to_string(),
            value,
        });
    }
    out
}

fn yaml_error(path: &str, doc: &Doc, e: &serde_saphyr::Error) -> Error {
    let e = e.without_snippet();
    let loc = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| {
            let line = u32::try_from(l.line())
                .unwrap_or(u32::MAX)
                .saturating_add(doc.first_line - 1);
            Location::at(
                path,
                line,
                u32::try_from(l.column().max(1)).unwrap_or(u32::MAX),
            )
        })
        .unwrap_or_else(|| Location::at(path, doc.first_line, 1));
    let msg = e.to_string();
    let first = msg.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // serde-saphyr prefixes `line N column M: `; the location says it already.
    let first = match first
        .strip_prefix("line ")
        .and_then(|r| r.find(": ").map(|i| (r, i)))
    {
        Some((r, i)) => r.get(i + 2..).unwrap_or(first),
        None => first,
    };
    Error::input(
        loc,
        format!(
            "manifest is not valid YAML: {}",
            crate::spec::load::plain_yaml_message(first)
        ),
        Some("fix the YAML, or render a chart with `helm template` and point at the output".into()),
    )
}

fn sanitize(kind: &str, body: &mut Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(a) = body
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        // Holds the whole previous object, Secret values included.
        a.remove("kubectl.kubernetes.io/last-applied-configuration");
    }
    if kind == "Secret" || kind == "ConfigMap" {
        if let Some(o) = body.as_object_mut() {
            for field in ["data", "stringData", "binaryData"] {
                if let Some(Value::Object(m)) = o.remove(field) {
                    keys.extend(m.keys().cloned());
                }
            }
        }
        keys.sort();
        keys.dedup();
    }
    keys
}

fn object(path: &str, mut body: Value, line: u32, lines: Vec<KeyLine>) -> Option<K8sObject> {
    let kind = body.get("kind")?.as_str()?.to_string();
    let api_version = body.get("apiVersion")?.as_str()?.to_string();
    let name = body
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .or_else(|| {
            body.pointer("/metadata/generateName")
                .and_then(Value::as_str)
        })
        .unwrap_or("")
        .to_string();
    let namespace = body
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .map(str::to_string);
    let data_keys = sanitize(&kind, &mut body);
    Some(K8sObject {
        evidence: Evidence {
            column: None,
            ..Evidence::at(path, line, 1)
        }
        .with_excerpt(format!("kind: {kind} name: {name}")),
        api_version,
        kind,
        name,
        namespace,
        data_keys,
        body,
        key_lines: lines,
    })
}

/// Parses one manifest file's text: every Kubernetes object in it, in order (a `List` gives its
/// items). Documents without `kind` and `apiVersion` (values files, Chart.yaml) are skipped. A
/// document that is not YAML is an error at its file, line and column.
pub fn parse_file(path: &str, text: &str) -> Result<Vec<K8sObject>> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::input(
            Location::file(path),
            format!("manifest is {} bytes; the limit is 8 MiB", text.len()),
            Some("point `manifests` at the manifests of this service only".into()),
        ));
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    for doc in split_docs(text) {
        let value: Value = serde_saphyr::from_str_with_options(&doc.text, yaml_options())
            .map_err(|e| yaml_error(path, &doc, &e))?;
        if !value.is_object() {
            continue;
        }
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        let secret_like = matches!(kind, "Secret" | "ConfigMap");
        let kind_line = doc
            .text
            .lines()
            .position(|l| l.starts_with("kind:"))
            .or_else(|| {
                doc.text
                    .lines()
                    .position(|l| l.trim_start().starts_with("kind:"))
            })
            .or_else(|| {
                doc.text.lines().position(|l| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                })
            })
            .map(|i| doc.first_line.saturating_add(u32::try_from(i).unwrap_or(0)))
            .unwrap_or(doc.first_line);
        let items = (kind == "List" || kind.ends_with("List"))
            .then(|| value.get("items").and_then(Value::as_array).cloned())
            .flatten();
        match items {
            // Items of a List share its lines; keep no lines, so nothing cites the wrong item.
            Some(items) => out.extend(
                items
                    .into_iter()
                    .filter_map(|v| object(path, v, kind_line, Vec::new())),
            ),
            None => {
                let lines = key_lines(&doc, !secret_like);
                out.extend(object(path, value, kind_line, lines));
            }
        }
    }
    Ok(out)
}
