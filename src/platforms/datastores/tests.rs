use crate::base::placeholders::Placeholders;
use crate::model::*;
use crate::platforms::datastores;
use crate::platforms::tests::{check_holes_registered, r, store};

#[test]
fn rds_snapshot_and_pitr() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::Rds));
    let a = datastores::backup_now(&s, "Pre rollback #1", &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "aws rds create-db-snapshot --db-instance-identifier orders-prod --db-snapshot-identifier pre-rollback-1 --region eu-west-1"
        ]
    );
    assert_eq!(
        r(&a.verify),
        [
            "aws rds wait db-snapshot-available --db-snapshot-identifier pre-rollback-1 --region eu-west-1"
        ]
    );
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier orders-prod --target-db-instance-identifier orders-prod-restore --restore-time <ORDERS_DB_RESTORE_TIME> --region eu-west-1"
        ]
    );
    assert!(a.notes.iter().any(|n| n.contains("repoint")));
    assert!(!a.destructive);
    assert_eq!(a.minutes, 40);
}

#[test]
fn aurora_restore_adds_an_instance_and_mentions_backtrack() {
    let mut ph = Placeholders::default();
    let mut s = store(Engine::Mysql, Some(Hosting::Aurora));
    s.identifier = None;
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands)[0],
        "aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier <ORDERS_DB_IDENTIFIER> --db-cluster-identifier <ORDERS_DB_IDENTIFIER>-restore --restore-to-time <ORDERS_DB_RESTORE_TIME> --region eu-west-1"
    );
    assert!(r(&a.commands)[1].contains("--engine aurora-mysql"));
    assert!(a.notes.iter().any(|n| n.contains("backtrack-db-cluster")));
    let b = datastores::backup_now(&s, "x", &mut ph);
    assert!(b.commands[0].render().starts_with("aws rds create-db-cluster-snapshot --db-cluster-identifier <ORDERS_DB_IDENTIFIER> --db-cluster-snapshot-identifier x"));
}

#[test]
fn self_hosted_dump_and_restore() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::SelfHosted));
    let a = datastores::backup_now(&s, "pre-rollback", &mut ph);
    assert_eq!(
        r(&a.commands),
        ["pg_dump \"$DATABASE_URL\" -Fc -f pre-rollback.dump"]
    );
    let a = datastores::restore(&s, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "pg_restore --exit-on-error --no-owner -j 4 -d \"$RESTORED_DATABASE_URL\" <ORDERS_DB_DUMP_FILE>"
        ]
    );
    // A restore never overwrites the live database: it goes to a separate one.
    assert!(!a.destructive);
    assert!(!r(&a.commands)[0].contains("\"$DATABASE_URL\""));
    let m = store(Engine::Mysql, None);
    let a = datastores::backup_now(&m, "pre", &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "mysqldump --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" --single-transaction --routines --triggers --result-file=pre.sql orders"
        ]
    );
}

#[test]
fn restore_estimates_state_their_basis() {
    let mut s = store(Engine::Postgres, Some(Hosting::SelfHosted));
    let (m, basis) = datastores::restore_estimate(&s);
    assert_eq!(m, Some(210));
    assert!(basis.contains("0.5 GB/min"));
    s.backup = Some(Backup {
        method: Some(BackupMethod::Logical),
        location: None,
        last_backup: None,
        last_tested_restore: None,
        restore_gb_per_minute: Some(2.0),
    });
    let (m, basis) = datastores::restore_estimate(&s);
    assert_eq!(m, Some(60));
    assert!(basis.contains("measured in a restore drill"));
    s.size_gb = None;
    assert_eq!(datastores::restore_estimate(&s).0, None);
    s.size_gb = Some(f64::NAN);
    assert_eq!(datastores::restore_estimate(&s).0, None);
}

#[test]
fn queries_are_read_only_and_quoted() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, None);
    assert_eq!(
        datastores::query(&s, "SELECT count(*) FROM t WHERE n = 'x'", &mut ph).render(),
        "PGOPTIONS='-c default_transaction_read_only=on' psql \"$DATABASE_URL\" -X -A -t -v ON_ERROR_STOP=1 -c 'SELECT count(*) FROM t WHERE n = '\\''x'\\'''"
    );
    let m = store(Engine::Mariadb, None);
    assert_eq!(
        datastores::query(&m, "SELECT 1", &mut ph).render(),
        "mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" --batch --skip-column-names orders -e 'SET SESSION TRANSACTION READ ONLY; SELECT 1'"
    );
    let redis = store(Engine::Redis, None);
    assert_eq!(
        datastores::query(&redis, "x", &mut ph).render(),
        "<ORDERS_DB_QUERY_COMMAND>"
    );
}

#[test]
fn verify_backup_reads_the_newest_snapshot() {
    let mut ph = Placeholders::default();
    let s = store(Engine::Postgres, Some(Hosting::Rds));
    let c = datastores::verify_backup(&s, &mut ph);
    assert_eq!(
        r(&c.commands)[0],
        "aws rds describe-db-snapshots --db-instance-identifier orders-prod --query 'max_by(DBSnapshots, &SnapshotCreateTime).[DBSnapshotIdentifier,SnapshotCreateTime,Status]' --output text --region eu-west-1"
    );
    let c = datastores::verify_backup(&store(Engine::Postgres, None), &mut ph);
    assert_eq!(r(&c.commands), ["ls -lt <ORDERS_DB_BACKUP_LOCATION>"]);
}

#[test]
fn every_hole_registered_for_stores() {
    for h in [
        None,
        Some(Hosting::SelfHosted),
        Some(Hosting::Rds),
        Some(Hosting::Aurora),
        Some(Hosting::CloudSql),
        Some(Hosting::Other),
    ] {
        for e in [Engine::Postgres, Engine::Mysql, Engine::Mongodb] {
            let mut ph = Placeholders::default();
            let s = DataStore {
                identifier: None,
                database: None,
                region: None,
                ..store(e, h)
            };
            let mut cmds = Vec::new();
            for a in [
                datastores::backup_now(&s, "pre", &mut ph),
                datastores::restore(&s, &mut ph),
            ] {
                assert!(!a.commands.is_empty());
                cmds.extend(a.commands);
                cmds.extend(a.verify);
            }
            cmds.extend(datastores::verify_backup(&s, &mut ph).commands);
            cmds.push(datastores::query(&s, "SELECT 1", &mut ph));
            check_holes_registered(&cmds, &ph);
        }
    }
}

/// Dispatch takes the first unit that serves a store: no two may serve the same one, and every
/// SQL engine on a known hosting has one.
#[test]
fn each_engine_on_each_hosting_has_at_most_one_unit() {
    for h in [
        None,
        Some(Hosting::SelfHosted),
        Some(Hosting::Rds),
        Some(Hosting::Aurora),
        Some(Hosting::CloudSql),
        Some(Hosting::Other),
    ] {
        for e in [
            Engine::Postgres,
            Engine::Mysql,
            Engine::Mariadb,
            Engine::Redis,
            Engine::Mongodb,
            Engine::Other,
        ] {
            let s = store(e, h);
            let n = datastores::STORES.iter().filter(|u| u.serves(&s)).count();
            assert!(n <= 1, "{e:?} on {h:?} is served by {n} units");
            if e.is_sql() && h != Some(Hosting::Other) {
                assert_eq!(n, 1, "{e:?} on {h:?} has no unit");
            }
        }
    }
}
