//! Migration files read with no spec (`rollbook scan`): the layouts of [`super::layout`] (paired
//! `.down.sql`, diesel `down.sql`, Flyway `U`, Sqitch `revert/`, goose/dbmate/Liquibase sections)
//! applied to a list of files instead of a spec's changes.

use super::layout::{self, MAX_FILE_BYTES};
use super::text::Origin;
use super::{Dialect, Migration};
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
}

/// Reads a file as UTF-8 text of at most [`MAX_FILE_BYTES`], regular files only.
fn text_of(path: &Path) -> Result<String, String> {
    crate::fsio::read_text(path, MAX_FILE_BYTES).map_err(|why| why.to_string())
}

/// Reads the given `.sql` files, sorted: every up file is a migration, with its down from its own
/// sections or its paired down file. Down files are read only through their up. A file that cannot
/// be read is an error entry; the others are still read.
pub fn read_files(paths: &[PathBuf], dialect: Dialect) -> Read {
    let mut files: Vec<&PathBuf> = paths.iter().collect();
    files.sort();
    files.dedup();
    let mut out = Read::default();
    for file in files {
        if layout::is_down_file(file) {
            continue;
        }
        let shown = file.display().to_string();
        let text = match text_of(file) {
            Ok(t) => t,
            Err(message) => {
                out.errors.push(ReadError {
                    path: shown,
                    message,
                });
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
            up: layout::parse(&sec.up.0, dialect, &up_o),
            down_source: None,
            down: Vec::new(),
        };
        out.artifacts.push(Artifact {
            path: shown.clone(),
            kind: "migration".into(),
            findings: 0,
        });
        if let Some((down, line)) = &sec.down {
            let o = Origin {
                file: shown.clone(),
                first_line: *line,
                field: None,
            };
            m.down_source = Some(o.source());
            m.down = layout::parse(down, dialect, &o);
        } else if let Some(d) = layout::paired_down(file).filter(|d| d.is_file()) {
            let shown_d = d.display().to_string();
            match text_of(&d) {
                Ok(text) => {
                    let o = Origin::file(&shown_d);
                    m.down_source = Some(o.source());
                    m.down = layout::parse(&text, dialect, &o);
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
        }
        out.migrations.push(m);
    }
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
