//! A major upgrade, a restore, a reindex and a replication change undone, and an operation rollbook cannot tell.

use super::*;

pub(super) fn upgrade_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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

pub(super) fn restore_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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

pub(super) fn reindex_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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

pub(super) fn replication_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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

pub(super) fn unknown_back(ctx: &mut Ctx, o: &Operation) -> Vec<Action> {
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
