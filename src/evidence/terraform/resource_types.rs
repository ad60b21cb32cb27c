//! Resource types by consequence: which hold data, and which reach beyond themselves.

use serde::Serialize;

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
