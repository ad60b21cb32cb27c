//! Data stores: engine, version, hosting, identifiers, backups, size.

use super::infer::*;
use super::patterns::*;
use super::text::{collapse, negated, standalone};
use super::vocabulary::{self, ENGINE};
use crate::model::*;

pub(super) fn stores(cx: &mut Ctx, s: &str, base: usize) {
    let mut here: Vec<String> = Vec::new();
    for c in ENGINE.captures_iter(s) {
        let (Some(all), Some(e)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if !standalone(s, e.start(), e.end()) || negated(s, all.start(), all.end()) {
            continue;
        }
        let Some((engine, name, hosting)) = vocabulary::engine(e.as_str()) else {
            continue;
        };
        let idx = match cx
            .spec
            .architecture
            .data_stores
            .iter()
            .position(|d| d.engine == engine)
        {
            Some(i) => i,
            None => {
                cx.spec.architecture.data_stores.push(DataStore {
                    name: name.to_string(),
                    engine,
                    version: None,
                    hosting: None,
                    identifier: None,
                    database: None,
                    region: None,
                    size_gb: None,
                    backup: None,
                });
                cx.store_at.push((base + e.start(), e.as_str().to_string()));
                cx.note(
                    base + e.start(),
                    e.as_str(),
                    format!("data store `{name}` ({name})"),
                );
                cx.spec.architecture.data_stores.len() - 1
            }
        };
        let Some(ds) = cx.spec.architecture.data_stores.get_mut(idx) else {
            continue;
        };
        let mut note = None;
        if let (Some(v), None) = (c.get(2), &ds.version) {
            ds.version = Some(v.as_str().to_string());
            note = Some(format!("data store `{}` version {}", ds.name, v.as_str()));
        }
        let mut hosted = None;
        if let (Some(h), None | Some(Hosting::Rds)) = (hosting, ds.hosting) {
            ds.hosting = Some(h);
            hosted = Some(format!(
                "data store `{}` hosted on {}",
                ds.name,
                collapse(e.as_str())
            ));
        }
        if let Some(t) = hosted {
            cx.note(base + e.start(), e.as_str(), t);
        }
        if let Some(n) = note {
            cx.note(base + all.start(), all.as_str(), n);
        }
        here.push(name.to_string());
    }
    let targets = here.clone();
    let db_word = !targets.is_empty() || DB_WORD.is_match(s);
    for (a, b) in hits(&HOSTING, s) {
        let w = s.get(a..b).unwrap_or("");
        let lw = collapse(w).to_lowercase();
        let h = match lw.as_str() {
            "rds" => Hosting::Rds,
            "aurora" => Hosting::Aurora,
            x if x.starts_with("cloud") => Hosting::CloudSql,
            _ => Hosting::SelfHosted,
        };
        if db_word {
            cx.store_facts.push(Pending {
                fact: StoreFact::Hosting(h),
                at: base + a,
                excerpt: w.to_string(),
                targets: targets.clone(),
            });
        }
    }
    if db_word {
        let mut pend = |fact: StoreFact, at: usize, excerpt: &str| {
            cx.store_facts.push(Pending {
                fact,
                at: base + at,
                excerpt: excerpt.to_string(),
                targets: targets.clone(),
            })
        };
        if let Some(c) = STORE_CLUSTER.captures(s)
            && let (Some(all), Some(v)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::Identifier(v.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
        if let Some(c) = STORE_DATABASE.captures(s)
            && let (Some(all), Some(v)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::Database(v.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
        if let Some(m) = PITR.find(s)
            && !negated(s, m.start(), m.end())
        {
            pend(StoreFact::Backup(BackupMethod::Pitr), m.start(), m.as_str());
        }
        if let Some(c) = RESTORE_TEST.captures(s)
            && let (Some(all), Some(d)) = (c.get(0), c.get(1))
        {
            pend(
                StoreFact::RestoreTested(d.as_str().to_string()),
                all.start(),
                all.as_str(),
            );
        }
    }
    if db_word {
        for c in SIZE.captures_iter(s) {
            let (Some(all), Some(n), Some(u)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let Ok(v) = n.as_str().replace(',', "").parse::<f64>() else {
                continue;
            };
            let gb = match u.as_str().to_lowercase().as_str() {
                "tb" => v * 1000.0,
                "tib" => v * 1024.0,
                "mb" => v / 1000.0,
                "mib" => v / 1024.0,
                _ => v,
            };
            cx.store_facts.push(Pending {
                fact: StoreFact::Size(gb),
                at: base + all.start(),
                excerpt: all.as_str().to_string(),
                targets: targets.clone(),
            });
        }
    }
}
