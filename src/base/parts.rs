//! The parts of a plan that any stage may produce: checks and stages from the platforms,
//! assumptions from the spec and evidence readers, placeholders for unknown values.

use crate::base::evidence::Evidence;
use crate::base::shell::Cmd;
use schemars::JsonSchema;
use serde::Serialize;

/// A check with an optional command and what it must show.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Check {
    pub title: String,
    pub commands: Vec<Cmd>,
    /// Metric queries to run and write down (PromQL, Datadog, CloudWatch).
    pub queries: Vec<String>,
    pub expect: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stage {
    pub name: String,
    pub traffic_percent: f64,
    pub bake_minutes: u32,
    pub watch: String,
    pub advance_if: String,
    pub abort_if: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Mechanism {
    pub service: String,
    pub name: String,
    /// A snippet (YAML, CLI) to paste.
    pub snippet: String,
    pub language: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Assumption {
    pub text: String,
    pub evidence: Evidence,
}

/// An unknown value the user must fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Placeholder {
    /// As it appears in the plan: `<NAME>`.
    pub token: String,
    pub description: String,
    /// Spec field that would fill it, or how it is filled.
    pub fill_with: String,
    /// `before-use` (fill the spec and re-run), `before-deploy` (recorded by a Go / No-Go
    /// command), or `when-sending` (a blank in a message).
    pub when: String,
}
