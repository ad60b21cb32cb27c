//! Config diffs between two versions of a `.env`, YAML, JSON or TOML file. Values that look like
//! secrets are never kept, only their keys.

use crate::evidence::{Artifact, Evidence};
use serde::Serialize;

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
}

/// Reads the config files the spec's config changes point at (`before_path`, `after_path`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::error::Result<(Vec<ConfigKeyDiff>, Vec<Artifact>)> {
    let _ = input;
    Ok((Vec::new(), Vec::new()))
}

/// Reads the given files directly (for `rollbook scan`), with no spec.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::error::Result<(Vec<ConfigKeyDiff>, Vec<Artifact>)> {
    let _ = paths;
    Ok((Vec::new(), Vec::new()))
}
