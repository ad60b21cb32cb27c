//! The rule registry: the one place a rule is added.

use super::Rule;

macro_rules! registry {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every rule, in code order.
        pub fn all() -> &'static [&'static Rule] {
            static ALL: &[&Rule] = &[$(&$module::$rule),*];
            ALL
        }
    };
}

registry! {
    code_redeploy::CODE_REDEPLOY,
    missing_previous_version::MISSING_PREVIOUS_VERSION,
    flag_gated_change::FLAG_GATED_CHANGE,
    config_outside_artifact::CONFIG_OUTSIDE_ARTIFACT,
    declared_irreversible::DECLARED_IRREVERSIBLE,
    external_side_effect::EXTERNAL_SIDE_EFFECT,
    data_operation::DATA_OPERATION,
    infrastructure_change::INFRASTRUCTURE_CHANGE,
    migration_without_evidence::MIGRATION_WITHOUT_EVIDENCE,
    migration_breaks_old_code::MIGRATION_BREAKS_OLD_CODE,
    migration_tool_without_down::MIGRATION_TOOL_WITHOUT_DOWN,
    backup_unverified::BACKUP_UNVERIFIED,
    rollback_downtime_strategy::ROLLBACK_DOWNTIME_STRATEGY,
    traffic_switch::TRAFFIC_SWITCH,
    elevated_risk::ELEVATED_RISK,
}
