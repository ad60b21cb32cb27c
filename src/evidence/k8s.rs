//! Kubernetes, Helm and Argo manifests: the workloads and objects a rollback acts on.

use crate::evidence::{Artifact, Evidence};
use serde::Serialize;

/// One Kubernetes object read from a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct K8sObject {
    /// Where the object starts (file, line of its `kind:` or document start).
    pub evidence: Evidence,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// Reads the manifests the spec's services point at (`architecture.services[].manifests`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::error::Result<(Vec<K8sObject>, Vec<Artifact>)> {
    let _ = input;
    Ok((Vec::new(), Vec::new()))
}

/// Reads the given files directly (for `rollbook scan`), with no spec.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::error::Result<(Vec<K8sObject>, Vec<Artifact>)> {
    let _ = paths;
    Ok((Vec::new(), Vec::new()))
}
