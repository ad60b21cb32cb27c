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

mod parameter;
mod upgrade;

use crate::base::shell::Word;
use crate::model::{
    DataStore, DatabaseManager, DatabaseOperation, DatabaseOperationKind as Op, Engine, Hosting,
};
use crate::plan::placeholders::slug;
use parameter::parameter_back;
use upgrade::{reindex_back, replication_back, restore_back, unknown_back, upgrade_back};

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
    automation(ctx, o, true)
}

/// Resume what [`pause_automation`] paused.
fn resume_automation(ctx: &mut Ctx, o: &Operation) -> Option<Action> {
    automation(ctx, o, false)
}

/// Automated failover paused (`pause`) or resumed, by the manager that runs it.
fn automation(ctx: &mut Ctx, o: &Operation, pause: bool) -> Option<Action> {
    let title = if pause {
        "Pause automated failover"
    } else {
        "Resume automated failover"
    };
    let a = Action::new(title, o.label.clone());
    match o.d.manager {
        // patronictl pause / resume: maintenance mode on or off
        // (https://patroni.readthedocs.io/en/latest/patronictl.html#patronictl-pause).
        Some(DatabaseManager::Patroni) => {
            let cfg = o.patroni_config(ctx);
            let cl = o.cluster(ctx);
            Some(
                a.cmd(
                    Cmd::new("patronictl -c")
                        .word(cfg.clone())
                        .lit(if pause { "pause" } else { "resume" })
                        .word(cl.clone())
                        .lit("--wait"),
                )
                .verify(Cmd::new("patronictl -c").word(cfg).lit("list").word(cl))
                .success(if pause {
                    "patronictl list shows \"Maintenance mode: on\""
                } else {
                    "maintenance mode is off; one leader, every replica streaming"
                })
                .minutes(1),
            )
        }
        // orchestrator-client -c disable-global-recoveries / enable-global-recoveries
        // (https://github.com/openark/orchestrator/blob/master/docs/orchestrator-client.md).
        Some(DatabaseManager::Orchestrator) => Some(
            a.cmd(Cmd::new(if pause {
                "orchestrator-client -c disable-global-recoveries"
            } else {
                "orchestrator-client -c enable-global-recoveries"
            }))
            .verify(Cmd::new("orchestrator-client -c check-global-recoveries"))
            .success(if pause {
                "orchestrator reports global recoveries disabled"
            } else {
                "orchestrator reports global recoveries enabled"
            })
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
