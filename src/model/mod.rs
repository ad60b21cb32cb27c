//! The deployment spec: everything rollbook knows about one deployment.
//!
//! One model serves YAML, TOML and JSON. Every field is optional unless the plan cannot be written
//! without it; an absent value becomes an explicit placeholder in the plan, never a guess.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod architecture;
pub mod kinds;
pub mod policy;

pub use architecture::*;
pub use kinds::{
    Change, ChangeKind, Code, Config, ConfigKey, ConfigLocation, ConfigStore, Cutover,
    DataOperation, DataOperationKind, DatabaseManager, DatabaseOperation, DatabaseOperationKind,
    Dependency, ExternalSideEffect, FeatureFlag, FlagChange, InfraTool, Infrastructure, Migration,
    MigrationTool, PlatformComponent, PlatformUpgrade, SideEffect,
};
pub use policy::*;

/// A deployment spec (`rollbook.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// What is shipped.
    pub deployment: Deployment,
    /// Where it runs: services, data stores, observability, flag provider.
    #[serde(default, skip_serializing_if = "Architecture::is_empty")]
    pub architecture: Architecture,
    /// Risk factors: free strings or known kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    /// Who decides, who is told, where.
    #[serde(default, skip_serializing_if = "People::is_empty")]
    pub people: People,
    /// Deploy windows, freezes and thresholds.
    #[serde(default, skip_serializing_if = "Policy::is_empty")]
    pub policy: Policy,
    /// Sentences of a brief that bear on rollback without being a change rollbook understands:
    /// no way back, work it cannot map, the brief's own backout. Written by `rollbook infer` so
    /// they survive the round trip through a spec file; read by the rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<BriefStatement>,
}

/// What a brief's sentence says about rollback, outside any change rollbook understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// There is no rollback, downgrade or way back ("cannot be undone", "irreversible").
    NoWayBack,
    /// An action (upgrade, push, cut over, delete...) that no recognised change covers.
    UnmappedAction,
    /// The brief names how to back out (a backout section, a kill switch, a saved config).
    Backout,
    /// The brief names a point of no return: a step (often later: removing the old writer,
    /// decommissioning the old system) before which the change rolls back and after which it
    /// does not.
    PointOfNoReturn,
    /// Someone outside the team collects the output at a set time (a bank picks the files up at
    /// 06:00): what was collected cannot be recalled, and the way back must land before then.
    ExternalPickup,
}

/// One statement of a brief, with its words and where they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefStatement {
    pub kind: StatementKind,
    /// The words, quoted in the plan.
    pub words: String,
    /// The brief they come from, when inferred from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line of the words in `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of the words in `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The words also name destruction (delete, wipe, drop, purge, destroy).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub destructive: bool,
}

impl BriefStatement {
    /// Where the words are: the brief's file:line:col, else the spec field `statements[i]`.
    pub fn evidence(&self, spec_file: &str, i: usize) -> crate::base::Evidence {
        use crate::base::Evidence;
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => Evidence::at(f, l, c),
            _ => Evidence::field(spec_file, format!("statements[{i}]")),
        }
        .with_excerpt(&self.words)
    }
}

/// What is shipped, when, and the version to return to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// Short name of the deployment, e.g. `checkout-v2-launch`.
    pub name: String,
    /// The version being deployed (image tag, git SHA, release number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The previous known-good version: the release label the plan names as the rollback target
    /// (messages, final check, what the Go / No-Go record should show). It is never used as a
    /// platform identifier; each platform's command takes its own id, recorded by a Go / No-Go
    /// check before the deploy: Kubernetes Deployment revision (`kubectl rollout history`), Helm
    /// release revision (`helm history`), Argo Rollouts revision, Argo CD history id
    /// (`argocd app history`), ECS task definition ARN/revision (`aws ecs describe-services`),
    /// Lambda version number (`aws lambda get-alias`), Cloud Run revision name
    /// (`gcloud run services describe`), systemd release directory (`readlink` of `current`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// One or two sentences for people who have not read the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Planned start, RFC 3339 or RFC 9557, e.g. `2026-12-01T14:00:00+01:00[Europe/Berlin]`; or,
    /// when the date is not fixed, a weekday and local time in a zone:
    /// `Friday 17:30[America/Los_Angeles]` (holidays and freezes are then checked by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<String>,
    /// IANA time zone of the deployment (used when `planned_start` has only an offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Link to the change ticket or pull request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// The changes this deployment ships.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// Written acceptance of an irreversible deploy: who accepts it and the mitigation.
    /// `rollbook check` requires it when the plan is classified irreversible. It lives here, not in
    /// `policy`, because it is a fact of this one deploy: a shared `rollbook.toml` must not
    /// pre-accept every future irreversible deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement: Option<Acknowledgement>,
}

/// Who accepts an irreversible deploy, and what limits the damage if it goes wrong.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The person (name or handle) who accepts that this deploy cannot be rolled back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What is done instead of a rollback (backup taken and restore rehearsed, copy-back scripts,
    /// sends paused behind a flag, customer communication ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<String>,
}
