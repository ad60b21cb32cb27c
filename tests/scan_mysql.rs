//! `rollbook scan` on MySQL migrations judged against the history before them: a `MODIFY` or
//! `CHANGE` restates a column's type and nullability, which is a change only where the history
//! says the column was otherwise; and the ALTER forms sqlparser does not parse.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// (file name, rule code) of every finding of `scan DIR`, RB124 (no down) left out.
fn findings(dir: &Path) -> Vec<(String, String)> {
    let out = Command::cargo_bin("rollbook")
        .unwrap()
        .args(["scan", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] != "RB124")
        .map(|f| {
            let file = f["evidence"]["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (name.into_owned(), f["rule"].as_str().unwrap().to_string())
        })
        .collect()
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mysql = dir.path().join("mysql");
    std::fs::create_dir_all(&mysql).unwrap();
    for (name, sql) in files {
        std::fs::write(mysql.join(name), sql).unwrap();
    }
    dir
}

fn has(found: &[(String, String)], file: &str, rule: &str) -> bool {
    found.iter().any(|(f, r)| f == file && r == rule)
}

#[test]
fn a_restated_column_is_judged_against_what_the_history_made_it() {
    let dir = tree(&[
        (
            "001_create.up.sql",
            "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT, note VARCHAR(100), \
             code VARCHAR(20) NOT NULL, title VARCHAR(200), tag VARCHAR(300), \
             short VARCHAR(20), PRIMARY KEY (id));",
        ),
        (
            "002_note.up.sql",
            "ALTER TABLE orders MODIFY COLUMN note VARCHAR(100) NOT NULL;",
        ),
        (
            "003_code.up.sql",
            "ALTER TABLE orders MODIFY code VARCHAR(20) NULL;",
        ),
        (
            "004_title.up.sql",
            "ALTER TABLE orders MODIFY COLUMN title TEXT;",
        ),
        (
            "005_charset.up.sql",
            "ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4;",
        ),
        // Restated as they were: no change of nullability, a longer VARCHAR on its side of the
        // 255-byte length prefix, the key column's AUTO_INCREMENT.
        (
            "006_same.up.sql",
            "ALTER TABLE orders MODIFY note VARCHAR(100) NOT NULL;",
        ),
        (
            "007_longer.up.sql",
            "ALTER TABLE orders MODIFY tag VARCHAR(400);",
        ),
        (
            "008_short.up.sql",
            "ALTER TABLE orders MODIFY short VARCHAR(40);",
        ),
        (
            "009_key.up.sql",
            "ALTER TABLE orders MODIFY id BIGINT UNSIGNED AUTO_INCREMENT;",
        ),
        ("010_rename.up.sql", "ALTER TABLE orders RENAME orders_v2;"),
        // A key column stays NOT NULL without saying so; 128 to 255 characters stays on its side
        // of the 255-byte prefix at every character width.
        (
            "011_tuple.up.sql",
            "CREATE TABLE tuple (store CHAR(26) NOT NULL, object_id VARCHAR(128) NOT NULL, \
             PRIMARY KEY (store, object_id));",
        ),
        (
            "012_extend.up.sql",
            "ALTER TABLE tuple MODIFY COLUMN object_id VARCHAR(255);",
        ),
        (
            "013_cross.up.sql",
            "ALTER TABLE tuple MODIFY COLUMN store VARCHAR(70) NOT NULL;",
        ),
        (
            "014_state.up.sql",
            "CREATE TABLE jobs (id BIGINT PRIMARY KEY, state ENUM('new', 'done') NOT NULL);",
        ),
        // A member added at the end is in place; one added in the middle copies.
        (
            "015_append.up.sql",
            "ALTER TABLE jobs MODIFY state ENUM('new', 'done', 'failed') NOT NULL;",
        ),
        (
            "016_insert.up.sql",
            "ALTER TABLE jobs MODIFY state ENUM('new', 'running', 'done', 'failed') NOT NULL;",
        ),
    ]);
    let found = findings(dir.path());
    assert!(has(&found, "002_note.up.sql", "RB111"), "{found:?}");
    assert!(has(&found, "003_code.up.sql", "RB129"), "{found:?}");
    assert!(has(&found, "004_title.up.sql", "RB121"), "{found:?}");
    assert!(has(&found, "005_charset.up.sql", "RB121"), "{found:?}");
    assert!(
        has(&found, "009_key.up.sql", "RB121"),
        "bigint to unsigned copies: {found:?}"
    );
    assert!(has(&found, "010_rename.up.sql", "RB107"), "{found:?}");
    assert!(
        has(&found, "013_cross.up.sql", "RB121"),
        "char to varchar: {found:?}"
    );
    assert!(has(&found, "016_insert.up.sql", "RB121"), "{found:?}");
    // Appended members: every value stays valid (no RB109) and nothing is copied (no RB121).
    for rule in ["RB109", "RB121"] {
        assert!(!has(&found, "015_append.up.sql", rule), "{found:?}");
    }
    // Each quiet file was scanned (it is in the tree), and nothing was found in it.
    for quiet in [
        "006_same.up.sql",
        "007_longer.up.sql",
        "008_short.up.sql",
        "012_extend.up.sql",
    ] {
        assert!(!found.iter().any(|(f, _)| f == quiet), "{quiet}: {found:?}");
    }
    for rule in ["RB111", "RB129"] {
        assert!(!has(&found, "009_key.up.sql", rule), "{found:?}");
    }
    assert!(
        !found.iter().any(|(_, r)| r == "RB100"),
        "every statement parsed: {found:?}"
    );
}

#[test]
fn without_a_history_a_restatement_is_not_a_change_of_nullability() {
    let dir = tree(&[(
        "001_widen.up.sql",
        "ALTER TABLE orders MODIFY note VARCHAR(255) NOT NULL;\n\
         ALTER TABLE orders MODIFY code VARCHAR(40);",
    )]);
    let found = findings(dir.path());
    for rule in ["RB111", "RB129", "RB121"] {
        assert!(!found.iter().any(|(_, r)| r == rule), "{found:?}");
    }
}
