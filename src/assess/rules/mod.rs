//! The rule registry: the one place a rule is added.

use super::Rule;

mod tf_reach;

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
    stated_no_way_back::STATED_NO_WAY_BACK,
    action_not_understood::ACTION_NOT_UNDERSTOOD,
    database_operation::DATABASE_OPERATION,
    fleet_push::FLEET_PUSH,
    point_of_no_return::POINT_OF_NO_RETURN,
    client_release::CLIENT_RELEASE,
    ml_model::ML_MODEL,
    sql_not_understood_statement::NOT_UNDERSTOOD_STATEMENT,
    sql_drop_table::DROP_TABLE,
    sql_drop_column::DROP_COLUMN,
    sql_drop_schema_or_database::DROP_SCHEMA_OR_DATABASE,
    sql_truncate::TRUNCATE,
    sql_delete_without_where::DELETE_WITHOUT_WHERE,
    sql_update_without_where::UPDATE_WITHOUT_WHERE,
    sql_rename_table::RENAME_TABLE,
    sql_rename_column::RENAME_COLUMN,
    sql_change_column_type::CHANGE_COLUMN_TYPE,
    sql_add_not_null_column_without_default::ADD_NOT_NULL_COLUMN_WITHOUT_DEFAULT,
    sql_set_not_null::SET_NOT_NULL,
    sql_constraint_without_not_valid::CONSTRAINT_WITHOUT_NOT_VALID,
    sql_unique_or_primary_key_change::UNIQUE_OR_PRIMARY_KEY_CHANGE,
    sql_index_without_concurrently::INDEX_WITHOUT_CONCURRENTLY,
    sql_concurrent_index_in_transaction::CONCURRENT_INDEX_IN_TRANSACTION,
    sql_enum_value_added::ENUM_VALUE_ADDED,
    sql_volatile_default_rewrite::VOLATILE_DEFAULT_REWRITE,
    sql_enum_value_removed::ENUM_VALUE_REMOVED,
    sql_sequence_rewind::SEQUENCE_REWIND,
    sql_backfill_in_ddl_transaction::BACKFILL_IN_DDL_TRANSACTION,
    sql_mysql_copy_alter::MYSQL_COPY_ALTER,
    sql_ddl_without_lock_timeout::DDL_WITHOUT_LOCK_TIMEOUT,
    sql_mysql_multi_statement_non_transactional::MYSQL_MULTI_STATEMENT_NON_TRANSACTIONAL,
    sql_down_missing::DOWN_MISSING,
    sql_down_empty::DOWN_EMPTY,
    sql_down_loses_new_data::DOWN_LOSES_NEW_DATA,
    sql_down_restores_schema_only::DOWN_RESTORES_SCHEMA_ONLY,
    sql_transaction_control::TRANSACTION_CONTROL,
    sql_drop_not_null::DROP_NOT_NULL,
    sql_heavy_lock_maintenance::HEAVY_LOCK_MAINTENANCE,
    sql_validate_in_same_transaction::VALIDATE_IN_SAME_TRANSACTION,
    sql_domain_constraint_added::DOMAIN_CONSTRAINT_ADDED,
    k8s_missing_readiness_probe::MISSING_READINESS_PROBE,
    k8s_revision_history_zero::REVISION_HISTORY_ZERO,
    k8s_mutable_image_tag::MUTABLE_IMAGE_TAG,
    k8s_recreate_strategy::RECREATE_STRATEGY,
    k8s_config_changed_in_place::CONFIG_CHANGED_IN_PLACE,
    k8s_crd_in_release::CRD_IN_RELEASE,
    k8s_volume_claim_change::VOLUME_CLAIM_CHANGE,
    k8s_bluegreen_without_scale_down_delay::BLUEGREEN_WITHOUT_SCALE_DOWN_DELAY,
    k8s_canary_without_analysis::CANARY_WITHOUT_ANALYSIS,
    k8s_migration_job_hook::MIGRATION_JOB_HOOK,
    tf_stateful_resource_destroyed::STATEFUL_RESOURCE_DESTROYED,
    tf_stateful_resource_replaced::STATEFUL_RESOURCE_REPLACED,
    tf_deletion_protection_disabled::DELETION_PROTECTION_DISABLED,
    tf_iam_change::IAM_CHANGE,
    tf_network_change::NETWORK_CHANGE,
    tf_dns_change::DNS_CHANGE,
    tf_infra_plan_errored::INFRA_PLAN_ERRORED,
    tf_infra_plan_not_understood::INFRA_PLAN_NOT_UNDERSTOOD,
    config_key_removed::CONFIG_KEY_REMOVED,
    config_secret_changed::CONFIG_SECRET_CHANGED,
    config_value_changed_outside_artifact::CONFIG_VALUE_CHANGED_OUTSIDE_ARTIFACT,
}
