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
    };
}

pub mod code;
pub mod config;
pub mod data_operation;
pub mod declare;
pub mod dependency;
pub mod external_side_effect;
pub mod feature_flag;
pub mod infrastructure;
pub mod migration;

pub use code::Code;
pub use config::{Config, ConfigKey, ConfigLocation, ConfigStore};
pub use data_operation::{DataOperation, DataOperationKind};
pub use declare::*;
pub use dependency::Dependency;
pub use external_side_effect::{ExternalSideEffect, SideEffect};
pub use feature_flag::{FeatureFlag, FlagChange};
pub use infrastructure::{InfraTool, Infrastructure};
pub use migration::{Migration, MigrationTool};

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

/// The registry: every kind's declaration, in the order of [`ChangeKind`].
pub const KINDS: &[&KindDecl] = &[
    &code::DECLARATION,
    &migration::DECLARATION,
    &config::DECLARATION,
    &feature_flag::DECLARATION,
    &infrastructure::DECLARATION,
    &dependency::DECLARATION,
    &external_side_effect::DECLARATION,
    &data_operation::DECLARATION,
];

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

    /// The fields a change of this kind takes (common fields included), from its struct.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            ChangeKind::Code => field_names::<Code>(),
            ChangeKind::Migration => field_names::<Migration>(),
            ChangeKind::Config => field_names::<Config>(),
            ChangeKind::FeatureFlag => field_names::<FeatureFlag>(),
            ChangeKind::Infrastructure => field_names::<Infrastructure>(),
            ChangeKind::Dependency => field_names::<Dependency>(),
            ChangeKind::ExternalSideEffect => field_names::<ExternalSideEffect>(),
            ChangeKind::DataOperation => field_names::<DataOperation>(),
        }
    }
}

/// One change: the kind's struct, tagged by `kind` in the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Application code.
    Code(Code),
    /// Schema migration.
    Migration(Migration),
    /// Configuration keys.
    Config(Config),
    /// Feature flag change.
    FeatureFlag(FeatureFlag),
    /// Infrastructure (Terraform, cluster upgrade, DNS, ...).
    Infrastructure(Infrastructure),
    /// Dependency bump (library, runtime, base image).
    Dependency(Dependency),
    /// Side effect outside the system: emails, webhooks, payments, events, data sent to third parties.
    ExternalSideEffect(ExternalSideEffect),
    /// Data operation: backfill, delete, a script run against production.
    DataOperation(DataOperation),
}

/// `$body` with `$c` bound to the kind's struct, whatever the kind.
macro_rules! each_kind {
    ($change:expr, $c:ident => $body:expr) => {
        match $change {
            Change::Code($c) => $body,
            Change::Migration($c) => $body,
            Change::Config($c) => $body,
            Change::FeatureFlag($c) => $body,
            Change::Infrastructure($c) => $body,
            Change::Dependency($c) => $body,
            Change::ExternalSideEffect($c) => $body,
            Change::DataOperation($c) => $body,
        }
    };
}

impl Change {
    /// A bare change of a kind, all else empty.
    pub fn new(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::Code => Change::Code(Code::default()),
            ChangeKind::Migration => Change::Migration(Migration::default()),
            ChangeKind::Config => Change::Config(Config::default()),
            ChangeKind::FeatureFlag => Change::FeatureFlag(FeatureFlag::default()),
            ChangeKind::Infrastructure => Change::Infrastructure(Infrastructure::default()),
            ChangeKind::Dependency => Change::Dependency(Dependency::default()),
            ChangeKind::ExternalSideEffect => {
                Change::ExternalSideEffect(ExternalSideEffect::default())
            }
            ChangeKind::DataOperation => Change::DataOperation(DataOperation::default()),
        }
    }

    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Code(_) => ChangeKind::Code,
            Change::Migration(_) => ChangeKind::Migration,
            Change::Config(_) => ChangeKind::Config,
            Change::FeatureFlag(_) => ChangeKind::FeatureFlag,
            Change::Infrastructure(_) => ChangeKind::Infrastructure,
            Change::Dependency(_) => ChangeKind::Dependency,
            Change::ExternalSideEffect(_) => ChangeKind::ExternalSideEffect,
            Change::DataOperation(_) => ChangeKind::DataOperation,
        }
    }

    /// What the kind of this change declares.
    pub fn declaration(&self) -> &'static KindDecl {
        self.kind().declaration()
    }

    /// What the kind's own validation finds wrong, if anything.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            Change::FeatureFlag(f) => f.problem(),
            _ => None,
        }
    }

    /// A label for the change in messages: its id, else its kind and position.
    pub fn label(&self, index: usize) -> String {
        match self.id() {
            Some(id) => id.to_string(),
            None => format!("{}#{}", self.kind().as_str(), index + 1),
        }
    }

    pub fn id(&self) -> Option<&str> {
        each_kind!(self, c => c.id.as_deref())
    }
    pub fn summary(&self) -> Option<&str> {
        each_kind!(self, c => c.summary.as_deref())
    }
    pub fn services(&self) -> &[String] {
        each_kind!(self, c => &c.services)
    }
    pub fn reversible(&self) -> Option<bool> {
        each_kind!(self, c => c.reversible)
    }
    pub fn destructive(&self) -> Option<bool> {
        each_kind!(self, c => c.destructive)
    }
    pub fn gated_by_flag(&self) -> Option<&str> {
        each_kind!(self, c => c.gated_by_flag.as_deref())
    }
    pub fn id_mut(&mut self) -> &mut Option<String> {
        each_kind!(self, c => &mut c.id)
    }
    pub fn summary_mut(&mut self) -> &mut Option<String> {
        each_kind!(self, c => &mut c.summary)
    }
    pub fn services_mut(&mut self) -> &mut Vec<String> {
        each_kind!(self, c => &mut c.services)
    }
    pub fn reversible_mut(&mut self) -> &mut Option<bool> {
        each_kind!(self, c => &mut c.reversible)
    }
    pub fn destructive_mut(&mut self) -> &mut Option<bool> {
        each_kind!(self, c => &mut c.destructive)
    }
    pub fn gated_by_flag_mut(&mut self) -> &mut Option<String> {
        each_kind!(self, c => &mut c.gated_by_flag)
    }

    /// Inline SQL: a migration's up step or a data operation's statement.
    pub fn sql(&self) -> Option<&str> {
        match self {
            Change::Migration(m) => m.sql.as_deref(),
            Change::DataOperation(d) => d.sql.as_deref(),
            _ => None,
        }
    }

    /// The data store (by name) a migration or data operation runs against.
    pub fn database(&self) -> Option<&str> {
        match self {
            Change::Migration(m) => m.database.as_deref(),
            Change::DataOperation(d) => d.database.as_deref(),
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
            _ => None,
        }
    }

    /// The flag a feature_flag change turns.
    pub fn flag(&self) -> Option<&FlagChange> {
        self.as_feature_flag().and_then(|f| f.flag.as_ref())
    }
}

/// `as_<kind>()` and `as_<kind>_mut()`: the kind's struct when the change is of that kind.
macro_rules! views {
    ($($variant:ident($ty:ident) => $as:ident, $as_mut:ident;)*) => {
        impl Change {
            $(
                pub fn $as(&self) -> Option<&$ty> {
                    match self {
                        Change::$variant(x) => Some(x),
                        _ => None,
                    }
                }
                pub fn $as_mut(&mut self) -> Option<&mut $ty> {
                    match self {
                        Change::$variant(x) => Some(x),
                        _ => None,
                    }
                }
            )*
        }
    };
}

views! {
    Code(Code) => as_code, as_code_mut;
    Migration(Migration) => as_migration, as_migration_mut;
    Config(Config) => as_config, as_config_mut;
    FeatureFlag(FeatureFlag) => as_feature_flag, as_feature_flag_mut;
    Infrastructure(Infrastructure) => as_infrastructure, as_infrastructure_mut;
    Dependency(Dependency) => as_dependency, as_dependency_mut;
    ExternalSideEffect(ExternalSideEffect) => as_side_effect, as_side_effect_mut;
    DataOperation(DataOperation) => as_data_operation, as_data_operation_mut;
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
