//! Synthetic rows from the columns' types and constraints: row `n` gets a value that is a
//! function of `n`, so values are unique where `n` is, and a foreign key of row `n` points at
//! the parent's row `(n - 1) % rows + 1`, written the same way. Parents are seeded first. A
//! table whose insert the server refuses (a check that cannot be met, a type with no generator)
//! is a reported skip, never a silent one.

use super::Engine;
use super::catalog::quote;
use super::server::Client;
use crate::base::error::Result;
use std::collections::{BTreeMap, BTreeSet};

/// A column as the generator sees it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    /// `format_type` (PostgreSQL) or `column_type` (MySQL).
    ty: String,
    not_null: bool,
    /// Filled by the server (serial, identity, generated, auto_increment).
    auto: bool,
    has_default: bool,
    /// The first label of an enum.
    enum_first: Option<String>,
    /// (parent table, parent column) of a single-column foreign key.
    references: Option<(String, String)>,
}

pub use crate::evidence::rehearsal::Skip;

fn columns(client: &Client, table: &str) -> Result<Vec<Column>> {
    let e = client.engine;
    let lit = table.replace('\'', "''");
    let rows = match e {
        Engine::Postgres => client.query(&format!(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
             (a.attidentity <> '' OR a.attgenerated <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%'), \
             d.adbin IS NOT NULL, \
             coalesce((SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1), ''), \
             coalesce((SELECT c.confrelid::regclass::text || ' ' || af.attname FROM pg_constraint c JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] WHERE c.contype = 'f' AND c.conrelid = a.attrelid AND c.conkey = ARRAY[a.attnum] LIMIT 1), '') \
             FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = '{}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            quote(e, table).replace('\'', "''")
        ))?,
        Engine::Mysql => client.query(&format!(
            "SELECT c.column_name, c.column_type, IF(c.is_nullable = 'NO', 't', 'f'), \
             IF(c.extra LIKE '%auto_increment%' OR c.extra LIKE '%GENERATED%', 't', 'f'), \
             IF(c.column_default IS NULL, 'f', 't'), '', \
             IFNULL((SELECT CONCAT(k.referenced_table_name, ' ', k.referenced_column_name) FROM information_schema.key_column_usage k WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.referenced_table_name IS NOT NULL LIMIT 1), '') \
             FROM information_schema.columns c WHERE c.table_schema = DATABASE() AND c.table_name = '{lit}' ORDER BY c.ordinal_position"
        ))?,
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let f = |i: usize| r.get(i).cloned().unwrap_or_default();
            let ty = f(1);
            let enum_first = if e == Engine::Mysql {
                ty.strip_prefix("enum('")
                    .and_then(|rest| rest.split('\'').next())
                    .map(str::to_string)
            } else {
                Some(f(5)).filter(|s| !s.is_empty())
            };
            let references = Some(f(6)).filter(|s| !s.is_empty()).and_then(|s| {
                s.split_once(' ')
                    .map(|(a, b)| (normalise(e, a), b.to_string()))
            });
            Column {
                name: f(0),
                ty,
                not_null: f(2) == "t",
                auto: f(3) == "t",
                has_default: f(4) == "t",
                enum_first,
                references,
            }
        })
        .collect())
}

/// The value of row `n` (an SQL integer expression) for a type, or `None` without a generator.
fn value(e: Engine, ty: &str, enum_first: Option<&str>, n: &str) -> Option<String> {
    let t = ty.to_lowercase();
    let base = t.split('(').next().unwrap_or("").trim().to_string();
    let len = t
        .split_once('(')
        .and_then(|(_, r)| r.split([')', ',']).next())
        .and_then(|x| x.trim().parse::<u32>().ok());
    if let Some(label) = enum_first {
        return Some(format!("'{}'", label.replace('\'', "''")));
    }
    if base.ends_with("[]") {
        return (e == Engine::Postgres).then(|| format!("'{{}}'::{ty}"));
    }
    let text = |n: &str| match (e, len) {
        (Engine::Postgres, Some(l)) => format!("left('v' || {n}, {l})"),
        (Engine::Postgres, None) => format!("('v' || {n})"),
        (Engine::Mysql, Some(l)) => format!("LEFT(CONCAT('v', {n}), {l})"),
        (Engine::Mysql, None) => format!("CONCAT('v', {n})"),
    };
    let v = match (e, base.as_str()) {
        (_, "smallint" | "int2" | "smallserial") => format!("({n} % 32000)"),
        (Engine::Mysql, "tinyint") if len == Some(1) => format!("({n} % 2)"),
        (Engine::Mysql, "tinyint") => format!("({n} % 100)"),
        (
            _,
            "integer" | "int" | "int4" | "bigint" | "int8" | "mediumint" | "serial" | "bigserial"
            | "numeric" | "decimal" | "real" | "float" | "double" | "double precision" | "float4"
            | "float8",
        ) => n.to_string(),
        (
            _,
            "text" | "character varying" | "varchar" | "character" | "char" | "citext" | "tinytext"
            | "mediumtext" | "longtext" | "bpchar",
        ) => text(n),
        (Engine::Postgres, "boolean" | "bool") => format!("({n} % 2 = 0)"),
        (Engine::Postgres, b) if b.starts_with("timestamp") || b == "date" => {
            format!("(timestamp '2026-01-01' + {n} * interval '1 second')::{ty}")
        }
        (Engine::Postgres, b) if b.starts_with("time") => {
            format!("(time '00:00' + ({n} % 86400) * interval '1 second')::{ty}")
        }
        (Engine::Postgres, "interval") => format!("({n} * interval '1 second')"),
        (Engine::Postgres, "uuid") => format!("md5({n}::text)::uuid"),
        (Engine::Postgres, "json" | "jsonb") => format!("json_build_object('n', {n})::{ty}"),
        (Engine::Postgres, "bytea") => format!("convert_to({n}::text, 'UTF8')"),
        (Engine::Postgres, "inet" | "cidr") => format!("('10.0.0.0'::inet + {n})::{ty}"),
        (Engine::Mysql, "datetime" | "timestamp" | "date") => {
            format!("('2026-01-01' + INTERVAL {n} SECOND)")
        }
        (Engine::Mysql, "time") => format!("SEC_TO_TIME({n} % 86400)"),
        (Engine::Mysql, "year") => format!("(2000 + {n} % 100)"),
        (Engine::Mysql, "json") => format!("JSON_OBJECT('n', {n})"),
        (
            Engine::Mysql,
            "blob" | "tinyblob" | "mediumblob" | "longblob" | "varbinary" | "binary",
        ) => text(n),
        (Engine::Mysql, "set") => "''".to_string(),
        _ => return None,
    };
    Some(if e == Engine::Postgres && !v.contains("::") {
        format!("({v})::{ty}")
    } else {
        v
    })
}

/// A row source of `rows` numbered rows `n` = 1..rows.
fn numbers(e: Engine, rows: u64) -> String {
    match e {
        Engine::Postgres => format!("generate_series(1, {rows}) AS g(n)"),
        Engine::Mysql => {
            // Digits cross-joined: portable across MySQL 8 and MariaDB (no recursion limits).
            let digits = rows.max(1).to_string().len();
            let d = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
            let from: Vec<String> = (0..digits).map(|i| format!("{d} d{i}")).collect();
            let sum: Vec<String> = (0..digits)
                .map(|i| format!("d{i}.d * {}", 10u64.pow(i as u32)))
                .collect();
            format!(
                "(SELECT {} + 1 AS n FROM {}) g WHERE g.n <= {rows}",
                sum.join(" + "),
                from.join(", ")
            )
        }
    }
}

/// The parents first: tables in an order where every referenced table comes before.
fn order(tables: &BTreeMap<String, Vec<Column>>) -> Vec<String> {
    let mut done: Vec<String> = Vec::new();
    let mut left: BTreeSet<String> = tables.keys().cloned().collect();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                tables[*t].iter().all(|c| {
                    c.references
                        .as_ref()
                        .is_none_or(|(p, _)| p == *t || !left.contains(p))
                })
            })
            .cloned()
            .collect();
        // A cycle: take the rest in name order (the insert may then fail: a reported skip).
        let next = if ready.is_empty() {
            left.iter().cloned().collect()
        } else {
            ready
        };
        for t in next {
            left.remove(&t);
            done.push(t);
        }
    }
    done
}

/// Fills `tables` (and the tables they reference) with `rows` rows each.
pub fn seed(client: &Client, tables: &[String], rows: u64) -> Result<Vec<Skip>> {
    let e = client.engine;
    let mut meta: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    let mut queue: Vec<String> = tables.to_vec();
    while let Some(t) = queue.pop() {
        if meta.contains_key(&t) {
            continue;
        }
        let cols = columns(client, &t)?;
        for c in &cols {
            if let Some((p, _)) = &c.references
                && !meta.contains_key(p)
            {
                queue.push(p.clone());
            }
        }
        meta.insert(t, cols);
    }
    let mut skips = Vec::new();
    for t in order(&meta) {
        let cols = &meta[&t];
        match insert_sql(e, &t, cols, rows) {
            Err(reason) => skips.push(Skip { table: t, reason }),
            Ok(sql) => {
                let out = client.run(&format!("{sql};\n"))?;
                if !out.ok {
                    skips.push(Skip {
                        table: t,
                        reason: format!(
                            "the server refused the synthetic rows: {}",
                            super::server::first_error(&out.stderr)
                        ),
                    });
                }
            }
        }
    }
    Ok(skips)
}

/// `public.orders` and `orders` name one table on PostgreSQL (regclass prints without `public.`).
fn normalise(e: Engine, t: &str) -> String {
    match e {
        Engine::Postgres if !t.contains('.') => format!("public.{t}"),
        _ => t.trim_matches('"').to_string(),
    }
}

fn insert_sql(
    e: Engine,
    table: &str,
    cols: &[Column],
    rows: u64,
) -> std::result::Result<String, String> {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for c in cols.iter().filter(|c| !c.auto) {
        let v = match &c.references {
            Some((_, _)) => {
                let m = format!("((n - 1) % {rows} + 1)");
                value(e, &c.ty, c.enum_first.as_deref(), &m)
            }
            None => value(e, &c.ty, c.enum_first.as_deref(), "n"),
        };
        match v {
            Some(v) => {
                names.push(quote(e, &c.name));
                values.push(v);
            }
            None if c.not_null && !c.has_default => {
                return Err(format!(
                    "column {} is NOT NULL without a default and rollbook has no generator for type {}",
                    c.name, c.ty
                ));
            }
            None => {}
        }
    }
    if names.is_empty() {
        return Err("no column rollbook can fill".into());
    }
    Ok(format!(
        "INSERT INTO {} ({}) SELECT {} FROM {}",
        quote(e, table),
        names.join(", "),
        values.join(", "),
        numbers(e, rows)
    ))
}

/// Fills new columns of existing rows as the new version would: row `n` in scan order.
pub fn fill_columns(client: &Client, table: &str, new_cols: &[String]) -> Result<Vec<Skip>> {
    let e = client.engine;
    let cols = columns(client, table)?;
    let mut skips = Vec::new();
    for name in new_cols {
        let Some(c) = cols.iter().find(|c| &c.name == name).filter(|c| !c.auto) else {
            continue;
        };
        let n = match e {
            Engine::Postgres => "n",
            Engine::Mysql => "(@n := @n + 1)",
        };
        let Some(v) = value(e, &c.ty, c.enum_first.as_deref(), n) else {
            skips.push(Skip {
                table: format!("{table}.{name}"),
                reason: format!("no generator for type {}", c.ty),
            });
            continue;
        };
        let q = quote(e, table);
        let col = quote(e, name);
        let sql = match e {
            Engine::Postgres => format!(
                "UPDATE {q} SET {col} = {v} FROM (SELECT ctid AS rid, row_number() OVER () AS n FROM {q}) g WHERE {q}.ctid = g.rid;\n"
            ),
            Engine::Mysql => format!("SET @n := 0;\nUPDATE {q} SET {col} = {v};\n"),
        };
        let out = client.run(&sql)?;
        if !out.ok {
            skips.push(Skip {
                table: format!("{table}.{name}"),
                reason: format!(
                    "the server refused the new values: {}",
                    super::server::first_error(&out.stderr)
                ),
            });
        }
    }
    Ok(skips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_types_and_lengths() {
        assert_eq!(
            value(Engine::Postgres, "character varying(5)", None, "n").as_deref(),
            Some("(left('v' || n, 5))::character varying(5)")
        );
        assert_eq!(
            value(Engine::Mysql, "enum('a','b')", Some("a"), "n").as_deref(),
            Some("'a'")
        );
        assert!(value(Engine::Postgres, "tsvector", None, "n").is_none());
        assert!(numbers(Engine::Mysql, 250).contains("d2.d * 100"));
    }

    #[test]
    fn parents_come_first() {
        let col = |r: Option<&str>| Column {
            name: "x".into(),
            ty: "int".into(),
            not_null: true,
            auto: false,
            has_default: false,
            enum_first: None,
            references: r.map(|p| (p.to_string(), "id".to_string())),
        };
        let mut m = BTreeMap::new();
        m.insert("a_child".to_string(), vec![col(Some("b_parent"))]);
        m.insert("b_parent".to_string(), vec![col(None)]);
        assert_eq!(order(&m), vec!["b_parent", "a_child"]);
    }
}
