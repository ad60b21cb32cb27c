//! Writing output files: atomically, and never over an existing file without `--force`.

use crate::base::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same directory, so a reader never sees
/// a partial file and an error leaves nothing behind. Without `force` an existing file is an error
/// and stays untouched.
pub fn write_file(path: &str, text: &str, force: bool) -> Result<()> {
    let target = Path::new(path);
    // Even with --force only a regular file is replaced: never a device, FIFO or directory.
    if let Ok(meta) = std::fs::metadata(target)
        && let Some(kind) = crate::base::fsio::kind_of(&meta.file_type())
    {
        return Err(Error::Usage(format!(
            "{path} is a {kind}; -o writes only regular files\n  help: choose a file path for -o, or leave -o out to write to stdout"
        )));
    }
    if !force && std::fs::symlink_metadata(target).is_ok() {
        return Err(exists(path));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Usage(format!("{path}: not a file name")))?;
    let (tmp, mut file) = create_temp(dir, name).map_err(|e| Error::io(path, e))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    let placed = if force {
        std::fs::rename(&tmp, target)
    } else {
        // A hard link fails if the target appeared meanwhile: no clobbering, even in a race.
        match std::fs::hard_link(&tmp, target) {
            Ok(()) => std::fs::remove_file(&tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&tmp);
                return Err(exists(path));
            }
            // Filesystems without hard links: the existence check above has to do.
            Err(_) => std::fs::rename(&tmp, target),
        }
    };
    placed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

fn exists(path: &str) -> Error {
    Error::Usage(format!(
        "{path} already exists; not overwriting it\n  help: pass --force to replace it, or choose another -o"
    ))
}

fn create_temp(dir: &Path, name: &str) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file name left")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_existing_file_without_force_and_replaces_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.md");
        let ps = p.to_str().unwrap();
        write_file(ps, "one", false).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        let e = write_file(ps, "two", false).unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        write_file(ps, "three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three");
        // No temporary files left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_devices_and_directories_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(dir.path().to_str().unwrap(), "x", true).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
        if Path::new("/dev/null").exists() {
            let e = write_file("/dev/null", "x", true).unwrap_err().to_string();
            assert!(e.contains("character device"), "{e}");
            assert!(std::fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
        }
    }

    #[test]
    fn missing_directory_is_an_error_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("plan.md");
        assert!(write_file(p.to_str().unwrap(), "x", false).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
