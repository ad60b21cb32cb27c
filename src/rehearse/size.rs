//! Production size from a declared store size: the seeded rows' measured bytes per row (table,
//! its indexes and TOAST) turn `architecture.data_stores[].size_gb` into a row count for the
//! tables the deploy touches that declare none. The count is an upper bound, as if the table held
//! the whole store, and says so wherever it is used.

use super::Engine;
use super::catalog::quote;
use super::server::Client;
use crate::base::error::Result;
use std::collections::BTreeMap;

/// Bytes per GB as databases report sizes (`pg_size_pretty`, `information_schema`): 1024³.
const BYTES_PER_GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Bytes per row of each table, measured on the server from the rows it holds now.
pub fn bytes_per_row(client: &Client, tables: &[String]) -> Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for t in tables {
        let q = quote(client.engine, t);
        let sql = match client.engine {
            // pg_total_relation_size: table, indexes and TOAST.
            // https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-DBSIZE
            Engine::Postgres => format!(
                "SELECT pg_total_relation_size('{}'::regclass), count(*) FROM {q}",
                q.replace('\'', "''")
            ),
            // DATA_LENGTH + INDEX_LENGTH, current after ANALYZE TABLE (InnoDB updates them lazily).
            // https://mariadb.com/kb/en/information-schema-tables-table/
            Engine::Mysql => format!(
                "ANALYZE TABLE {q};\nSELECT 'rollbook:size', data_length + index_length, (SELECT count(*) FROM {q}) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{}'",
                t.replace('\'', "''")
            ),
        };
        let rows = client.query(&sql)?;
        let row = rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some("rollbook:size"))
            .map(|r| &r[1..])
            .or_else(|| rows.last().map(|r| r.as_slice()));
        let Some([bytes, count, ..]) = row else {
            continue;
        };
        if let (Ok(b), Ok(n)) = (bytes.parse::<u64>(), count.parse::<u64>())
            && n > 0
        {
            out.insert(t.clone(), b.div_ceil(n));
        }
    }
    Ok(out)
}

/// Row counts for the measured tables that have no declared one: the declared store size over
/// the table's bytes per row, with where each input came from.
pub fn targets_from_size(
    measured: &BTreeMap<String, u64>,
    declared: &BTreeMap<String, (u64, String)>,
    size_gb: f64,
    size_source: &str,
    rows_measured_at: u64,
) -> BTreeMap<String, (u64, String)> {
    let mut out = BTreeMap::new();
    if !(size_gb.is_finite() && size_gb > 0.0) {
        return out;
    }
    for (table, bpr) in measured {
        let bare = table.strip_prefix("public.").unwrap_or(table).to_string();
        if declared.contains_key(&bare) || *bpr == 0 {
            continue;
        }
        let rows = (size_gb * BYTES_PER_GB / *bpr as f64).floor() as u64;
        out.insert(
            bare.clone(),
            (
                rows,
                format!(
                    "derived from {size_source} = {size_gb} GB at {bpr} bytes per row of {bare} measured at {rows_measured_at} rehearsed rows; an upper bound, as if {bare} held the whole store"
                ),
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_becomes_rows_only_where_none_is_declared() {
        let measured = BTreeMap::from([
            ("public.orders".to_string(), 1024u64),
            ("public.users".to_string(), 512u64),
        ]);
        let declared = BTreeMap::from([("users".to_string(), (10u64, "x".to_string()))]);
        let t = targets_from_size(
            &measured,
            &declared,
            2.0,
            "architecture.data_stores[0].size_gb",
            5000,
        );
        assert_eq!(t.len(), 1);
        let (rows, src) = &t["orders"];
        assert_eq!(*rows, 2 * 1024 * 1024);
        assert!(src.starts_with("derived from architecture.data_stores[0].size_gb = 2 GB at 1024 bytes per row of orders measured at 5000"));
        assert!(targets_from_size(&measured, &BTreeMap::new(), f64::NAN, "s", 1).is_empty());
    }
}
