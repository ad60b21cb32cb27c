//! One resource change of a plan: what it does and the deletion guards it touches.

use super::resource_types::stateful_kind;
use crate::evidence::Evidence;
use serde::Serialize;

/// What a resource change does, from its `change.actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    NoOp,
    Read,
    Create,
    Update,
    Delete,
    /// `["delete","create"]`: the old resource is gone before the new one exists.
    ReplaceDeleteFirst,
    /// `["create","delete"]` (`create_before_destroy`): the new one exists first.
    ReplaceCreateFirst,
    /// Removed from state without being destroyed (`removed` block, `forget`).
    Forget,
    /// An action list rollbook does not know.
    Unknown,
}

impl Action {
    /// Maps a plan's `change.actions` list.
    pub fn from_actions(actions: &[String]) -> Action {
        let a: Vec<&str> = actions.iter().map(String::as_str).collect();
        match a.as_slice() {
            ["no-op"] => Action::NoOp,
            ["read"] => Action::Read,
            ["create"] => Action::Create,
            ["update"] => Action::Update,
            ["delete"] => Action::Delete,
            ["delete", "create"] => Action::ReplaceDeleteFirst,
            ["create", "delete"] => Action::ReplaceCreateFirst,
            ["forget"] => Action::Forget,
            _ => Action::Unknown,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::ReplaceDeleteFirst => "replace (destroy before create)",
            Action::ReplaceCreateFirst => "replace (create before destroy)",
            Action::Forget => "forget",
            Action::Unknown => "unknown",
        }
    }
    pub fn is_replace(self) -> bool {
        matches!(
            self,
            Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst
        )
    }
    /// Whether the existing object is changed or destroyed (not a create, read or no-op).
    pub fn touches_existing(self) -> bool {
        matches!(self, Action::Update | Action::Delete) || self.is_replace()
    }
}

/// A flag that guards against deletion, as the plan shows it before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protection {
    /// Attribute name, e.g. `deletion_protection`, `skip_final_snapshot`.
    pub attribute: String,
    /// Whether the resource was protected by it (`None`: absent or unknown).
    pub before: Option<bool>,
    /// Whether it is protected after the change (`None`: absent or known only after apply).
    pub after: Option<bool>,
}

impl Protection {
    /// Protection goes from on to off.
    pub fn turned_off(&self) -> bool {
        self.before == Some(true) && self.after == Some(false)
    }
}

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
    /// The actions, mapped.
    pub action: Action,
    /// `managed` or `data`.
    pub mode: String,
    /// Top-level attributes whose value changes (names only), sorted.
    pub changed_attributes: Vec<String>,
    /// Attribute paths that force the replacement (`replace_paths`), dotted.
    pub replace_paths: Vec<String>,
    /// Top-level attributes the plan marks sensitive (names only), sorted.
    pub sensitive_attributes: Vec<String>,
    /// Deletion guards present before or after.
    pub protection: Vec<Protection>,
    /// Identifier of a stateful resource (`identifier`, `bucket`, `name`, ...) when not sensitive.
    pub identifier: Option<String>,
    /// `action_reason`, e.g. `replace_because_cannot_update`.
    pub action_reason: Option<String>,
}

impl ResourceChange {
    /// What the resource holds, when it is stateful.
    pub fn stateful(&self) -> Option<&'static str> {
        if self.mode == "data" {
            return None;
        }
        stateful_kind(&self.resource_type)
    }
}
