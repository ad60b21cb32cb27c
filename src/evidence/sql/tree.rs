//! A tree of migration files as their tools see it: the order they run in, the dialect of each
//! file, the files that are not migrations at all, and templated SQL made parsable.

use super::Dialect;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Largest tool config file read to learn a dialect.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;
/// Directories above a file searched for a tool config.
const MAX_CONFIG_DEPTH: usize = 4;

/// One piece of a name for natural ordering: digit runs compare as numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Chunk {
    /// (digit count without leading zeros, digits): numeric order without overflow.
    Number(usize, String),
    Text(String),
}

/// Natural sort key: `2` before `10`, `V1_2__` before `V1_10__`, timestamps in time order.
pub fn natural_key(s: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    let push = |cur: &mut String, digits: bool, out: &mut Vec<Chunk>| {
        if cur.is_empty() {
            return;
        }
        if digits {
            let t = cur.trim_start_matches('0').to_string();
            out.push(Chunk::Number(t.len(), t));
        } else {
            out.push(Chunk::Text(cur.to_lowercase()));
        }
        cur.clear();
    };
    for c in s.chars() {
        let d = c.is_ascii_digit();
        if d != digits {
            push(&mut cur, digits, &mut out);
            digits = d;
        }
        cur.push(c);
    }
    push(&mut cur, digits, &mut out);
    out
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Does a directory name look like one migration's version (`2`, `v1.2`, `20240101_add_x`)?
fn is_version_dir(name: &str) -> bool {
    let n = name.trim_start_matches(['v', 'V']);
    n.starts_with(|c: char| c.is_ascii_digit())
}

/// Files whose folder is the migration (diesel `up.sql`, Prisma `migration.sql`, numbered
/// version folders): the unit of ordering is the folder.
fn unit_and_set(p: &Path) -> (PathBuf, String) {
    let parent = p.parent().unwrap_or(Path::new(""));
    let name = name_of(p).to_lowercase();
    let folder_is_unit = matches!(name.as_str(), "up.sql" | "down.sql" | "migration.sql")
        || is_version_dir(&name_of(parent));
    if folder_is_unit {
        let set = parent.parent().unwrap_or(Path::new("")).to_path_buf();
        (set, name_of(parent))
    } else {
        (parent.to_path_buf(), String::new())
    }
}

/// Flyway repeatable migrations (`R__x.sql`) run after every versioned one.
fn rank(p: &Path) -> u8 {
    u8::from(name_of(p).starts_with("R__"))
}

/// The changes listed in a Sqitch plan, in deploy order.
fn sqitch_order(set: &Path) -> Option<Vec<String>> {
    if name_of(set) != "deploy" {
        return None;
    }
    let text = read_small(&set.parent()?.join("sqitch.plan"))?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('%') && !l.starts_with('#'))
            .filter(|l| !l.starts_with('@'))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect(),
    )
}

/// An order a tool's own file imposes on a folder of migrations.
enum ToolOrder {
    /// Sqitch: change names in `sqitch.plan`.
    Sqitch(Vec<String>),
    /// Liquibase: the files a changelog includes.
    Liquibase(super::liquibase::Changelog),
}

impl ToolOrder {
    fn of(set: &Path) -> Option<ToolOrder> {
        sqitch_order(set)
            .map(ToolOrder::Sqitch)
            .or_else(|| super::liquibase::Changelog::near(set).map(ToolOrder::Liquibase))
    }

    fn position(&self, p: &Path) -> Option<usize> {
        match self {
            ToolOrder::Sqitch(changes) => {
                let stem = name_of(p);
                let stem = stem.strip_suffix(".sql").unwrap_or(&stem);
                changes.iter().position(|c| c == stem)
            }
            ToolOrder::Liquibase(changelog) => changelog.position(p),
        }
    }
}

/// Orders migration files as their tools run them: grouped by migration folder, then by the
/// tool's own order where a file states one (a Sqitch plan, a Liquibase changelog), then by
/// version (numbers numerically, Flyway repeatables last), then by name. Linear apart from the
/// sort.
pub fn order(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut orders: std::collections::HashMap<PathBuf, Option<ToolOrder>> = Default::default();
    let mut keyed: Vec<_> = paths
        .iter()
        .map(|p| {
            let (set, unit) = unit_and_set(p);
            let planned = orders
                .entry(set.clone())
                .or_insert_with(|| ToolOrder::of(&set))
                .as_ref()
                .and_then(|o| o.position(p))
                .unwrap_or(usize::MAX);
            let key = (
                set.clone(),
                planned,
                rank(p),
                natural_key(&unit),
                natural_key(&name_of(p)),
            );
            (key, p.clone())
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, p)| p).collect()
}

/// The deployment a migration file belongs to, as a key: its own path, except popx's generated
/// sub-steps (`<14-digit timestamp><6-digit step>_name...`), which one `migrate up` applies
/// together: they share the folder and the timestamp.
pub fn deployment_key(path: &Path) -> String {
    let name = name_of(path);
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    match (digits == 20, name.as_bytes().get(20), name.get(..14)) {
        (true, Some(b'_'), Some(stamp)) => {
            format!(
                "{}/{stamp}",
                path.parent().unwrap_or(Path::new("")).display()
            )
        }
        _ => path.display().to_string(),
    }
}

/// How a file's dialect was learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileDialect {
    /// Parsed in this dialect; the string says why (for `--format json`).
    Judged(Dialect, String),
    /// Recognised but not parsed: no parser for it.
    NotJudged {
        engine: &'static str,
        reason: String,
    },
}

/// A dialect word in a folder name or a file name's dot-separated part.
fn dialect_word(w: &str) -> Option<Result<Dialect, &'static str>> {
    Some(match w.to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" | "pg" | "psql" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::Mysql),
        "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
        "cockroach" | "cockroachdb" | "crdb" => Err("CockroachDB"),
        "sqlserver" | "mssql" => Err("SQL Server"),
        "oracle" => Err("Oracle"),
        "clickhouse" => Err("ClickHouse"),
        _ => return None,
    })
}

fn not_judged(engine: &'static str) -> FileDialect {
    FileDialect::NotJudged {
        engine,
        reason: format!("{engine} SQL: rollbook has no {engine} parser, so it was not judged"),
    }
}

/// The dialect a layout gives a file: a dialect part of its name (`x.mysql.up.sql`), then the
/// nearest folder named for one (`mysql/`), then a tool config in a folder above it.
pub fn dialect_from_layout(path: &Path, root: &Path) -> Option<FileDialect> {
    dialect_from_layout_cached(path, root, &mut ConfigCache::default())
}

/// Tool configs already looked for, by folder: a tree of 20,000 files has a few folders.
#[derive(Debug, Default)]
pub struct ConfigCache(std::collections::HashMap<PathBuf, Option<FileDialect>>);

/// [`dialect_from_layout`] with the folders' configs looked up once.
pub fn dialect_from_layout_cached(
    path: &Path,
    root: &Path,
    cache: &mut ConfigCache,
) -> Option<FileDialect> {
    let name = name_of(path);
    for part in name.split('.') {
        match dialect_word(part) {
            Some(Ok(d)) => {
                return Some(FileDialect::Judged(
                    d,
                    format!("`.{part}.` in the file name"),
                ));
            }
            Some(Err(e)) => return Some(not_judged(e)),
            None => {}
        }
    }
    let below = path.strip_prefix(root).unwrap_or(path);
    let mut dirs: Vec<&std::ffi::OsStr> = below.parent().into_iter().flatten().collect();
    if dirs.is_empty() {
        dirs = path.parent().into_iter().flatten().collect();
    }
    for d in dirs.iter().rev() {
        let d = d.to_string_lossy();
        match dialect_word(&d) {
            Some(Ok(x)) => return Some(FileDialect::Judged(x, format!("the folder `{d}/`"))),
            Some(Err(e)) => return Some(not_judged(e)),
            None => {}
        }
    }
    let mut dir = path.parent();
    for _ in 0..MAX_CONFIG_DEPTH {
        let Some(d) = dir else { break };
        let found = cache
            .0
            .entry(d.to_path_buf())
            .or_insert_with(|| dialect_from_config(d));
        if let Some(found) = found {
            return Some(found.clone());
        }
        dir = d.parent();
    }
    None
}

/// A dialect named by a migration tool's config file in `dir`.
fn dialect_from_config(dir: &Path) -> Option<FileDialect> {
    let judged = |d: Dialect, file: &str| Some(FileDialect::Judged(d, format!("`{file}`")));
    let from_url = |text: &str, file: &str| -> Option<FileDialect> {
        let t = text.to_ascii_lowercase();
        if t.contains("mysql") || t.contains("mariadb") {
            judged(Dialect::Mysql, file)
        } else if t.contains("sqlite") {
            judged(Dialect::Sqlite, file)
        } else if t.contains("cockroach") {
            Some(not_judged("CockroachDB"))
        } else if t.contains("postgres") || t.contains(":pg:") || t.contains("= pg") {
            judged(Dialect::Postgres, file)
        } else {
            None
        }
    };
    for file in ["flyway.conf", "dbconfig.yml", "sqitch.conf", "atlas.hcl"] {
        if let Some(text) = read_small(&dir.join(file)) {
            // flyway.url=jdbc:mysql:..., sql-migrate `dialect: mysql`, sqitch `engine = pg`,
            // atlas `url = "mysql://..."`.
            let relevant: String = text
                .lines()
                .filter(|l| {
                    let l = l.to_ascii_lowercase();
                    l.contains("url") || l.contains("dialect") || l.contains("engine")
                })
                .collect::<Vec<_>>()
                .join("\n");
            if let Some(d) = from_url(&relevant, file) {
                return Some(d);
            }
        }
    }
    for file in ["schema.prisma", "prisma/schema.prisma", "../schema.prisma"] {
        if let Some(text) = read_small(&dir.join(file))
            && let Some(line) = text
                .lines()
                .find(|l| l.trim_start().starts_with("provider") && !l.contains("prisma-client"))
            && let Some(d) = from_url(line, "schema.prisma")
        {
            return Some(d);
        }
    }
    None
}

/// A dialect read from the SQL itself, when the layout says nothing. Comments are not SQL: a
/// PostgreSQL file whose comments quote names in Markdown backquotes is not MySQL.
pub fn dialect_from_content(text: &str) -> Option<FileDialect> {
    let code = without_comments(text);
    let text = code.as_str();
    let upper = text.to_ascii_uppercase();
    let mysql = text.contains('`')
        || upper.contains("ENGINE=")
        || upper.contains("ENGINE =")
        || upper.contains("AUTO_INCREMENT")
        || upper.contains("MODIFY COLUMN");
    if mysql {
        return Some(FileDialect::Judged(
            Dialect::Mysql,
            "MySQL syntax in the file (backquotes, ENGINE=, AUTO_INCREMENT or MODIFY COLUMN)"
                .into(),
        ));
    }
    if upper.contains("AUTOINCREMENT") || upper.contains("PRAGMA ") {
        return Some(FileDialect::Judged(
            Dialect::Sqlite,
            "SQLite syntax in the file (AUTOINCREMENT or PRAGMA)".into(),
        ));
    }
    None
}

/// The text without its `--` and `/* */` comments (each replaced by one space; the newline that
/// ends a line comment is kept). Quoted strings are kept whole: `'--'` starts no comment.
fn without_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i, mut quoted) = (0, 0, false);
    while let Some(&c) = b.get(i) {
        if quoted {
            quoted = c != b'\'';
            i += 1;
            continue;
        }
        let end = match (c, b.get(i + 1)) {
            (b'\'', _) => {
                quoted = true;
                None
            }
            (b'-', Some(b'-')) => Some(text[i..].find('\n').map_or(b.len(), |e| i + e)),
            (b'/', Some(b'*')) => Some(text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2)),
            _ => None,
        };
        match end {
            // Comment delimiters are ASCII: both ends are character boundaries.
            Some(end) => {
                out.push_str(&text[copied..i]);
                out.push(' ');
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Why a `.sql` file under a scanned folder is not a migration, if it is not.
pub fn not_a_migration(path: &Path, root: &Path, text: &str) -> Option<String> {
    let name = name_of(path).to_ascii_lowercase();
    let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    if head.contains("postgresql database dump") || head.contains("mysql dump") {
        return Some("a database dump (pg_dump or mysqldump output), not a migration".into());
    }
    if matches!(
        name.as_str(),
        "schema.sql" | "structure.sql" | "dump.sql" | "init.sql"
    ) {
        return Some(format!(
            "`{name}` holds a whole schema, not a migration: each statement would be judged as a change"
        ));
    }
    if name.starts_with("seed") {
        return Some("seed data, not a migration".into());
    }
    let below = path.strip_prefix(root).ok()?;
    let test_dir = below.parent().into_iter().flatten().any(|c| {
        matches!(
            c.to_string_lossy().to_ascii_lowercase().as_str(),
            "test" | "tests" | "testdata" | "fixtures" | "testing"
        )
    });
    if test_dir {
        return Some("SQL under a test folder, not a migration of the application".into());
    }
    None
}

/// Template placeholders (`{{ .X }}`, `${x}`, psql `:name`) replaced by neutral identifiers of the
/// same length, so lines and columns stay true. Returns `None` when there are none.
pub fn untemplate(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut changed = false;
    let mut i = 0;
    let neutral = |out: &mut Vec<u8>, len: usize| {
        out.push(b'x');
        out.extend(std::iter::repeat_n(b'_', len.saturating_sub(1)));
    };
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        let close = match (c, next) {
            (b'{', Some(b'{')) => text.get(i..).and_then(|t| t.find("}}")).map(|e| e + 2),
            (b'$', Some(b'{')) => text.get(i..).and_then(|t| t.find('}')).map(|e| e + 1),
            (b':', Some(n))
                if (n.is_ascii_alphabetic() || n == b'\'' || n == b'"')
                    && i.checked_sub(1).and_then(|p| b.get(p)) != Some(&b':') =>
            {
                let rest = text.get(i + 1..).unwrap_or("");
                let len = if n == b'\'' || n == b'"' {
                    rest.get(1..)
                        .and_then(|r| r.find(n as char))
                        .map(|e| e + 2)
                        .unwrap_or(0)
                } else {
                    rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                        .unwrap_or(rest.len())
                };
                (len > 0).then_some(len + 1)
            }
            _ => None,
        };
        match close {
            // Placeholders never span lines: a lone `{{` is left as it is.
            Some(len) if text.get(i..i + len).is_some_and(|t| !t.contains('\n')) => {
                neutral(&mut out, len);
                changed = true;
                i += len;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Does the file's migration tool run it inside a transaction of its own? goose does unless
/// `-- +goose NO TRANSACTION`; dbmate unless `-- migrate:up transaction:false`; diesel unless its
/// `metadata.toml` sets `run_in_transaction = false`; Flyway does on PostgreSQL. `None`: the
/// layout does not say (golang-migrate, Sqitch and plain files run what the file says).
pub fn tool_transaction(path: &Path, text: &str) -> Option<bool> {
    // https://pressly.github.io/goose/documentation/annotations/
    // https://github.com/amacneil/dbmate (transaction:false)
    // https://docs.diesel.rs/2.2.x/diesel/migration/trait.MigrationMetadata.html
    let lower = text.to_ascii_lowercase();
    let mut lines = lower.lines().map(str::trim);
    if lower.contains("+goose up") {
        return Some(!lines.any(|l| l.starts_with("-- +goose no transaction")));
    }
    if lower.contains("migrate:up") {
        return Some(
            !lines.any(|l| l.starts_with("-- migrate:up") && l.contains("transaction:false")),
        );
    }
    let name = name_of(path).to_ascii_lowercase();
    if name == "up.sql" {
        let off = path
            .parent()
            .and_then(|d| read_small(&d.join("metadata.toml")))
            .is_some_and(|m| {
                m.lines().any(|l| {
                    let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
                    l == "run_in_transaction=false"
                })
            });
        return Some(!off);
    }
    if name.starts_with('v') && name.contains("__") {
        return Some(true);
    }
    None
}

/// Does a migration tool run each migration inside a transaction of its own by default (see
/// [`tool_transaction`])? `None` for tools that run what the file says.
pub fn tool_wraps(tool: Option<crate::model::MigrationTool>) -> Option<bool> {
    use crate::model::MigrationTool as T;
    match tool? {
        T::Goose | T::Dbmate | T::Diesel | T::Flyway => Some(true),
        _ => None,
    }
}

/// The migration tool a file's layout belongs to, when it says.
pub fn tool_of(path: &Path, text: &str) -> Option<crate::model::MigrationTool> {
    use crate::model::MigrationTool as T;
    let lower = text.to_ascii_lowercase();
    let name = name_of(path).to_ascii_lowercase();
    let parent = path.parent().map(name_of).unwrap_or_default();
    Some(if lower.contains("+goose up") {
        T::Goose
    } else if lower.contains("migrate:up") {
        T::Dbmate
    } else if lower.contains("liquibase formatted sql") {
        T::Liquibase
    } else if name == "up.sql" {
        T::Diesel
    } else if name == "migration.sql" {
        T::Prisma
    } else if name.ends_with(".up.sql") {
        T::GolangMigrate
    } else if name.starts_with('v') && name.contains("__") || name.starts_with("r__") {
        T::Flyway
    } else if parent == "deploy" {
        T::Sqitch
    } else {
        return None;
    })
}

/// Reads a small config file; `None` when absent, too large or not text.
fn read_small(path: &Path) -> Option<String> {
    crate::base::fsio::read_text(path, MAX_CONFIG_BYTES).ok()
}

/// Compares two paths in tool order (see [`order`]).
pub fn cmp_natural(a: &str, b: &str) -> Ordering {
    natural_key(a).cmp(&natural_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_numerically() {
        let ps: Vec<PathBuf> = ["m/10/a.sql", "m/2/a.sql", "m/V1_10__x.sql", "m/V1_2__x.sql"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let o: Vec<String> = order(&ps).iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            o,
            ["m/V1_2__x.sql", "m/V1_10__x.sql", "m/2/a.sql", "m/10/a.sql"]
        );
        assert_eq!(cmp_natural("9_a", "10_a"), Ordering::Less);
    }

    #[test]
    fn dialect_from_names_and_content() {
        let root = Path::new("r");
        let d = |p: &str| dialect_from_layout(Path::new(p), root);
        assert!(matches!(
            d("r/1_x.mysql.up.sql"),
            Some(FileDialect::Judged(Dialect::Mysql, _))
        ));
        assert!(matches!(
            d("r/sqlite/1.sql"),
            Some(FileDialect::Judged(Dialect::Sqlite, _))
        ));
        assert!(matches!(
            d("r/1_x.cockroach.up.sql"),
            Some(FileDialect::NotJudged { .. })
        ));
        assert!(matches!(
            dialect_from_content("ALTER TABLE `a` MODIFY COLUMN b int;"),
            Some(FileDialect::Judged(Dialect::Mysql, _))
        ));
        assert!(dialect_from_content("ALTER TABLE a ADD COLUMN b int;").is_none());
        // lemmy's diesel setup: PostgreSQL whose comments quote names in backquotes.
        let commented = "-- Sets `updated_at` whenever the row is modified\n\
            /* see `diesel_manage_updated_at`\n ENGINE=x */\n\
            ALTER TABLE a ADD COLUMN b text;";
        assert!(dialect_from_content(commented).is_none());
        // `--` in a string starts no comment.
        assert!(matches!(
            dialect_from_content("-- a comment\nSELECT '--'; CREATE TABLE `t` (id int);"),
            Some(FileDialect::Judged(Dialect::Mysql, _))
        ));
    }

    #[test]
    fn placeholders_become_neutral_names_of_the_same_length() {
        let t = "CREATE TABLE {{ .Table }} (id int);\nSELECT ${x}, :name, a::int, ':=';";
        let u = untemplate(t).unwrap();
        assert_eq!(u.len(), t.len());
        assert!(u.starts_with("CREATE TABLE x___________ (id int);"), "{u}");
        assert!(u.contains("x___, x____, a::int"), "{u}");
        assert!(untemplate("SELECT a::text;").is_none());
    }
}
