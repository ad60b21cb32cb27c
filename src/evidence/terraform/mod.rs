//! Terraform and OpenTofu plan JSON (`terraform show -json plan.out`): what each resource change does.
//!
//! Values are never kept: a plan's `before`/`after` hold every attribute in clear, sensitive ones
//! included (they are only *marked* in `before_sensitive`/`after_sensitive`). The reader keeps the
//! names of the attributes that change, which are sensitive, and the state of deletion-protection
//! flags; the only value it keeps is the identifier of a stateful resource (to match it with a data
//! store of the spec), and only when the plan does not mark it sensitive.

use crate::base::error::{Error, Location, Result};
use crate::evidence::Artifact;
use crate::model::ChangeKind;
use std::path::{Path, PathBuf};

/// Largest plan file read; real plans of large estates stay well under it.
pub const MAX_PLAN_BYTES: u64 = crate::base::fsio::TERRAFORM_PLAN_BYTES;

mod plan_file;
mod resource_change;
mod resource_types;

pub use plan_file::{ParseError, PlanFile, parse_plan};
pub use resource_change::{Action, Protection, ResourceChange};
pub use resource_types::{REACH_TYPES, Reach, STATEFUL_TYPES, reach, stateful_kind, type_matches};

fn read_plan_file(
    path: &Path,
    shown: &str,
    spec: &str,
    field: &str,
    change: usize,
) -> Result<PlanFile> {
    let err = |message: String, help: &str| {
        Error::input(
            Location::file(spec),
            format!("`{field}`: {message}"),
            Some(help.to_string()),
        )
    };
    let text = crate::base::fsio::Root::of_spec(spec)
        .read_text(path, MAX_PLAN_BYTES)
        .map_err(|why| {
            err(
                format!("{shown} {why}"),
                "paths are relative to the spec file's directory and must stay inside the repository; write the plan with `terraform show -json plan.out > plan.json`",
            )
        })?;
    parse_plan(&text, shown, change).map_err(|e| {
        Error::input(
            Location::at(shown, e.line, e.column),
            format!("not plan JSON: {}", e.message),
            Some("write the plan with `terraform show -json plan.out > plan.json` (or `tofu show -json`)".to_string()),
        )
    })
}

fn artifact(path: &str) -> Artifact {
    Artifact {
        path: path.to_string(),
        kind: "terraform-plan".into(),
        findings: 0,
    }
}

/// Reads the plan JSON files of the spec's infrastructure changes, one `PlanFile` each.
pub fn read_plans_for_spec(input: &crate::spec::Input) -> Result<(Vec<PlanFile>, Vec<Artifact>)> {
    let spec_file = input.path.as_str();
    let base = Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut plans = Vec::new();
    let mut artifacts = Vec::new();
    for (i, c) in input.spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::Infrastructure {
            continue;
        }
        let Some(p) = c.as_infrastructure().and_then(|k| k.plan.as_ref()) else {
            continue;
        };
        let full = base.join(p);
        let shown = full.display().to_string();
        let plan = read_plan_file(
            &full,
            &shown,
            spec_file,
            &format!("deployment.changes[{i}].plan"),
            i,
        )?;
        artifacts.push(artifact(&shown));
        plans.push(plan);
    }
    Ok((plans, artifacts))
}

/// Reads the plan JSON files the spec's infrastructure changes point at (`plan:`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::base::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let (plans, artifacts) = read_plans_for_spec(input)?;
    Ok((
        plans.into_iter().flat_map(|p| p.resources).collect(),
        artifacts,
    ))
}

/// Reads the given plan files directly (for `rollbook scan`), with no spec: change index 0.
pub fn read_plan_files(paths: &[PathBuf]) -> Result<(Vec<PlanFile>, Vec<Artifact>)> {
    let mut plans = Vec::new();
    let mut artifacts = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        plans.push(read_plan_file(p, &shown, &shown, "plan", 0)?);
        artifacts.push(artifact(&shown));
    }
    Ok((plans, artifacts))
}

/// Reads the given files directly (for `rollbook scan`), with no spec.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::base::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let (plans, artifacts) = read_plan_files(paths)?;
    Ok((
        plans.into_iter().flat_map(|p| p.resources).collect(),
        artifacts,
    ))
}

#[cfg(test)]
mod tests;
