//! Migration files read with no spec (`rollbook scan`): the layouts of [`super::layout`] (paired
//! `.down.sql`, diesel `down.sql`, Flyway `U`, Sqitch `revert/`, goose/dbmate/Liquibase sections)
//! applied to a list of files instead of a spec's changes.

use super::layout::{self, MAX_FILE_BYTES};
use super::text::Origin;
use super::tree;
use super::{Dialect, Migration, Statement};
use crate::evidence::Artifact;
use std::path::{Path, PathBuf};

/// A file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

/// What [`read_files`] read.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// One per up file, in path order; migration `i` has change index `i`.
    pub migrations: Vec<Migration>,
    /// Up files (`migration`) and the downs paired with them (`migration-down`).
    pub artifacts: Vec<Artifact>,
    pub errors: Vec<ReadError>,
    /// SQL files that are not migrations (dumps, seeds, test SQL), with the reason.
    pub not_migrations: Vec<NotJudged>,
    /// Migrations in a dialect rollbook cannot parse, with the reason.
    pub not_judged: Vec<NotJudged>,
    /// Files whose template placeholders were parsed as neutral names.
    pub templated: Vec<String>,
    /// Down files read (or owned by a file not judged), so not listed as orphans.
    pub downs_read: Vec<String>,
    /// The migration tool of each migration, as its layout says (parallel to `migrations`).
    pub tools: Vec<Option<crate::model::MigrationTool>>,
    /// Every file read (ups and downs) and, for the few that hold a `rollbook-ignore` comment,
    /// its text: the comments are applied without reading a tree twice.
    pub texts: std::collections::BTreeMap<String, Option<String>>,
}

/// The text kept of a file read: only one with a `rollbook-ignore` comment needs it again.
fn kept(text: &str) -> Option<String> {
    text.contains("rollbook-ignore").then(|| text.to_string())
}

/// Reads a file as UTF-8 text of at most [`MAX_FILE_BYTES`], regular files only.
fn text_of(path: &Path) -> Result<String, String> {
    crate::base::fsio::read_text(path, MAX_FILE_BYTES).map_err(|why| why.to_string())
}

/// Reads the given `.sql` files, sorted, all in one dialect (see [`read_tree`]).
pub fn read_files(paths: &[PathBuf], dialect: Dialect) -> Read {
    let files: Vec<(PathBuf, PathBuf)> = paths
        .iter()
        .map(|p| (p.clone(), p.parent().unwrap_or(Path::new("")).to_path_buf()))
        .collect();
    read_tree(&files, Some(dialect))
}

/// A file recognised but not judged, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NotJudged {
    pub path: String,
    pub reason: String,
}

/// The down file of an up file: the layout's own pair, else popx's shared down of a dialect up
/// (`X.postgres.up.sql` → `X.down.sql`). `listed`: the files found, whose existence needs no
/// look at the disk.
fn down_of(up: &Path, listed: &std::collections::HashSet<&PathBuf>) -> Option<PathBuf> {
    let is_file = |p: &PathBuf| listed.contains(p) || p.is_file();
    let own = layout::paired_down(up)?;
    if is_file(&own) {
        return Some(own);
    }
    let name = up.file_name()?.to_string_lossy().into_owned();
    let stem = name.strip_suffix(".up.sql")?;
    let (base, infix) = stem.rsplit_once('.')?;
    tree::dialect_from_layout(Path::new(&format!("x.{infix}.sql")), Path::new(""))?;
    let shared = up.with_file_name(format!("{base}.down.sql"));
    is_file(&shared).then_some(shared)
}

/// The texts of one migration, to be parsed.
struct ParseJob {
    dialect: Dialect,
    up: (String, Origin),
    down: Option<(String, Origin)>,
}

/// The statements of one [`ParseJob`].
struct Parsed {
    up: Vec<Statement>,
    down: Vec<Statement>,
    /// Template placeholders were parsed as neutral names.
    templated: bool,
}

/// Below this much SQL one thread parses it all: starting more costs more than it saves.
const PARALLEL_BYTES: usize = 64 * 1024;

fn parse_job(job: &ParseJob) -> Parsed {
    let mut templated = false;
    let mut parse = |(text, o): &(String, Origin)| match tree::untemplate(text) {
        Some(plain) => {
            templated = true;
            layout::parse(&plain, job.dialect, o)
        }
        None => layout::parse(text, job.dialect, o),
    };
    let up = parse(&job.up);
    let down = job.down.as_ref().map(&mut parse).unwrap_or_default();
    Parsed {
        up,
        down,
        templated,
    }
}

/// Parses every job, in their order, on as many threads as there are cores (at most 8) when
/// there is enough SQL to share. Each thread takes the next job not taken, so one long file
/// does not hold up the rest.
fn parse_all(jobs: Vec<ParseJob>) -> Vec<Parsed> {
    let bytes: usize = jobs
        .iter()
        .map(|j| j.up.0.len() + j.down.as_ref().map_or(0, |d| d.0.len()))
        .sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(jobs.len());
    if threads < 2 || bytes < PARALLEL_BYTES {
        return jobs.iter().map(parse_job).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Parsed)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        mine.push((i, parse_job(job)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker only panics if the parser's own panic guard failed: parse that share
            // again here, where the panic is reported as before.
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(jobs.len());
    let mut parsed = done.into_iter().peekable();
    for (i, job) in jobs.iter().enumerate() {
        match parsed.next_if(|(j, _)| *j == i) {
            Some((_, p)) => out.push(p),
            None => out.push(parse_job(job)),
        }
    }
    out
}

/// Reads `.sql` files (each with the root it was found under) in their tools' order: every up
/// file is a migration, with its down from its own sections or its paired down file; down files
/// are read only through their up. Each file's dialect comes from `over` when given, else its
/// layout, else its content, else PostgreSQL. Dumps and test SQL are listed as not migrations,
/// dialects without a parser as not judged; template placeholders are parsed as neutral names.
pub fn read_tree(files: &[(PathBuf, PathBuf)], over: Option<Dialect>) -> Read {
    read_tree_given(files, over, None)
}

/// [`read_tree`], with the text of one file given instead of read (`rollbook scan -`: standard
/// input under its `--stdin-filepath` name). Its layout is read as if it were at that path.
pub fn read_tree_given(
    files: &[(PathBuf, PathBuf)],
    over: Option<Dialect>,
    given: Option<(&Path, &str)>,
) -> Read {
    let roots: std::collections::HashMap<&PathBuf, &PathBuf> =
        files.iter().map(|(p, r)| (p, r)).collect();
    let paths: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let mut out = Read::default();
    let mut downs_read: std::collections::BTreeSet<PathBuf> = Default::default();
    // popx: `X.mysql.down.sql` with no `X.mysql.up.sql` reverts the shared `X.up.sql` on MySQL,
    // so that up runs once more in that dialect, with that down.
    let set: std::collections::HashSet<&PathBuf> = paths.iter().collect();
    let mut variants: std::collections::HashMap<PathBuf, Vec<(PathBuf, tree::FileDialect)>> =
        Default::default();
    for p in &paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some((base, infix)) = name
            .as_deref()
            .and_then(|n| n.strip_suffix(".down.sql"))
            .and_then(|s| s.rsplit_once('.'))
        else {
            continue;
        };
        let Some(d) =
            tree::dialect_from_layout(Path::new(&format!("x.{infix}.sql")), Path::new(""))
        else {
            continue;
        };
        let own_up = p.with_file_name(format!("{base}.{infix}.up.sql"));
        let shared_up = p.with_file_name(format!("{base}.up.sql"));
        if !set.contains(&own_up) && set.contains(&shared_up) {
            variants.entry(shared_up).or_default().push((p.clone(), d));
        }
    }
    let mut units: Vec<(PathBuf, Option<(PathBuf, tree::FileDialect)>)> = Vec::new();
    for file in tree::order(&paths) {
        if layout::is_down_file(&file) {
            continue;
        }
        let extra = variants.remove(&file).unwrap_or_default();
        units.push((file.clone(), None));
        units.extend(extra.into_iter().map(|v| (file.clone(), Some(v))));
    }
    let mut configs = tree::ConfigCache::default();
    // At most one migration per unit: sized once, not grown by doubling (a 20,000-file tree).
    let mut jobs: Vec<ParseJob> = Vec::with_capacity(units.len());
    out.migrations.reserve_exact(units.len());
    out.tools.reserve_exact(units.len());
    for (file, variant) in units {
        let root = roots
            .get(&file)
            .map(|r| r.as_path())
            .unwrap_or(Path::new(""));
        let shown = file.display().to_string();
        let read = match given {
            Some((path, text)) if path == file => Ok(text.to_string()),
            _ => text_of(&file),
        };
        let text = match read {
            Ok(t) => {
                out.texts.insert(shown.clone(), kept(&t));
                t
            }
            Err(message) => {
                out.errors.push(ReadError {
                    path: shown,
                    message,
                });
                continue;
            }
        };
        if over.is_none()
            && let Some(reason) = tree::not_a_migration(&file, root, &text)
        {
            out.not_migrations.push(NotJudged {
                path: shown,
                reason,
            });
            continue;
        }
        let (variant_down, variant_dialect) = match variant {
            Some((d, dialect)) => (Some(d), Some(dialect)),
            None => (None, None),
        };
        let found = match (over, variant_dialect) {
            (Some(d), _) => tree::FileDialect::Judged(d, "--dialect".into()),
            (None, Some(d)) => d,
            (None, None) => tree::dialect_from_layout_cached(&file, root, &mut configs)
                .or_else(|| tree::dialect_from_content(&text))
                .unwrap_or(tree::FileDialect::Judged(
                    Dialect::Postgres,
                    "no dialect in the layout or the SQL: PostgreSQL assumed".into(),
                )),
        };
        let dialect = match found {
            tree::FileDialect::Judged(d, _) => d,
            tree::FileDialect::NotJudged { reason, .. } => {
                // A variant is listed under its down file: the shared up is judged on its own.
                let path = variant_down
                    .as_ref()
                    .map(|d| d.display().to_string())
                    .unwrap_or(shown);
                let down = variant_down.or_else(|| down_of(&file, &set));
                out.not_judged.push(NotJudged { path, reason });
                if let Some(d) = down {
                    downs_read.insert(d);
                }
                continue;
            }
        };
        let sec = layout::sections(&text);
        let up_o = Origin {
            file: shown.clone(),
            first_line: sec.up.1,
            field: None,
        };
        let mut m = Migration {
            change: out.migrations.len(),
            dialect,
            up_source: up_o.source(),
            up: Vec::new(),
            down_source: None,
            down: Vec::new(),
            tool_transaction: tree::tool_transaction(&file, &text),
        };
        out.artifacts.push(Artifact {
            path: shown.clone(),
            kind: "migration".into(),
            findings: 0,
        });
        let mut down_job = None;
        if let Some((down, line)) = sec.down {
            let o = Origin {
                file: shown.clone(),
                first_line: line,
                field: None,
            };
            m.down_source = Some(o.source());
            down_job = Some((down, o));
        } else if let Some(d) = variant_down.clone().or_else(|| down_of(&file, &set)) {
            let shown_d = d.display().to_string();
            match text_of(&d) {
                Ok(text) => {
                    out.texts.insert(shown_d.clone(), kept(&text));
                    let o = Origin::file(&shown_d);
                    m.down_source = Some(o.source());
                    down_job = Some((text, o));
                    out.artifacts.push(Artifact {
                        path: shown_d,
                        kind: "migration-down".into(),
                        findings: 0,
                    });
                }
                Err(message) => out.errors.push(ReadError {
                    path: shown_d,
                    message,
                }),
            }
            downs_read.insert(d);
        }
        out.tools.push(tree::tool_of(&file, &text));
        jobs.push(ParseJob {
            dialect,
            up: (sec.up.0, up_o),
            down: down_job,
        });
        out.migrations.push(m);
    }
    // Parsing is most of a scan's time and each file's is its own: it runs on every core, and
    // the statements go back to their migrations in order, so the result is the same.
    for (m, parsed) in out.migrations.iter_mut().zip(parse_all(jobs)) {
        m.up = parsed.up;
        m.down = parsed.down;
        if parsed.templated {
            out.templated.push(m.up_source.file.clone());
        }
    }
    out.downs_read = downs_read
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_downs_and_reports_unreadable_files() {
        let d = tempfile::tempdir().unwrap();
        let p = |n: &str| d.path().join(n);
        std::fs::write(p("1_a.up.sql"), "CREATE TABLE a (id int);").unwrap();
        std::fs::write(p("1_a.down.sql"), "DROP TABLE a;").unwrap();
        std::fs::write(p("2_b.up.sql"), [0xff, 0xfe]).unwrap();
        let r = read_files(
            &[p("1_a.down.sql"), p("2_b.up.sql"), p("1_a.up.sql")],
            Dialect::Postgres,
        );
        assert_eq!(r.migrations.len(), 1);
        assert_eq!(r.migrations[0].down.len(), 1);
        let kinds: Vec<&str> = r.artifacts.iter().map(|a| a.kind.as_str()).collect();
        assert_eq!(kinds, ["migration", "migration-down"]);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].message.contains("UTF-8"));
    }
}
