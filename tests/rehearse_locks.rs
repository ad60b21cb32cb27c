//! MySQL/MariaDB lock reporting: a data statement's metadata locks are read back inside its
//! transaction, and the report says how locks were observed and what was not.

use assert_cmd::Command;
use rollbook::rehearse::{Engine, Report, server};

#[test]
fn mariadb_lists_a_data_statements_metadata_lock_and_says_what_it_cannot_see() {
    if let Some(p) = server::missing_binary(Engine::Mysql) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the MariaDB server (`{p}` missing): see .ci/run"
        );
        eprintln!("SKIPPED: `{p}` is not on PATH; install MariaDB to run this test");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("2_gift.up.sql"),
        "ALTER TABLE orders ADD COLUMN gift_message text;\nUPDATE orders SET gift_message = 'x' WHERE id < 10;\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("2_gift.down.sql"),
        "ALTER TABLE orders DROP COLUMN gift_message;\n",
    )
    .unwrap();
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .current_dir(d.path())
        .args(["rehearse", "2_gift.up.sql", "--ephemeral", "mysql"])
        .args(["--rows", "50", "--format", "json"])
        .output()
        .unwrap();
    let r: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let how = r.lock_reporting.as_deref().unwrap_or("");
    assert!(how.contains("METADATA_LOCK_INFO"), "{how}");
    assert!(how.contains("DDL statement commits implicitly"), "{how}");
    let update = r.runs[0]
        .statements
        .iter()
        .find(|t| t.excerpt.starts_with("UPDATE"))
        .unwrap();
    assert_eq!(update.locks, vec!["MDL_SHARED_WRITE on orders"]);
}
