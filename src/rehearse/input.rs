//! What to rehearse, from a spec (its migration changes, the earlier migrations beside them as
//! history, its declared row counts and losses) or from migration files named on the command
//! line (all of them the deploy: up in order, down in reverse, up again).

use super::split::{Piece, split};
use super::{Engine, MigrationText, Rehearsal};
use crate::base::error::{Error, Location, Result};
use crate::evidence::sql::layout::{self, is_down_file, paired_down, sections};
use crate::evidence::sql::verdict::destroys;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Is this argument a spec (by its extension)?
pub fn is_spec(path: &str) -> bool {
    let l = path.to_lowercase();
    [".yaml", ".yml", ".toml", ".json"]
        .iter()
        .any(|e| l.ends_with(e))
}

fn pieces(text: &str, engine: Engine, file: &str, first_line: u32) -> Result<Vec<Piece>> {
    split(text, engine)
        .map(|ps| {
            ps.into_iter()
                .map(|p| Piece {
                    line: p.line + first_line - 1,
                    ..p
                })
                .collect()
        })
        .map_err(|e| {
            Error::input(
                Location::at(file, e.line + first_line - 1, 1),
                e.message,
                Some("rollbook sends each statement to the server as it is; fix the SQL".into()),
            )
        })
}

/// One migration file: its up, and its down from the same file's sections or the paired file.
fn from_file(file: &Path, engine: Engine, origin: &str, field: &str) -> Result<MigrationText> {
    let shown = file.display().to_string();
    let text = layout::read_text(file, origin, field)?;
    let sec = sections(&text);
    let up = pieces(&sec.up.0, engine, &shown, sec.up.1)?;
    let (down_source, down, down_sha256, down_sql) = if let Some((d, line)) = &sec.down {
        let p = pieces(d, engine, &shown, *line)?;
        (
            Some(shown.clone()),
            Some(p),
            Some(super::sha256(&text)),
            Some(d.clone()),
        )
    } else if let Some(d) = paired_down(file).filter(|d| d.is_file()) {
        let ds = d.display().to_string();
        let dt = layout::read_text(&d, origin, field)?;
        let p = pieces(&dt, engine, &ds, 1)?;
        (Some(ds), Some(p), Some(super::sha256(&dt)), Some(dt))
    } else {
        (None, None, None, None)
    };
    Ok(MigrationText {
        up_source: shown,
        up,
        up_sha256: super::sha256(&text),
        down_source,
        down,
        down_sha256,
        up_sql: sec.up.0.clone(),
        down_sql,
    })
}

/// Migration files named on the command line (files, directories, `*` globs).
pub fn from_paths(paths: &[String], engine: Engine, sizes: Vec<u64>) -> Result<Rehearsal> {
    let mut deploy = Vec::new();
    for p in paths {
        for f in layout::resolve(Path::new(""), p, p, "MIGRATIONS")? {
            if is_down_file(&f) {
                continue;
            }
            deploy.push(from_file(&f, engine, p, "MIGRATIONS")?);
        }
    }
    Ok(Rehearsal {
        engine,
        history: Vec::new(),
        deploy,
        sizes,
        targets: BTreeMap::new(),
        declared_up_loss: Vec::new(),
        declared_down_loss: Vec::new(),
        declared_size: None,
        via_tool: None,
    })
}

/// The earlier migrations of a file's layout, in file order: sibling files before it, or for a
/// directory-per-migration layout (`<dir>/up.sql`) the sibling directories before its own.
fn history_of(file: &Path) -> Vec<PathBuf> {
    use crate::evidence::sql::tree::cmp_natural;
    let Some(dir) = file.parent() else {
        return Vec::new();
    };
    let name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if name == "up.sql" || name == "migration.sql" {
        let (Some(root), Some(own)) = (dir.parent(), dir.file_name()) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        // Tool order: numeric versions numerically (`2` before `10`), as scan orders them.
        let own = own.to_string_lossy().into_owned();
        dirs.sort_by(|a, b| cmp_natural(&file_name(a), &file_name(b)));
        return dirs
            .into_iter()
            .filter(|d| cmp_natural(&file_name(d), &own).is_lt())
            .map(|d| d.join(&name))
            .filter(|f| f.is_file())
            .collect();
    }
    // sqitch: the plan's order, not the files'. https://metacpan.org/pod/sqitch-add (plan file).
    let plan = dir.parent().map(|p| p.join("sqitch.plan"));
    if dir.file_name().is_some_and(|n| n == "deploy")
        && let Some(Ok(text)) = plan.map(std::fs::read_to_string)
    {
        let own = name.to_string_lossy();
        let own = own.strip_suffix(".sql").unwrap_or(&own);
        return text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with(['%', '#', '@']))
            .filter_map(|l| l.split_whitespace().next())
            .take_while(|c| *c != own)
            .map(|c| dir.join(format!("{c}.sql")))
            .filter(|f| f.is_file())
            .collect();
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort_by(|a, b| cmp_natural(&file_name(a), &file_name(b)));
    let own = name.to_string_lossy().into_owned();
    files
        .into_iter()
        .filter(|f| {
            f.is_file()
                && f.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"))
                && !is_down_file(f)
                && cmp_natural(&file_name(f), &own).is_lt()
        })
        .collect()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The migration changes of a spec.
pub fn from_spec(
    path: &str,
    engine_override: Option<Engine>,
    sizes: Vec<u64>,
) -> Result<Rehearsal> {
    let input = crate::spec::load::load(path)?;
    let (migrations, _) = crate::evidence::sql::read_for_spec(&input)?;
    if migrations.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the spec has no migration to rehearse",
            Some(
                "add a change of kind `migration` with `sql`/`path` and `down_sql`/`down_path`"
                    .into(),
            ),
        ));
    }
    let spec = &input.spec;
    let engine = match (engine_override, migrations[0].dialect) {
        (Some(e), _) => e,
        (None, crate::evidence::sql::Dialect::Postgres) => Engine::Postgres,
        (None, crate::evidence::sql::Dialect::Mysql) => Engine::Mysql,
        (None, crate::evidence::sql::Dialect::Sqlite) => {
            return Err(Error::input(
                Location::file(path),
                "the migrations are SQLite: rehearsal runs PostgreSQL or MySQL/MariaDB only",
                Some("pass --ephemeral postgres|mysql if the SQL also runs there".into()),
            ));
        }
    };
    let mut deploy = Vec::new();
    let mut history = Vec::new();
    let mut deploy_files: Vec<String> = Vec::new();
    let mut up_loss = Vec::new();
    let mut down_loss = Vec::new();
    for m in &migrations {
        let change = &spec.deployment.changes[m.change];
        let field = |f: &str| format!("deployment.changes[{}].{f}", m.change);
        let inline_up = m.up_source.field.is_some();
        let mut mt = if inline_up {
            let sql = change.sql().unwrap_or("");
            MigrationText {
                up_source: format!("{path} {}", field("sql")),
                up: pieces(sql, engine, path, 1)?,
                up_sha256: super::sha256(sql),
                down_source: None,
                down: None,
                down_sha256: None,
                up_sql: sql.to_string(),
                down_sql: None,
            }
        } else {
            let file = PathBuf::from(&m.up_source.file);
            if history.is_empty() && deploy.is_empty() {
                for h in history_of(&file) {
                    history.push(from_file(&h, engine, path, &field("path"))?);
                }
            }
            deploy_files.push(m.up_source.file.clone());
            from_file(&file, engine, path, &field("path"))?
        };
        if let Some(ds) = &m.down_source {
            if ds.field.is_some() {
                let sql = change
                    .as_migration()
                    .and_then(|m| m.down_sql.as_deref())
                    .unwrap_or("");
                mt.down_source = Some(format!("{path} {}", field("down_sql")));
                mt.down = Some(pieces(sql, engine, path, 1)?);
                mt.down_sha256 = Some(super::sha256(sql));
                mt.down_sql = Some(sql.to_string());
            } else if mt.down_source.as_deref() != Some(ds.file.as_str()) {
                let text = layout::read_text(Path::new(&ds.file), path, &field("down_path"))?;
                mt.down_source = Some(ds.file.clone());
                mt.down = Some(pieces(&text, engine, &ds.file, 1)?);
                mt.down_sha256 = Some(super::sha256(&text));
                mt.down_sql = Some(text);
            }
        }
        for (_, op) in m.up_ops() {
            up_loss.extend(destroys(op));
        }
        for (_, op) in m.down_ops() {
            down_loss.extend(destroys(op));
        }
        deploy.push(mt);
    }
    // History never includes a file of the deploy itself.
    history.retain(|h| !deploy_files.contains(&h.up_source));
    let mut targets = BTreeMap::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        if let Some(d) = c.as_data_operation()
            && let (Some(t), Some(n)) = (&d.table, d.rows)
        {
            let t = t.strip_prefix("public.").unwrap_or(t).to_string();
            let e = targets.entry(t).or_insert((0, String::new()));
            if n > e.0 {
                *e = (n, format!("{path} deployment.changes[{i}].rows"));
            }
        }
    }
    // The store the migrations run on, if it declares its size.
    let declared_size = migrations.iter().find_map(|m| {
        let change = &spec.deployment.changes[m.change];
        let store = crate::plan::sections::store_for(spec, change)?;
        let i = spec
            .architecture
            .data_stores
            .iter()
            .position(|s| std::ptr::eq(s, store))?;
        store
            .size_gb
            .map(|gb| (gb, format!("{path} architecture.data_stores[{i}].size_gb")))
    });
    Ok(Rehearsal {
        engine,
        history,
        deploy,
        sizes,
        targets,
        declared_up_loss: up_loss,
        declared_down_loss: down_loss,
        declared_size,
        via_tool: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_the_earlier_siblings_of_either_layout() {
        let d = tempfile::tempdir().unwrap();
        for f in ["1_a.up.sql", "1_a.down.sql", "2_b.up.sql", "3_c.up.sql"] {
            std::fs::write(d.path().join(f), "SELECT 1;").unwrap();
        }
        let h = history_of(&d.path().join("3_c.up.sql"));
        let names: Vec<String> = h
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["1_a.up.sql", "2_b.up.sql"]);
        for m in ["2020_a", "2021_b"] {
            std::fs::create_dir_all(d.path().join("m").join(m)).unwrap();
            std::fs::write(d.path().join("m").join(m).join("up.sql"), "SELECT 1;").unwrap();
        }
        let h = history_of(&d.path().join("m/2021_b/up.sql"));
        assert_eq!(h, vec![d.path().join("m/2020_a/up.sql")]);
        // sqitch: the plan's order (`zz_orders` before `add_gift`), tags and pragmas skipped.
        let s = d.path().join("sq");
        std::fs::create_dir_all(s.join("deploy")).unwrap();
        std::fs::write(
            s.join("sqitch.plan"),
            "%project=shop\n\nzz_orders 2024-01-01T00:00:00Z A <a@b> # x\n@v1 2024-01-01T00:00:00Z A <a@b>\nadd_gift 2024-02-01T00:00:00Z A <a@b> # y\n",
        )
        .unwrap();
        for f in ["zz_orders.sql", "add_gift.sql"] {
            std::fs::write(s.join("deploy").join(f), "SELECT 1;").unwrap();
        }
        assert_eq!(
            history_of(&s.join("deploy/add_gift.sql")),
            vec![s.join("deploy/zz_orders.sql")]
        );
    }
}
