//! `--git BASE..HEAD`, for `check` (which changed files to judge, and why the others are not) and
//! for `plan` (the changed spec, and the changed files the plan did not read): the range, the
//! changed files and what a spec file is, written once.

use super::FileChoice;
use crate::base::error::{Error, Result};
use crate::base::evidence::Artifact;
use crate::plan::model::IgnoredFile;
use crate::scan::{Class, classify};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Spec file names looked for.
const SPEC_NAMES: [&str; 4] = [
    "rollbook.yaml",
    "rollbook.yml",
    "rollbook.json",
    "rollbook.toml",
];

/// Checks a range before it reaches git: `BASE..HEAD` or `BASE...HEAD`, no option-like start.
pub fn validate_range(range: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::Usage(format!(
            "--git '{range}': {why}\n  help: pass a range such as `origin/main..HEAD`"
        )))
    };
    if range.starts_with('-') {
        return bad("a range cannot start with `-`");
    }
    if range.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return bad("a range has no spaces or control characters");
    }
    match range.split_once("..") {
        Some((a, b)) if !a.is_empty() && !b.trim_start_matches('.').is_empty() => Ok(()),
        _ => bad("expected BASE..HEAD"),
    }
}

/// Files changed in the range that exist after it, as git prints them (relative to the
/// repository root), in git's order.
pub fn changed_files(range: &str) -> Result<Vec<String>> {
    validate_range(range)?;
    // Outside a work tree `git diff` falls back to `diff --no-index` and prints its whole usage.
    let inside = std::process::Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|e| Error::Usage(format!("--git: cannot run git: {e}")))?;
    if !inside.status.success() || inside.stdout.trim_ascii() != b"true" {
        return Err(Error::Usage(format!(
            "--git '{range}': the current directory is not inside a git repository\n  help: run rollbook from the repository's work tree, or leave out --git"
        )));
    }
    let out = std::process::Command::new("git")
        .args([
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=ACMRT",
            "--end-of-options",
            range,
        ])
        .output()
        .map_err(|e| Error::Usage(format!("--git: cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "--git '{range}': git diff failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
        )));
    }
    Ok(out
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// The files changed in the range, as canonical paths (git prints them relative to the
/// repository's root); files the range deleted are left out.
pub fn changed_paths(range: &str) -> Result<Vec<PathBuf>> {
    let changed = changed_files(range)?;
    let top = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(|e| Error::Usage(format!("--git: cannot run git: {e}")))?;
    let root = PathBuf::from(String::from_utf8_lossy(top.stdout.trim_ascii()).into_owned());
    Ok(changed
        .iter()
        .filter_map(|f| std::fs::canonicalize(root.join(f)).ok())
        .collect())
}

/// A file named like a spec (`rollbook.yaml`, `.yml`, `.json`, `.toml`) is a spec; a TOML one only
/// when it has a `[deployment]` table, otherwise it is a policy file.
pub fn is_spec(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if !SPEC_NAMES.contains(&name) {
        return false;
    }
    if name.ends_with(".toml") {
        return crate::base::fsio::read_text(path, crate::base::fsio::SPEC_BYTES)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .is_some_and(|t| t.contains_key("deployment"));
    }
    true
}

/// The specs in a directory, in name order.
fn specs_in(dir: &Path) -> Vec<String> {
    SPEC_NAMES
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file() && is_spec(p))
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// The nearest directory at or above `dir` (within the working directory) holding a spec.
fn nearest_specs(dir: &Path) -> Vec<String> {
    let mut d: Option<&Path> = Some(dir);
    while let Some(cur) = d {
        let here = if cur.as_os_str().is_empty() {
            Path::new(".")
        } else {
            cur
        };
        let found = specs_in(here);
        if !found.is_empty() {
            return found;
        }
        if cur.as_os_str().is_empty() {
            break;
        }
        d = cur.parent();
    }
    Vec::new()
}

/// Chooses the specs to judge from the changed files. Migrations are tied to the nearest spec at
/// or above them; whether that spec really reads them is settled by [`settle`] after judging.
pub fn select(changed: &[String]) -> (Vec<String>, Vec<FileChoice>) {
    let mut specs: Vec<String> = Vec::new();
    let mut choices = Vec::new();
    for path in changed {
        let p = Path::new(path);
        let dir = p.parent().unwrap_or(Path::new(""));
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !p.is_file() {
            choices.push(choice(
                path,
                false,
                "not in the working tree: check out HEAD",
            ));
        } else if is_spec(p) {
            specs.push(path.clone());
            choices.push(choice(path, true, "a rollbook spec"));
        } else if p.file_name().and_then(|n| n.to_str()) == Some(super::policy::POLICY_FILE) {
            let found = specs_in(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            });
            if found.is_empty() {
                choices.push(choice(path, false, "a policy file with no spec beside it"));
            } else {
                choices.push(choice(
                    path,
                    true,
                    &format!("the policy of {}", found.join(", ")),
                ));
                specs.extend(found);
            }
        } else if ext.eq_ignore_ascii_case("sql") {
            let found = nearest_specs(dir);
            if found.is_empty() {
                choices.push(choice(
                    path,
                    false,
                    "a migration with no rollbook spec in its directory or above",
                ));
            } else {
                choices.push(choice(
                    path,
                    true,
                    &format!("a migration, with {}", found.join(", ")),
                ));
                specs.extend(found);
            }
        } else {
            choices.push(choice(
                path,
                false,
                "not a spec, policy file or SQL migration",
            ));
        }
    }
    specs.sort();
    specs.dedup();
    (specs, choices)
}

fn choice(path: &str, judged: bool, why: &str) -> FileChoice {
    FileChoice {
        path: path.to_string(),
        judged,
        why: why.to_string(),
    }
}

fn canonical(p: &str) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// After judging: a migration counts as judged only if one of the judged specs read it.
pub fn settle(choices: &mut [FileChoice], read: &[String]) {
    let read: Vec<PathBuf> = read.iter().filter_map(|p| canonical(p)).collect();
    for c in choices.iter_mut() {
        let is_sql = Path::new(&c.path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("sql"));
        if c.judged && is_sql && !canonical(&c.path).is_some_and(|p| read.contains(&p)) {
            c.judged = false;
            c.why = format!(
                "{}, which does not read it",
                c.why
                    .replacen("a migration, with ", "a migration; the nearest spec is ", 1)
            );
        }
    }
}

/// `plan --git BASE..HEAD`: the changed files (git's paths, relative to the repository root, run
/// there) and the spec: FILE when given, else the one spec among the changed files.
pub fn plan_changes(range: &str, file: Option<&str>) -> Result<(String, Vec<String>)> {
    let changed = changed_files(range)?;
    if let Some(f) = file {
        return Ok((f.to_string(), changed));
    }
    let specs: Vec<&String> = changed
        .iter()
        .filter(|p| Path::new(p).is_file() && is_spec(Path::new(p)))
        .collect();
    match specs.as_slice() {
        [one] => Ok(((*one).clone(), changed.clone())),
        [] => Err(Error::Usage(format!(
            "--git '{range}': no rollbook spec among the changed files\n  help: pass the spec as FILE: `rollbook plan rollbook.yaml --git {range}`"
        ))),
        many => Err(Error::Usage(format!(
            "--git '{range}': several specs changed ({}); pass the one to plan as FILE",
            many.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The changed files a plan did not read, each with the reason; the spec itself and the files
/// read (compared as canonical paths) are left out.
pub fn unread(changed: &[String], spec: &str, read: &[Artifact]) -> Vec<IgnoredFile> {
    let canon = |p: &str| std::fs::canonicalize(p).ok();
    let read: BTreeSet<PathBuf> = read.iter().filter_map(|a| canon(&a.path)).collect();
    let spec = canon(spec);
    let mut out = Vec::new();
    for c in changed {
        let p = Path::new(c);
        let reason = if !p.is_file() {
            "not in the working tree: check out HEAD".to_string()
        } else {
            let cp = canon(c);
            if cp.is_some() && (cp == spec || cp.as_ref().is_some_and(|x| read.contains(x))) {
                continue;
            }
            match classify(p) {
                Class::Sql => "a SQL file no migration change of the spec points at".into(),
                Class::Manifest => "a manifest no service of the spec lists".into(),
                Class::TerraformPlan => "a plan JSON no infrastructure change points at".into(),
                Class::Broken(why) => format!("not read: {why}"),
                Class::Ignored(why) if is_spec(p) => {
                    format!("another spec, not the one planned ({why})")
                }
                Class::Ignored(why) => why,
            }
        };
        out.push(IgnoredFile {
            path: c.clone(),
            reason,
        });
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_validated() {
        assert!(validate_range("origin/main..HEAD").is_ok());
        assert!(validate_range("a...b").is_ok());
        for bad in [
            "--output=x..y",
            "-a..b",
            "HEAD",
            "..HEAD",
            "a..",
            "a ..b",
            "a..b\n",
        ] {
            assert!(validate_range(bad).is_err(), "{bad}");
        }
    }
}
