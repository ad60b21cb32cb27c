//! Finding messages name tables and columns in backticks, so that a name holding a secret word
//! (`password_hash`, `api_token`) followed by the message's colon is not read as a key and
//! value by the secret masking: the words after it stay readable.

use assert_cmd::Command;

/// The human output of `rollbook scan` over one migration file holding `sql`.
fn scan(sql: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("001_x.up.sql"), sql).unwrap();
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .arg("scan")
        .arg(dir.path())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn columns_named_like_secrets_leave_the_message_readable() {
    let text = scan(
        "ALTER TABLE users DROP COLUMN password_hash;\n\
         ALTER TABLE users RENAME COLUMN secret_key TO signing_secret;\n\
         DROP TABLE api_tokens;\n",
    );
    assert!(!text.contains("[REDACTED]"), "{text}");
    assert!(
        text.contains("Drops column `users.password_hash`: its values are destroyed"),
        "{text}"
    );
    assert!(
        text.contains("Renames column `users.secret_key` to `signing_secret`: old code breaks"),
        "{text}"
    );
    assert!(
        text.contains("Drops table `api_tokens`: data is destroyed"),
        "{text}"
    );
}

#[test]
fn a_secret_in_the_migration_is_still_masked() {
    let text = scan(
        "ALTER TABLE users DROP COLUMN password_hash;\n\
         UPDATE users SET note = 'DB_PASSWORD=hunter2hunter2';\n",
    );
    assert!(!text.contains("hunter2hunter2"), "{text}");
    assert!(text.contains("DB_PASSWORD=[REDACTED]"), "{text}");
}
