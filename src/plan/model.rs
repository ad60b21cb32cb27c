//! The plan: what every renderer reads. Field order is output order; no unordered maps.

use crate::assess::{Finding, Level};
pub use crate::base::parts::{Assumption, Check, Mechanism, Placeholder, Stage};
use crate::base::shell::Cmd;
use crate::evidence::{Artifact, Evidence};
use schemars::JsonSchema;
use serde::Serialize;

/// The seven section titles, in order.
pub const SECTION_TITLES: [(&str, &str); 7] = [
    ("classification", "Rollback Classification"),
    ("go-no-go", "Go / No-Go Criteria"),
    ("triggers", "Rollback Trigger Criteria"),
    ("procedure", "Step-by-Step Rollback Procedure"),
    ("data-recovery", "Data Recovery Strategy"),
    ("rollout", "Canary & Progressive Rollout"),
    ("communication", "Communication Plan"),
];

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Plan {
    /// Version of the plan JSON format.
    pub format_version: u32,
    pub deployment: DeploymentInfo,
    /// The seven sections, in order (id and title).
    pub sections: Vec<SectionRef>,
    pub classification: Classification,
    pub go_no_go: GoNoGo,
    pub triggers: Triggers,
    pub procedure: Procedure,
    pub data_recovery: DataRecovery,
    pub rollout: Rollout,
    pub communication: Communication,
    /// What rollbook assumed (from a brief, or defaults), with the words that caused it.
    pub assumptions: Vec<Assumption>,
    /// Every unknown value, as it appears in the plan (`<NAME>`).
    pub placeholders: Vec<Placeholder>,
    pub findings: Vec<Finding>,
    pub artifacts: Vec<Artifact>,
    /// `plan --git`: changed files the plan did not read, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<IgnoredFile>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct IgnoredFile {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeploymentInfo {
    pub name: String,
    pub version: String,
    pub previous_version: String,
    pub summary: Option<String>,
    pub planned_start: Option<String>,
    pub ticket: Option<String>,
    /// The input file the plan was built from.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SectionRef {
    pub id: &'static str,
    pub title: &'static str,
}

/// A line of text with the evidence and rule behind it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Reason {
    pub rule: String,
    pub message: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Classification {
    pub level: Level,
    pub title: String,
    /// Sum of the procedure's estimates on the critical path.
    pub estimated_minutes: u32,
    /// Set when the estimate falls outside the class's band.
    pub band_note: Option<String>,
    pub reasons: Vec<Reason>,
    /// For irreversible changes: what to do instead of a rollback.
    pub mitigation: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GoNoGo {
    pub checks: Vec<Check>,
    pub approvals: Vec<String>,
    pub window: WindowVerdict,
    /// Conditions that abort the rollout midway.
    pub no_go_triggers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WindowVerdict {
    pub planned_start: Option<String>,
    /// `ok`, `blocked`, or `unknown` (no planned start).
    pub verdict: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Threshold {
    pub signal: String,
    /// Human condition, e.g. `error ratio > 1.44% over 5m`.
    pub condition: String,
    pub window: String,
    /// The query in the user's metrics system.
    pub query: String,
    /// What to do when it fires.
    pub action: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ServiceTriggers {
    pub service: String,
    /// Where the thresholds came from (SLO or defaults).
    pub basis: String,
    pub thresholds: Vec<Threshold>,
    pub health_check: Option<Cmd>,
    pub critical_flows: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataCheck {
    pub title: String,
    /// The read-only shell command that runs the query against the data store.
    pub query: String,
    pub expect: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Triggers {
    pub services: Vec<ServiceTriggers>,
    pub data_checks: Vec<DataCheck>,
    pub decision_maker: String,
    pub notify: Vec<String>,
    pub dashboards: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Step {
    pub number: u32,
    pub title: String,
    pub component: String,
    pub commands: Vec<Cmd>,
    pub verify: Vec<Cmd>,
    /// What success looks like.
    pub success: String,
    pub estimate_minutes: u32,
    /// Where the estimate came from: `default`, or `drill (N runs)` when `plan --calibrate`
    /// replaced it with the median of practised runs.
    #[serde(default)]
    pub estimate_source: EstimateSource,
    pub destructive: bool,
    /// Why this step is here, or what it does not revert.
    pub notes: Vec<String>,
}

/// Where a step's estimate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EstimateSource {
    /// rollbook's own estimate for the action.
    #[default]
    Default,
    /// The median of this many practised drill runs.
    Drill { runs: u32 },
    /// At least the time measured by `rollbook rehearse` (`plan --rehearsal`).
    Rehearsal,
}

impl std::fmt::Display for EstimateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EstimateSource::Default => f.write_str("default"),
            EstimateSource::Drill { runs: 1 } => f.write_str("drill (1 run)"),
            EstimateSource::Drill { runs } => write!(f, "drill ({runs} runs)"),
            EstimateSource::Rehearsal => f.write_str("rehearsal"),
        }
    }
}

impl Serialize for EstimateSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl JsonSchema for EstimateSource {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EstimateSource".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "`default`, `drill (N runs)` when the estimate is the median of N practised drill runs, or `rehearsal` when it is at least the time `rollbook rehearse` measured.",
            "pattern": "^(default|rehearsal|drill \\([0-9]+ runs?\\))$"
        })
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Procedure {
    /// Why the steps are in this order.
    pub ordering: Vec<String>,
    pub steps: Vec<Step>,
    /// What the procedure does not revert.
    pub not_reverted: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StoreRecovery {
    pub store: String,
    pub engine: String,
    pub writes_after_deploy: String,
    pub migrations: Vec<String>,
    pub manual_correction: Vec<DataCheck>,
    pub backup_before_rollback: Vec<Cmd>,
    pub restore: Vec<Cmd>,
    pub restore_estimate: String,
    pub backups_location: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataRecovery {
    /// One line when no data store is touched.
    pub summary: String,
    pub stores: Vec<StoreRecovery>,
    /// Side effects that cannot be recalled, and what to do instead.
    pub external: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Rollout {
    pub summary: String,
    pub stages: Vec<Stage>,
    /// What each stage's `traffic_percent` is a share of: `traffic` for a service canary, a
    /// model's split or a flag; else the targets the change is staged by (`hosts`, `users
    /// (installs)`, `records`).
    pub share_of: String,
    /// Flag schedule lines when a flag is involved.
    pub flags: Vec<String>,
    /// The platform's own mechanism (Argo Rollouts steps, CodeDeploy config, Lambda alias weights).
    pub mechanism: Vec<Mechanism>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Message {
    /// `pre-deploy`, `rollback-started`, `rollback-finished`, `post-rollback`.
    pub moment: String,
    pub audience: String,
    pub channel: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Communication {
    pub before: Vec<String>,
    pub during: Vec<String>,
    pub after: Vec<String>,
    pub messages: Vec<Message>,
}
