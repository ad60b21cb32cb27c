//! Finding migration files and their downs: inline SQL, files, directories and `*` globs, and
//! the layouts of the common migration tools.

use super::text::Origin;
use super::{Dialect, Migration, Statement};
use crate::base::error::{Error, Location, Result};
use crate::evidence::Artifact;
use crate::model::ChangeKind;
use crate::spec::Input;
use std::path::{Path, PathBuf};

/// Largest migration file read.
pub const MAX_FILE_BYTES: u64 = crate::base::fsio::ARTIFACT_BYTES;

/// Parses SQL of a dialect.
pub fn parse(sql: &str, dialect: Dialect, origin: &Origin) -> Vec<Statement> {
    let mut statements = match dialect {
        Dialect::Postgres => super::postgres::parse(sql, origin),
        Dialect::Mysql => super::mysql::parse(sql, origin),
        Dialect::Sqlite => super::mysql::parse_sqlite(sql, origin),
    };
    // A tree's statements live until its rules have run: spare capacity (a vector grows to four
    // for one statement) would be most of a 20,000-file scan's memory.
    statements.shrink_to_fit();
    for s in &mut statements {
        s.ops.shrink_to_fit();
    }
    statements
}

/// Up and down parts of one migration file's text, with the first line of each part.
#[derive(Debug, Clone, PartialEq)]
pub struct Sections {
    pub up: (String, u32),
    /// `None`: the file has no down section.
    pub down: Option<(String, u32)>,
}

/// Splits goose (`-- +goose Up/Down`), dbmate (`-- migrate:up/down`) and Liquibase formatted SQL
/// (`--rollback` lines); any other text is all up.
pub fn sections(text: &str) -> Sections {
    // Every marker holds one of these words, ASCII letters in any case (`rollbac`: a Kelvin sign
    // lowers to `k`): a text without them is all up, found without lowering each line.
    let lower = text.to_ascii_lowercase();
    if !["goose", "migrate", "rollbac"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Sections {
            up: (text.to_string(), 1),
            down: None,
        };
    }
    let norm = |l: &str| {
        l.trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let marker = |l: &str| -> Option<bool> {
        match norm(l).as_str() {
            "-- +goose up" | "--+goose up" | "-- migrate:up" | "--migrate:up" => Some(true),
            "-- +goose down" | "--+goose down" | "-- migrate:down" | "--migrate:down" => {
                Some(false)
            }
            _ => None,
        }
    };
    if lines.iter().any(|l| marker(l).is_some()) {
        let (mut up, mut down) = (None::<(String, u32)>, None::<(String, u32)>);
        let mut cur: Option<bool> = None;
        for (i, l) in lines.iter().enumerate() {
            let n = u32::try_from(i + 2).unwrap_or(u32::MAX);
            if let Some(is_up) = marker(l) {
                cur = Some(is_up);
                let slot = if is_up { &mut up } else { &mut down };
                slot.get_or_insert((String::new(), n));
                continue;
            }
            let slot = match cur {
                Some(true) => &mut up,
                Some(false) => &mut down,
                None => continue,
            };
            if let Some((s, _)) = slot {
                s.push_str(l);
            }
        }
        return Sections {
            up: up.unwrap_or((String::new(), 1)),
            down,
        };
    }
    let is_rollback = |l: &str| l.trim_start().to_lowercase().starts_with("--rollback");
    if lines.iter().any(|l| is_rollback(l)) {
        // Keep line numbers: every line stays, blanked in the part it does not belong to.
        let (mut up, mut down) = (String::new(), String::new());
        for l in &lines {
            let nl = if l.ends_with('\n') { "\n" } else { "" };
            if is_rollback(l) {
                let t = l.trim_start();
                let body = t.get("--rollback".len()..).unwrap_or("").trim_end();
                let lower = body.trim().to_lowercase();
                // `--rollback not required` / `empty` are Liquibase's words for "no rollback".
                if lower != "not required" && lower != "empty" {
                    down.push_str(&" ".repeat(l.len() - t.len() + "--rollback".len()));
                    down.push_str(body);
                }
                down.push_str(nl);
                up.push_str(nl);
            } else {
                up.push_str(l);
                down.push_str(nl);
            }
        }
        return Sections {
            up: (up, 1),
            down: Some((down, 1)),
        };
    }
    Sections {
        up: (text.to_string(), 1),
        down: None,
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A file that is the down of another (picked up through its up, never as an up itself).
pub fn is_down_file(p: &Path) -> bool {
    let n = file_name(p).to_lowercase();
    let in_dir = |d: &str| {
        p.parent()
            .and_then(|d| d.file_name())
            .is_some_and(|x| x.eq_ignore_ascii_case(d))
    };
    n.ends_with(".down.sql")
        || n == "down.sql"
        || is_flyway_undo(&file_name(p))
        || in_dir("revert")
        || in_dir("verify")
}

fn is_flyway_undo(n: &str) -> bool {
    n.strip_prefix('U')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()) && r.contains("__"))
}

/// The conventional down file of an up file, if the layout has one.
pub fn paired_down(up: &Path) -> Option<PathBuf> {
    let n = file_name(up);
    let dir = up.parent().unwrap_or(Path::new(""));
    if let Some(stem) = n.strip_suffix(".up.sql") {
        return Some(dir.join(format!("{stem}.down.sql")));
    }
    if n == "up.sql" {
        return Some(dir.join("down.sql"));
    }
    if let Some(rest) = n.strip_prefix('V').filter(|r| r.contains("__")) {
        return Some(dir.join(format!("U{rest}")));
    }
    if dir.file_name().is_some_and(|d| d == "deploy") {
        return dir.parent().map(|p| p.join("revert").join(&n));
    }
    None
}

fn input_err(spec: &str, field: &str, message: String, help: &str) -> Error {
    Error::input(
        Location::file(spec),
        format!("`{field}`: {message}"),
        Some(help.to_string()),
    )
}

/// Reads a file as UTF-8 text, at most `MAX_FILE_BYTES`, inside the spec's project root.
pub fn read_text(path: &Path, spec: &str, field: &str) -> Result<String> {
    crate::base::fsio::Root::of_spec(spec)
        .read_text(path, MAX_FILE_BYTES)
        .map_err(|why| input_err(spec, field, format!("{} {why}", path.display()), READ_HELP))
}

const READ_HELP: &str = "paths are relative to the spec file's directory and must stay inside the repository; point `path` at this deployment's migration files";

/// Matches a file name against a pattern with `*` wildcards.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return pattern == name;
    }
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = name.get(first.len()..name.len() - last.len()).unwrap_or("");
    for mid in parts.iter().skip(1).take(parts.len().saturating_sub(2)) {
        match rest.find(mid) {
            Some(i) => rest = rest.get(i + mid.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

fn sql_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let how = crate::base::fsio::Walk {
        skip_hidden: false,
        ..crate::base::fsio::WALK
    };
    out.extend(crate::base::fsio::walk(dir, how, |p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"))
    }));
}

/// Resolves `path` (file, directory or `*` glob in the last component), sorted.
pub fn resolve(base: &Path, path: &str, spec: &str, field: &str) -> Result<Vec<PathBuf>> {
    let full = base.join(path);
    let name = file_name(&full);
    let mut out = Vec::new();
    let anchor = if name.contains('*') {
        full.parent().unwrap_or(Path::new("."))
    } else {
        &full
    };
    match crate::base::fsio::Root::of_spec(spec).admit(anchor) {
        Err(crate::base::fsio::Refusal::Missing) | Ok(_) => {}
        Err(why) => {
            return Err(input_err(
                spec,
                field,
                format!("{} {why}", full.display()),
                READ_HELP,
            ));
        }
    }
    if name.contains('*') {
        let dir = full.parent().unwrap_or(Path::new("."));
        if let Ok(rd) = std::fs::read_dir(dir) {
            out = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && wildcard(&name, &file_name(p)))
                .collect();
        }
        out.sort();
    } else if full.is_dir() {
        sql_files_under(&full, &mut out);
    } else if full.is_file() {
        out.push(full.clone());
    } else {
        return Err(input_err(
            spec,
            field,
            format!(
                "{} {}",
                full.display(),
                crate::base::fsio::why_not_file(&full)
            ),
            "paths are relative to the spec file's directory; fix the path or remove the field",
        ));
    }
    if out.is_empty() {
        return Err(input_err(
            spec,
            field,
            format!("no migration files match {}", full.display()),
            "point the field at a .sql file, a directory of them, or a glob like `migrations/*.up.sql`",
        ));
    }
    Ok(out)
}

/// Reads every migration of the spec. See `super::read_for_spec`.
pub fn read_for_spec(input: &Input) -> Result<(Vec<Migration>, Vec<Artifact>)> {
    let spec = &input.spec;
    let spec_file = input.path.as_str();
    let base = Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut migrations = Vec::new();
    let mut artifacts = Vec::new();
    for (i, change) in spec.deployment.changes.iter().enumerate() {
        let wanted = change.kind() == ChangeKind::Migration
            || (change.kind() == ChangeKind::DataOperation && change.sql().is_some());
        if !wanted {
            continue;
        }
        let dialect = change
            .database()
            .as_ref()
            .and_then(|d| spec.architecture.data_stores.iter().find(|s| &s.name == d))
            .map(|s| {
                if s.engine.is_mysql_family() {
                    Dialect::Mysql
                } else {
                    Dialect::Postgres
                }
            })
            .unwrap_or(Dialect::Postgres);
        let field = |f: &str| format!("deployment.changes[{i}].{f}");
        let mut mine: Vec<Migration> = Vec::new();
        if let Some(sql) = change.sql() {
            let o = Origin::field(spec_file, &field("sql"));
            mine.push(Migration {
                change: i,
                dialect,
                up_source: o.source(),
                up: parse(sql, dialect, &o),
                down_source: None,
                down: Vec::new(),
                tool_transaction: super::tree::tool_wraps(
                    change.as_migration().and_then(|m| m.tool),
                ),
            });
        }
        if let Some(path) = change.as_migration().and_then(|m| m.path.as_ref()) {
            let f = field("path");
            for file in resolve(&base, path, spec_file, &f)? {
                if is_down_file(&file) {
                    continue;
                }
                let shown = file.display().to_string();
                let text = read_text(&file, spec_file, &f)?;
                artifacts.push(Artifact {
                    path: shown.clone(),
                    kind: "migration".into(),
                    findings: 0,
                });
                let sec = sections(&text);
                let up_o = Origin {
                    file: shown.clone(),
                    first_line: sec.up.1,
                    field: None,
                };
                let mut m = Migration {
                    change: i,
                    dialect,
                    up_source: up_o.source(),
                    up: parse(&sec.up.0, dialect, &up_o),
                    down_source: None,
                    down: Vec::new(),
                    tool_transaction: super::tree::tool_transaction(&file, &text).or(
                        super::tree::tool_wraps(change.as_migration().and_then(|m| m.tool)),
                    ),
                };
                if let Some((down, line)) = &sec.down {
                    let o = Origin {
                        file: shown.clone(),
                        first_line: *line,
                        field: None,
                    };
                    m.down_source = Some(o.source());
                    m.down = parse(down, dialect, &o);
                } else if let Some(d) = paired_down(&file).filter(|d| d.is_file()) {
                    let shown_d = d.display().to_string();
                    let text = read_text(&d, spec_file, &f)?;
                    artifacts.push(Artifact {
                        path: shown_d.clone(),
                        kind: "migration-down".into(),
                        findings: 0,
                    });
                    let o = Origin::file(&shown_d);
                    m.down_source = Some(o.source());
                    m.down = parse(&text, dialect, &o);
                }
                mine.push(m);
            }
        }
        // An explicit down (inline or file) belongs to the change's last migration.
        let explicit = if let Some(sql) = change.as_migration().and_then(|m| m.down_sql.as_ref()) {
            let o = Origin::field(spec_file, &field("down_sql"));
            Some((o.source(), parse(sql, dialect, &o)))
        } else if let Some(dp) = change.as_migration().and_then(|m| m.down_path.as_ref()) {
            let f = field("down_path");
            let mut stmts = Vec::new();
            let mut first = None;
            for file in resolve(&base, dp, spec_file, &f)? {
                let shown = file.display().to_string();
                let text = read_text(&file, spec_file, &f)?;
                artifacts.push(Artifact {
                    path: shown.clone(),
                    kind: "migration-down".into(),
                    findings: 0,
                });
                let o = Origin::file(&shown);
                first.get_or_insert_with(|| o.source());
                stmts.extend(parse(&text, dialect, &o));
            }
            first.map(|s| (s, stmts))
        } else {
            None
        };
        if let (Some((src, stmts)), Some(last)) = (explicit, mine.last_mut()) {
            last.down_source = Some(src);
            last.down = stmts;
        }
        migrations.extend(mine);
    }
    Ok((migrations, artifacts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Change, Spec};
    use crate::spec::InputForm;

    fn input(dir: &Path, changes: Vec<Change>) -> Input {
        let mut spec = Spec::default();
        spec.deployment.name = "t".into();
        spec.deployment.changes = changes;
        Input {
            path: dir.join("rollbook.yaml").display().to_string(),
            form: InputForm::Yaml,
            spec,
            assumptions: Vec::new(),
        }
    }

    fn mig(path: &str) -> Change {
        let mut c = Change::new(ChangeKind::Migration);
        c.as_migration_mut().unwrap().path = Some(path.into());
        c
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn golang_migrate_pairs_up_and_down() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "m/1_a.up.sql", "CREATE TABLE a (id int);");
        write(d.path(), "m/1_a.down.sql", "\nDROP TABLE a;");
        let (m, arts) = read_for_spec(&input(d.path(), vec![mig("m/*.up.sql")])).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(arts.len(), 2);
        assert_eq!(m[0].down.len(), 1);
        assert_eq!(m[0].down[0].evidence.line, Some(2));
    }

    #[test]
    fn diesel_directory_layout() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "mig/2024_x/up.sql",
            "ALTER TABLE a ADD COLUMN b int;",
        );
        write(
            d.path(),
            "mig/2024_x/down.sql",
            "ALTER TABLE a DROP COLUMN b;",
        );
        let (m, _) = read_for_spec(&input(d.path(), vec![mig("mig")])).unwrap();
        assert_eq!(m.len(), 1, "down.sql must not count as an up");
        assert!(m[0].down_source.is_some());
    }

    #[test]
    fn goose_and_dbmate_sections_keep_lines() {
        let s = sections("-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n");
        assert_eq!(s.up.1, 2);
        assert_eq!(s.down.as_ref().map(|d| d.1), Some(4));
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "db/1.sql",
            "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n",
        );
        let (m, _) = read_for_spec(&input(d.path(), vec![mig("db/1.sql")])).unwrap();
        assert_eq!(m[0].up[0].evidence.line, Some(2));
        assert_eq!(m[0].down[0].evidence.line, Some(5));
    }

    #[test]
    fn liquibase_rollback_lines_and_flyway_undo_and_sqitch() {
        let s = sections(
            "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE a (id int);\n--rollback DROP TABLE a;\n",
        );
        let (down, _) = s.down.unwrap();
        assert_eq!(down.lines().nth(3).map(str::trim), Some("DROP TABLE a;"));
        assert!(!s.up.0.contains("DROP"));
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "f/V2__x.sql", "CREATE TABLE a (id int);");
        write(d.path(), "f/U2__x.sql", "DROP TABLE a;");
        write(d.path(), "s/deploy/x.sql", "CREATE TABLE b (id int);");
        write(d.path(), "s/revert/x.sql", "DROP TABLE b;");
        let (m, _) =
            read_for_spec(&input(d.path(), vec![mig("f"), mig("s/deploy/x.sql")])).unwrap();
        assert_eq!(m.len(), 2);
        assert!(m.iter().all(|m| m.down.len() == 1));
    }

    #[test]
    fn prisma_has_no_down_and_missing_path_is_an_input_error() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "p/20240101_x/migration.sql",
            "CREATE TABLE a (id int);",
        );
        let (m, _) = read_for_spec(&input(d.path(), vec![mig("p")])).unwrap();
        assert!(m[0].down_source.is_none());
        let err = read_for_spec(&input(d.path(), vec![mig("nope.sql")])).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("deployment.changes[0].path") && msg.contains("help:"),
            "{msg}"
        );
    }

    #[test]
    fn not_utf8_is_an_input_error() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("x.sql"), [0xff, 0xfe, 0x00]).unwrap();
        let err = read_for_spec(&input(d.path(), vec![mig("x.sql")])).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"));
    }

    #[test]
    fn inline_sql_cites_the_field() {
        let d = tempfile::tempdir().unwrap();
        let mut c = Change::new(ChangeKind::DataOperation);
        *c.sql_mut().unwrap() = Some("DELETE FROM t;".into());
        let (m, _) =
            read_for_spec(&input(d.path(), vec![Change::new(ChangeKind::Code), c])).unwrap();
        assert_eq!(m[0].change, 1);
        assert_eq!(
            m[0].up[0].evidence.field.as_deref(),
            Some("deployment.changes[1].sql")
        );
    }

    #[test]
    fn wildcard_matching() {
        assert!(wildcard("*.up.sql", "1_a.up.sql"));
        assert!(!wildcard("*.up.sql", "1_a.down.sql"));
        assert!(wildcard("V*__*.sql", "V1__x.sql"));
    }
}
