//! A parameter change undone: the previous value set back, then a reload or a restart as the parameter needs.

use super::*;

pub(super) fn parameter_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let known =
        o.d.parameter
            .as_deref()
            .filter(|p| is_identifier(p))
            .map(str::to_string);
    let param = ctx.ph.val_or(
        known.as_deref(),
        "DB_PARAMETER",
        "the parameter changed",
        &o.field("parameter"),
    );
    let previous = ctx.ph.val_or(
        o.d.from.as_deref(),
        "PREVIOUS_PARAMETER_VALUE",
        "the parameter's value before the change",
        &o.field("from"),
    );
    let restart = o.d.requires_restart;
    let mut out = Vec::new();
    if o.aws() {
        let group = ctx.ph.val_or(
            o.d.parameter_group.as_deref(),
            "DB_PARAMETER_GROUP",
            "the DB parameter group that holds the parameter",
            &o.field("parameter_group"),
        );
        let id = o.cluster(ctx);
        // ApplyMethod: `immediate` for dynamic parameters only; `pending-reboot` for static
        // ones, applied at the next reboot
        // (https://docs.aws.amazon.com/cli/latest/reference/rds/modify-db-parameter-group.html).
        let method = if restart == Some(false) {
            "immediate"
        } else {
            "pending-reboot"
        };
        let spec = Word::lit("ParameterName=")
            .then(param.clone())
            .then_lit(",ParameterValue=")
            .then(previous.clone())
            .then_lit(format!(",ApplyMethod={method}"));
        out.push(
            Action::new(
                format!("Set the parameter back in `{}`", o.label),
                o.label.clone(),
            )
            .cmd(
                Cmd::new("aws rds modify-db-parameter-group --db-parameter-group-name")
                    .word(group.clone())
                    .opt("--parameters", spec),
            )
            .verify(
                Cmd::new("aws rds describe-db-parameters --db-parameter-group-name")
                    .word(group)
                    .lit("--source user --query")
                    .val("Parameters[].[ParameterName,ParameterValue,ApplyType]"),
            )
            .success("the group shows the previous value")
            .minutes(2),
        );
        if restart != Some(false) {
            // reboot-db-instance; --force-failover on a Multi-AZ instance reboots through the
            // standby (https://docs.aws.amazon.com/cli/latest/reference/rds/reboot-db-instance.html).
            out.push(
                Action::new(
                    format!("Reboot the instance so the previous value of `{}` applies (static parameter)", o.label),
                    o.label.clone(),
                )
                .cmd(Cmd::new("aws rds reboot-db-instance --db-instance-identifier").word(id.clone()))
                .verify(Cmd::new("aws rds wait db-instance-available --db-instance-identifier").word(id.clone()))
                .verify(
                    Cmd::new("aws rds describe-db-instances --db-instance-identifier")
                        .word(id)
                        .lit("--query")
                        .val("DBInstances[0].DBParameterGroups"),
                )
                .success("the instance is available and its parameter group shows ParameterApplyStatus in-sync")
                .minutes(5)
                .note("A reboot is downtime (about as long as the forward change's). A dynamic parameter applies without it: then set ApplyMethod=immediate and skip this step.")
                .note("On a Multi-AZ instance add --force-failover to reboot through the standby."),
            );
        }
    } else if o.d.manager == Some(DatabaseManager::Patroni) {
        // patronictl edit-config --set: the cluster-wide parameters Patroni writes for every
        // member; restart --pending restarts only members that need it
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-edit-config).
        let cfg = o.patroni_config(ctx);
        let cl = o.cluster(ctx);
        let set = Word::lit("postgresql.parameters.")
            .then(param.clone())
            .then_lit("=")
            .then(previous);
        out.push(
            Action::new(
                format!("Set the parameter back in `{}`", o.label),
                o.label.clone(),
            )
            .cmd(
                Cmd::new("patronictl -c")
                    .word(cfg.clone())
                    .lit("edit-config")
                    .word(cl.clone())
                    .opt("--set", set)
                    .lit("--force"),
            )
            .cmd(
                Cmd::new("patronictl -c")
                    .word(cfg.clone())
                    .lit("restart")
                    .word(cl.clone())
                    .lit("--pending --force"),
            )
            .verify(Cmd::new("patronictl -c").word(cfg).lit("show-config").word(cl))
            .success("the configuration shows the previous value and no member has \"Pending restart\"")
            .minutes(5)
            .note("The restart runs only where the parameter needs one (pg_settings.context = 'postmaster'); it is downtime for that member."),
        );
    } else {
        let host = o.host(ctx);
        let name = known.clone().unwrap_or_else(|| "<parameter>".to_string());
        let value =
            o.d.from
                .clone()
                .unwrap_or_else(|| "<previous value>".to_string())
                .replace('\'', "''");
        let all_known = known.is_some() && o.d.from.is_some();
        let (set, check, how) = if o.mysql() {
            // SET PERSIST: dynamic variables, persisted across restarts
            // (https://dev.mysql.com/doc/refman/8.4/en/set-variable.html).
            (
                format!("SET PERSIST {name} = '{value}'"),
                format!("SELECT @@GLOBAL.{name}"),
                "A read-only (static) variable needs SET PERSIST_ONLY and a restart instead.",
            )
        } else {
            // ALTER SYSTEM writes postgresql.auto.conf; pg_reload_conf() applies what does not
            // need a restart; pg_settings.pending_restart shows what does
            // (https://www.postgresql.org/docs/current/sql-altersystem.html,
            // https://www.postgresql.org/docs/current/view-pg-settings.html).
            (
                format!("ALTER SYSTEM SET {name} = '{value}'; SELECT pg_reload_conf();"),
                format!(
                    "SELECT name, setting, pending_restart FROM pg_settings WHERE name = '{name}'"
                ),
                "A parameter with pg_settings.context = 'postmaster' applies only after a restart of the server: restart it in the window (downtime).",
            )
        };
        out.push(
            Action::new(
                format!("Set the parameter back in `{}`", o.label),
                o.label.clone(),
            )
            .cmd(sql_or(
                ctx,
                o,
                host.clone(),
                all_known.then(|| set.clone()),
                "SET_BACK_SQL",
                &set,
            ))
            .verify(sql_or(
                ctx,
                o,
                host,
                known.is_some().then(|| check.clone()),
                "SETTING_CHECK_SQL",
                &check,
            ))
            .success("the setting shows the previous value, with no restart pending")
            .minutes(if restart == Some(true) { 5 } else { 2 })
            .note(how),
        );
    }
    out
}
