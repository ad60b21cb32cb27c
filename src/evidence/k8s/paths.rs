//! Which files a manifest entry names: a file, a directory walked with bounds, or a `*` glob.

use super::MAX_FILES;
use crate::evidence::sql::layout::wildcard;
use crate::model::Service;
use std::path::{Path, PathBuf};

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn yaml_under(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let how = crate::base::fsio::Walk {
        max_depth: crate::base::fsio::MAX_DEPTH.saturating_sub(depth),
        max_files: MAX_FILES.saturating_sub(out.len()),
        skip_hidden: true,
    };
    out.extend(crate::base::fsio::walk(dir, how, is_yaml));
}

/// The files one manifest entry names: a file, a directory (its `.yaml`/`.yml` files,
/// recursively, sorted) or a `*` glob in the last component. `None`: nothing exists there.
pub fn resolve(base: &Path, entry: &str) -> Option<Vec<PathBuf>> {
    let full = base.join(entry);
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    if name.contains('*') {
        let dir = full.parent().unwrap_or(Path::new("."));
        let rd = std::fs::read_dir(dir).ok()?;
        out = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| wildcard(&name, &n.to_string_lossy()))
            })
            .collect();
        out.sort();
        let mut files = Vec::new();
        for p in out {
            if p.is_dir() {
                yaml_under(&p, 1, &mut files);
            } else {
                files.push(p);
            }
        }
        files.truncate(MAX_FILES);
        return Some(files);
    }
    if full.is_dir() {
        yaml_under(&full, 0, &mut out);
    } else if full.is_file() {
        out.push(full);
    } else {
        return None;
    }
    Some(out)
}

/// The directory the spec's relative paths start from.
pub fn spec_base(spec_file: &str) -> PathBuf {
    Path::new(spec_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The manifest files of one service, as shown in evidence (unreadable entries left out).
pub fn service_files(spec_file: &str, service: &Service) -> Vec<String> {
    let base = spec_base(spec_file);
    let mut out: Vec<String> = service
        .manifests
        .iter()
        .filter_map(|m| resolve(&base, m))
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}
