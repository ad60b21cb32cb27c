//! The kinds of change, one declared unit per file, registered once here.
//!
//! In a spec a change is a mapping tagged by `kind`; each kind has its own struct with its own
//! fields, so a field of another kind is an error found while reading (with the line and column
//! of the key) and the JSON Schema offers, per kind, only the fields that kind takes. The fields
//! every kind shares (`id`, `summary`, `services`, `reversible`, `destructive`, `gated_by_flag`)
//! are added to each struct by [`change_struct!`].

use crate::base::recogniser::Recogniser;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares the struct of one kind: the common fields first, then the kind's own, in the order
/// they are written back to a spec.
macro_rules! change_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
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
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The fields every kind shares.
            pub fn common(&self) -> $crate::model::kinds::Common<'_> {
                $crate::model::kinds::Common {
                    id: &self.id,
                    summary: &self.summary,
                    services: &self.services,
                    reversible: &self.reversible,
                    destructive: &self.destructive,
                    gated_by_flag: &self.gated_by_flag,
                }
            }

            /// The fields every kind shares, to change.
            pub fn common_mut(&mut self) -> $crate::model::kinds::CommonMut<'_> {
                $crate::model::kinds::CommonMut {
                    id: &mut self.id,
                    summary: &mut self.summary,
                    services: &mut self.services,
                    reversible: &mut self.reversible,
                    destructive: &mut self.destructive,
                    gated_by_flag: &mut self.gated_by_flag,
                }
            }
        }
    };
}

pub mod declare;

pub use access_change::{AccessOperation, AccessSystem};
pub use client_release::ClientChannel;
pub use config::{ConfigKey, ConfigLocation, ConfigStore};
pub use data_operation::DataOperationKind;
pub use database_operation::{DatabaseManager, DatabaseOperationKind};
pub use declare::*;
pub use external_side_effect::SideEffect;
pub use feature_flag::FlagChange;
pub use fleet_push::FleetTool;
pub use index_cache::{IndexCacheOperation, IndexCacheSystem};
pub use infrastructure::InfraTool;
pub use migration::MigrationTool;
pub use ml_model::ModelServing;
pub use network_change::{NetworkArea, NetworkPlatform};
pub use platform_upgrade::PlatformComponent;
pub use stream_queue::{StreamOperation, StreamSystem};

/// What a kind's struct may say is wrong with it once read (beyond what serde checks).
pub trait Validate {
    /// The kind's own validation problem, if any.
    fn problem(&self) -> Option<Problem> {
        None
    }
}

/// Shared fields of every kind, borrowed.
pub struct Common<'a> {
    pub id: &'a Option<String>,
    pub summary: &'a Option<String>,
    pub services: &'a Vec<String>,
    pub reversible: &'a Option<bool>,
    pub destructive: &'a Option<bool>,
    pub gated_by_flag: &'a Option<String>,
}

/// Shared fields of every kind, borrowed to change.
pub struct CommonMut<'a> {
    pub id: &'a mut Option<String>,
    pub summary: &'a mut Option<String>,
    pub services: &'a mut Vec<String>,
    pub reversible: &'a mut Option<bool>,
    pub destructive: &'a mut Option<bool>,
    pub gated_by_flag: &'a mut Option<String>,
}

/// The registry. One line per kind: its doc, its variant and struct, the file that declares it,
/// and the names of its views on [`Change`]. Everything that lists the kinds is generated here:
/// [`ChangeKind`], [`Change`], [`KINDS`], the constructors, the field lists and the views.
macro_rules! kinds {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident($ty:ident) in $module:ident, $as:ident, $as_mut:ident;
    )*) => {
        $(
            pub mod $module;
            pub use $module::$ty;
        )*

        /// Kind of change.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum ChangeKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        /// The registry: every kind's declaration, in the order of [`ChangeKind`].
        pub const KINDS: &[&KindDecl] = &[ $( &$module::DECLARATION, )* ];

        /// One change: the kind's struct, tagged by `kind` in the spec.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Change {
            $( $(#[doc = $doc])* $variant($ty), )*
        }

        impl ChangeKind {
            /// The fields a change of this kind takes (common fields included), from its struct.
            pub fn fields(self) -> &'static [&'static str] {
                match self {
                    $( ChangeKind::$variant => field_names::<$ty>(), )*
                }
            }
        }

        impl Change {
            /// A bare change of a kind, all else empty.
            pub fn new(kind: ChangeKind) -> Self {
                match kind {
                    $( ChangeKind::$variant => Change::$variant(<$ty>::default()), )*
                }
            }

            pub fn kind(&self) -> ChangeKind {
                match self {
                    $( Change::$variant(_) => ChangeKind::$variant, )*
                }
            }

            /// What the kind's own validation finds wrong, if anything.
            pub fn problem(&self) -> Option<Problem> {
                match self {
                    $( Change::$variant(c) => Validate::problem(c), )*
                }
            }

            /// The fields every kind shares.
            pub fn common(&self) -> Common<'_> {
                match self {
                    $( Change::$variant(c) => c.common(), )*
                }
            }

            /// The fields every kind shares, to change.
            pub fn common_mut(&mut self) -> CommonMut<'_> {
                match self {
                    $( Change::$variant(c) => c.common_mut(), )*
                }
            }

            $(
                pub fn $as(&self) -> Option<&$ty> {
                    match self {
                        Change::$variant(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
                pub fn $as_mut(&mut self) -> Option<&mut $ty> {
                    match self {
                        Change::$variant(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            )*
        }
    };
}

kinds! {
    /// Application code.
    Code(Code) in code, as_code, as_code_mut;
    /// Schema migration.
    Migration(Migration) in migration, as_migration, as_migration_mut;
    /// Configuration keys.
    Config(Config) in config, as_config, as_config_mut;
    /// Feature flag change.
    FeatureFlag(FeatureFlag) in feature_flag, as_feature_flag, as_feature_flag_mut;
    /// Infrastructure (Terraform, cluster upgrade, DNS, ...).
    Infrastructure(Infrastructure) in infrastructure, as_infrastructure, as_infrastructure_mut;
    /// Dependency bump (library, runtime, base image).
    Dependency(Dependency) in dependency, as_dependency, as_dependency_mut;
    /// Side effect outside the system: emails, webhooks, payments, events, data sent to third parties.
    ExternalSideEffect(ExternalSideEffect) in external_side_effect, as_side_effect, as_side_effect_mut;
    /// Data operation: backfill, delete, a script run against production.
    DataOperation(DataOperation) in data_operation, as_data_operation, as_data_operation_mut;
    /// Database operation: switchover, failover, parameter change, major upgrade, restore, reindex, replication change.
    DatabaseOperation(DatabaseOperation) in database_operation, as_database_operation, as_database_operation_mut;
    /// Fleet push: content, rules, config or certificates pushed to many hosts, edge nodes or endpoints.
    FleetPush(FleetPush) in fleet_push, as_fleet_push, as_fleet_push_mut;
    /// Stream or queue: a Kafka topic, Kinesis stream, SQS or RabbitMQ queue: retention, partitions, settings, deletion.
    StreamQueue(StreamQueue) in stream_queue, as_stream_queue, as_stream_queue_mut;
    /// Search index or cache: a reindex and alias swap, a mapping, a cache flush, TTLs or eviction.
    IndexCache(IndexCache) in index_cache, as_index_cache, as_index_cache_mut;
    /// Access: IAM roles and policies, grants, secrets and keys rotated or removed, certificates, identity provider keys.
    AccessChange(AccessChange) in access_change, as_access_change, as_access_change_mut;
    /// Platform upgrade: a cluster's control plane or nodes, the nodes' OS image, service discovery or a mesh.
    PlatformUpgrade(PlatformUpgrade) in platform_upgrade, as_platform_upgrade, as_platform_upgrade_mut;
    /// Cutover: reads and writes moved from one system to another (a data store, a core platform, a provider).
    Cutover(Cutover) in cutover, as_cutover, as_cutover_mut;
    /// Network and edge change: routing/BGP, firewall policy, load balancer, DNS, CDN configuration, TLS certificates on the edge.
    NetworkChange(NetworkChange) in network_change, as_network_change, as_network_change_mut;
    /// Client release: a mobile app, a desktop app or firmware installed on devices the team does not run.
    ClientRelease(ClientRelease) in client_release, as_client_release, as_client_release_mut;
    /// ML model version: a new model served for ranking, recommendations, fraud scoring or an LLM prompt.
    MlModel(MlModel) in ml_model, as_ml_model, as_ml_model_mut;
}

impl ChangeKind {
    /// Every kind, in declaration order.
    pub fn all() -> impl Iterator<Item = ChangeKind> {
        KINDS.iter().map(|d| d.kind)
    }

    /// The name written after `kind:` in a spec.
    pub fn as_str(self) -> &'static str {
        self.declaration().name
    }

    /// What this kind declares about itself.
    pub fn declaration(self) -> &'static KindDecl {
        KINDS
            .iter()
            .copied()
            .find(|d| d.kind == self)
            .unwrap_or(&code::DECLARATION)
    }

    /// What reveals a change of this kind in a free-text brief.
    pub fn recogniser(self) -> &'static Recogniser {
        &self.declaration().recogniser
    }
}

impl Change {
    /// What the kind of this change declares.
    pub fn declaration(&self) -> &'static KindDecl {
        self.kind().declaration()
    }

    /// A label for the change in messages: its id, else its kind and position.
    pub fn label(&self, index: usize) -> String {
        match self.id() {
            Some(id) => id.to_string(),
            None => format!("{}#{}", self.kind().as_str(), index + 1),
        }
    }

    pub fn id(&self) -> Option<&str> {
        self.common().id.as_deref()
    }
    pub fn summary(&self) -> Option<&str> {
        self.common().summary.as_deref()
    }
    pub fn services(&self) -> &[String] {
        self.common().services
    }
    pub fn reversible(&self) -> Option<bool> {
        *self.common().reversible
    }
    pub fn destructive(&self) -> Option<bool> {
        *self.common().destructive
    }
    pub fn gated_by_flag(&self) -> Option<&str> {
        self.common().gated_by_flag.as_deref()
    }
    pub fn id_mut(&mut self) -> &mut Option<String> {
        self.common_mut().id
    }
    pub fn summary_mut(&mut self) -> &mut Option<String> {
        self.common_mut().summary
    }
    pub fn services_mut(&mut self) -> &mut Vec<String> {
        self.common_mut().services
    }
    pub fn reversible_mut(&mut self) -> &mut Option<bool> {
        self.common_mut().reversible
    }
    pub fn destructive_mut(&mut self) -> &mut Option<bool> {
        self.common_mut().destructive
    }
    pub fn gated_by_flag_mut(&mut self) -> &mut Option<String> {
        self.common_mut().gated_by_flag
    }

    /// Inline SQL: a migration's up step or a data operation's statement.
    pub fn sql(&self) -> Option<&str> {
        match self {
            Change::Migration(m) => m.sql.as_deref(),
            Change::DataOperation(d) => d.sql.as_deref(),
            _ => None,
        }
    }

    /// The data store (by name) a migration, data operation or database operation runs against.
    pub fn database(&self) -> Option<&str> {
        match self {
            Change::Migration(m) => m.database.as_deref(),
            Change::DataOperation(d) => d.database.as_deref(),
            Change::DatabaseOperation(d) => d.database.as_deref(),
            _ => None,
        }
    }

    /// A migration's or data operation's inline SQL, to fill in.
    pub fn sql_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            Change::Migration(m) => Some(&mut m.sql),
            Change::DataOperation(d) => Some(&mut d.sql),
            _ => None,
        }
    }

    /// A migration's or data operation's data store, to fill in.
    pub fn database_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            Change::Migration(m) => Some(&mut m.database),
            Change::DataOperation(d) => Some(&mut d.database),
            Change::DatabaseOperation(d) => Some(&mut d.database),
            _ => None,
        }
    }

    /// Whether a signal its kind declares applies to this change (a network change watches the
    /// signals of its area); every other kind watches all it declares.
    pub fn watches(&self, s: &SignalDecl) -> bool {
        match self {
            Change::NetworkChange(n) => n.watches(s.query),
            _ => true,
        }
    }

    /// The query or command behind a signal its kind declares, when the change's own fields
    /// give it (a network change's DNS record); `None`: a placeholder to fill.
    pub fn known_query(&self, s: &SignalDecl) -> Option<String> {
        match self {
            Change::NetworkChange(n) => n.known_query(s.query),
            _ => None,
        }
    }

    /// The flag a feature_flag change turns.
    pub fn flag(&self) -> Option<&FlagChange> {
        self.as_feature_flag().and_then(|f| f.flag.as_ref())
    }
}

/// The field names serde reads for `T`, taken from its derived `Deserialize` (no hand-kept list).
pub fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests;
