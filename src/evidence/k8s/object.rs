//! One Kubernetes object as read (Secret and ConfigMap values dropped), and what a rollback asks
//! of it: images, the configuration it reads, its namespace.

use crate::evidence::Evidence;
use serde::Serialize;
use serde_json::Value;

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
