use super::*;

#[test]
fn claims_cover_columns_and_whole_tables() {
    let claims = vec![
        "column users.legacy_phone".to_string(),
        "table phone_verification_attempts".to_string(),
    ];
    assert!(declared(&claims, "public.users.legacy_phone"));
    assert!(declared(
        &claims,
        "public.phone_verification_attempts.user_id"
    ));
    assert!(!declared(&claims, "public.users.email"));
}

#[test]
fn mysql_alter_locks_come_from_the_rows_copied() {
    assert!(is_alter_table("alter table `t` add column c int"));
    assert!(is_alter_table("alter online table t add index (c)"));
    assert!(!is_alter_table("alter view v as select 1"));
    assert_eq!(
        alter_target("ALTER TABLE `members` ADD COLUMN x INT"),
        "members"
    );
    assert_eq!(
        mysql_alter_lock(3, "members"),
        "table copy on members (3 rows copied): writes to it were blocked throughout"
    );
    assert!(mysql_alter_lock(0, "members").starts_with("in place or instant on members"));
}

#[test]
fn strongest_lock_per_relation() {
    let l: BTreeSet<String> = [
        "AccessShareLock on users",
        "ShareRowExclusiveLock on users",
        "RowExclusiveLock on seq",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(
        strongest(l),
        vec!["RowExclusiveLock on seq", "ShareRowExclusiveLock on users"]
    );
}

#[test]
fn transaction_control_is_recognised() {
    assert!(is_txn_control("BEGIN"));
    assert!(is_txn_control("commit"));
    assert!(!is_txn_control("BEGINNING_TABLE"));
    assert!(!is_txn_control("CREATE TABLE ends (id int)"));
}

#[test]
fn a_server_that_cannot_report_locks_says_so() {
    let none = MetadataLocks::describe(None);
    assert!(none.starts_with("this server cannot report metadata locks"));
    assert!(is_data_statement("update orders set a = 1"));
    assert!(!is_data_statement("alter table orders add column a int"));
}
