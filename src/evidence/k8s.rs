//! Kubernetes, Helm and Argo manifests: the workloads and objects a rollback acts on.
//!
//! Reads multi-document YAML (plain manifests, `helm template` or `kustomize build` output) from
//! files, directories and `*` globs. Each object keeps the file and line of its `kind:`. Secret and
//! ConfigMap values are never stored: only their keys. Chart sources (Go templates) are not YAML and
//! are skipped with an artifact saying so.

use crate::base::error::{Error, Location, Result};
use crate::evidence::sql::layout::wildcard;
use crate::evidence::{Artifact, Evidence};
use crate::model::Service;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Largest manifest file read.
pub const MAX_FILE_BYTES: u64 = crate::base::fsio::ARTIFACT_BYTES;
/// Most files read under one directory or glob.
const MAX_FILES: usize = 10_000;

/// Artifact kind of a file read.
pub const KIND_MANIFEST: &str = "kubernetes-manifest";
/// Artifact kind of a chart source skipped.
pub const KIND_TEMPLATE: &str = "helm-template (not read: render it with helm template)";
/// Artifact kind of a YAML file with no Kubernetes object in it (e.g. `values.yaml`).
pub const KIND_NO_OBJECTS: &str = "yaml (no Kubernetes objects)";

/// One line of a manifest that holds a key: where it is, the key, and its inline value (empty for
/// Secrets and ConfigMaps, whose values are never kept).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyLine {
    pub line: u32,
    pub key: String,
    pub value: String,
}

/// One Kubernetes object read from a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct K8sObject {
    /// Where the object starts (file, line of its `kind:` or document start).
    pub evidence: Evidence,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// Keys of a ConfigMap's or Secret's `data`/`stringData`/`binaryData` (values are never kept).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_keys: Vec<String>,
    /// The document, without Secret/ConfigMap values and without the last-applied annotation.
    #[serde(skip)]
    pub body: Value,
    /// The key lines of the document, for citing a field's own line.
    #[serde(skip)]
    pub key_lines: Vec<KeyLine>,
}

/// Kinds that run pods from a pod template and are rolled back as a unit.
pub const WORKLOAD_KINDS: [&str; 4] = ["Deployment", "StatefulSet", "DaemonSet", "Rollout"];

impl K8sObject {
    /// A value by JSON pointer, e.g. `/spec/replicas`.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.body.pointer(pointer)
    }
    /// A string by JSON pointer.
    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.get(pointer).and_then(Value::as_str)
    }
    /// A Deployment, StatefulSet, DaemonSet or Argo Rollout.
    pub fn is_workload(&self) -> bool {
        WORKLOAD_KINDS.contains(&self.kind.as_str())
    }
    /// An Argo Rollouts `Rollout`.
    pub fn is_rollout(&self) -> bool {
        self.kind == "Rollout" && self.api_version.starts_with("argoproj.io/")
    }
    /// An annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.get("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
    }
    /// The pod spec: `spec.template.spec` of workloads and Jobs, `spec.jobTemplate.spec.template.spec`
    /// of CronJobs.
    pub fn pod_spec(&self) -> Option<&Value> {
        self.get("/spec/template/spec")
            .or_else(|| self.get("/spec/jobTemplate/spec/template/spec"))
            .filter(|v| v.is_object())
    }
    /// Containers of the pod spec (`containers`, then `initContainers`), as (is_init, container).
    pub fn containers(&self) -> Vec<(bool, &Value)> {
        let Some(pod) = self.pod_spec() else {
            return Vec::new();
        };
        let list = |k: &str| {
            pod.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let mut out: Vec<(bool, &Value)> =
            list("containers").into_iter().map(|c| (false, c)).collect();
        out.extend(list("initContainers").into_iter().map(|c| (true, c)));
        out
    }
    /// The first line at or after the object start holding `key:` (and `value`, if given).
    pub fn line_of(&self, key: &str, value: Option<&str>) -> Option<&KeyLine> {
        self.key_lines
            .iter()
            .find(|k| k.key == key && value.is_none_or(|v| k.value.trim_matches(['"', '\'']) == v))
    }
    /// Evidence at a key's line (with `key: value` as excerpt), else at the object.
    pub fn evidence_at(&self, key: &str, value: Option<&str>) -> Evidence {
        match self.line_of(key, value) {
            Some(k) => {
                let mut e = self.evidence.clone();
                e.line = Some(k.line);
                e.column = None;
                let excerpt = if k.value.is_empty() {
                    format!("{}: ({} {})", k.key, self.kind, self.name)
                } else {
                    format!("{}: {} ({} {})", k.key, k.value, self.kind, self.name)
                };
                e.with_excerpt(excerpt)
            }
            None => self.evidence.clone(),
        }
    }
    /// `Kind/name`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// How an image reference pins its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePin {
    /// `@sha256:...`: immutable.
    Digest,
    /// A tag other than `latest`: a registry may move it.
    Tag,
    /// `:latest` or no tag at all.
    Latest,
}

/// How `image` is pinned.
pub fn image_pin(image: &str) -> ImagePin {
    if image.contains('@') {
        return ImagePin::Digest;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if !tag.is_empty() && tag != "latest" => ImagePin::Tag,
        _ => ImagePin::Latest,
    }
}

/// The ConfigMaps and Secrets a pod spec reads, as (kind, name), sorted and deduplicated:
/// `envFrom`, `env[].valueFrom`, volumes and projected volumes.
pub fn config_refs(object: &K8sObject) -> Vec<(&'static str, String)> {
    fn walk(v: &Value, depth: usize, out: &mut Vec<(&'static str, String)>) {
        if depth > 16 {
            return;
        }
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let name =
                        |key: &str| child.get(key).and_then(Value::as_str).map(str::to_string);
                    let found = match k.as_str() {
                        "configMapRef" | "configMapKeyRef" | "configMap" => {
                            name("name").map(|n| ("ConfigMap", n))
                        }
                        "secretRef" | "secretKeyRef" => name("name").map(|n| ("Secret", n)),
                        "secret" => name("secretName")
                            .or_else(|| name("name"))
                            .map(|n| ("Secret", n)),
                        _ => None,
                    };
                    out.extend(found);
                    walk(child, depth + 1, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, depth + 1, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(pod) = object.pod_spec() {
        walk(pod, 0, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Two objects can refer to each other: same namespace, or one of them leaves it to the context.
pub fn same_namespace(a: &K8sObject, b: &K8sObject) -> bool {
    match (&a.namespace, &b.namespace) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

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
fn in_chart_templates(path: &Path) -> bool {
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

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn yaml_under(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let how = crate::base::fsio::Walk {
        max_depth: crate::base::fsio::MAX_DEPTH.saturating_sub(depth),
        max_files: MAX_FILES.saturating_sub(out.len()),
        skip_hidden: true,
    };
    out.extend(crate::base::fsio::walk(dir, how, is_yaml));
}

/// The files one manifest entry names: a file, a directory (its `.yaml`/`.yml` files,
/// recursively, sorted) or a `*` glob in the last component. `None`: nothing exists there.
pub fn resolve(base: &Path, entry: &str) -> Option<Vec<PathBuf>> {
    let full = base.join(entry);
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    if name.contains('*') {
        let dir = full.parent().unwrap_or(Path::new("."));
        let rd = std::fs::read_dir(dir).ok()?;
        out = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| wildcard(&name, &n.to_string_lossy()))
            })
            .collect();
        out.sort();
        let mut files = Vec::new();
        for p in out {
            if p.is_dir() {
                yaml_under(&p, 1, &mut files);
            } else {
                files.push(p);
            }
        }
        files.truncate(MAX_FILES);
        return Some(files);
    }
    if full.is_dir() {
        yaml_under(&full, 0, &mut out);
    } else if full.is_file() {
        out.push(full);
    } else {
        return None;
    }
    Some(out)
}

/// The directory the spec's relative paths start from.
pub fn spec_base(spec_file: &str) -> PathBuf {
    Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The manifest files of one service, as shown in evidence (unreadable entries left out).
pub fn service_files(spec_file: &str, service: &Service) -> Vec<String> {
    let base = spec_base(spec_file);
    let mut out: Vec<String> = service
        .manifests
        .iter()
        .filter_map(|m| resolve(&base, m))
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What reading one file gave.
enum Read {
    Objects(Vec<K8sObject>),
    Template,
}

fn read_one(path: &Path) -> Result<Read> {
    let shown = path.display().to_string();
    let bytes = crate::base::fsio::read(path, MAX_FILE_BYTES).map_err(|why| {
        Error::input(
            Location::file(&shown),
            format!("manifest {why}"),
            Some("point `manifests` at the manifests of this service only".into()),
        )
    })?;
    let text = crate::spec::load::decode(&shown, bytes)?;
    if in_chart_templates(path) || is_template(&text) {
        return Ok(Read::Template);
    }
    match parse_file(&shown, &text) {
        Ok(objects) => Ok(Read::Objects(objects)),
        // `{{` that failed to parse is a template we did not recognise, not broken YAML.
        Err(_) if text.contains("{{") => Ok(Read::Template),
        Err(e) => Err(e),
    }
}

fn artifact(path: &str, kind: &str) -> Artifact {
    Artifact {
        path: path.to_string(),
        kind: kind.to_string(),
        findings: 0,
    }
}

fn record(path: &Path, read: Read, objects: &mut Vec<K8sObject>, artifacts: &mut Vec<Artifact>) {
    let shown = path.display().to_string();
    match read {
        Read::Template => artifacts.push(artifact(&shown, KIND_TEMPLATE)),
        Read::Objects(o) if o.is_empty() => artifacts.push(artifact(&shown, KIND_NO_OBJECTS)),
        Read::Objects(o) => {
            artifacts.push(artifact(&shown, KIND_MANIFEST));
            objects.extend(o);
        }
    }
}

fn outside(spec: &str, field: &str, path: &Path, why: &crate::base::fsio::Refusal) -> Error {
    Error::input(
        Location::file(spec),
        format!("`{field}`: {} {why}", path.display()),
        Some(
            "paths are relative to the spec file's directory and must stay inside the repository"
                .into(),
        ),
    )
}

/// Reads the manifests the spec's services point at (`architecture.services[].manifests`).
pub fn read_for_spec(input: &crate::spec::Input) -> Result<(Vec<K8sObject>, Vec<Artifact>)> {
    let spec_file = input.path.as_str();
    let base = spec_base(spec_file);
    let root = crate::base::fsio::Root::of_spec(spec_file);
    let mut files: Vec<PathBuf> = Vec::new();
    for (i, s) in input.spec.architecture.services.iter().enumerate() {
        for (j, m) in s.manifests.iter().enumerate() {
            let field = format!("architecture.services[{i}].manifests[{j}]");
            let full = base.join(m);
            let anchor = if m.contains('*') {
                full.parent().unwrap_or(&base)
            } else {
                &full
            };
            match root.admit(anchor) {
                Ok(_) | Err(crate::base::fsio::Refusal::Missing) => {}
                Err(why) => return Err(outside(spec_file, &field, &full, &why)),
            }
            match resolve(&base, m) {
                Some(found) if !found.is_empty() => files.extend(found),
                found => {
                    let what = if found.is_none() {
                        "does not exist"
                    } else {
                        "holds no .yaml or .yml file"
                    };
                    return Err(Error::input(
                        Location::file(spec_file),
                        format!("`{field}`: {} {what}", base.join(m).display()),
                        Some("paths are relative to the spec file's directory; point at a manifest file, a directory of them, or a glob like `k8s/*.yaml`".into()),
                    ));
                }
            }
        }
    }
    files.sort();
    files.dedup();
    let mut objects = Vec::new();
    let mut artifacts = Vec::new();
    for f in &files {
        if let Err(why) = root.admit(f) {
            return Err(outside(
                spec_file,
                "architecture.services[].manifests",
                f,
                &why,
            ));
        }
        let read = read_one(f)?;
        record(f, read, &mut objects, &mut artifacts);
    }
    Ok((objects, artifacts))
}

/// Reads the given files directly (for `rollbook scan`), with no spec. A file that cannot be read
/// or parsed does not stop the others: it is an artifact whose kind says why (call `parse_file`
/// for the error itself).
pub fn read_files(paths: &[std::path::PathBuf]) -> Result<(Vec<K8sObject>, Vec<Artifact>)> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        let s = p.display().to_string();
        files.extend(resolve(Path::new(""), &s).unwrap_or_else(|| vec![p.clone()]));
    }
    files.sort();
    files.dedup();
    let mut objects = Vec::new();
    let mut artifacts = Vec::new();
    for f in &files {
        match read_one(f) {
            Ok(read) => record(f, read, &mut objects, &mut artifacts),
            Err(e) => {
                let first = e.to_string();
                let first = first.lines().next().unwrap_or("").to_string();
                artifacts.push(artifact(
                    &f.display().to_string(),
                    &format!("{KIND_MANIFEST} (not read: {first})"),
                ));
            }
        }
    }
    Ok((objects, artifacts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<K8sObject> {
        parse_file("m.yaml", text).unwrap()
    }

    #[test]
    fn multi_doc_with_kind_lines() {
        let text = "# leading comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\napiVersion: apps/v1\nmetadata:\n  name: b\n  namespace: shop\nkind: Deployment\nspec:\n  replicas: 3\n";
        let o = parse(text);
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[0].kind.as_str(), o[0].evidence.line),
            ("Service", Some(3))
        );
        assert_eq!(o[1].name, "b");
        assert_eq!(o[1].namespace.as_deref(), Some("shop"));
        assert_eq!(o[1].evidence.line, Some(12));
        assert_eq!(o[1].line_of("replicas", None).map(|k| k.line), Some(14));
        assert_eq!(o[1].get("/spec/replicas").and_then(Value::as_u64), Some(3));
    }

    #[test]
    fn marker_edge_cases() {
        // `--- ` with a comment, a `...` end marker, trailing junk after it, CRLF lines, and a
        // `----` line inside a block scalar that is not a marker.
        let text = "--- # first\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  f: |\r\n    ----\r\n...\r\n# after end\r\n--- \r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: n\r\n";
        let o = parse(text);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].evidence.line, Some(3));
        assert_eq!(o[0].data_keys, vec!["f".to_string()]);
        assert_eq!(o[1].kind, "Namespace");
        assert_eq!(o[1].evidence.line, Some(13));
    }

    #[test]
    fn error_has_file_line_and_column_of_the_document() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [oops\n";
        let e = parse_file("m.yaml", text).unwrap_err().to_string();
        assert!(e.starts_with("m.yaml:"), "{e}");
        let line: u32 = e.split(':').nth(1).unwrap().parse().unwrap();
        assert!(line >= 6, "{e}");
    }

    #[test]
    fn secrets_keep_keys_only() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMg==\"}}'\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: s3cr3t-value\n";
        let o = parse(text);
        assert_eq!(
            o[0].data_keys,
            vec!["password".to_string(), "token".to_string()]
        );
        let everything = format!("{:?}", o[0]);
        assert!(!everything.contains("aHVudGVyMg"), "{everything}");
        assert!(!everything.contains("s3cr3t"), "{everything}");
    }

    #[test]
    fn list_kind_gives_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n";
        let o = parse(text);
        assert_eq!(
            o.iter().map(|o| o.label()).collect::<Vec<_>>(),
            ["Service/a", "Deployment/b"]
        );
    }

    #[test]
    fn documents_without_kind_are_skipped() {
        assert!(parse("replicaCount: 2\nimage:\n  tag: latest\n").is_empty());
        assert!(parse("").is_empty());
        assert!(parse("---\n# only a comment\n---\n").is_empty());
    }

    #[test]
    fn template_detection() {
        assert!(is_template(
            "metadata:\n  name: {{ include \"x.fullname\" . }}\n"
        ));
        assert!(is_template("replicas: {{ .Values.replicas }}\n"));
        assert!(is_template("{{- if .Values.x }}\n"));
        // Argo analysis args and Prometheus labels appear in rendered YAML.
        assert!(!is_template(
            "query: rate(x{service=\"{{args.service-name}}\"}[5m])\n"
        ));
        assert!(!is_template("summary: \"{{ $labels.instance }} down\"\n"));
        assert!(!is_template(
            "title: \"Rollout {{.rollout.metadata.name}} is healthy\"\n"
        ));
        assert!(is_template("image: \"{{ .Values.image.repository }}\"\n"));
    }

    #[test]
    fn template_files_are_skipped_with_an_artifact() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/deploy.yaml"),
            "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("svc.yml"),
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not yaml: [").unwrap();
        let (objects, artifacts) = read_files(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(objects.len(), 1);
        let kinds: Vec<&str> = artifacts.iter().map(|a| a.kind.as_str()).collect();
        assert_eq!(kinds, [KIND_MANIFEST, KIND_TEMPLATE]);
    }

    #[test]
    fn scan_reports_a_broken_file_and_reads_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "kind: [\n").unwrap();
        std::fs::write(
            dir.path().join("b.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
        )
        .unwrap();
        let (objects, artifacts) = read_files(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(objects.len(), 1);
        assert!(
            artifacts[0]
                .kind
                .starts_with("kubernetes-manifest (not read:"),
            "{:?}",
            artifacts
        );
    }

    #[test]
    fn alias_bomb_is_refused_by_the_budget() {
        let mut text = String::from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
        );
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        // Refused by the alias budget, not by expanding 10^12 nodes: the error says so. Speed
        // is shown by benchmarks, never asserted here.
        let e = parse_file("bomb.yaml", &text).unwrap_err().to_string();
        assert!(e.contains("alias") || e.contains("budget"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!(
            "apiVersion: v1\nkind: X\nmetadata: {{name: x}}\nd: {}{}\n",
            "[".repeat(500),
            "]".repeat(500)
        );
        assert!(parse_file("deep.yaml", &text).is_err());
    }

    #[test]
    fn oversized_text_is_refused() {
        let text = "#".repeat(MAX_FILE_BYTES as usize + 1);
        assert!(parse_file("big.yaml", &text).is_err());
    }

    #[test]
    fn globs_and_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["a.yaml", "b.yml", "c.json"] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let found = resolve(dir.path(), "*.y*ml").unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.yaml", "b.yml"]);
        assert!(resolve(dir.path(), "nope").is_none());
    }

    fn spec_input(dir: &Path, manifests: &[&str]) -> crate::spec::Input {
        let mut spec = crate::model::Spec::default();
        let mut svc = Service::named("web");
        svc.manifests = manifests.iter().map(|m| m.to_string()).collect();
        spec.architecture.services.push(svc);
        crate::spec::Input {
            path: dir.join("rollbook.yaml").display().to_string(),
            form: crate::spec::InputForm::Yaml,
            spec,
            assumptions: Vec::new(),
        }
    }

    #[test]
    fn spec_named_manifest_errors_point_at_the_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bad.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n   oops: [\n",
        )
        .unwrap();
        let e = read_for_spec(&spec_input(dir.path(), &["bad.yaml"])).unwrap_err();
        match e {
            Error::Input { location, .. } => {
                assert!(location.file.ends_with("bad.yaml"), "{location}");
                assert!(location.line.is_some_and(|l| l >= 8), "{location}");
                assert!(location.column.is_some(), "{location}");
            }
            other => panic!("{other}"),
        }
        let e = read_for_spec(&spec_input(dir.path(), &["missing/"])).unwrap_err();
        assert!(e.to_string().contains("manifests[0]"), "{e}");
    }

    #[test]
    fn spec_manifests_are_read_once_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("k8s/sub")).unwrap();
        let svc = |n: &str| format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {n}}}\n");
        std::fs::write(dir.path().join("k8s/b.yaml"), svc("b")).unwrap();
        std::fs::write(dir.path().join("k8s/sub/a.yml"), svc("a")).unwrap();
        let (objects, artifacts) =
            read_for_spec(&spec_input(dir.path(), &["k8s", "k8s/*.yaml"])).unwrap();
        let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(artifacts.len(), 2);
    }
}
