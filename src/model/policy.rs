//! Risks, people and channels, and the deploy policy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

/// A risk factor: a free string or a known kind with a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Risk {
    /// Free text.
    Text(String),
    /// A known kind, optionally explained.
    Known {
        kind: RiskKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl Risk {
    /// The known kind, also for a bare string that spells one (`- peak-traffic`).
    pub fn kind(&self) -> Option<RiskKind> {
        match self {
            Risk::Text(t) => RiskKind::ALL
                .iter()
                .copied()
                .find(|k| k.as_str() == t.trim()),
            Risk::Known { kind, .. } => Some(*kind),
        }
    }
    pub fn text(&self) -> String {
        match self {
            Risk::Text(t) => t.clone(),
            Risk::Known {
                kind,
                note: Some(n),
            } => format!("{}: {n}", kind.as_str()),
            Risk::Known { kind, note: None } => kind.as_str().to_string(),
        }
    }
}

/// Known risk kinds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    FirstDeployToNewInfrastructure,
    MajorRefactor,
    SchemaMigration,
    ThirdPartyDependency,
    PeakTraffic,
    LargeDataVolume,
    NoStagingParity,
    CrossTeamDependency,
    SecurityChange,
    Compliance,
}

impl RiskKind {
    pub const ALL: [RiskKind; 10] = [
        RiskKind::FirstDeployToNewInfrastructure,
        RiskKind::MajorRefactor,
        RiskKind::SchemaMigration,
        RiskKind::ThirdPartyDependency,
        RiskKind::PeakTraffic,
        RiskKind::LargeDataVolume,
        RiskKind::NoStagingParity,
        RiskKind::CrossTeamDependency,
        RiskKind::SecurityChange,
        RiskKind::Compliance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::FirstDeployToNewInfrastructure => "first-deploy-to-new-infrastructure",
            RiskKind::MajorRefactor => "major-refactor",
            RiskKind::SchemaMigration => "schema-migration",
            RiskKind::ThirdPartyDependency => "third-party-dependency",
            RiskKind::PeakTraffic => "peak-traffic",
            RiskKind::LargeDataVolume => "large-data-volume",
            RiskKind::NoStagingParity => "no-staging-parity",
            RiskKind::CrossTeamDependency => "cross-team-dependency",
            RiskKind::SecurityChange => "security-change",
            RiskKind::Compliance => "compliance",
        }
    }
}

/// People and channels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Who decides a rollback (name or role, e.g. `@alice (release captain)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_maker: Option<String>,
    /// Who executes the deploy and the rollback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// Who is notified (people, teams, on-call rotations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<String>,
    /// Approvers of the deploy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<String>,
    /// Chat channels.
    #[serde(default, skip_serializing_if = "Channels::is_empty")]
    pub channels: Channels,
}

impl People {
    pub fn is_empty(&self) -> bool {
        self == &People::default()
    }
}

/// Chat channels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    /// Where deploys are announced, e.g. `#deploys`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy: Option<String>,
    /// Where incidents are run, e.g. `#incident`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// Where customer support is told, e.g. `#support`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<String>,
    /// Public status page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_page: Option<String>,
}

impl Channels {
    pub fn is_empty(&self) -> bool {
        self == &Channels::default()
    }
}

/// Deploy policy. Defaults: no complex or irreversible deploy on a Friday from 12:00, on a weekend,
/// or on the eve of a listed holiday, in the deployment's own time zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Blocked windows; when empty the defaults apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_windows: Vec<BlockedWindow>,
    /// Holidays, `YYYY-MM-DD`; the day and its eve are blocked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
    /// Freezes: no risky deploy between two dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub freezes: Vec<Freeze>,
    /// Error-rate threshold in percent used when a service has no SLO (default 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_error_rate_percent: Option<f64>,
    /// p99 latency threshold in ms used when a service has no latency SLO (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_p99_latency_ms: Option<u32>,
    /// Maximum age in days of the verified backup required before a data-losing change (default 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_max_age_days: Option<u32>,
    /// `rollbook check`: the level of each rule by code, e.g. `RB102: warn`; unlisted rules keep
    /// their default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleLevel>,
    /// `rollbook check`: placeholders that must be filled before use fail the check (default true).
    /// Placeholders recorded before the deploy or filled when a message is sent never count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_filled_placeholders: Option<bool>,
    /// `rollbook check`: a rehearsal report (`rollbook rehearse SPEC --format json`, path
    /// relative to the spec's directory) that must cover the migration files as they are now and
    /// have found no problem (RB920).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_rehearsal: Option<String>,
}

/// How `rollbook check` treats a rule's findings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Not reported.
    Off,
    /// Reported; does not fail the check.
    #[serde(alias = "warning")]
    Warn,
    /// Reported; fails the check.
    Error,
}

impl RuleLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Warn => "warn",
            RuleLevel::Error => "error",
        }
    }
}

impl Policy {
    pub fn is_empty(&self) -> bool {
        self == &Policy::default()
    }
}

/// A recurring blocked window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockedWindow {
    /// Days of the week, e.g. `[friday]`.
    pub days: Vec<Weekday>,
    /// Start time `HH:MM` (default `00:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End time `HH:MM` (default `24:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why, shown in the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Days of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A freeze between two dates (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Freeze {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
