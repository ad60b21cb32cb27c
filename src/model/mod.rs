//! The deployment spec: everything rollbook knows about one deployment.
//!
//! One model serves YAML, TOML and JSON. Every field is optional unless the plan cannot be written
//! without it; an absent value becomes an explicit placeholder in the plan, never a guess.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Planned start, RFC 3339 or RFC 9557, e.g. `2026-12-01T14:00:00+01:00[Europe/Berlin]`.
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

/// Kind of change.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Application code.
    Code,
    /// Schema migration.
    Migration,
    /// Configuration keys.
    Config,
    /// Feature flag change.
    FeatureFlag,
    /// Infrastructure (Terraform, cluster upgrade, DNS, ...).
    Infrastructure,
    /// Dependency bump (library, runtime, base image).
    Dependency,
    /// Side effect outside the system: emails, webhooks, payments, events, data sent to third parties.
    ExternalSideEffect,
    /// Data operation: backfill, delete, a script run against production.
    DataOperation,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Code => "code",
            ChangeKind::Migration => "migration",
            ChangeKind::Config => "config",
            ChangeKind::FeatureFlag => "feature_flag",
            ChangeKind::Infrastructure => "infrastructure",
            ChangeKind::Dependency => "dependency",
            ChangeKind::ExternalSideEffect => "external_side_effect",
            ChangeKind::DataOperation => "data_operation",
        }
    }
}

/// One change. `kind` says which of the kind-specific fields apply; validation rejects the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The kind of change.
    pub kind: ChangeKind,
    /// Short identifier, unique within the deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the change does, in plain words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Services (by name from `architecture.services`) this change ships to or affects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Whether the change can be undone at all. Leave empty to let rollbook judge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversible: Option<bool>,
    /// Whether the change destroys data or state. Leave empty to let rollbook judge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive: Option<bool>,
    /// Key of the feature flag that gates this change (turning it off disables the change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gated_by_flag: Option<String>,

    // --- migration and data_operation ---
    /// migration: path, directory or glob of migration files (read as evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// migration / data_operation: inline SQL of the forward (up) step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// migration: inline SQL of the down step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down_sql: Option<String>,
    /// migration: path of the down migration file, when separate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down_path: Option<String>,
    /// migration: the migration tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<MigrationTool>,
    /// migration / data_operation: the data store (by name from `architecture.data_stores`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// migration: does the previous application version keep working on the new schema?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backward_compatible: Option<bool>,
    /// migration: the migration version to return to (tool-specific id), for targeted downs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_migration: Option<String>,
    /// migration (Django): the app label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,

    // --- config ---
    /// config: the keys that change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<ConfigKey>,
    /// config: where the config lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ConfigLocation>,
    /// config: the file as it is before the deploy (`.env`, YAML, JSON, TOML), to diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_path: Option<String>,
    /// config: the file as it is after the deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_path: Option<String>,

    // --- feature_flag ---
    /// feature_flag: the flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<FlagChange>,

    // --- infrastructure ---
    /// infrastructure: how it is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<InfraTool>,
    /// infrastructure: what is changed (resource, cluster, zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// infrastructure: the change has no downgrade path (cluster upgrade, deployed contract, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_downgrade_path: Option<bool>,
    /// infrastructure: path to a plan JSON (`terraform show -json plan.out`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// infrastructure: the working directory of the IaC root module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,

    // --- dependency ---
    /// dependency: the package, runtime or image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// dependency: version before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// dependency: version after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,

    // --- external_side_effect ---
    /// external_side_effect: what leaves the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<SideEffect>,
    /// external_side_effect: who receives it (customers, partner X, payment provider, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<String>,
    /// external_side_effect: how many are expected (emails, calls, charges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<u64>,

    // --- data_operation ---
    /// data_operation: what kind of operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<DataOperationKind>,
    /// data_operation: the table or collection touched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// data_operation: rows expected to be touched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// data_operation: path of the script run against production.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// data_operation: runs in batches that can be paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batched: Option<bool>,
}

impl Change {
    /// A bare change of a kind, all else empty.
    pub fn new(kind: ChangeKind) -> Self {
        Change {
            kind,
            id: None,
            summary: None,
            services: Vec::new(),
            reversible: None,
            destructive: None,
            gated_by_flag: None,
            path: None,
            sql: None,
            down_sql: None,
            down_path: None,
            tool: None,
            database: None,
            backward_compatible: None,
            previous_migration: None,
            app: None,
            keys: Vec::new(),
            location: None,
            before_path: None,
            after_path: None,
            flag: None,
            apply: None,
            target: None,
            no_downgrade_path: None,
            plan: None,
            workdir: None,
            package: None,
            from: None,
            to: None,
            effect: None,
            recipients: None,
            volume: None,
            operation: None,
            table: None,
            rows: None,
            script: None,
            batched: None,
        }
    }

    /// A label for the change in messages: its id, else its kind and position.
    pub fn label(&self, index: usize) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("{}#{}", self.kind.as_str(), index + 1),
        }
    }
}

/// Migration tools rollbook knows the down commands of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationTool {
    Flyway,
    Liquibase,
    Alembic,
    Rails,
    Django,
    GolangMigrate,
    Goose,
    Dbmate,
    Sqlx,
    Diesel,
    Prisma,
    Atlas,
    Sqitch,
    Knex,
    Ecto,
    Typeorm,
    Sequelize,
    EfCore,
    Laravel,
    /// Plain SQL run by hand or by a custom runner.
    Sql,
}

/// A config key that changes. Values of secrets are never printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigKey {
    /// The key.
    pub key: String,
    /// Value before the deploy (absent: key is added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Value after the deploy (absent: key is removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The value is a secret: only the key is ever printed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
}

/// Where configuration lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigLocation {
    /// The kind of store.
    pub store: ConfigStore,
    /// Its name: ConfigMap or Secret name, SSM parameter path, file path, AppConfig profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Config stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigStore {
    /// Kubernetes ConfigMap.
    Configmap,
    /// Kubernetes Secret.
    Secret,
    /// Environment variables of the service (task definition, unit file, platform settings).
    Env,
    /// A file shipped or edited on hosts.
    File,
    /// AWS Systems Manager Parameter Store.
    Ssm,
    /// AWS AppConfig.
    Appconfig,
    /// Shipped with the code artifact (reverts with it).
    Bundled,
}

/// A feature flag change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagChange {
    /// Flag key.
    pub key: String,
    /// Provider; defaults to `architecture.flag_provider.kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<FlagProviderKind>,
    /// Value served when the flag is off or the provider is unreachable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// Percentage of traffic served the new variation before the deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_percent: Option<f64>,
    /// Percentage after this deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_percent: Option<f64>,
    /// Planned percentages, in order, e.g. `[1, 5, 25, 50, 100]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollout: Vec<f64>,
    /// Provider-specific id where the key is not enough (ConfigCat setting id, Unleash project,
    /// AppConfig profile, ConfigMap name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
}

/// How infrastructure is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InfraTool {
    Terraform,
    Opentofu,
    Cloudformation,
    Pulumi,
    Helm,
    Kubectl,
    /// Cluster or platform version upgrade (EKS, GKE, RDS engine version, ...).
    PlatformUpgrade,
    Manual,
}

/// Side effects that leave the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SideEffect {
    Email,
    Sms,
    PushNotification,
    Webhook,
    Payment,
    Trade,
    EventPublished,
    ThirdPartyData,
}

impl SideEffect {
    pub fn describe(self) -> &'static str {
        match self {
            SideEffect::Email => "emails",
            SideEffect::Sms => "SMS messages",
            SideEffect::PushNotification => "push notifications",
            SideEffect::Webhook => "webhook calls",
            SideEffect::Payment => "payments",
            SideEffect::Trade => "trades",
            SideEffect::EventPublished => "published events",
            SideEffect::ThirdPartyData => "data sent to third parties",
        }
    }
}

/// Data operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DataOperationKind {
    /// Fills new columns or tables from existing data.
    Backfill,
    /// Overwrites existing values.
    Update,
    /// Deletes rows.
    Delete,
    /// A script run against production.
    Script,
}

/// Architecture: what runs where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// Services the deployment touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// Data stores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_stores: Vec<DataStore>,
    /// Metrics and dashboards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observability: Option<Observability>,
    /// Feature flag provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_provider: Option<FlagProvider>,
}

impl Architecture {
    pub fn is_empty(&self) -> bool {
        self == &Architecture::default()
    }
}

/// Deployment platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// Kubernetes Deployment applied with kubectl.
    Kubernetes,
    /// Kubernetes workload released with Helm.
    Helm,
    /// Argo Rollouts `Rollout` (canary or blue-green).
    ArgoRollouts,
    /// Application managed by Argo CD (GitOps).
    ArgoCd,
    /// AWS ECS service (rolling, or blue-green through CodeDeploy).
    Ecs,
    /// AWS Lambda function behind an alias.
    Lambda,
    /// Google Cloud Run service.
    CloudRun,
    /// VMs with systemd units and release directories.
    Systemd,
    /// HashiCorp Nomad job (rolling, or canary with promotion).
    Nomad,
}

/// Kubernetes workload kinds a `kubectl rollout` acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    Deployment,
    Statefulset,
    Daemonset,
}

impl WorkloadKind {
    /// The resource type kubectl takes, e.g. `statefulset`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::Statefulset => "statefulset",
            WorkloadKind::Daemonset => "daemonset",
        }
    }
}

/// Deployment strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Rolling,
    BlueGreen,
    Canary,
    Recreate,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Service name (also the default workload, release, function or unit name).
    pub name: String,
    /// Where it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// How new versions reach traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// Kubernetes context or ECS cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Kubernetes namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Cloud region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Replicas or desired task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Health endpoint URL, e.g. `https://api.example.com/healthz`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_endpoint: Option<String>,
    /// Critical user flows to watch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub critical_flows: Vec<String>,
    /// Service level objectives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slo: Option<Slo>,
    /// Services or stores this one depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Platform resource name when it differs from `name`: Deployment/Rollout name, Helm release,
    /// Argo CD application, ECS service, Lambda function, Cloud Run service, systemd unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Argo CD application that owns the workload (auto-sync must be turned off before a manual rollback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argocd_app: Option<String>,
    /// ECS task definition family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_family: Option<String>,
    /// CodeDeploy application (ECS blue-green, Lambda).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codedeploy_app: Option<String>,
    /// CodeDeploy deployment group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codedeploy_group: Option<String>,
    /// Lambda alias that takes traffic (default `live`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// GCP project (Cloud Run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Hosts (systemd).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Base directory holding `releases/` and the `current` link (systemd), e.g. `/srv/app`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_dir: Option<String>,
    /// Kubernetes workload kind (default `deployment`); filled from manifests when they are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadKind>,
    /// Kubernetes manifests of the service: files, directories or globs of multi-document YAML,
    /// or rendered output (`helm template`, `kustomize build`), relative to the spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<String>,
}

impl Service {
    pub fn named(name: &str) -> Self {
        Service {
            name: name.to_string(),
            platform: None,
            strategy: None,
            cluster: None,
            namespace: None,
            region: None,
            replicas: None,
            health_endpoint: None,
            critical_flows: Vec::new(),
            slo: None,
            dependencies: Vec::new(),
            resource: None,
            argocd_app: None,
            task_family: None,
            codedeploy_app: None,
            codedeploy_group: None,
            alias: None,
            project: None,
            hosts: Vec::new(),
            deploy_dir: None,
            workload: None,
            manifests: Vec::new(),
        }
    }

    /// The platform resource name.
    pub fn resource_name(&self) -> &str {
        self.resource.as_deref().unwrap_or(&self.name)
    }
}

/// Service level objectives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// Availability target in percent, e.g. `99.9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    /// p99 latency target in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_p99_ms: Option<u32>,
}

/// Database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    Postgres,
    Mysql,
    Mariadb,
    Redis,
    Mongodb,
    Other,
}

impl Engine {
    pub fn is_sql(self) -> bool {
        matches!(self, Engine::Postgres | Engine::Mysql | Engine::Mariadb)
    }
    pub fn is_mysql_family(self) -> bool {
        matches!(self, Engine::Mysql | Engine::Mariadb)
    }
}

/// Where a data store is hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    SelfHosted,
    Rds,
    Aurora,
    CloudSql,
    Other,
}

/// One data store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataStore {
    /// Name used by changes (`database:`).
    pub name: String,
    /// Engine.
    pub engine: Engine,
    /// Engine version, e.g. `15.4` or `8.0.35`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Hosting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
    /// RDS instance id or Aurora cluster id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Database name inside the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Cloud region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Size in GB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_gb: Option<f64>,
    /// Backups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<Backup>,
}

/// Backup facts of a data store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// How backups are taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<BackupMethod>,
    /// Where they are (bucket, path, vault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Date of the last backup, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_backup: Option<String>,
    /// Date of the last restore that was tested end to end, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_tested_restore: Option<String>,
    /// Measured restore throughput in GB per minute (from a drill).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_gb_per_minute: Option<f64>,
}

/// Backup methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BackupMethod {
    /// Continuous archiving / point-in-time recovery (RDS automated backups, WAL archiving, binlogs).
    Pitr,
    /// Storage snapshots (RDS snapshots, volume snapshots).
    Snapshot,
    /// Logical dump (pg_dump, mysqldump, mydumper).
    Logical,
    /// Physical copy (pg_basebackup, XtraBackup).
    Physical,
    /// No backups.
    None,
}

/// Metrics systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MetricsSystem {
    Prometheus,
    Datadog,
    Cloudwatch,
    None,
}

/// Observability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// The metrics system.
    pub metrics: MetricsSystem,
    /// Dashboard links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dashboards: Vec<String>,
    /// Prometheus: request counter (default `http_requests_total`). Datadog: the trace operation
    /// name (`express.request` reads `trace.express.request.hits`); without it the queries hold
    /// the placeholder `<DATADOG_TRACE_OPERATION>`, since it depends on the tracer integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_metric: Option<String>,
    /// Prometheus: latency histogram (default `http_request_duration_seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_metric: Option<String>,
    /// Label that names the service (default `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_label: Option<String>,
}

/// Feature flag providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FlagProviderKind {
    Launchdarkly,
    Unleash,
    Flagsmith,
    Flipt,
    Configcat,
    Growthbook,
    Appconfig,
    /// Flags kept in a Kubernetes ConfigMap.
    Configmap,
}

/// The flag provider of the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagProvider {
    /// Which provider.
    pub kind: FlagProviderKind,
    /// Project key (LaunchDarkly, Unleash) or AppConfig application id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Environment key or id (production).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// API base URL for self-hosted providers (Unleash, Flipt, Flagsmith).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// Kubernetes namespace of the flag ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

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
    pub fn kind(&self) -> Option<RiskKind> {
        match self {
            Risk::Text(_) => None,
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

fn is_false(b: &bool) -> bool {
    !*b
}
