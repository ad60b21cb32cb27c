//! Kubernetes, Helm and Argo manifests: the workloads and objects a rollback acts on.
//!
//! Reads multi-document YAML (plain manifests, `helm template` or `kustomize build` output) from
//! files, directories and `*` globs. Each object keeps the file and line of its `kind:`. Secret and
//! ConfigMap values are never stored: only their keys. Chart sources (Go templates) are not YAML and
//! are skipped with an artifact saying so.

use crate::base::error::{Error, Location, Result};
use crate::evidence::Artifact;
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

mod object;
mod parse;
mod paths;

pub use object::{
    ImagePin, K8sObject, KeyLine, WORKLOAD_KINDS, config_refs, image_pin, same_namespace,
};
use parse::in_chart_templates;
pub use parse::{is_template, parse_file};
pub use paths::{resolve, service_files, spec_base};

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
mod tests;
