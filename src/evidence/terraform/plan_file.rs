//! Parsing one plan's JSON into resource changes: names of changed and sensitive attributes,
//! deletion guards and the identifier of a stateful resource, never other values.

use super::resource_change::{Action, Protection, ResourceChange};
use super::resource_types::stateful_kind;
use crate::base::source::line_col;
use crate::evidence::Evidence;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Attributes that guard deletion, and the value that means "protected".
const PROTECTION_ATTRIBUTES: &[(&str, bool)] = &[
    ("deletion_protection", true),
    ("deletion_protection_enabled", true),
    ("enable_deletion_protection", true),
    ("termination_protection", true),
    ("enable_termination_protection", true),
    ("disable_api_termination", true),
    ("prevent_destroy", true),
    // true empties a bucket on destroy.
    ("force_destroy", false),
    // true destroys a database without a final snapshot.
    ("skip_final_snapshot", false),
];

/// Attributes that name a stateful resource (matched against `architecture.data_stores`).
const IDENTIFIER_ATTRIBUTES: &[&str] = &[
    "identifier",
    "cluster_identifier",
    "replication_group_id",
    "cluster_id",
    "bucket",
    "name",
];

/// One plan file as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFile {
    /// The file (line 1) for plan-wide findings.
    pub evidence: Evidence,
    pub change: usize,
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// The plan stopped on an error (`errored: true`): its changes are incomplete.
    pub errored: bool,
    /// What rollbook could not read in it, one sentence each.
    pub problems: Vec<String>,
    pub resources: Vec<ResourceChange>,
}

#[derive(Deserialize)]
struct RawPlan {
    format_version: Option<String>,
    terraform_version: Option<String>,
    #[serde(default)]
    errored: bool,
    resource_changes: Option<Vec<RawResourceChange>>,
    // Present in `terraform show -json` of a state, not of a plan.
    values: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct RawResourceChange {
    address: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    resource_type: String,
    change: RawChange,
    #[serde(default)]
    action_reason: Option<String>,
}

#[derive(Deserialize)]
struct RawChange {
    actions: Vec<String>,
    #[serde(default)]
    before: Value,
    #[serde(default)]
    after: Value,
    #[serde(default)]
    after_unknown: Value,
    #[serde(default)]
    before_sensitive: Value,
    #[serde(default)]
    after_sensitive: Value,
    #[serde(default)]
    replace_paths: Vec<Vec<Value>>,
}

/// A plan that is not JSON or not the shape of one: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Parses plan JSON text. `file` and `change` go into the evidence. serde_json's recursion
/// limit (128) bounds nesting; no value is kept beyond this function.
pub fn parse_plan(
    text: &str,
    file: &str,
    change: usize,
) -> std::result::Result<PlanFile, ParseError> {
    let raw: RawPlan = serde_json::from_str(text).map_err(|e| ParseError {
        line: u32::try_from(e.line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.column()).unwrap_or(u32::MAX),
        message: e.to_string(),
    })?;
    let mut problems = Vec::new();
    match raw.format_version.as_deref() {
        None => problems.push(
            "no `format_version`: not the output of `terraform show -json` of a saved plan"
                .to_string(),
        ),
        Some(v) if v.split('.').next() != Some("1") => problems.push(format!(
            "`format_version` {v}: rollbook reads plan JSON format 1.x"
        )),
        Some(_) => {}
    }
    if raw.resource_changes.is_none() && raw.values.is_some() {
        problems.push(
            "this is state JSON (`values`), not a plan: run `terraform show -json plan.out` on a saved plan".to_string(),
        );
    }
    let section = text.find("\"resource_changes\"").unwrap_or(0);
    let mut cursor = section;
    let mut resources = Vec::new();
    for rc in raw.resource_changes.unwrap_or_default() {
        let (evidence, next) = locate(text, file, &rc.address, cursor);
        cursor = next;
        resources.push(resource(rc, evidence, change, &mut problems));
    }
    let (line, column) = line_col(text, section);
    Ok(PlanFile {
        evidence: if section > 0 {
            Evidence::at(file, line, column)
        } else {
            Evidence::at(file, 1, 1)
        },
        change,
        format_version: raw.format_version,
        terraform_version: raw.terraform_version,
        errored: raw.errored,
        problems,
        resources,
    })
}

fn resource(
    rc: RawResourceChange,
    evidence: Evidence,
    change: usize,
    problems: &mut Vec<String>,
) -> ResourceChange {
    let c = rc.change;
    let action = Action::from_actions(&c.actions);
    if action == Action::Unknown {
        problems.push(format!(
            "`{}`: actions {:?} are not ones rollbook knows",
            rc.address, c.actions
        ));
    }
    let mut sensitive = sensitive_names(&c.before_sensitive);
    sensitive.extend(sensitive_names(&c.after_sensitive));
    sensitive.sort();
    sensitive.dedup();
    // A wholly sensitive object (`true`) hides every attribute: read nothing from it.
    let hidden = |v: &Value| v == &Value::Bool(true);
    let before = if hidden(&c.before_sensitive) {
        None
    } else {
        c.before.as_object()
    };
    let after = if hidden(&c.after_sensitive) {
        None
    } else {
        c.after.as_object()
    };
    let unknown = c.after_unknown.as_object();
    let mut changed = Vec::new();
    if matches!(action, Action::Update) || action.is_replace() {
        let mut names: Vec<&String> = before.iter().flat_map(|m| m.keys()).collect();
        names.extend(after.iter().flat_map(|m| m.keys()));
        names.extend(unknown.iter().flat_map(|m| m.keys()));
        names.sort();
        names.dedup();
        for n in names {
            let b = before.and_then(|m| m.get(n));
            let a = after.and_then(|m| m.get(n));
            let u = unknown
                .and_then(|m| m.get(n))
                .is_some_and(|v| v != &Value::Bool(false));
            if u || b != a {
                changed.push(n.clone());
            }
        }
        if hidden(&c.before_sensitive) || hidden(&c.after_sensitive) {
            changed.push("(sensitive)".to_string());
        }
    }
    let readable = |m: Option<&serde_json::Map<String, Value>>, name: &str| -> Option<bool> {
        if sensitive.iter().any(|s| s == name) {
            return None;
        }
        m.and_then(|m| m.get(name)).and_then(Value::as_bool)
    };
    let mut protection = Vec::new();
    for (attr, protected_when) in PROTECTION_ATTRIBUTES {
        let b = readable(before, attr).map(|v| v == *protected_when);
        let a = readable(after, attr).map(|v| v == *protected_when);
        if b.is_some() || a.is_some() {
            protection.push(Protection {
                attribute: (*attr).to_string(),
                before: b,
                after: a,
            });
        }
    }
    let mode = rc.mode.unwrap_or_else(|| "managed".to_string());
    let identifier = if mode != "data" && stateful_kind(&rc.resource_type).is_some() {
        IDENTIFIER_ATTRIBUTES.iter().find_map(|name| {
            if sensitive.iter().any(|s| s == name) {
                return None;
            }
            let v = before
                .and_then(|m| m.get(*name))
                .or_else(|| after.and_then(|m| m.get(*name)));
            v.and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
    } else {
        None
    };
    let replace_paths = c
        .replace_paths
        .iter()
        .map(|p| {
            p.iter()
                .map(|s| match s {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    ResourceChange {
        evidence,
        change,
        address: rc.address,
        resource_type: rc.resource_type,
        actions: c.actions,
        action,
        mode,
        changed_attributes: changed,
        replace_paths,
        sensitive_attributes: sensitive,
        protection,
        identifier,
        action_reason: rc.action_reason,
    }
}

/// Top-level attribute names marked sensitive (`true`, or a nested structure marking any part).
fn sensitive_names(v: &Value) -> Vec<String> {
    fn marks(v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::Array(a) => a.iter().any(marks),
            Value::Object(o) => o.values().any(marks),
            _ => false,
        }
    }
    match v {
        Value::Object(o) => o
            .iter()
            .filter(|(_, v)| marks(v))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// The `"address": "<address>"` of a resource change at or after `from`; evidence and the
/// position to search the next one from.
fn locate(text: &str, file: &str, address: &str, from: usize) -> (Evidence, usize) {
    let quoted = serde_json::to_string(address).unwrap_or_default();
    let mut at = from;
    while let Some(p) = text.get(at..).and_then(|t| t.find("\"address\"")) {
        let key = at + p;
        let after_key = key + "\"address\"".len();
        let rest = text.get(after_key..).unwrap_or("");
        let trimmed = rest.trim_start();
        if let Some(v) = trimmed.strip_prefix(':') {
            let v = v.trim_start();
            if v.starts_with(&quoted) {
                let (line, column) = line_col(text, key);
                let e =
                    Evidence::at(file, line, column).with_excerpt(format!("\"address\": {quoted}"));
                return (e, after_key);
            }
        }
        at = after_key;
    }
    (
        Evidence::field(file, format!("resource_changes[address={address}]")),
        from,
    )
}
