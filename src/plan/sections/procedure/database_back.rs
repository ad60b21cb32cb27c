//! A database operation undone by its own way back, after the host and the lag are checked.
//!
//! Per operation: a switchover switches back to the former leader once lag is 0; a failover
//! pauses automated failover, keeps the writes only the old primary holds, rejoins it as a replica
//! and switches back; a parameter change sets the previous value and reloads or reboots; a major
//! upgrade has no downgrade, so it fails back to the old cluster when one was kept or restores the
//! snapshot taken before; a restore returns to the database it replaced; a reindex is cancelled
//! and its invalid leftovers dropped; a replication change points the replica at its previous
//! source. Every command is shell-quoted; unknown values are placeholders.

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::{
    DataStore, DatabaseManager, DatabaseOperation, DatabaseOperationKind as Op, Engine, Hosting,
};
use crate::plan::placeholders::slug;

/// The database operation of change `i`, undone in the data-and-infrastructure phase.
pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let change = b.spec.deployment.changes[i].clone();
    let Some(d) = change.as_database_operation().cloned() else {
        return;
    };
    let store = store_for(&b.spec, &change).cloned();
    let o = Operation {
        label: change.label(i),
        i,
        store,
        d,
        destructive: change.destructive() == Some(true),
    };
    let steps = match o.d.operation {
        Some(Op::Switchover) => switch_back(ctx, &o),
        Some(Op::Failover) => fail_back(ctx, &o),
        Some(Op::ParameterChange) => parameter_back(ctx, &o),
        Some(Op::MajorUpgrade) => upgrade_back(ctx, &o),
        Some(Op::Restore) => restore_back(ctx, &o),
        Some(Op::Reindex) => reindex_back(ctx, &o),
        Some(Op::ReplicationChange) => replication_back(ctx, &o),
        None => unknown_back(ctx, &o),
    };
    b.actions.extend(steps);
    if !b.services.is_empty() {
        b.ordering.push(format!(
            "Database operation `{}` after the code: the previous version runs on the database as it is, and the database is put back last, once what writes to it is stable.",
            o.label
        ));
    }
}

/// One database operation being undone, and what is known of its store.
struct Operation {
    label: String,
    i: usize,
    store: Option<DataStore>,
    d: DatabaseOperation,
    destructive: bool,
}

impl Operation {
    fn engine(&self) -> Option<Engine> {
        self.store.as_ref().map(|s| s.engine).or(self.d.engine)
    }
    fn mysql(&self) -> bool {
        self.engine().is_some_and(Engine::is_mysql_family)
    }
    fn aws(&self) -> bool {
        self.d.manager == Some(DatabaseManager::Cloud) && self.store.is_none()
            || self
                .store
                .as_ref()
                .is_some_and(|s| matches!(s.hosting, Some(Hosting::Rds) | Some(Hosting::Aurora)))
    }
    fn field(&self, f: &str) -> String {
        format!("deployment.changes[{}].{f}", self.i)
    }
    fn slug(&self) -> String {
        slug(&self.label)
    }
    /// The cluster: Patroni scope, orchestrator alias, or cloud instance identifier.
    fn cluster(&self, ctx: &mut Ctx) -> Word {
        let known = self
            .d
            .cluster
            .clone()
            .or_else(|| self.store.as_ref().and_then(|s| s.identifier.clone()));
        ctx.ph.val_or(
            known.as_deref(),
            "DB_CLUSTER",
            "the database cluster (Patroni scope, orchestrator cluster alias) or cloud instance identifier",
            &self.field("cluster"),
        )
    }
    /// The host the operation acted on (the former leader, the server upgraded).
    fn host(&self, ctx: &mut Ctx) -> Word {
        ctx.ph.val_or(
            self.d.host.as_deref(),
            "DB_HOST",
            "the host the operation acts on (the leader before it, the replica re-seeded)",
            &self.field("host"),
        )
    }
    /// The host that took over.
    fn candidate(&self, ctx: &mut Ctx) -> Word {
        ctx.ph.val_or(
            self.d.candidate.as_deref(),
            "DB_NEW_PRIMARY",
            "the host that took over as primary (the switchover or failover candidate)",
            &self.field("candidate"),
        )
    }
    fn patroni_config(&self, ctx: &mut Ctx) -> Word {
        ctx.ph.hole(
            "PATRONI_CONFIG",
            "the Patroni configuration file patronictl reads (e.g. /etc/patroni/patroni.yml)",
            "the patronictl command of the runbook",
        )
    }
    /// A SQL statement run on one host (psql or mysql), as the admin user.
    fn sql_on(&self, host: Word, sql: &str) -> Cmd {
        self.sql_on_word(host, Word::val(sql))
    }
    fn sql_on_word(&self, host: Word, sql: Word) -> Cmd {
        if self.mysql() {
            Cmd::new("mysql -h").word(host).lit("--batch -e").word(sql)
        } else {
            Cmd::new("psql -h")
                .word(host)
                .lit("-U postgres -X -A -t -v ON_ERROR_STOP=1 -c")
                .word(sql)
        }
    }
}

/// Check the host and its role right before acting: GitLab 2017 removed the data directory of the
/// primary it took for the replica (the hosts looked alike in the terminal).
fn confirm_host(ctx: &mut Ctx, o: &Operation, why: &str) -> Action {
    let mut a = Action::new(
        format!(
            "Confirm the host and its role before acting on `{}`",
            o.label
        ),
        o.label.clone(),
    );
    if o.aws() {
        let id = o.cluster(ctx);
        a = a.cmd(
            Cmd::new("aws rds describe-db-instances --db-instance-identifier")
                .word(id)
                .lit("--query")
                .val("DBInstances[0].[DBInstanceIdentifier,DBInstanceStatus,EngineVersion,MultiAZ,ReadReplicaDBInstanceIdentifiers]"),
        );
    } else if o.d.manager == Some(DatabaseManager::Patroni) {
        // patronictl list: member, role, state, timeline and "Lag in MB" per member
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-list).
        let cfg = o.patroni_config(ctx);
        let cl = o.cluster(ctx);
        a = a.cmd(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl));
    } else {
        let host = o.host(ctx);
        a = a.cmd(Cmd::new("ssh").word(host.clone()).lit("hostname"));
        let role = if o.mysql() {
            "SELECT @@hostname, @@read_only, @@gtid_executed"
        } else {
            // pg_is_in_recovery(): true on a standby, false on the primary
            // (https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-RECOVERY-CONTROL).
            "SELECT inet_server_addr(), pg_is_in_recovery(), pg_last_wal_replay_lsn()"
        };
        a = a.cmd(o.sql_on(host, role));
    }
    a.success(format!(
        "the host named is the one in front of you, its role is the one the plan expects, and replication lag is 0 on the host that will be primary; {why}"
    ))
    .minutes(2)
    .note("Read the hostname aloud to the second person on the call before any command that stops, removes or promotes. Do not act on a host whose role you have not just read.")
}

/// Pause automated failover so it does not fight the manual steps (GitHub 2018: orchestrator
/// promoted across regions during network maintenance).
fn pause_automation(ctx: &mut Ctx, o: &Operation) -> Option<Action> {
    let a = Action::new("Pause automated failover", o.label.clone());
    match o.d.manager {
        // patronictl pause: maintenance mode, Patroni stops managing the cluster
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-pause).
        Some(DatabaseManager::Patroni) => {
            let cfg = o.patroni_config(ctx);
            let cl = o.cluster(ctx);
            Some(
                a.cmd(
                    Cmd::new("patronictl -c")
                        .word(cfg.clone())
                        .lit("pause")
                        .word(cl.clone())
                        .lit("--wait"),
                )
                .verify(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl))
                .success("patronictl list shows \"Maintenance mode: on\"")
                .minutes(1),
            )
        }
        // orchestrator-client -c disable-global-recoveries: no automated recovery on any cluster
        // (https://github.com/openark/orchestrator/blob/master/docs/orchestrator-client.md).
        Some(DatabaseManager::Orchestrator) => Some(
            a.cmd(Cmd::new("orchestrator-client -c disable-global-recoveries"))
                .verify(Cmd::new("orchestrator-client -c check-global-recoveries"))
                .success("orchestrator reports global recoveries disabled")
                .minutes(1),
        ),
        _ => None,
    }
}

/// Resume what [`pause_automation`] paused.
fn resume_automation(ctx: &mut Ctx, o: &Operation) -> Option<Action> {
    let a = Action::new("Resume automated failover", o.label.clone());
    match o.d.manager {
        Some(DatabaseManager::Patroni) => {
            let cfg = o.patroni_config(ctx);
            let cl = o.cluster(ctx);
            Some(
                a.cmd(
                    Cmd::new("patronictl -c")
                        .word(cfg.clone())
                        .lit("resume")
                        .word(cl.clone())
                        .lit("--wait"),
                )
                .verify(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl))
                .success("maintenance mode is off; one leader, every replica streaming")
                .minutes(1),
            )
        }
        Some(DatabaseManager::Orchestrator) => Some(
            a.cmd(Cmd::new("orchestrator-client -c enable-global-recoveries"))
                .verify(Cmd::new("orchestrator-client -c check-global-recoveries"))
                .success("orchestrator reports global recoveries enabled")
                .minutes(1),
        ),
        _ => None,
    }
}

/// Make `former` the primary again, with `current` (the one that took over) as its replica.
fn switch_to(ctx: &mut Ctx, o: &Operation, title: String) -> Action {
    let former = o.host(ctx);
    let current = o.candidate(ctx);
    let a = Action::new(title, o.label.clone());
    let a = match o.d.manager {
        // patronictl switchover [CLUSTER] --leader LEADER --candidate CANDIDATE [--force]:
        // Patroni refuses unless the candidate is a healthy replica
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-switchover).
        Some(DatabaseManager::Patroni) => {
            let cfg = o.patroni_config(ctx);
            let cl = o.cluster(ctx);
            a.cmd(
                Cmd::new("patronictl -c")
                    .word(cfg.clone())
                    .lit("switchover")
                    .word(cl.clone())
                    .opt("--leader", current)
                    .opt("--candidate", former)
                    .lit("--force"),
            )
            .verify(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl))
            .success("the former leader is Leader and running, the other members are Replica, streaming, lag 0")
        }
        // orchestrator-client -c graceful-master-takeover -a ALIAS -d DESIGNATED: a planned
        // promotion of a designated replica
        // (https://github.com/openark/orchestrator/blob/master/docs/topology-recovery.md#graceful-master-promotion).
        Some(DatabaseManager::Orchestrator) => {
            let cl = o.cluster(ctx);
            a.cmd(
                Cmd::new("orchestrator-client -c graceful-master-takeover -a")
                    .word(cl.clone())
                    .opt("-d", former),
            )
            .verify(Cmd::new("orchestrator-client -c topology -a").word(cl))
            .success("the former primary is at the top of the topology, writable; the others replicate from it")
        }
        // A Multi-AZ RDS instance fails over to its standby on a reboot with failover
        // (https://docs.aws.amazon.com/cli/latest/reference/rds/reboot-db-instance.html).
        _ if o.aws() => {
            let id = o.cluster(ctx);
            a.cmd(
                Cmd::new("aws rds reboot-db-instance --db-instance-identifier")
                    .word(id.clone())
                    .lit("--force-failover"),
            )
            .verify(
                Cmd::new("aws rds wait db-instance-available --db-instance-identifier").word(id),
            )
            .success("the instance is available, in its original availability zone")
        }
        _ => {
            let hole = ctx.ph.hole(
                &format!("{}_SWITCH_BACK_COMMAND", o.slug()),
                "how the former primary is made primary again (the switchover command of the HA tool)",
                &o.field("manager"),
            );
            a.cmd(Cmd::default().word(hole))
                .success("the former primary is primary and writable; the other hosts replicate from it with lag 0")
        }
    };
    a.minutes(3).note(
        "Only once lag is 0: commits on the current primary not yet on the former one are lost by the switch.",
    )
}

fn switch_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    vec![
        confirm_host(
            ctx,
            o,
            "the former leader shows lag 0 before it takes the role back",
        ),
        switch_to(
            ctx,
            o,
            format!("Switch `{}` back to the former leader", o.label),
        ),
    ]
}

fn fail_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let mut out = Vec::new();
    out.extend(pause_automation(ctx, o));
    out.push(confirm_host(
        ctx,
        o,
        "the old primary is fenced (not writable) before anything else",
    ));
    // Writes the old primary took after the last one replicated exist only there.
    let old = o.host(ctx);
    let keep = if o.mysql() {
        // mysqlbinlog --start-position: the events after the last one the new primary applied
        // (https://dev.mysql.com/doc/refman/8.4/en/mysqlbinlog.html).
        Cmd::new("mysqlbinlog --read-from-remote-server --host")
            .word(old)
            .opt(
                "--start-position",
                ctx.ph.hole(
                    "LAST_REPLICATED_BINLOG_POSITION",
                    "the binlog position of the last event the new primary applied (SHOW REPLICA STATUS on it before promotion: Relay_Source_Log_File / Exec_Source_Log_Pos)",
                    "the new primary's replica status at promotion",
                ),
            )
            .word(ctx.ph.hole(
                "OLD_PRIMARY_BINLOG_FILE",
                "the binlog file on the old primary that holds that position",
                "SHOW BINARY LOGS on the old primary",
            ))
            .lit("> unreplicated-writes.sql")
    } else {
        Cmd::default().word(ctx.ph.hole(
            &format!("{}_UNREPLICATED_WRITES_EXPORT", o.slug()),
            "how the writes only the old primary holds are exported (the WAL after the promotion point, or the rows written since)",
            "the DBA before the deploy",
        ))
    };
    let mut k = Action::new(
        "Keep the unreplicated writes of the old primary",
        o.label.clone(),
    );
    k.commands.push(keep);
    k = k
        .success("the writes only the old primary holds are saved outside it, counted, and handed to their owners to reconcile")
        .minutes(20)
        .note("Rejoining the old primary as a replica discards what it holds that the new one does not (GitHub 2018 kept these writes and reconciled them by hand).");
    out.push(k);
    let old = o.host(ctx);
    let mut r = Action::new(
        "Rejoin the old primary as a replica of the new one",
        o.label.clone(),
    );
    r = match o.d.manager {
        // patronictl reinit CLUSTER MEMBER: wipes the member and rebuilds it from the leader
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-reinit).
        Some(DatabaseManager::Patroni) => {
            let cfg = o.patroni_config(ctx);
            let cl = o.cluster(ctx);
            r.cmd(
                Cmd::new("patronictl -c")
                    .word(cfg.clone())
                    .lit("reinit")
                    .word(cl.clone())
                    .word(old)
                    .lit("--force"),
            )
            .verify(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl))
        }
        _ if o.mysql() => {
            // CHANGE REPLICATION SOURCE TO (MySQL 8.0.23+)
            // (https://dev.mysql.com/doc/refman/8.4/en/change-replication-source-to.html).
            let template = "SET GLOBAL super_read_only = ON; CHANGE REPLICATION SOURCE TO SOURCE_HOST = '<new primary>', SOURCE_AUTO_POSITION = 1; START REPLICA;";
            let sql = o.d.candidate.as_deref().filter(|h| is_host(h)).map(|h| template.replace("<new primary>", h));
            let c = sql_or(ctx, o, old.clone(), sql, "REJOIN_SQL", template);
            r.cmd(c)
                .verify(o.sql_on(old, "SHOW REPLICA STATUS\\G"))
                .note("Errant GTIDs on the old primary stop replication: they are the unreplicated writes kept above.")
        }
        _ => r.cmd(Cmd::default().word(ctx.ph.hole(
            &format!("{}_REJOIN_COMMAND", o.slug()),
            "how the old primary rejoins as a replica (pg_rewind, or a rebuild from the new primary)",
            "the DBA before the deploy",
        ))),
    };
    r.destructive = true;
    out.push(
        r.success("the old primary streams from the new one with lag 0")
            .minutes(30)
            .note("Destructive: its data is rewound or rebuilt from the new primary. Only after the unreplicated writes are saved."),
    );
    out.push(switch_to(
        ctx,
        o,
        format!(
            "Switch `{}` back to the former primary, if it should lead again",
            o.label
        ),
    ));
    out.extend(resume_automation(ctx, o));
    out
}

fn parameter_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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

fn upgrade_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let mut out = Vec::new();
    let from =
        o.d.from
            .clone()
            .unwrap_or_else(|| "the previous major".into());
    if o.d.old_kept == Some(true) {
        let hole = ctx.ph.hole(
            &format!("{}_REPOINT_TO_OLD_CLUSTER", o.slug()),
            "how the application is pointed back at the old cluster kept on the previous major (DNS, connection pooler, endpoint)",
            &o.field("old_kept"),
        );
        out.push(
            Action::new(
                format!("Fail back to the old cluster kept on {from}"),
                o.label.clone(),
            )
            .cmd(Cmd::default().word(hole))
            .success("the application writes to the old cluster; the new one takes no writes")
            .minutes(10)
            .note("Writes taken by the new major since the cutover are not on the old cluster: export them first or accept losing them.")
            .note("pg_upgrade --link shares data files: once the new cluster has started, the old one is unsafe to start (https://www.postgresql.org/docs/current/pgupgrade.html, \"Reverting to old cluster\"). Keep a copy made without --link, or a replica left on the old major."),
        );
        return out;
    }
    out.push(
        Action::new(
            format!("Decide: fix forward on the new major, or restore `{}`", o.label),
            o.label.clone(),
        )
        .success("the decision-maker has chosen: fix forward (queries, extensions, settings on the new major) or restore the pre-upgrade snapshot and lose every write since")
        .minutes(10)
        .note(format!("No downgrade exists back to {from}: a major upgrade rewrites the catalog. Fix forward first when the failure is a slow query or an extension; restore only when the data or the server is broken.")),
    );
    match o.store.clone() {
        Some(s) => {
            let mut keep =
                datastores::backup_now(&s, &format!("after-upgrade-{}", o.label), &mut ctx.ph);
            keep.notes.push(
                "Keeps the writes taken on the new major before anything is restored.".to_string(),
            );
            out.push(keep);
            let mut r = datastores::restore(&s, &mut ctx.ph);
            r.title = format!(
                "Restore `{}` to before the upgrade, into a new instance on the previous major",
                o.label
            );
            // RDS snapshots the instance before a major upgrade when backups are on
            // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.MajorVersion.Process.html).
            r.notes.push("Prefer the snapshot taken right before the upgrade (RDS takes one itself when backups are on): it restores on the previous major; check the restored instance's engine version before pointing anything at it.".to_string());
            r.notes.push(format!(
                "The restore point is the snapshot taken right before the upgrade{}: every write since is lost unless copied back from the backup above.",
                o.d.recovery_point.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
            ));
            r.destructive = true;
            out.push(r);
        }
        None => {
            let hole = ctx.ph.hole(
                &format!("{}_RESTORE_PRE_UPGRADE_COMMAND", o.slug()),
                "how the pre-upgrade snapshot or backup is restored into a new server on the previous major",
                &o.field("recovery_point"),
            );
            let mut r = Action::new(
                format!("Restore the snapshot taken before `{}` into a new server", o.label),
                o.label.clone(),
            )
            .cmd(Cmd::default().word(hole))
            .success("a server on the previous major holds the data as of the snapshot; the application is pointed at it")
            .minutes(60)
            .note("Every write since the snapshot is lost unless exported from the upgraded server first.");
            r.destructive = true;
            out.push(r);
        }
    }
    out
}

fn restore_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let hole = ctx.ph.hole(
        &format!("{}_REPOINT_TO_ORIGINAL", o.slug()),
        "how the application is pointed back at the database the restore replaced (endpoint, DNS, pooler)",
        &o.field("host"),
    );
    let mut out = vec![confirm_host(
        ctx,
        o,
        "the restored copy and the original are told apart by name",
    )];
    let mut a = Action::new(
        format!("Point the application back at the database `{}` replaced", o.label),
        o.label.clone(),
    )
    .cmd(Cmd::default().word(hole))
    .success("the application reads and writes the original database; the restored copy takes no writes")
    .minutes(10)
    .note("A restore over the live database cannot be undone this way: the original data then comes back only from the backup taken right before the restore.");
    a.destructive = o.destructive;
    out.push(a);
    out
}

fn reindex_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    if o.mysql() {
        let hole = ctx.ph.hole(
            &format!("{}_REBUILD_STOP_COMMAND", o.slug()),
            "how the table rebuild is stopped (KILL of the ALTER TABLE session, or the online schema tool's abort)",
            "the DBA before the deploy",
        );
        return vec![
            Action::new(
                format!("Stop the rebuild of `{}`", o.label),
                o.label.clone(),
            )
            .cmd(Cmd::default().word(hole))
            .success("no rebuild runs; the table serves queries as before")
            .minutes(5),
        ];
    }
    let host = o.host(ctx);
    let invalid = ctx.ph.hole(
        "INVALID_INDEX",
        "an invalid index the cancelled reindex left (listed by the query before, its name ends in _ccnew)",
        "the query of the same step",
    );
    // A failed REINDEX CONCURRENTLY leaves an invalid index (suffix _ccnew) to drop with
    // DROP INDEX (https://www.postgresql.org/docs/current/sql-reindex.html).
    vec![
        Action::new(format!("Cancel the reindex of `{}`", o.label), o.label.clone())
            .cmd(o.sql_on(
                host.clone(),
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'reindex%' AND pid <> pg_backend_pid()",
            ))
            .verify(o.sql_on(
                host.clone(),
                "SELECT pid, state, query FROM pg_stat_activity WHERE query ILIKE 'reindex%' AND pid <> pg_backend_pid()",
            ))
            .success("no REINDEX runs")
            .minutes(2)
            .note("The old index keeps serving queries until REINDEX CONCURRENTLY swaps it: cancelling loses nothing."),
        Action::new("Drop the invalid indexes the cancelled reindex left", o.label.clone())
            .cmd(o.sql_on(
                host.clone(),
                "SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid",
            ))
            .cmd(Cmd::new("psql -h").word(host).lit("-U postgres -X -v ON_ERROR_STOP=1 -c").word(
                Word::lit("\"DROP INDEX CONCURRENTLY ").then(invalid).then_lit("\""),
            ))
            .success("pg_index shows no invalid index; writes no longer maintain a half-built copy")
            .minutes(5)
            .note("Drop only the names listed by the first query that end in _ccnew: one command per name, in place of <INVALID_INDEX>."),
    ]
}

fn replication_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let mut out = vec![confirm_host(
        ctx,
        o,
        "the host to act on is the replica, never the primary",
    )];
    let host = o.host(ctx);
    let source =
        o.d.candidate
            .as_deref()
            .filter(|h| is_host(h))
            .map(str::to_string);
    let mut a = Action::new(
        format!(
            "Point the replica of `{}` back at its previous source",
            o.label
        ),
        o.label.clone(),
    );
    a = if o.mysql() {
        let template = "STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_HOST = '<previous source>', SOURCE_AUTO_POSITION = 1; START REPLICA;";
        let sql = source.map(|h: String| template.replace("<previous source>", &h));
        let c = sql_or(ctx, o, host.clone(), sql, "REPOINT_SQL", template);
        a.cmd(c).verify(o.sql_on(host, "SHOW REPLICA STATUS\\G"))
    } else {
        // primary_conninfo is reloadable since PostgreSQL 13
        // (https://www.postgresql.org/docs/current/runtime-config-replication.html#GUC-PRIMARY-CONNINFO).
        let template = "ALTER SYSTEM SET primary_conninfo = 'host=<previous source> user=<replication user>'; SELECT pg_reload_conf();";
        let c = sql_or(ctx, o, host.clone(), None, "REPOINT_SQL", template);
        a.cmd(c)
            .verify(o.sql_on(
                host,
                "SELECT status, sender_host, latest_end_lsn FROM pg_stat_wal_receiver",
            ))
            .note("primary_conninfo holds the previous source's host, port and replication user, as before the change.")
    };
    out.push(
        a.success("the replica streams from its previous source, lag falling to 0")
            .minutes(5),
    );
    if o.destructive {
        let mut r = match o.store.clone() {
            Some(s) => datastores::restore(&s, &mut ctx.ph),
            None => Action::new(
                "Restore the database from the last verified backup",
                o.label.clone(),
            )
            .cmd(Cmd::default().word(ctx.ph.hole(
                &format!("{}_RESTORE_COMMAND", o.slug()),
                "how the last verified backup is restored into a new server",
                "the DBA before the deploy",
            )))
            .success("a server holds the data as of the backup; the application is pointed at it")
            .minutes(60),
        };
        r.title = format!(
            "If data was removed from the wrong host: restore `{}` from the last verified backup",
            o.label
        );
        r.notes.push("Only when the removal hit the primary or the only copy: a removed replica is rebuilt from the primary instead. Every write since the backup is lost.".to_string());
        r.destructive = true;
        out.push(r);
    }
    out
}

fn unknown_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
    let hole = ctx.ph.hole(
        &format!("{}_UNDO_COMMAND", o.slug()),
        "how the database operation is undone (rollbook could not tell which operation it is)",
        &o.field("operation"),
    );
    vec![
        confirm_host(ctx, o, "the host to act on is the one named"),
        Action::new(format!("Undo the database operation `{}`", o.label), o.label.clone())
            .cmd(Cmd::default().word(hole))
            .success("the database is as it was before the operation: same primary, same settings, replicas streaming with lag 0")
            .minutes(30),
    ]
}

/// A parameter name safe to write into SQL and a command (`max_connections`, `innodb.x`).
fn is_identifier(p: &str) -> bool {
    let mut chars = p.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A host name safe to write into SQL (`pg-b`, `db2.internal`).
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

/// `sql` run on `host` when every value in it is known; otherwise the statement is a placeholder
/// (described by `template`), so the command cannot run half-filled.
fn sql_or(
    ctx: &mut Ctx,
    o: &Operation,
    host: Word,
    sql: Option<String>,
    name: &str,
    template: &str,
) -> Cmd {
    match sql {
        Some(q) => o.sql_on(host, &q),
        None => {
            let w = ctx.ph.hole(
                &format!("{}_{name}", o.slug()),
                &format!("the statement, once its values are known: {template}"),
                "the DBA before the deploy",
            );
            o.sql_on_word(host, w)
        }
    }
}
