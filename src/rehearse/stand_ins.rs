//! Stand-ins: the tables and columns a migration needs that no earlier migration made, created
//! before it runs, so that a migration rehearsed alone meets the schema it expects.

use super::*;

/// Tables and columns the up needs that no earlier migration made: created as stand-ins (an
/// `id bigint` key plus the columns the up names, typed as the down re-creates them, else text),
/// and tables the up drops that the down re-creates, made by the down's own statement.
pub(super) fn stand_ins(r: &Rehearsal, client: &Client) -> Result<Vec<String>> {
    use crate::evidence::sql::Op;
    let e = r.engine;
    let cat = catalog::snapshot(client)?;
    let existing: BTreeSet<String> = catalog::tables(&cat)
        .keys()
        .map(|t| bare_table(t))
        .collect();
    let mut columns: BTreeSet<String> = cat
        .keys()
        .filter_map(|k| k.strip_prefix("column "))
        .map(bare)
        .collect();
    let mut made = Vec::new();
    let mut sql = String::new();
    let mut down_creates: BTreeMap<String, String> = BTreeMap::new();
    let mut down_types: BTreeMap<String, String> = BTreeMap::new();
    for m in &r.deploy {
        for p in m.down.iter().flatten() {
            let (_, ops) = op_tables(e, std::slice::from_ref(p));
            for op in ops {
                match op {
                    Op::CreateTable { table } => {
                        down_creates.insert(bare(&table), p.text.clone());
                    }
                    Op::AddColumn {
                        table,
                        column,
                        data_type,
                        ..
                    } => {
                        down_types.insert(format!("{}.{}", bare(&table), bare(&column)), data_type);
                    }
                    _ => {}
                }
            }
        }
    }
    // Names an earlier up of the deploy mentions exist by the time a later one runs: only what
    // no migration in sight makes gets a stand-in.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let words = |text: &str| -> Vec<String> {
        text.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut needed_cols: Vec<(String, String)> = Vec::new();
    let mut needed_tables: BTreeSet<String> = BTreeSet::new();
    let system = |t: &str| t.starts_with("pg_") || t.starts_with("information_schema");
    for p in r.deploy.iter().flat_map(|m| m.up.iter()) {
        let (tables, ops) = op_tables(e, std::slice::from_ref(p));
        let mut created_here = BTreeSet::new();
        for op in &ops {
            match op {
                Op::CreateTable { table } => {
                    created_here.insert(bare(table));
                }
                Op::DropColumn { table, column, .. }
                | Op::AlterColumnType { table, column, .. }
                | Op::SetNotNull { table, column }
                | Op::DropNotNull { table, column }
                | Op::SetDefault { table, column, .. }
                | Op::DropDefault { table, column } => {
                    let (t, c) = (bare(table), bare(column));
                    if !seen.contains(&t) && !created_here.contains(&t) {
                        needed_cols.push((t, c));
                    }
                }
                Op::RenameColumn { table, from, .. } => {
                    let (t, c) = (bare(table), bare(from));
                    if !seen.contains(&t) && !created_here.contains(&t) {
                        needed_cols.push((t, c));
                    }
                }
                _ => {}
            }
        }
        needed_tables.extend(
            tables
                .into_iter()
                .filter(|t| !created_here.contains(t) && !seen.contains(t) && !system(t)),
        );
        seen.extend(words(&p.text));
    }
    let q = |n: &str| catalog::quote(e, n);
    // Plain stand-ins first: the down's CREATE TABLE may reference them.
    for t in needed_tables.iter().filter(|t| !existing.contains(*t)) {
        if !down_creates.contains_key(t) {
            sql.push_str(&format!("CREATE TABLE {} (id bigint PRIMARY KEY);\n", q(t)));
            columns.insert(format!("{t}.id"));
            made.push(format!("table {t} (id bigint primary key)"));
        }
    }
    for t in needed_tables.iter().filter(|t| !existing.contains(*t)) {
        if let Some(create) = down_creates.get(t) {
            sql.push_str(create);
            sql.push_str("\n;\n");
            made.push(format!("table {t} (as the down creates it)"));
            // Its columns exist now; the catalog is not re-read for them.
            for (k, _) in down_types
                .iter()
                .filter(|(k, _)| k.starts_with(&format!("{t}.")))
            {
                columns.insert(k.clone());
            }
            columns.insert(format!("{t}.*"));
        }
    }
    for (t, c) in needed_cols {
        let key = format!("{t}.{c}");
        if columns.contains(&key) || columns.contains(&format!("{t}.*")) {
            continue;
        }
        let ty = down_types
            .get(&key)
            .cloned()
            .unwrap_or_else(|| "text".into());
        sql.push_str(&format!(
            "ALTER TABLE {} ADD COLUMN {} {ty};\n",
            q(&t),
            q(&c)
        ));
        columns.insert(key);
        made.push(format!("column {t}.{c} {ty}"));
    }
    if !sql.is_empty() {
        let out = client.run(&sql)?;
        if !out.ok {
            return Err(Error::Usage(format!(
                "cannot create the stand-in tables the up needs ({}): {}",
                made.join(", "),
                server::first_error(&out.stderr)
            )));
        }
    }
    Ok(made)
}
