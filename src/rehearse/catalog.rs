//! Snapshots of the schema (one line per object: its key and its definition) and of the rows
//! (every value, keyed by table, row and column), and the differences between two of them.

use super::Engine;
use super::server::{Client, MARKER};
use crate::base::error::Result;
use std::collections::BTreeMap;

/// Every schema object: key (`index public.orders_pkey`) → definition.
pub type Catalog = BTreeMap<String, String>;

const PG_SYSTEM: &str = "('pg_catalog', 'information_schema', 'pg_toast')";

/// The catalog queries of an engine, each returning (key, definition).
fn queries(engine: Engine) -> Vec<String> {
    match engine {
        Engine::Postgres => vec![
            format!("SELECT 'table ' || table_schema || '.' || table_name, table_type FROM information_schema.tables WHERE table_schema NOT IN {PG_SYSTEM} AND table_name <> '{MARKER}'"),
            format!("SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name, format('%s null=%s default=%s', coalesce(domain_name, udt_name) || coalesce('(' || character_maximum_length || ')', ''), is_nullable, coalesce(column_default, 'none')) FROM information_schema.columns WHERE table_schema NOT IN {PG_SYSTEM} AND table_name <> '{MARKER}'"),
            format!("SELECT 'index ' || schemaname || '.' || indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN {PG_SYSTEM}"),
            format!("SELECT 'constraint ' || n.nspname || '.' || cl.relname || '.' || c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname NOT IN {PG_SYSTEM}"),
            format!("SELECT 'type ' || n.nspname || '.' || t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN {PG_SYSTEM} GROUP BY 1"),
            "SELECT 'extension ' || extname, extversion FROM pg_extension".to_string(),
            format!("SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN {PG_SYSTEM} AND p.prokind IN ('f', 'p')"),
            format!("SELECT 'trigger ' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname NOT IN {PG_SYSTEM}"),
            format!("SELECT 'view ' || schemaname || '.' || viewname, md5(definition) FROM pg_views WHERE schemaname NOT IN {PG_SYSTEM}"),
            format!("SELECT 'sequence ' || sequence_schema || '.' || sequence_name, data_type || ' increment ' || increment FROM information_schema.sequences WHERE sequence_schema NOT IN {PG_SYSTEM}"),
        ],
        Engine::Mysql => vec![
            format!("SELECT CONCAT('table ', table_name), table_type FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> '{MARKER}'"),
            format!("SELECT CONCAT('column ', table_name, '.', column_name), CONCAT(column_type, ' null=', is_nullable, ' default=', IFNULL(column_default, 'none'), ' extra=', extra) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> '{MARKER}'"),
            "SELECT CONCAT('index ', table_name, '.', index_name), CONCAT(IF(non_unique = 0, 'unique ', ''), index_type, ' (', GROUP_CONCAT(IFNULL(column_name, '<expr>') ORDER BY seq_in_index), ')') FROM information_schema.statistics WHERE table_schema = DATABASE() GROUP BY table_name, index_name, non_unique, index_type".to_string(),
            "SELECT CONCAT('constraint ', table_name, '.', constraint_name), constraint_type FROM information_schema.table_constraints WHERE constraint_schema = DATABASE()".to_string(),
            "SELECT CONCAT('check ', table_name, '.', constraint_name), check_clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()".to_string(),
            "SELECT CONCAT('foreign key ', table_name, '.', constraint_name), CONCAT(referenced_table_name, ' ', update_rule, ' ', delete_rule) FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()".to_string(),
            "SELECT CONCAT('routine ', routine_type, ' ', routine_name), MD5(routine_definition) FROM information_schema.routines WHERE routine_schema = DATABASE()".to_string(),
            "SELECT CONCAT('trigger ', trigger_name), MD5(action_statement) FROM information_schema.triggers WHERE trigger_schema = DATABASE()".to_string(),
        ],
    }
}

/// The schema now.
pub fn snapshot(client: &Client) -> Result<Catalog> {
    let mut out = Catalog::new();
    // One client run for all the queries: a snapshot per migration stays cheap.
    for row in client.query(&queries(client.engine).join(";\n"))? {
        let key = row.first().cloned().unwrap_or_default();
        // A migration tool's bookkeeping (`--via-tool`) is not the application's schema.
        if key.contains(super::tools::BOOKKEEPING) {
            continue;
        }
        let def = row.get(1..).map(|r| r.join("\t")).unwrap_or_default();
        out.insert(key, def);
    }
    Ok(out)
}

pub use crate::evidence::rehearsal::SchemaDifference;

/// Every difference, in key order.
pub fn diff(before: &Catalog, after: &Catalog) -> Vec<SchemaDifference> {
    let mut out = Vec::new();
    for (k, b) in before {
        match after.get(k) {
            None => out.push(SchemaDifference {
                kind: "missing".into(),
                object: k.clone(),
                before: Some(b.clone()),
                after: None,
            }),
            Some(a) if a != b => out.push(SchemaDifference {
                kind: "changed".into(),
                object: k.clone(),
                before: Some(b.clone()),
                after: Some(a.clone()),
            }),
            Some(_) => {}
        }
    }
    for (k, a) in after {
        if !before.contains_key(k) {
            out.push(SchemaDifference {
                kind: "left_behind".into(),
                object: k.clone(),
                before: None,
                after: Some(a.clone()),
            });
        }
    }
    out
}

/// Every value of every table: table → column → row key → value (`None` for NULL).
pub type Rows = BTreeMap<String, BTreeMap<String, BTreeMap<String, Option<String>>>>;

/// The user tables and their columns, from a catalog.
pub fn tables(cat: &Catalog) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in cat.keys() {
        if let Some(t) = k.strip_prefix("table ")
            && cat
                .get(k)
                .is_some_and(|v| v.contains("TABLE") && !v.contains("VIEW"))
        {
            out.entry(t.to_string()).or_default();
        }
    }
    for k in cat.keys() {
        if let Some(c) = k.strip_prefix("column ")
            && let Some((t, col)) = c.rsplit_once('.')
            && let Some(cols) = out.get_mut(t)
        {
            cols.push(col.to_string());
        }
    }
    out
}

/// Quotes an identifier (`schema.table` split at the dot on PostgreSQL).
pub fn quote(engine: Engine, name: &str) -> String {
    match engine {
        Engine::Postgres => name
            .split('.')
            .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join("."),
        Engine::Mysql => format!("`{}`", name.replace('`', "``")),
    }
}

const NULL: &str = "NULL";

/// Reads every value of the tables in `cat`, keyed by the primary key (else the whole row).
pub fn rows(client: &Client, cat: &Catalog) -> Result<Rows> {
    let e = client.engine;
    let mut out = Rows::new();
    for (table, cols) in tables(cat) {
        if cols.is_empty() {
            continue;
        }
        let pk = primary_key(client, &table)?;
        let text = |c: &str| match e {
            // A fingerprint, not the value: one line per row whatever the value holds.
            Engine::Postgres => format!("coalesce(md5({}::text), '{NULL}')", quote(e, c)),
            Engine::Mysql => format!("IFNULL(MD5(CAST({} AS CHAR)), '{NULL}')", quote(e, c)),
        };
        let key_cols: Vec<&String> = if pk.is_empty() {
            cols.iter().collect()
        } else {
            cols.iter().filter(|c| pk.contains(c)).collect()
        };
        let key_expr = match e {
            Engine::Postgres => key_cols
                .iter()
                .map(|c| text(c))
                .collect::<Vec<_>>()
                .join(" || '|' || "),
            Engine::Mysql => format!(
                "CONCAT_WS('|', {})",
                key_cols
                    .iter()
                    .map(|c| text(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let sel: Vec<String> = cols.iter().map(|c| text(c)).collect();
        let q = format!(
            "SELECT {key_expr}, {} FROM {}",
            sel.join(", "),
            quote(e, &table)
        );
        let data = client.query(&q)?;
        let t = out.entry(table.clone()).or_default();
        for row in data {
            let Some(key) = row.first() else { continue };
            for (c, v) in cols.iter().zip(row.iter().skip(1)) {
                t.entry(c.clone())
                    .or_default()
                    .insert(key.clone(), (v != NULL).then(|| v.clone()));
            }
        }
    }
    Ok(out)
}

fn primary_key(client: &Client, table: &str) -> Result<Vec<String>> {
    let q = match client.engine {
        Engine::Postgres => format!(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '{}'::regclass AND i.indisprimary",
            quote(Engine::Postgres, table).replace('\'', "''")
        ),
        Engine::Mysql => format!(
            "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = '{}' AND constraint_name = 'PRIMARY'",
            table.replace('\'', "''")
        ),
    };
    Ok(client
        .query(&q)?
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect())
}

/// Values (non-NULL) present in `from` that are gone or different in `to`, per `table.column`.
pub fn lost(from: &Rows, to: &Rows) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (t, cols) in from {
        for (c, vals) in cols {
            let now = to.get(t).and_then(|x| x.get(c));
            let n = vals
                .iter()
                .filter(|(k, v)| v.is_some() && now.and_then(|m| m.get(*k)) != Some(*v))
                .count() as u64;
            if n > 0 {
                out.insert(format!("{t}.{c}"), n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_missing_left_behind_and_changed() {
        let before: Catalog = [("index a", "x"), ("column t.c", "text default=none")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let after: Catalog = [("column t.c", "text default='x'"), ("index b", "y")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let d = diff(&before, &after);
        let kinds: Vec<(&str, &str)> = d
            .iter()
            .map(|x| (x.kind.as_str(), x.object.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("changed", "column t.c"),
                ("missing", "index a"),
                ("left_behind", "index b")
            ]
        );
        assert!(diff(&before, &before).is_empty());
    }

    #[test]
    fn lost_counts_values_gone_or_changed_but_not_nulls() {
        let mut from = Rows::new();
        let col = from
            .entry("t".into())
            .or_default()
            .entry("c".into())
            .or_default();
        col.insert("1".into(), Some("a".into()));
        col.insert("2".into(), Some("b".into()));
        col.insert("3".into(), None);
        let mut to = from.clone();
        to.get_mut("t")
            .and_then(|t| t.get_mut("c"))
            .map(|c| c.insert("2".into(), Some("z".into())));
        assert_eq!(lost(&from, &to).get("t.c"), Some(&1));
        assert_eq!(lost(&from, &Rows::new()).get("t.c"), Some(&2));
    }
}
