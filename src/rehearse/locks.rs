//! The locks a rehearsed statement took, read back per relation (the strongest mode of each), and
//! the statement's target and kind that name them.

use super::*;

/// PostgreSQL's table lock modes, weakest first.
/// https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES
pub(super) const LOCK_MODES: [&str; 8] = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
];

/// `Mode on relation` lines → the strongest mode per relation, in relation order.
pub(super) fn strongest(locks: BTreeSet<String>) -> Vec<String> {
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    for l in &locks {
        if let Some((mode, rel)) = l.split_once(" on ") {
            let rank = LOCK_MODES.iter().position(|m| *m == mode).unwrap_or(0);
            let e = best.entry(rel.to_string()).or_insert(rank);
            *e = (*e).max(rank);
        }
    }
    best.into_iter()
        .map(|(rel, r)| format!("{} on {rel}", LOCK_MODES[r]))
        .collect()
}

/// The table an `ALTER TABLE` names, without quotes.
pub(super) fn alter_target(text: &str) -> String {
    text.split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case("table"))
        .nth(1)
        .map(|t| {
            t.trim_matches(|c| c == '`' || c == '"' || c == ';')
                .to_string()
        })
        .unwrap_or_else(|| "the table".to_string())
}

pub(super) fn is_alter_table(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().take(3).collect();
    matches!(
        words.as_slice(),
        ["alter", "table", ..] | ["alter", "online", "table"] | ["alter", "ignore", "table"]
    )
}

/// What a MySQL/MariaDB ALTER held, from the rows it copied.
/// <https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-performance>: COPY
/// copies the table row by row and does not permit concurrent DML; INPLACE may take an
/// exclusive metadata lock briefly and typically allows concurrent DML; INSTANT changes metadata.
pub(super) fn mysql_alter_lock(copied: i64, table: &str) -> String {
    if copied > 0 {
        format!(
            "table copy on {table} ({copied} rows copied): writes to it were blocked throughout"
        )
    } else {
        format!(
            "in place or instant on {table} (no rows copied): a brief exclusive metadata lock; writes typically allowed"
        )
    }
}

pub(super) fn is_txn_control(text: &str) -> bool {
    let l = text.trim_start().to_lowercase();
    ["begin", "commit", "rollback", "start transaction", "end"]
        .iter()
        .any(|w| l == *w || l.starts_with(&format!("{w} ")) || l.starts_with(&format!("{w};")))
}

/// Tables named by a piece's operations (`table`, `tables`, `from`, `to` of the parsed ops).
pub(super) fn op_tables(
    engine: Engine,
    pieces: &[Piece],
) -> (BTreeSet<String>, Vec<crate::evidence::sql::Op>) {
    let mut names = BTreeSet::new();
    let mut ops = Vec::new();
    for p in pieces {
        let o = crate::evidence::sql::text::Origin::file("rehearsal");
        for st in crate::evidence::sql::layout::parse(&p.text, engine.dialect(), &o) {
            for op in st.ops {
                if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&op) {
                    for k in ["table", "tables"] {
                        match m.get(k) {
                            Some(serde_json::Value::String(s)) => {
                                names.insert(bare(s));
                            }
                            Some(serde_json::Value::Array(a)) => {
                                names.extend(a.iter().filter_map(|v| v.as_str()).map(bare));
                            }
                            _ => {}
                        }
                    }
                }
                ops.push(op);
            }
        }
    }
    (names, ops)
}

pub(super) fn bare(name: &str) -> String {
    let n = name.replace(['"', '`'], "");
    n.strip_prefix("public.").unwrap_or(&n).to_string()
}

pub(super) fn bare_table(catalog_table: &str) -> String {
    bare(catalog_table)
}

/// Where a MySQL/MariaDB server shows the metadata locks a session holds, if it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MetadataLocks {
    /// MariaDB's METADATA_LOCK_INFO plugin (loaded on the private server).
    /// https://mariadb.com/kb/en/metadata_lock_info
    MariadbPlugin,
    /// MySQL 8's performance_schema.metadata_locks (on by default since 8.0).
    /// https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
    PerformanceSchema,
}

impl MetadataLocks {
    /// The server's way, or `None` when it has neither.
    pub(super) fn detect(client: &Client) -> Option<MetadataLocks> {
        let one = |q: &str| {
            client
                .query(q)
                .ok()
                .and_then(|r| r.first().and_then(|r| r.first()).cloned())
                .is_some_and(|v| v != "0")
        };
        if one(
            "SELECT count(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'",
        ) {
            Some(MetadataLocks::MariadbPlugin)
        } else if one(
            "SELECT count(*) FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES'",
        ) {
            Some(MetadataLocks::PerformanceSchema)
        } else {
            None
        }
    }

    /// Lists the session's table metadata locks as `rollbook:lock` rows (`MODE on table`).
    pub(super) fn query(self) -> &'static str {
        match self {
            MetadataLocks::MariadbPlugin => {
                "SELECT DISTINCT 'rollbook:lock', CONCAT(LOCK_MODE, ' on ', TABLE_NAME) FROM information_schema.METADATA_LOCK_INFO WHERE THREAD_ID = CONNECTION_ID() AND TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '' ORDER BY 2;\n"
            }
            // PS_CURRENT_THREAD_ID(): MySQL 8.0.16+.
            MetadataLocks::PerformanceSchema => {
                "SELECT DISTINCT 'rollbook:lock', CONCAT(LOCK_TYPE, ' on ', OBJECT_NAME) FROM performance_schema.metadata_locks WHERE OWNER_THREAD_ID = PS_CURRENT_THREAD_ID() AND OBJECT_TYPE = 'TABLE' AND OBJECT_SCHEMA = DATABASE() ORDER BY 2;\n"
            }
        }
    }

    /// What the report says about locks on this server.
    pub(super) fn describe(found: Option<MetadataLocks>) -> String {
        const DDL: &str = "a DDL statement commits implicitly and releases its metadata lock when it ends, so its lock is not read back; an ALTER TABLE's is judged from the rows it copied";
        match found {
            Some(MetadataLocks::MariadbPlugin) => format!(
                "metadata locks of data statements read from information_schema.METADATA_LOCK_INFO inside their transaction; {DDL}"
            ),
            Some(MetadataLocks::PerformanceSchema) => format!(
                "metadata locks of data statements read from performance_schema.metadata_locks inside their transaction; {DDL}"
            ),
            None => format!(
                "this server cannot report metadata locks (no METADATA_LOCK_INFO plugin, no performance_schema metadata lock instrument): no statement's locks are listed; {DDL}"
            ),
        }
    }
}

/// A data statement (not DDL): its metadata locks last until its transaction ends.
pub(super) fn is_data_statement(lower: &str) -> bool {
    let first = lower
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches('(');
    ["insert", "update", "delete", "replace", "select", "with"].contains(&first)
}
