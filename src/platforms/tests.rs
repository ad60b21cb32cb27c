use super::*;
use crate::base::parts::Stage;
use crate::base::placeholders::Placeholders;
use crate::model::*;

pub(super) fn svc(p: Option<Platform>, s: Option<Strategy>) -> Service {
    let mut v = Service::named("checkout");
    v.platform = p;
    v.strategy = s;
    v
}

pub(super) fn full(p: Platform, s: Option<Strategy>) -> Service {
    let mut v = svc(Some(p), s);
    v.namespace = Some("shop".into());
    v.cluster = Some("prod-eu".into());
    v.region = Some("eu-west-1".into());
    v.project = Some("acme-prod".into());
    v.task_family = Some("checkout-task".into());
    v.codedeploy_app = Some("checkout-app".into());
    v.codedeploy_group = Some("checkout-dg".into());
    v.hosts = vec!["web1".into(), "web2".into()];
    v.deploy_dir = Some("/srv/checkout/".into());
    v.replicas = Some(8);
    v.health_endpoint = Some("https://shop.example.com/healthz".into());
    v
}

pub(super) fn stage(name: &str, pct: f64, bake: u32) -> Stage {
    Stage {
        name: name.into(),
        traffic_percent: pct,
        bake_minutes: bake,
        watch: String::new(),
        advance_if: String::new(),
        abort_if: String::new(),
    }
}

pub(super) fn r(cmds: &[crate::base::shell::Cmd]) -> Vec<String> {
    cmds.iter().map(|c| c.render()).collect()
}

pub(super) fn tokens(ph: &Placeholders) -> Vec<String> {
    ph.list().iter().map(|p| p.token.clone()).collect()
}

// ---- helpers ----

#[test]
fn splice_quotes_text_and_leaves_holes_bare() {
    let s = format!("a b{}c", mark_name("X"));
    assert_eq!(splice(&s).to_string(), "'a b'<X>c");
    assert_eq!(splice("").to_string(), "''");
    assert_eq!(url_seg("a b/é"), "a%20b%2F%C3%A9");
    assert_eq!(fmt_pct(2.5), "2.5");
    assert_eq!(fmt_pct(f64::NAN), "0");
    assert_eq!(fmt_pct(250.0), "100");
}

pub(super) fn flag(key: &str) -> FlagChange {
    FlagChange {
        key: key.into(),
        provider: None,
        default: Some(false),
        from_percent: None,
        to_percent: None,
        rollout: Vec::new(),
        provider_id: None,
    }
}

// ---- data stores ----

pub(super) fn store(engine: Engine, hosting: Option<Hosting>) -> DataStore {
    DataStore {
        name: "orders db".into(),
        engine,
        version: None,
        hosting,
        identifier: Some("orders-prod".into()),
        database: Some("orders".into()),
        region: Some("eu-west-1".into()),
        size_gb: Some(100.0),
        backup: None,
    }
}

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

/// Every placeholder in `cmds` is recorded in `ph`.
pub(super) fn check_holes_registered(cmds: &[crate::base::shell::Cmd], ph: &Placeholders) {
    let known = tokens(ph);
    for c in cmds {
        for h in c.holes() {
            assert!(known.contains(&format!("<{h}>")), "<{h}> in {c}");
        }
    }
}
