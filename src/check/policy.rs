//! The effective policy of a check: built-in defaults, overridden by a `rollbook.toml` `[policy]`
//! table (next to the spec, or `--policy FILE`), overridden by the spec's own `policy:` block.
//! Lists (windows, holidays, freezes) are replaced whole; `rules` merge code by code.

use crate::base::error::{Error, Location, Result};
use crate::model::{Deployment, Policy, RuleLevel, Spec};
use std::path::{Path, PathBuf};

/// The name of the policy file looked for next to the spec.
pub const POLICY_FILE: &str = "rollbook.toml";

/// The policy a check applies, and where each layer came from (lowest first).
#[derive(Debug, Clone)]
pub struct Effective {
    pub policy: Policy,
    pub sources: Vec<String>,
}

/// Where the policy file is: `--policy FILE`, else the nearest `rollbook.toml` from the spec's
/// folder up to the repository root (the folder holding `.git`), as ruff and squawk look for
/// their configuration; outside a repository only the spec's folder. Never the spec itself.
pub fn locate(spec_path: &str, explicit: Option<&str>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(PathBuf::from(p));
    }
    let dir = match Path::new(spec_path).parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let start = std::fs::canonicalize(&dir).unwrap_or(dir.clone());
    let in_repo = start.ancestors().any(|d| d.join(".git").exists());
    let spec = std::fs::canonicalize(spec_path).ok();
    for d in start.ancestors() {
        let candidate = d.join(POLICY_FILE);
        if candidate.is_file() && std::fs::canonicalize(&candidate).ok() != spec {
            // Shown relative to the spec's folder as the user named it, when it is that folder.
            return Some(if d == start {
                dir.join(POLICY_FILE)
            } else {
                candidate
            });
        }
        if !in_repo || d.join(".git").exists() {
            break;
        }
    }
    None
}

/// Reads the `[policy]` table of a policy file.
pub fn read(path: &str) -> Result<Policy> {
    let text = crate::spec::load::read_text(path)?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| crate::base::source::SourceFile::new(path, text.as_str()).line_col(s.start))
            .unwrap_or((1, 1));
        Error::input(
            Location::at(path, line, col),
            format!("not valid TOML: {}", e.message()),
            None,
        )
    })?;
    let Some(value) = table.get("policy") else {
        return Err(Error::input(
            Location::file(path),
            "has no [policy] table",
            Some(
                "put the policy under `[policy]`, e.g. `[policy]\\nbackup_max_age_days = 3`".into(),
            ),
        ));
    };
    let policy: Policy = value.clone().try_into().map_err(|e: toml::de::Error| {
        Error::input(
            Location::file(path),
            format!("[policy]: {}", e.message()),
            Some("see `rollbook schema spec` for the fields of `policy`".into()),
        )
    })?;
    // The spec's validator checks windows, dates and control characters the same way.
    let probe = Spec {
        deployment: Deployment {
            name: "policy".into(),
            ..Default::default()
        },
        policy: policy.clone(),
        ..Default::default()
    };
    crate::spec::validate::validate(&probe, path, &text)?;
    Ok(policy)
}

/// `over` wins field by field over `base`.
pub fn merge(base: &Policy, over: &Policy) -> Policy {
    fn list<T: Clone>(b: &[T], o: &[T]) -> Vec<T> {
        if o.is_empty() { b.to_vec() } else { o.to_vec() }
    }
    let mut rules = base.rules.clone();
    rules.extend(over.rules.iter().map(|(k, v)| (k.to_ascii_uppercase(), *v)));
    Policy {
        blocked_windows: list(&base.blocked_windows, &over.blocked_windows),
        holidays: list(&base.holidays, &over.holidays),
        freezes: list(&base.freezes, &over.freezes),
        default_error_rate_percent: over
            .default_error_rate_percent
            .or(base.default_error_rate_percent),
        default_p99_latency_ms: over.default_p99_latency_ms.or(base.default_p99_latency_ms),
        backup_max_age_days: over.backup_max_age_days.or(base.backup_max_age_days),
        rules,
        require_filled_placeholders: over
            .require_filled_placeholders
            .or(base.require_filled_placeholders),
        require_rehearsal: over
            .require_rehearsal
            .clone()
            .or_else(|| base.require_rehearsal.clone()),
    }
}

/// The effective policy of a spec.
pub fn effective(spec_path: &str, spec: &Policy, explicit: Option<&str>) -> Result<Effective> {
    let mut sources = vec!["built-in defaults".to_string()];
    let mut policy = Policy::default();
    if let Some(file) = locate(spec_path, explicit) {
        let name = file.to_string_lossy().into_owned();
        // Found beside the spec, not named: it must resolve inside the project like any artifact.
        if explicit.is_none()
            && let Err(why) = crate::base::fsio::Root::of_spec(spec_path).admit(&file)
        {
            return Err(Error::input(
                Location::file(&name),
                why.to_string(),
                Some(
                    "a policy file outside the repository is read only when named with --policy"
                        .into(),
                ),
            ));
        }
        policy = read(&name)?;
        sources.push(format!("{name} [policy]"));
    }
    if !spec.is_empty() {
        sources.push(format!("{spec_path} policy"));
    }
    let mut policy = merge(&policy, spec);
    policy.rules = policy
        .rules
        .into_iter()
        .map(|(k, v)| (k.to_ascii_uppercase(), v))
        .collect();
    for code in policy.rules.keys() {
        if super::rules::find(code).is_none() {
            return Err(Error::input(
                Location::file(sources.last().map(String::as_str).unwrap_or(spec_path)),
                format!("policy.rules names an unknown rule `{code}`"),
                Some("`rollbook rules` lists every code".into()),
            ));
        }
    }
    Ok(Effective { policy, sources })
}

/// The level a rule's findings get: the policy's, else the default.
pub fn level_of(policy: &Policy, code: &str, default: RuleLevel) -> RuleLevel {
    policy.rules.get(code).copied().unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_wins_field_by_field_and_rules_merge() {
        let mut file = Policy {
            backup_max_age_days: Some(3),
            holidays: vec!["2026-12-25".into()],
            ..Default::default()
        };
        file.rules.insert("RB102".into(), RuleLevel::Off);
        file.rules.insert("RB101".into(), RuleLevel::Warn);
        let mut spec = Policy {
            require_filled_placeholders: Some(false),
            ..Default::default()
        };
        spec.rules.insert("rb101".into(), RuleLevel::Error);
        let m = merge(&file, &spec);
        assert_eq!(m.backup_max_age_days, Some(3));
        assert_eq!(m.holidays, ["2026-12-25"]);
        assert_eq!(m.require_filled_placeholders, Some(false));
        assert_eq!(m.rules.get("RB101"), Some(&RuleLevel::Error));
        assert_eq!(m.rules.get("RB102"), Some(&RuleLevel::Off));
    }
}
