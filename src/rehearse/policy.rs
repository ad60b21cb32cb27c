//! RB920 (`policy.require_rehearsal`): is there a rehearsal report of the migration files as
//! they are now, and did it find no problem.

use crate::evidence::Evidence;
use crate::evidence::rehearsal::load;

/// RB920: the findings against `policy.require_rehearsal` (`report`, relative to the spec).
pub fn policy_findings(input: &crate::spec::Input, report: &str) -> Vec<(String, Evidence)> {
    let spec = input.path.as_str();
    let at = Evidence::field(spec, "policy.require_rehearsal");
    let path = std::path::Path::new(spec)
        .parent()
        .map(|d| d.join(report))
        .unwrap_or_else(|| report.into());
    let shown = path.display().to_string();
    let rerun = format!(
        "run `rollbook rehearse {spec} --ephemeral postgres|mysql --format json > {shown}`"
    );
    let r = match load(&shown) {
        Ok(r) => r,
        Err(e) => return vec![(format!("no usable rehearsal report: {e}; {rerun}"), at)],
    };
    let Ok((migrations, _)) = crate::evidence::sql::read_for_spec(input) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in &migrations {
        let change = &input.spec.deployment.changes[m.change];
        let mut files: Vec<(String, Option<String>)> = Vec::new();
        for (ev, inline) in [
            (Some(&m.up_source), change.sql()),
            (
                m.down_source.as_ref(),
                change.as_migration().and_then(|m| m.down_sql.as_deref()),
            ),
        ] {
            let Some(ev) = ev else { continue };
            match &ev.field {
                Some(f) => files.push((format!("{} {f}", ev.file), inline.map(super::sha256))),
                None => files.push((
                    ev.file.clone(),
                    crate::base::fsio::read_text(
                        std::path::Path::new(&ev.file),
                        crate::base::fsio::ARTIFACT_BYTES,
                    )
                    .ok()
                    .map(|t| super::sha256(&t)),
                )),
            }
        }
        for (file, now) in files {
            match (r.checksums.get(&file), now) {
                (None, _) => out.push((
                    format!("{file} is not in the rehearsal report {shown}; {rerun}"),
                    at.clone(),
                )),
                (Some(then), Some(now)) if *then != now => out.push((
                    format!(
                        "{file} changed after the rehearsal of {} ({shown}); {rerun}",
                        r.rehearsed_at
                    ),
                    at.clone(),
                )),
                _ => {}
            }
        }
    }
    for p in &r.problems {
        out.push((format!("the rehearsal ({shown}) found: {p}"), at.clone()));
    }
    out
}
