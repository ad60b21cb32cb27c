//! The files a scan reads: each path classified by name and content (migration, manifest,
//! Terraform plan, or ignored with the reason), directories walked in sorted order, globs expanded.

use super::*;

/// What a file is, for the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    Sql,
    Manifest,
    TerraformPlan,
    /// Could not be classified because it does not parse.
    Broken(String),
    Ignored(String),
}

/// Classifies one file by its name and, for YAML and JSON, its content.
pub fn classify(path: &Path) -> Class {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let text = || -> std::result::Result<String, String> {
        let limit = if ext == "json" {
            crate::base::fsio::TERRAFORM_PLAN_BYTES
        } else {
            MAX_FILE_BYTES
        };
        crate::base::fsio::read_text(path, limit).map_err(|why| why.to_string())
    };
    match ext.as_str() {
        "sql" => Class::Sql,
        "yaml" | "yml" | "tpl" if helm_chart_of(path).is_some() => Class::Ignored(
            "a Helm chart template: not read (render it with `helm template CHART > out.yaml` and scan the output)"
                .into(),
        ),
        "yaml" | "yml" => match text() {
            Err(e) => Class::Ignored(format!("{e}: not read as a manifest")),
            Ok(t) => {
                let key = |k: &str| t.lines().any(|l| l.trim_start().starts_with(k));
                if key("apiVersion:") && key("kind:") {
                    Class::Manifest
                } else {
                    Class::Ignored(
                        "YAML without `apiVersion` and `kind`: not a Kubernetes manifest".into(),
                    )
                }
            }
        },
        "json" => match text() {
            Err(e) => Class::Ignored(format!("{e}: not read as a Terraform plan")),
            Ok(t) => match serde_json::from_str::<serde_json::Value>(&t) {
                // Empty or templated JSON is no plan: listed, never a failure.
                Err(e) => Class::Ignored(format!("not valid JSON ({e}): not a Terraform plan")),
                Ok(v)
                    if v.get("resource_changes").is_some() || v.get("format_version").is_some() =>
                {
                    Class::TerraformPlan
                }
                Ok(_) => Class::Ignored(
                    "JSON without `resource_changes` or `format_version`: not a Terraform plan"
                        .into(),
                ),
            },
        },
        _ => Class::Ignored(
            "not a SQL migration, Kubernetes manifest (YAML) or Terraform plan (JSON)".into(),
        ),
    }
}

/// Renders a chart with `helm template` and reads its manifests; the chart is one artifact named
/// `CHART (helm template)`, whose lines are the rendered output's. A chart helm cannot render
/// leaves its templates listed as not read, with helm's reason.
pub(super) fn render_chart(
    helm: &Path,
    chart: &Path,
    templates: &[String],
    objects: &mut Vec<k8s::K8sObject>,
    artifacts: &mut Vec<Artifact>,
    ignored: &mut Vec<IgnoredFile>,
) {
    let shown = format!("{} (helm template)", chart.display());
    let rendered = crate::evidence::helm::render(helm, chart)
        .and_then(|text| k8s::parse_file(&shown, &text).map_err(|e| e.to_string()));
    match rendered {
        Ok(read) => {
            artifacts.push(Artifact {
                path: shown,
                kind: format!(
                    "helm-chart (rendered with helm template: {})",
                    plural(templates.len(), "template", "templates")
                ),
                findings: 0,
            });
            objects.extend(read);
        }
        Err(why) => ignored.extend(templates.iter().map(|t| IgnoredFile {
            path: t.clone(),
            reason: format!(
                "a Helm chart template: not read ({})",
                why.lines().next().unwrap_or("")
            ),
        })),
    }
}

/// The Helm chart a file is a template of: a `templates/` folder beside a `Chart.yaml`.
pub(super) fn helm_chart_of(path: &Path) -> Option<&Path> {
    path.ancestors()
        .skip(1)
        .take(crate::base::fsio::MAX_DEPTH)
        .find(|a| a.file_name().is_some_and(|n| n == "templates"))
        .and_then(Path::parent)
        .filter(|chart| chart.join("Chart.yaml").is_file())
}

/// Files a scan takes from one walked directory. The commands' default (10,000) is less than a
/// large repository's migrations with their downs; past this a walk stops and the scan says so.
pub(super) const MAX_WALK_FILES: usize = 100_000;

/// Walks `dir`; a directory with more than [`MAX_WALK_FILES`] files is noted in `stopped`.
pub(super) fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, stopped: &mut Vec<String>) {
    // Hidden directories (.git, .terraform) hold no artifacts of the deploy.
    let found = crate::base::fsio::walk(
        dir,
        crate::base::fsio::Walk {
            max_depth: crate::base::fsio::MAX_DEPTH.saturating_sub(depth),
            max_files: MAX_WALK_FILES + 1,
            ..crate::base::fsio::WALK
        },
        |_| true,
    );
    if found.len() > MAX_WALK_FILES {
        stopped.push(dir.display().to_string());
    }
    out.extend(found.into_iter().take(MAX_WALK_FILES));
}

/// The files a path names: itself, the files under a directory (recursively, sorted) or the
/// entries matching a `*` glob in its last component. A path that names nothing is an error.
pub fn expand(path: &str) -> Result<Vec<PathBuf>> {
    expand_noting(path, &mut Vec::new())
}

/// [`expand`], noting in `stopped` each directory whose walk stopped at [`MAX_WALK_FILES`].
pub(super) fn expand_noting(path: &str, stopped: &mut Vec<String>) -> Result<Vec<PathBuf>> {
    let p = Path::new(path);
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    if name.contains('*') {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut hits: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|q| {
                        q.file_name()
                            .is_some_and(|n| layout::wildcard(&name, &n.to_string_lossy()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        hits.sort();
        for h in hits {
            if h.is_dir() {
                walk(&h, 1, &mut out, stopped);
            } else {
                out.push(h);
            }
        }
        if out.is_empty() {
            return Err(Error::Usage(format!("{path}: no file matches")));
        }
    } else if p.is_dir() {
        walk(p, 0, &mut out, stopped);
    } else if p.is_file() {
        out.push(p.to_path_buf());
    } else {
        return Err(Error::Usage(format!(
            "{path} {}",
            crate::base::fsio::why_not_file(p)
        )));
    }
    Ok(out)
}
