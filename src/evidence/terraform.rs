//! Terraform and OpenTofu plan JSON (`terraform show -json plan.out`): what each resource change does.
//!
//! Values are never kept: a plan's `before`/`after` hold every attribute in clear, sensitive ones
//! included (they are only *marked* in `before_sensitive`/`after_sensitive`). The reader keeps the
//! names of the attributes that change, which are sensitive, and the state of deletion-protection
//! flags; the only value it keeps is the identifier of a stateful resource (to match it with a data
//! store of the spec), and only when the plan does not mark it sensitive.

use crate::base::error::{Error, Location, Result};
use crate::base::source::line_col;
use crate::evidence::{Artifact, Evidence};
use crate::model::ChangeKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Largest plan file read; real plans of large estates stay well under it.
pub const MAX_PLAN_BYTES: u64 = crate::base::fsio::TERRAFORM_PLAN_BYTES;

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

/// Stateful resource types: destroying one loses data. `*` matches any run of characters.
/// The second column says what holds the data, for messages.
pub const STATEFUL_TYPES: &[(&str, &str)] = &[
    ("aws_db_instance", "database instance"),
    ("aws_rds_cluster", "database cluster"),
    ("aws_rds_cluster_instance", "database cluster instance"),
    ("aws_docdb_cluster", "document database cluster"),
    ("aws_neptune_cluster", "graph database cluster"),
    ("aws_redshift_cluster", "data warehouse"),
    ("aws_dynamodb_table", "table"),
    ("aws_s3_bucket", "bucket"),
    ("aws_ebs_volume", "volume"),
    ("aws_efs_file_system", "file system"),
    ("aws_fsx_*_file_system", "file system"),
    ("aws_elasticache_cluster", "cache"),
    ("aws_elasticache_replication_group", "cache"),
    ("aws_elasticache_serverless_cache", "cache"),
    ("aws_memorydb_cluster", "in-memory database"),
    ("aws_opensearch_domain", "search index"),
    ("aws_elasticsearch_domain", "search index"),
    ("aws_sqs_queue", "queue"),
    ("aws_kinesis_stream", "stream"),
    ("aws_msk_cluster", "Kafka cluster"),
    ("aws_kms_key", "encryption key"),
    ("aws_secretsmanager_secret", "secret"),
    ("aws_route53_zone", "DNS zone"),
    ("aws_ecr_repository", "image repository"),
    ("aws_cognito_user_pool", "user directory"),
    ("aws_backup_vault", "backup vault"),
    ("google_sql_database_instance", "database instance"),
    ("google_sql_database", "database"),
    ("google_alloydb_cluster", "database cluster"),
    ("google_spanner_instance", "database instance"),
    ("google_spanner_database", "database"),
    ("google_bigtable_instance", "database instance"),
    ("google_bigtable_table", "table"),
    ("google_firestore_database", "database"),
    ("google_bigquery_dataset", "dataset"),
    ("google_bigquery_table", "table"),
    ("google_storage_bucket", "bucket"),
    ("google_compute_disk", "disk"),
    ("google_compute_region_disk", "disk"),
    ("google_filestore_instance", "file system"),
    ("google_redis_instance", "cache"),
    ("google_pubsub_subscription", "queue"),
    ("google_kms_crypto_key", "encryption key"),
    ("google_kms_key_ring", "key ring"),
    ("google_secret_manager_secret", "secret"),
    ("google_dns_managed_zone", "DNS zone"),
    ("azurerm_postgresql_server", "database server"),
    ("azurerm_postgresql_flexible_server", "database server"),
    ("azurerm_mysql_server", "database server"),
    ("azurerm_mysql_flexible_server", "database server"),
    ("azurerm_mssql_server", "database server"),
    ("azurerm_mssql_database", "database"),
    ("azurerm_cosmosdb_account", "database account"),
    ("azurerm_storage_account", "storage account"),
    ("azurerm_storage_container", "bucket"),
    ("azurerm_managed_disk", "disk"),
    ("azurerm_redis_cache", "cache"),
    ("azurerm_servicebus_namespace", "queue namespace"),
    ("azurerm_servicebus_queue", "queue"),
    ("azurerm_key_vault", "key vault"),
    ("azurerm_key_vault_key", "encryption key"),
    ("azurerm_dns_zone", "DNS zone"),
    ("azurerm_private_dns_zone", "DNS zone"),
    ("kubernetes_persistent_volume_claim", "volume claim"),
    ("kubernetes_persistent_volume_claim_v1", "volume claim"),
    ("kubernetes_persistent_volume", "volume"),
    ("kubernetes_persistent_volume_v1", "volume"),
];

/// Kinds of change whose effect reaches beyond the resource itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reach {
    Iam,
    Network,
    Dns,
}

/// Resource types with a blast radius, and who it reaches. `*` matches any run of characters;
/// the first match wins, so specific patterns come first.
pub const REACH_TYPES: &[(&str, Reach, &str)] = &[
    (
        "aws_iam_policy",
        Reach::Iam,
        "every role, user and group the policy is attached to",
    ),
    (
        "aws_iam_role",
        Reach::Iam,
        "every workload that assumes the role",
    ),
    (
        "aws_iam_role_policy*",
        Reach::Iam,
        "every session of the role",
    ),
    (
        "aws_iam_user*",
        Reach::Iam,
        "the user and every key it holds",
    ),
    ("aws_iam_group*", Reach::Iam, "every user in the group"),
    (
        "aws_iam_*",
        Reach::Iam,
        "every principal in the account that uses it",
    ),
    (
        "aws_s3_bucket_policy",
        Reach::Iam,
        "every reader and writer of the bucket",
    ),
    (
        "aws_kms_key_policy",
        Reach::Iam,
        "everything that encrypts or decrypts with the key",
    ),
    (
        "aws_lambda_permission",
        Reach::Iam,
        "every caller of the function",
    ),
    (
        "aws_sqs_queue_policy",
        Reach::Iam,
        "every producer and consumer of the queue",
    ),
    (
        "aws_sns_topic_policy",
        Reach::Iam,
        "every publisher and subscriber of the topic",
    ),
    (
        "google_organization_iam_*",
        Reach::Iam,
        "the whole organization",
    ),
    (
        "google_folder_iam_*",
        Reach::Iam,
        "every project in the folder",
    ),
    ("google_project_iam_*", Reach::Iam, "the whole project"),
    (
        "google_service_account*",
        Reach::Iam,
        "every workload running as the service account",
    ),
    (
        "google_*_iam_*",
        Reach::Iam,
        "every principal with access to the resource",
    ),
    (
        "azurerm_role_assignment",
        Reach::Iam,
        "everything under the assignment's scope",
    ),
    (
        "azurerm_role_definition",
        Reach::Iam,
        "every assignment of the role",
    ),
    (
        "azurerm_user_assigned_identity",
        Reach::Iam,
        "every workload using the identity",
    ),
    (
        "kubernetes_cluster_role_binding*",
        Reach::Iam,
        "the whole cluster",
    ),
    ("kubernetes_cluster_role*", Reach::Iam, "the whole cluster"),
    ("kubernetes_role_binding*", Reach::Iam, "the namespace"),
    ("kubernetes_role*", Reach::Iam, "the namespace"),
    (
        "kubernetes_service_account*",
        Reach::Iam,
        "every pod running as the service account",
    ),
    (
        "aws_security_group*",
        Reach::Network,
        "every instance, task and load balancer in the group",
    ),
    (
        "aws_vpc_security_group_*_rule",
        Reach::Network,
        "every instance, task and load balancer in the group",
    ),
    (
        "aws_network_acl*",
        Reach::Network,
        "every subnet associated with the ACL",
    ),
    (
        "aws_route_table*",
        Reach::Network,
        "every subnet associated with the route table",
    ),
    (
        "aws_route",
        Reach::Network,
        "every subnet using the route table",
    ),
    (
        "aws_subnet",
        Reach::Network,
        "everything running in the subnet",
    ),
    ("aws_vpc", Reach::Network, "everything in the VPC"),
    ("aws_vpc_*", Reach::Network, "everything in the VPC"),
    (
        "aws_nat_gateway",
        Reach::Network,
        "all outbound traffic of the private subnets",
    ),
    (
        "aws_internet_gateway",
        Reach::Network,
        "all internet traffic of the VPC",
    ),
    (
        "aws_ec2_transit_gateway*",
        Reach::Network,
        "every network attached to the transit gateway",
    ),
    (
        "aws_lb",
        Reach::Network,
        "every client of the load balancer",
    ),
    (
        "aws_lb_*",
        Reach::Network,
        "every client of the load balancer",
    ),
    (
        "aws_alb*",
        Reach::Network,
        "every client of the load balancer",
    ),
    (
        "aws_cloudfront_distribution",
        Reach::Network,
        "every client of the distribution, cached at the edge",
    ),
    (
        "google_compute_firewall",
        Reach::Network,
        "every instance the rule targets",
    ),
    (
        "google_compute_network",
        Reach::Network,
        "everything in the network",
    ),
    (
        "google_compute_subnetwork",
        Reach::Network,
        "everything in the subnetwork",
    ),
    (
        "google_compute_route",
        Reach::Network,
        "every instance the route applies to",
    ),
    (
        "google_compute_router*",
        Reach::Network,
        "all routed and NAT traffic of the network",
    ),
    (
        "azurerm_network_security_*",
        Reach::Network,
        "every interface and subnet the group applies to",
    ),
    (
        "azurerm_virtual_network*",
        Reach::Network,
        "everything in the virtual network",
    ),
    (
        "azurerm_subnet*",
        Reach::Network,
        "everything in the subnet",
    ),
    (
        "azurerm_route*",
        Reach::Network,
        "every subnet using the route table",
    ),
    (
        "kubernetes_network_policy*",
        Reach::Network,
        "every pod the policy selects",
    ),
    (
        "kubernetes_ingress*",
        Reach::Network,
        "every client of the ingress",
    ),
    ("aws_route53_zone", Reach::Dns, "every name in the zone"),
    (
        "aws_route53_record",
        Reach::Dns,
        "every client resolving the name",
    ),
    (
        "aws_route53_*",
        Reach::Dns,
        "every client resolving names of the zone",
    ),
    (
        "google_dns_*",
        Reach::Dns,
        "every client resolving the name",
    ),
    (
        "azurerm_dns_*",
        Reach::Dns,
        "every client resolving the name",
    ),
    (
        "azurerm_private_dns_*",
        Reach::Dns,
        "every client resolving the name inside the network",
    ),
    (
        "cloudflare_record",
        Reach::Dns,
        "every client resolving the name",
    ),
    (
        "cloudflare_dns_record",
        Reach::Dns,
        "every client resolving the name",
    ),
];

/// `*` matches any run of characters (several stars allowed).
pub fn type_matches(pattern: &str, ty: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = ty.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        return rest.is_empty();
    };
    for m in middle {
        match rest.find(m) {
            Some(p) => rest = rest.get(p + m.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// What a stateful resource type holds (`None`: not stateful).
pub fn stateful_kind(ty: &str) -> Option<&'static str> {
    STATEFUL_TYPES
        .iter()
        .find(|(p, _)| type_matches(p, ty))
        .map(|(_, what)| *what)
}

/// Blast radius of a resource type: its reach and who it affects.
pub fn reach(ty: &str) -> Option<(Reach, &'static str)> {
    REACH_TYPES
        .iter()
        .find(|(p, _, _)| type_matches(p, ty))
        .map(|(_, r, who)| (*r, *who))
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

fn read_plan_file(
    path: &Path,
    shown: &str,
    spec: &str,
    field: &str,
    change: usize,
) -> Result<PlanFile> {
    let err = |message: String, help: &str| {
        Error::input(
            Location::file(spec),
            format!("`{field}`: {message}"),
            Some(help.to_string()),
        )
    };
    let text = crate::base::fsio::Root::of_spec(spec)
        .read_text(path, MAX_PLAN_BYTES)
        .map_err(|why| {
            err(
                format!("{shown} {why}"),
                "paths are relative to the spec file's directory and must stay inside the repository; write the plan with `terraform show -json plan.out > plan.json`",
            )
        })?;
    parse_plan(&text, shown, change).map_err(|e| {
        Error::input(
            Location::at(shown, e.line, e.column),
            format!("not plan JSON: {}", e.message),
            Some("write the plan with `terraform show -json plan.out > plan.json` (or `tofu show -json`)".to_string()),
        )
    })
}

fn artifact(path: &str) -> Artifact {
    Artifact {
        path: path.to_string(),
        kind: "terraform-plan".into(),
        findings: 0,
    }
}

/// Reads the plan JSON files of the spec's infrastructure changes, one `PlanFile` each.
pub fn read_plans_for_spec(input: &crate::spec::Input) -> Result<(Vec<PlanFile>, Vec<Artifact>)> {
    let spec_file = input.path.as_str();
    let base = Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut plans = Vec::new();
    let mut artifacts = Vec::new();
    for (i, c) in input.spec.deployment.changes.iter().enumerate() {
        if c.kind() != ChangeKind::Infrastructure {
            continue;
        }
        let Some(p) = c.as_infrastructure().and_then(|k| k.plan.as_ref()) else {
            continue;
        };
        let full = base.join(p);
        let shown = full.display().to_string();
        let plan = read_plan_file(
            &full,
            &shown,
            spec_file,
            &format!("deployment.changes[{i}].plan"),
            i,
        )?;
        artifacts.push(artifact(&shown));
        plans.push(plan);
    }
    Ok((plans, artifacts))
}

/// Reads the plan JSON files the spec's infrastructure changes point at (`plan:`).
pub fn read_for_spec(
    input: &crate::spec::Input,
) -> crate::base::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let (plans, artifacts) = read_plans_for_spec(input)?;
    Ok((
        plans.into_iter().flat_map(|p| p.resources).collect(),
        artifacts,
    ))
}

/// Reads the given plan files directly (for `rollbook scan`), with no spec: change index 0.
pub fn read_plan_files(paths: &[PathBuf]) -> Result<(Vec<PlanFile>, Vec<Artifact>)> {
    let mut plans = Vec::new();
    let mut artifacts = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        plans.push(read_plan_file(p, &shown, &shown, "plan", 0)?);
        artifacts.push(artifact(&shown));
    }
    Ok((plans, artifacts))
}

/// Reads the given files directly (for `rollbook scan`), with no spec.
pub fn read_files(
    paths: &[std::path::PathBuf],
) -> crate::base::error::Result<(Vec<ResourceChange>, Vec<Artifact>)> {
    let (plans, artifacts) = read_plan_files(paths)?;
    Ok((
        plans.into_iter().flat_map(|p| p.resources).collect(),
        artifacts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(a: &[&str]) -> Action {
        Action::from_actions(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn actions_map_including_both_replace_orders() {
        assert_eq!(acts(&["create"]), Action::Create);
        assert_eq!(acts(&["update"]), Action::Update);
        assert_eq!(acts(&["delete"]), Action::Delete);
        assert_eq!(acts(&["no-op"]), Action::NoOp);
        assert_eq!(acts(&["read"]), Action::Read);
        assert_eq!(acts(&["forget"]), Action::Forget);
        assert_eq!(acts(&["delete", "create"]), Action::ReplaceDeleteFirst);
        assert_eq!(acts(&["create", "delete"]), Action::ReplaceCreateFirst);
        assert_eq!(acts(&["create", "create"]), Action::Unknown);
        assert_eq!(acts(&[]), Action::Unknown);
    }

    #[test]
    fn type_patterns() {
        assert!(type_matches("aws_db_instance", "aws_db_instance"));
        assert!(!type_matches("aws_s3_bucket", "aws_s3_bucket_policy"));
        assert!(type_matches(
            "aws_fsx_*_file_system",
            "aws_fsx_lustre_file_system"
        ));
        assert!(type_matches(
            "google_*_iam_*",
            "google_storage_bucket_iam_member"
        ));
        assert!(!type_matches("google_*_iam_*", "google_storage_bucket"));
        assert_eq!(stateful_kind("aws_s3_bucket_policy"), None);
        assert_eq!(stateful_kind("aws_rds_cluster"), Some("database cluster"));
        assert_eq!(reach("aws_s3_bucket_policy").map(|r| r.0), Some(Reach::Iam));
        assert_eq!(reach("aws_route53_record").map(|r| r.0), Some(Reach::Dns));
        assert_eq!(
            reach("aws_security_group_rule").map(|r| r.0),
            Some(Reach::Network)
        );
        assert_eq!(reach("aws_instance"), None);
    }

    const PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [{"address": "aws_db_instance.orders"}]}},
  "resource_changes": [
    {
      "address": "aws_db_instance.orders",
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "orders",
      "change": {
        "actions": ["delete", "create"],
        "before": {"identifier": "orders-prod", "password": "s3cr3t-Hunter2-xyz", "storage_encrypted": false, "deletion_protection": true, "skip_final_snapshot": false, "tags": {"address": "aws_db_instance.orders"}},
        "after": {"identifier": "orders-prod", "password": "n3w-S3cret-Value-abc", "storage_encrypted": true, "deletion_protection": false, "skip_final_snapshot": true},
        "after_unknown": {"endpoint": true},
        "before_sensitive": {"password": true},
        "after_sensitive": {"password": true},
        "replace_paths": [["storage_encrypted"]]
      },
      "action_reason": "replace_because_cannot_update"
    },
    {
      "address": "aws_iam_role_policy.app",
      "type": "aws_iam_role_policy",
      "change": {"actions": ["update"], "before": {"policy": "a"}, "after": {"policy": "b"}, "after_sensitive": true},
      "some_future_field": [1, 2, 3]
    }
  ]
}"#;

    #[test]
    fn reads_actions_attributes_protection_and_lines() {
        let p = parse_plan(PLAN, "plan.json", 3).expect("parses");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.resources.len(), 2);
        let db = &p.resources[0];
        assert_eq!(db.action, Action::ReplaceDeleteFirst);
        assert_eq!(db.change, 3);
        // The resource_changes entry, not the planned_values one (line 3) nor the tag (line 12).
        assert_eq!(db.evidence.line, Some(6));
        assert_eq!(db.replace_paths, vec!["storage_encrypted"]);
        assert_eq!(db.sensitive_attributes, vec!["password"]);
        assert!(db.changed_attributes.contains(&"password".to_string()));
        assert!(db.changed_attributes.contains(&"endpoint".to_string()));
        assert!(!db.changed_attributes.contains(&"identifier".to_string()));
        assert_eq!(db.identifier.as_deref(), Some("orders-prod"));
        let dp = db
            .protection
            .iter()
            .find(|p| p.attribute == "deletion_protection")
            .expect("dp");
        assert!(dp.turned_off());
        let fs = db
            .protection
            .iter()
            .find(|p| p.attribute == "skip_final_snapshot")
            .expect("sfs");
        assert!(fs.turned_off());
        let iam = &p.resources[1];
        assert_eq!(iam.action, Action::Update);
        assert_eq!(iam.evidence.line, Some(22));
        assert_eq!(iam.changed_attributes, vec!["policy", "(sensitive)"]);
        assert_eq!(iam.identifier, None);
    }

    #[test]
    fn sensitive_values_are_not_kept() {
        let p = parse_plan(PLAN, "plan.json", 0).expect("parses");
        let dump = format!("{p:?}") + &serde_json::to_string(&p).unwrap_or_default();
        for secret in ["s3cr3t-Hunter2-xyz", "n3w-S3cret-Value-abc"] {
            assert!(!dump.contains(secret), "{secret} kept");
        }
    }

    #[test]
    fn sensitive_identifier_is_not_kept() {
        let t = r#"{"format_version":"1.0","resource_changes":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","change":{"actions":["delete"],"before":{"bucket":"hidden-name"},"after":null,"before_sensitive":{"bucket":true}}}]}"#;
        let p = parse_plan(t, "p.json", 0).expect("parses");
        assert_eq!(p.resources[0].identifier, None);
        assert!(!format!("{p:?}").contains("hidden-name"));
    }

    #[test]
    fn errored_state_and_unknown_format_are_reported() {
        let e =
            parse_plan(r#"{"format_version":"1.2","errored":true}"#, "p.json", 0).expect("parses");
        assert!(e.errored);
        assert!(e.resources.is_empty());
        let s = parse_plan(r#"{"format_version":"1.0","values":{}}"#, "p.json", 0).expect("parses");
        assert!(
            s.problems.iter().any(|p| p.contains("state JSON")),
            "{:?}",
            s.problems
        );
        let f = parse_plan(
            r#"{"format_version":"2.0","resource_changes":[]}"#,
            "p.json",
            0,
        )
        .expect("parses");
        assert!(
            f.problems.iter().any(|p| p.contains("2.0")),
            "{:?}",
            f.problems
        );
        let u = parse_plan(r#"{"format_version":"1.0","resource_changes":[{"address":"x.y","type":"x","change":{"actions":["explode"]}}]}"#, "p.json", 0).expect("parses");
        assert_eq!(u.resources[0].action, Action::Unknown);
        assert_eq!(u.problems.len(), 1);
    }

    #[test]
    fn bad_json_and_deep_nesting_are_errors_not_panics() {
        let e = parse_plan("{\n  \"format_version\": ", "p.json", 0).expect_err("truncated");
        assert_eq!(e.line, 2);
        let deep = format!(
            r#"{{"format_version":"1.0","resource_changes":[{{"address":"a.b","type":"a","change":{{"actions":["update"],"before":{}{}}}}}]}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(parse_plan(&deep, "p.json", 0).is_err());
        assert!(parse_plan("[]", "p.json", 0).is_err());
    }
}
