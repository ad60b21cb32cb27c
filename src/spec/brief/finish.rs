//! After every sentence is read: the facts found about services and data stores applied to
//! them, dashboards, the only SQL store, and the code change a new version implies.

use super::infer::{Ctx, StoreFact, SvcFact, apply_service_facts};
use crate::model::*;

pub(super) fn finish(cx: &mut Ctx) {
    // A platform without a named service: one service named after the deployment.
    let has_platform = cx
        .svc_facts
        .iter()
        .any(|f| matches!(f.fact, SvcFact::Platform(_)));
    // Changes that do not run in a service (a platform upgrade, a cutover, a database operation)
    // are watched by their own signals: a platform named beside them is where they run, and no
    // service is invented for it.
    let only_own_signals = !cx.spec.deployment.changes.is_empty()
        && cx
            .spec
            .deployment
            .changes
            .iter()
            .all(|c| !c.declaration().signals.iter().any(|s| s.on_services));
    if cx.spec.architecture.services.is_empty() && has_platform && !only_own_signals {
        let name: String = {
            let lower = cx.spec.deployment.name.to_lowercase();
            let mut out = String::new();
            for ch in lower.chars() {
                if ch.is_ascii_alphanumeric() {
                    out.push(ch);
                } else if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
            out.trim_end_matches('-').to_string()
        };
        if !name.is_empty() {
            if let Some(f) = cx
                .svc_facts
                .iter()
                .find(|f| matches!(f.fact, SvcFact::Platform(_)))
            {
                let (at, ex) = (f.at, f.excerpt.clone());
                cx.note(
                    at,
                    &ex,
                    format!(
                        "no service name found: one service `{name}` named after the deployment"
                    ),
                );
            }
            cx.spec.architecture.services.push(Service::named(&name));
            cx.service_invented = true;
        }
    }
    apply_service_facts(cx);
    // A service the brief does not name is one whose protocol it does not say either: its signals
    // are named by hand rather than assumed to be HTTP's.
    if cx.service_invented
        && let Some(svc) = cx.spec.architecture.services.first_mut()
        && svc.serves.is_none()
    {
        svc.serves = Some(Protocol::Other);
    }
    let sfacts = std::mem::take(&mut cx.store_facts);
    let single = cx.spec.architecture.data_stores.len() == 1;
    for f in sfacts {
        let n = cx.spec.architecture.data_stores.len();
        for i in 0..n {
            let Some(ds) = cx.spec.architecture.data_stores.get_mut(i) else {
                continue;
            };
            let targeted = if f.targets.is_empty() {
                single
            } else {
                f.targets.contains(&ds.name)
            };
            if !targeted {
                continue;
            }
            let name = ds.name.clone();
            let text = match f.fact.clone() {
                StoreFact::Hosting(h) => {
                    if ds.hosting.is_some()
                        && !(h == Hosting::Aurora && ds.hosting == Some(Hosting::Rds))
                    {
                        continue;
                    }
                    ds.hosting = Some(h);
                    format!("data store `{name}` hosted on {}", f.excerpt.trim())
                }
                StoreFact::Identifier(v) => {
                    if ds.identifier.is_some() {
                        continue;
                    }
                    ds.identifier = Some(v.clone());
                    format!("data store `{name}` identifier `{v}`")
                }
                StoreFact::Database(v) => {
                    if ds.database.is_some() {
                        continue;
                    }
                    ds.database = Some(v.clone());
                    format!("data store `{name}` database `{v}`")
                }
                StoreFact::Backup(m) => {
                    let b = ds.backup.get_or_insert_with(empty_backup);
                    if b.method.is_some() {
                        continue;
                    }
                    b.method = Some(m);
                    format!("data store `{name}` backed up by point-in-time recovery")
                }
                StoreFact::RestoreTested(d) => {
                    let b = ds.backup.get_or_insert_with(empty_backup);
                    if b.last_tested_restore.is_some() {
                        continue;
                    }
                    b.last_tested_restore = Some(d.clone());
                    format!("data store `{name}` restore last tested {d}")
                }
                StoreFact::Size(gb) => {
                    if ds.size_gb.is_some() {
                        continue;
                    }
                    ds.size_gb = Some(gb);
                    format!("data store `{name}` is about {gb} GB")
                }
            };
            cx.note(f.at, &f.excerpt, text);
        }
    }
    // Dashboards only when a metrics system is named (the model needs one).
    let dashboards = std::mem::take(&mut cx.dashboards);
    let mut notes = Vec::new();
    if let Some(o) = cx.spec.architecture.observability.as_mut() {
        for (at, url) in dashboards {
            if !o.dashboards.contains(&url) {
                o.dashboards.push(url.clone());
                notes.push((at, url));
            }
        }
    }
    for (at, url) in notes {
        cx.note(at, &url, "dashboard".into());
    }
    // Migrations and data operations on the only SQL store.
    let sql: Vec<(String, (usize, String))> = cx
        .spec
        .architecture
        .data_stores
        .iter()
        .zip(cx.store_at.iter())
        .filter(|(d, _)| d.engine.is_sql())
        .map(|(d, at)| (d.name.clone(), at.clone()))
        .collect();
    if let [(name, at)] = sql.as_slice() {
        let mut any = false;
        for c in cx.spec.deployment.changes.iter_mut() {
            if let Some(database) = c.database_mut()
                && database.is_none()
            {
                *database = Some(name.clone());
                any = true;
            }
        }
        if any {
            let ((at, ex), name) = (at.clone(), name.clone());
            cx.note(
                at,
                &ex,
                format!(
                    "migrations and data operations run on `{name}`, the only SQL data store named"
                ),
            );
        }
    }
    // A new version of a service ships code, even when the brief only talks about what it adds.
    let has_code = cx
        .spec
        .deployment
        .changes
        .iter()
        .any(|c| matches!(c.kind(), ChangeKind::Code | ChangeKind::Dependency));
    // A new version, or else a source file of the code that changes: both ship code.
    let version_note = cx
        .notes
        .iter()
        .find(|(_, a)| a.text.starts_with("version "))
        .or_else(|| {
            cx.notes
                .iter()
                .find(|(_, a)| a.text.starts_with(super::versions::SOURCE_NOTE))
        })
        .map(|(at, a)| (*at, a.evidence.excerpt.clone().unwrap_or_default()));
    // A version next to no named service ("from 1.23 to 1.24" of a cluster) is not a release of
    // a service rollbook would redeploy: it stays unmapped work.
    if !has_code
        && !cx.spec.architecture.services.is_empty()
        && !cx.service_invented
        && let Some((at, excerpt)) = version_note
    {
        let mut c = Change::new(ChangeKind::Code);
        // The release names what it ships ("pricing-svc 2.15.0"); the services only named
        // beside it (its callers, its dependencies) are not redeployed.
        let all: Vec<String> = cx
            .spec
            .architecture
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let named: Vec<String> = all
            .iter()
            .filter(|n| excerpt.contains(n.as_str()))
            .cloned()
            .collect();
        *c.services_mut() = if named.is_empty() { all } else { named };
        cx.spec.deployment.changes.insert(0, c);
        cx.note(
            at,
            &excerpt,
            "code change: a new version ships to the services named".to_string(),
        );
    }
    // A service only mentioned (a caller, a neighbour), whose protocol the brief does not state,
    // is watched by signals named by hand rather than assumed to serve HTTP.
    let shipped: Vec<String> = cx
        .spec
        .deployment
        .changes
        .iter()
        .flat_map(|c| c.services().iter().cloned())
        .collect();
    if !shipped.is_empty() {
        for svc in cx.spec.architecture.services.iter_mut() {
            if svc.serves.is_none() && !shipped.contains(&svc.name) {
                svc.serves = Some(Protocol::Other);
            }
        }
    }
}

fn empty_backup() -> Backup {
    Backup {
        method: None,
        location: None,
        last_backup: None,
        last_tested_restore: None,
        restore_gb_per_minute: None,
    }
}
