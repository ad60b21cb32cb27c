//! `rollbook check --git BASE..HEAD`: which changed files to judge, and why the others are not.

use super::FileChoice;
use crate::base::error::{Error, Result};
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

/// A TOML file named like a spec is a spec when it has a `[deployment]` table; otherwise it is a
/// policy file.
fn is_spec(path: &Path) -> bool {
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
