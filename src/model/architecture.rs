//! Where the deployment runs: services, data stores, observability, flag provider.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Netlify site (atomic deploys; rollback publishes an earlier deploy).
    Netlify,
    /// Vercel project (Instant Rollback to an earlier production deployment).
    Vercel,
}

/// Kubernetes workload kinds a `kubectl rollout` acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    Deployment,
    Statefulset,
    Daemonset,
    /// A scheduled job: it has no rollout history, so it is rolled back by setting its image.
    Cronjob,
}

impl WorkloadKind {
    /// The resource type kubectl takes, e.g. `statefulset`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::Statefulset => "statefulset",
            WorkloadKind::Daemonset => "daemonset",
            WorkloadKind::Cronjob => "cronjob",
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

/// What a service serves, which decides the signals that show it failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// HTTP requests: 5xx ratio, p99 latency, request rate, a health endpoint.
    Http,
    /// gRPC calls: the ratio of UNAVAILABLE / INTERNAL / DEADLINE_EXCEEDED / UNKNOWN status codes.
    Grpc,
    /// Messages from a queue or stream: consumer lag, processing errors, dead-letter rate.
    QueueConsumer,
    /// Scheduled or batch runs (cron, jobs): failed runs, run duration, rows processed.
    Batch,
    /// Something else (an order router, a device fleet's agent, a service a brief does not
    /// describe): its error and throughput signals are named by hand, never assumed HTTP.
    Other,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Grpc => "grpc",
            Protocol::QueueConsumer => "queue-consumer",
            Protocol::Batch => "batch",
            Protocol::Other => "other",
        }
    }
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
    /// What it serves: `http`, `grpc`, `queue-consumer` or `batch`. Unset: HTTP is assumed, and
    /// the plan says so, since triggers on request errors and latency mean nothing for a consumer
    /// or a job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<Protocol>,
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
            serves: None,
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

    /// What it serves, HTTP when the spec does not say.
    pub fn protocol(&self) -> Protocol {
        self.serves.unwrap_or(Protocol::Http)
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
