//! The words that name each platform, flag provider, migration tool, metrics system and data
//! store in a brief. The brief reader builds its matchers from these lists, so a tool the model
//! knows is a tool the brief can name.
//!
//! A word is a lowercase phrase with single spaces; the brief reader matches it case-insensitively,
//! on word boundaries, with any run of whitespace between its words. Plurals are listed as words of
//! their own. When two words overlap, the longer one wins.

use crate::model::{Engine, FlagProviderKind, Hosting, MetricsSystem, MigrationTool, Platform};

/// Words naming deploy platforms.
pub fn deploy_platforms() -> Vec<(&'static str, Platform)> {
    use Platform::*;
    vec![
        ("argo rollouts", ArgoRollouts),
        ("argo rollout", ArgoRollouts),
        ("argo cd", ArgoCd),
        ("argocd", ArgoCd),
        ("helm", Helm),
        ("kubernetes", Kubernetes),
        ("k8s", Kubernetes),
        ("gke", Kubernetes),
        ("eks", Kubernetes),
        ("aks", Kubernetes),
        ("ecs", Ecs),
        ("fargate", Ecs),
        ("lambda", Lambda),
        ("cloud run", CloudRun),
        ("systemd", Systemd),
        ("virtual machine", Systemd),
        ("virtual machines", Systemd),
        ("vm", Systemd),
        ("vms", Systemd),
        ("ec2 host", Systemd),
        ("ec2 hosts", Systemd),
        ("ec2 instance", Systemd),
        ("ec2 instances", Systemd),
    ]
}

/// Words naming flag providers.
pub fn flag_providers() -> Vec<(&'static str, FlagProviderKind)> {
    use FlagProviderKind::*;
    vec![
        ("launchdarkly", Launchdarkly),
        ("unleash", Unleash),
        ("flagsmith", Flagsmith),
        ("flipt", Flipt),
        ("configcat", Configcat),
        ("growthbook", Growthbook),
        ("appconfig", Appconfig),
    ]
}

/// Words naming migration tools.
pub fn migration_tools() -> Vec<(&'static str, MigrationTool)> {
    use MigrationTool::*;
    vec![
        ("flyway", Flyway),
        ("liquibase", Liquibase),
        ("alembic", Alembic),
        ("rails", Rails),
        ("django", Django),
        ("golang-migrate", GolangMigrate),
        ("goose", Goose),
        ("dbmate", Dbmate),
        ("sqlx", Sqlx),
        ("diesel", Diesel),
        ("prisma", Prisma),
        ("atlas", Atlas),
        ("sqitch", Sqitch),
        ("knex", Knex),
        ("ecto", Ecto),
        ("typeorm", Typeorm),
        ("sequelize", Sequelize),
        ("ef core", EfCore),
        ("laravel", Laravel),
    ]
}

/// Words naming metrics systems.
pub fn metrics_systems() -> Vec<(&'static str, MetricsSystem)> {
    use MetricsSystem::*;
    vec![
        ("prometheus", Prometheus),
        ("datadog", Datadog),
        ("cloudwatch", Cloudwatch),
    ]
}

/// Words naming data stores: the engine and, when the word says it, the hosting.
pub fn engines() -> Vec<(&'static str, Engine, Option<Hosting>)> {
    use Engine::*;
    vec![
        ("aurora postgresql", Postgres, Some(Hosting::Aurora)),
        ("aurora postgres", Postgres, Some(Hosting::Aurora)),
        ("aurora mysql", Mysql, Some(Hosting::Aurora)),
        ("postgresql", Postgres, None),
        ("postgres", Postgres, None),
        ("mysql", Mysql, None),
        ("mariadb", Mariadb, None),
        ("redis", Redis, None),
        ("mongodb", Mongodb, None),
        ("mongo", Mongodb, None),
    ]
}
