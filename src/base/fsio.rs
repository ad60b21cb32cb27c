//! The one reader of user files. Repositories and specs are written by anyone and rollbook runs
//! in CI with secrets in its environment, so every file it reads goes through here:
//!
//! - **regular files only**: a device, FIFO or socket is refused before it is opened for reading
//!   (opened non-blocking and checked again on the open handle, so a swap in between is caught);
//! - **bounded reads**: at most the limit + 1 bytes are read, whatever the metadata says (it says 0
//!   for `/dev/zero`, pipes and `/proc` files);
//! - **inside the project**: a path a spec names, and every file reached by walking, must resolve
//!   (after symlinks) inside the project root — the git work tree holding the spec, or the spec's
//!   folder when there is none. `/proc`, `/sys` and `/dev` are refused everywhere. Only a file
//!   named on the command line may lie elsewhere.
//! - **one walker** with depth, file-count and symlink-loop protection that never leaves the
//!   directory it walks.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Limit of a spec, brief or policy file.
pub const SPEC_BYTES: u64 = 4 * 1024 * 1024;
/// Limit of a migration or manifest file.
pub const ARTIFACT_BYTES: u64 = 8 * 1024 * 1024;
/// Limit of one side of a config diff.
pub const CONFIG_BYTES: u64 = 4 * 1024 * 1024;
/// Limit of a Terraform plan JSON, in `plan` and `scan` alike.
pub const TERRAFORM_PLAN_BYTES: u64 = 64 * 1024 * 1024;
/// Limit of a drill script, drill plan JSON or drill log.
pub const DRILL_BYTES: u64 = 16 * 1024 * 1024;

/// Directories whose entries are never user files, even when they look like regular files
/// (`/proc/self/environ` is a regular file of size 0 holding the whole environment).
const SYSTEM_DIRS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Why a file was not read, in plain words (shown after the path).
#[derive(Debug)]
pub enum Refusal {
    Missing,
    Directory,
    /// A device, FIFO or socket: `kind` names which.
    NotRegular(&'static str),
    System(PathBuf),
    Outside {
        resolved: PathBuf,
        root: PathBuf,
    },
    TooLarge {
        limit: u64,
    },
    NotUtf8 {
        offset: usize,
    },
    Io(std::io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => write!(f, "does not exist"),
            Refusal::Directory => write!(f, "is a directory, not a file"),
            Refusal::NotRegular(kind) => write!(f, "is a {kind}, not a regular file; not read"),
            Refusal::System(p) => write!(
                f,
                "resolves to {}, a system path (/proc, /sys, /dev); not read",
                p.display()
            ),
            Refusal::Outside { resolved, root } => write!(
                f,
                "resolves to {}, outside the project root {}; only files inside the repository are read unless named on the command line",
                resolved.display(),
                root.display()
            ),
            Refusal::TooLarge { limit } => {
                write!(f, "is larger than the limit of {}", human_size(*limit))
            }
            Refusal::NotUtf8 { offset } => {
                write!(f, "is not UTF-8 text (invalid byte at offset {offset})")
            }
            Refusal::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// `4194304` → `4 MiB`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file is when it is not a regular file (`None` when it is).
pub fn kind_of(ft: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_file() {
        None
    } else if ft.is_dir() {
        Some("directory")
    } else if ft.is_char_device() {
        Some("character device")
    } else if ft.is_block_device() {
        Some("block device")
    } else if ft.is_fifo() {
        Some("FIFO (named pipe)")
    } else if ft.is_socket() {
        Some("socket")
    } else {
        Some("special file")
    }
}

fn is_system(resolved: &Path) -> bool {
    SYSTEM_DIRS.iter().any(|d| resolved.starts_with(d))
}

/// Reads a file named on the command line: regular files only, at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e),
    })?;
    if meta.is_dir() {
        return Err(Refusal::Directory);
    }
    if let Some(kind) = kind_of(&meta.file_type()) {
        return Err(Refusal::NotRegular(kind));
    }
    if let Ok(resolved) = std::fs::canonicalize(path)
        && is_system(&resolved)
    {
        return Err(Refusal::System(resolved));
    }
    let file = open_nonblocking(path).map_err(Refusal::Io)?;
    // Checked again on the handle: the path may have been swapped for a FIFO meanwhile.
    let meta = file.metadata().map_err(Refusal::Io)?;
    if let Some(kind) = kind_of(&meta.file_type()) {
        return Err(Refusal::NotRegular(kind));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads standard input to its end, at most `limit` bytes (`limit` + 1 are read to tell).
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge { limit });
    }
    Ok(bytes)
}

fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so a FIFO without a writer cannot hang the open.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Why `path` is not a file that can be read (`does not exist`, `is a character device…`).
pub fn why_not_file(path: &Path) -> Refusal {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Refusal::Missing,
        Err(e) => Refusal::Io(e),
        Ok(m) if m.is_dir() => Refusal::Directory,
        Ok(m) => match kind_of(&m.file_type()) {
            Some(kind) => Refusal::NotRegular(kind),
            None => Refusal::Io(std::io::Error::other("unreadable")),
        },
    }
}

/// [`read`], as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, Refusal> {
    let bytes = read(path, limit)?;
    String::from_utf8(bytes).map_err(|e| Refusal::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// The folder every path of a spec must resolve into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    dir: PathBuf,
}

impl Root {
    /// The root of a spec file: the git work tree holding it, else its folder.
    pub fn of_spec(spec: &str) -> Root {
        let dir = match Path::new(spec).parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Root::of_dir(&dir)
    }

    /// The root of a folder: the git work tree holding it (a `.git` directory or file in it or an
    /// ancestor), else the folder itself.
    pub fn of_dir(dir: &Path) -> Root {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let work_tree = dir
            .ancestors()
            .find(|a| std::fs::symlink_metadata(a.join(".git")).is_ok())
            .map(Path::to_path_buf);
        Root {
            dir: work_tree.unwrap_or(dir),
        }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The resolved path of `path` when it lies inside the root and outside the system folders.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let resolved = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Refusal::Missing,
            _ => Refusal::Io(e),
        })?;
        if is_system(&resolved) {
            return Err(Refusal::System(resolved));
        }
        if !resolved.starts_with(&self.dir) {
            return Err(Refusal::Outside {
                resolved,
                root: self.dir.clone(),
            });
        }
        Ok(resolved)
    }

    /// Reads a file a spec names: inside the root, regular, at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        let resolved = self.admit(path)?;
        read(&resolved, limit)
    }

    /// [`Root::read`], as UTF-8 text.
    pub fn read_text(&self, path: &Path, limit: u64) -> Result<String, Refusal> {
        let resolved = self.admit(path)?;
        read_text(&resolved, limit)
    }
}

/// How [`walk`] walks.
#[derive(Debug, Clone, Copy)]
pub struct Walk {
    /// Levels below the start directory entered (0: its own entries only).
    pub max_depth: usize,
    /// Files returned at most.
    pub max_files: usize,
    /// Skip entries whose name starts with `.` (`.git`, `.terraform`).
    pub skip_hidden: bool,
}

/// Levels walked below a directory a spec or a command line names, in every command: deep
/// enough for any monorepo layout; the file count ([`Walk::max_files`]) bounds the work.
pub const MAX_DEPTH: usize = 16;

/// Default walk limits of every command.
pub const WALK: Walk = Walk {
    max_depth: MAX_DEPTH,
    max_files: 10_000,
    skip_hidden: true,
};

/// Where a walked file resolves. A plain file (not a symlink) resolves where its folder does, so
/// each folder is resolved once (`dirs`), not each of its files: a tree of 20,000 migrations
/// would spend more time resolving paths than parsing them.
fn resolve_entry(
    entry: &walkdir::DirEntry,
    dirs: &mut std::collections::HashMap<PathBuf, Option<PathBuf>>,
) -> Option<PathBuf> {
    let path = entry.path();
    match (entry.path_is_symlink(), path.parent(), path.file_name()) {
        (false, Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            let dir = dirs
                .entry(parent.to_path_buf())
                .or_insert_with(|| std::fs::canonicalize(parent).ok());
            dir.as_ref().map(|d| d.join(name))
        }
        _ => std::fs::canonicalize(path).ok(),
    }
}

/// The regular files under `dir` that `keep` accepts, sorted, each once. Symlinks are followed
/// only while they stay inside `dir` (a `parent -> ..` link is not entered); loops, system paths,
/// devices and FIFOs are skipped.
pub fn walk(dir: &Path, how: Walk, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let Ok(top) = std::fs::canonicalize(dir) else {
        return Vec::new();
    };
    if is_system(&top) {
        return Vec::new();
    }
    // Only ever asked "seen before?": hashed, not ordered (the result is sorted below).
    let mut seen = std::collections::HashSet::new();
    let mut dirs = std::collections::HashMap::new();
    let mut out = Vec::new();
    // Entered or kept only while it resolves inside the walked directory.
    let inside =
        |p: &Path| std::fs::canonicalize(p).is_ok_and(|r| r.starts_with(&top) && !is_system(&r));
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(how.max_depth.saturating_add(1))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if how.skip_hidden && hidden {
                return false;
            }
            // A plain file is judged below, where it is resolved anyway: one resolution each.
            if e.file_type().is_file() && !e.path_is_symlink() {
                return true;
            }
            inside(e.path())
        });
    // Errors (loops, unreadable directories) are skipped: the walk reports what it could reach.
    for entry in walker.flatten() {
        if out.len() >= how.max_files {
            break;
        }
        if !entry.file_type().is_file() || !keep(entry.path()) {
            continue;
        }
        let Some(resolved) = resolve_entry(&entry, &mut dirs) else {
            continue;
        };
        if resolved.starts_with(&top) && !is_system(&resolved) && seen.insert(resolved) {
            out.push(entry.path().to_path_buf());
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sql");
        std::fs::write(&p, "12345").unwrap();
        assert_eq!(read(&p, 5).unwrap(), b"12345");
        assert!(matches!(read(&p, 4), Err(Refusal::TooLarge { limit: 4 })));
        assert!(matches!(read_text(&p, 5), Ok(t) if t == "12345"));
    }

    #[test]
    fn refuses_devices_directories_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path(), 10), Err(Refusal::Directory)));
        assert!(matches!(
            read(&dir.path().join("nope"), 10),
            Err(Refusal::Missing)
        ));
        if Path::new("/dev/zero").exists() {
            let e = read(Path::new("/dev/zero"), 10).unwrap_err();
            assert!(matches!(e, Refusal::NotRegular("character device")), "{e}");
        }
        if Path::new("/proc/self/environ").exists() {
            let e = read(Path::new("/proc/self/environ"), 1 << 20).unwrap_err();
            assert!(matches!(e, Refusal::System(_)), "{e}");
        }
    }

    #[test]
    fn fifo_is_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.sql");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to probe
        }
        let e = read(&fifo, 10).unwrap_err();
        assert!(
            matches!(e, Refusal::NotRegular(k) if k.starts_with("FIFO")),
            "{e}"
        );
    }

    #[test]
    fn root_admits_inside_and_refuses_symlinks_out() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("db")).unwrap();
        std::fs::write(project.join("db/1.sql"), "select 1;").unwrap();
        std::fs::write(dir.path().join("outside.sql"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.sql"), project.join("db/2.sql"))
            .unwrap();
        let root = Root::of_spec(project.join("rollbook.yaml").to_str().unwrap());
        assert!(root.read(&project.join("db/1.sql"), 100).is_ok());
        let e = root.read(&project.join("db/2.sql"), 100).unwrap_err();
        assert!(matches!(e, Refusal::Outside { .. }), "{e}");
        let e = root.read(&project.join("../outside.sql"), 100).unwrap_err();
        assert!(matches!(e, Refusal::Outside { .. }), "{e}");
    }

    #[test]
    fn root_is_the_git_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
        std::fs::write(dir.path().join("shared.sql"), "x").unwrap();
        let root = Root::of_spec(dir.path().join("deploy/rollbook.yaml").to_str().unwrap());
        assert_eq!(root.path(), std::fs::canonicalize(dir.path()).unwrap());
        assert!(
            root.read(&dir.path().join("deploy/../shared.sql"), 10)
                .is_ok()
        );
    }

    #[test]
    fn walk_stays_inside_and_survives_loops() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        std::fs::create_dir_all(db.join("sub")).unwrap();
        std::fs::write(db.join("1.sql"), "a").unwrap();
        std::fs::write(db.join("sub/2.sql"), "b").unwrap();
        std::fs::write(dir.path().join("outside.sql"), "c").unwrap();
        std::os::unix::fs::symlink("..", db.join("parent")).unwrap();
        std::os::unix::fs::symlink(".", db.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("1.sql", db.join("again.sql")).unwrap();
        let files = walk(&db, WALK, |p| p.extension().is_some_and(|e| e == "sql"));
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(&db).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["1.sql", "sub/2.sql"]);
    }
}
