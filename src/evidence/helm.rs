//! Helm charts rendered with the user's own `helm template`, so their manifests are read like any
//! other. Helm renders locally: `lookup` returns nothing and no cluster is contacted
//! (<https://helm.sh/docs/helm/helm_template/>: "Any values that would normally be looked up or
//! retrieved in-cluster will be faked locally").
//!
//! The chart comes from the repository under review, so helm runs with an empty environment
//! (no credentials, no kubeconfig, its caches in a temporary folder), no stdin, a time limit and
//! a bounded output.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Largest rendered output read.
pub const MAX_RENDER_BYTES: u64 = 16 * 1024 * 1024;
/// Longest a render may take.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(60);
/// Release name the manifests are rendered under (it appears in resource names).
pub const RELEASE: &str = "release";

/// The `helm` executable on PATH, if any.
pub fn helm_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("helm"))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Renders the chart in folder `chart` with `helm template release CHART --include-crds`.
/// The error is one line: why it could not be rendered.
pub fn render(helm: &Path, chart: &Path) -> Result<String, String> {
    let home = tempfile::tempdir().map_err(|e| format!("no temporary folder for helm: {e}"))?;
    let h = home.path();
    let mut child = Command::new(helm)
        .args(["template", RELEASE])
        .arg(chart)
        .arg("--include-crds")
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", h)
        .env("HELM_CACHE_HOME", h.join("cache"))
        .env("HELM_CONFIG_HOME", h.join("config"))
        .env("HELM_DATA_HOME", h.join("data"))
        .env("KUBECONFIG", h.join("no-kubeconfig"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run helm: {e}"))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // Read from threads, bounded: a chart that prints without end must not fill memory.
    let out = std::thread::spawn(move || bounded(stdout, MAX_RENDER_BYTES + 1));
    let err = std::thread::spawn(move || bounded(stderr, 64 * 1024));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if started.elapsed() > RENDER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!(
            "helm template did not finish within {} s",
            RENDER_TIMEOUT.as_secs()
        ));
    };
    if !status.success() {
        let why = String::from_utf8_lossy(&err)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no message")
            .chars()
            .take(300)
            .collect::<String>();
        return Err(format!(
            "helm template failed: {}",
            crate::base::redact::for_output(&why, crate::base::redact::Shape::Human)
        ));
    }
    if out.len() as u64 > MAX_RENDER_BYTES {
        return Err(format!(
            "helm template printed more than {} MiB",
            MAX_RENDER_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(out).map_err(|_| "helm template printed text that is not UTF-8".to_string())
}

fn bounded(from: Option<impl Read>, limit: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Some(r) = from {
        let _ = r.take(limit).read_to_end(&mut buf);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_helm(dir: &Path, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("helm");
        std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn renders_with_an_empty_environment_and_reports_failures_in_one_line() {
        let d = tempfile::tempdir().unwrap();
        // Prints its arguments and whether a variable of the caller's environment leaked in
        // (cargo sets CARGO_MANIFEST_DIR for every test process it runs).
        let parent_has_it = std::env::var_os("CARGO_MANIFEST_DIR").is_some();
        let helm = fake_helm(
            d.path(),
            "echo \"# args: $*\"; echo \"# leaked: ${CARGO_MANIFEST_DIR:-none}\"; echo 'kind: ConfigMap'",
        );
        let out = render_retrying(&helm, d.path()).unwrap();
        assert!(out.contains("# args: template release"), "{out}");
        assert!(out.contains("--include-crds"), "{out}");
        assert!(!parent_has_it || out.contains("# leaked: none"), "{out}");
        let failing = fake_helm(
            d.path(),
            "echo 'Error: found in Chart.yaml, but missing in charts/ directory: db' >&2; exit 1",
        );
        let e = render_retrying(&failing, d.path()).unwrap_err();
        assert_eq!(
            e,
            "helm template failed: Error: found in Chart.yaml, but missing in charts/ directory: db"
        );
    }

    /// A script just written may be "busy" for a moment when another test thread forks.
    fn render_retrying(helm: &Path, chart: &Path) -> Result<String, String> {
        for _ in 0..20 {
            match render(helm, chart) {
                Err(e) if e.contains("busy") => std::thread::sleep(Duration::from_millis(50)),
                r => return r,
            }
        }
        render(helm, chart)
    }
}
