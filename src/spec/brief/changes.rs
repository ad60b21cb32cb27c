//! The changes a sentence reveals: each kind's recogniser (declared in its kind file) found in
//! the sentence, and the fields the sentence gives the change.

use super::infer::{Ctx, WORD_STOP, count, first_hit};
use super::patterns::*;
use super::text::{Section, collapse, negated};
use super::vocabulary::{self, TOOL};
use crate::model::*;

/// Which change: kind, side effect, data operation.
type ChangeKey = (ChangeKind, Option<SideEffect>, Option<DataOperationKind>);

/// The change of `key`, created at its first mention.
pub(super) fn change_for(
    cx: &mut Ctx,
    (kind, effect, op): ChangeKey,
    at: usize,
    words: &str,
    sentence: &str,
    what: &str,
) -> usize {
    let found = cx.spec.deployment.changes.iter().position(|c| {
        c.kind() == kind
            && c.as_side_effect().and_then(|e| e.effect) == effect
            && (kind != ChangeKind::DataOperation
                || c.as_data_operation().and_then(|d| d.operation) == op)
    });
    if let Some(i) = found {
        return i;
    }
    let mut c = Change::new(kind);
    if let Some(e) = c.as_side_effect_mut() {
        e.effect = effect;
    }
    if let Some(d) = c.as_data_operation_mut() {
        d.operation = op;
    }
    let summary = collapse(sentence);
    *c.summary_mut() = Some(summary.chars().take(240).collect());
    cx.spec.deployment.changes.push(c);
    cx.note(at, words, format!("{what} change"));
    cx.spec.deployment.changes.len() - 1
}

pub(super) fn changes(
    cx: &mut Ctx,
    s: &str,
    base: usize,
    names: &[String],
    section: Section,
    touched: &mut Vec<usize>,
) {
    let add = |cx: &mut Ctx,
               touched: &mut Vec<usize>,
               kind,
               effect,
               op,
               (a, b): (usize, usize),
               what: &str| {
        let words = s.get(a..b).unwrap_or("");
        let i = change_for(cx, (kind, effect, op), base + a, words, s, what);
        if let Some(c) = cx.spec.deployment.changes.get_mut(i) {
            for n in names {
                if !c.services().contains(n) {
                    c.services_mut().push(n.clone());
                }
            }
        }
        if !touched.contains(&i) {
            touched.push(i);
        }
        i
    };
    // A database operation (switchover, major upgrade, parameter change) is one change: the
    // cluster-upgrade and configuration words of its sentence describe it, not a second change of
    // another kind ("upgrade the Postgres cluster", "max_connections in the parameter group").
    let db_op = super::generic::database_operation(s);
    // Likewise a change to a stream, an index or cache, or to access: the Terraform that applies
    // an IAM policy, the config words of `kafka-configs` or `CONFIG SET`, and the broker named in
    // a topic's setting describe that change, not a second one. A platform upgrade (a cluster's
    // control plane or nodes, an OS image, service discovery) is one change: its cluster-upgrade
    // and image words are not also infrastructure or a dependency bump; a migration between
    // systems is a cutover, not a schema migration.
    let fired = |k| super::generic::fired(k, s).is_some();
    let access = fired(ChangeKind::AccessChange);
    let stream = fired(ChangeKind::StreamQueue) || fired(ChangeKind::IndexCache);
    let platform = super::generic::reveals(ChangeKind::PlatformUpgrade, s);
    let cutover = super::generic::reveals(ChangeKind::Cutover, s);
    // "Terraform state" names the tool's state files (read by pipelines), not a change.
    let tool_state = |(_, e): &(usize, usize)| {
        s.get(*e..)
            .is_some_and(|r| r.trim_start().to_lowercase().starts_with("state"))
    };
    let infra =
        first_hit(&INFRA, s).filter(|h| db_op.is_none() && !access && !platform && !tool_state(h));
    // A library bump that names no service, in a brief that releases a client, ships inside the
    // client's build: the client release covers it.
    let in_client = names.is_empty() && super::generic::reveals(ChangeKind::ClientRelease, cx.text);
    let dep = if infra.is_none() && !platform && !in_client && DEP_WORD.is_match(s) {
        first_hit(&BUMP, s)
    } else {
        None
    };

    let bare_migration_word = |h: &(usize, usize)| {
        s.get(h.0..h.1)
            .is_some_and(|w| w.to_lowercase().starts_with("migration"))
    };
    // "migration to Proteo4UK", "migration from the old platform": a move between systems.
    let directed = |h: &(usize, usize)| {
        let after = s.get(h.1..).unwrap_or("").trim_start().to_lowercase();
        after.starts_with("to ") || after.starts_with("from ")
    };
    if let Some(h) = first_hit(&MIGRATION, s)
        .filter(|_| !NOT_SCHEMA.is_match(s))
        .filter(|h| !(bare_migration_word(h) && (cutover || directed(h))))
    {
        let i = add(
            cx,
            touched,
            ChangeKind::Migration,
            None,
            None,
            h,
            "schema migration",
        );
        if let Some(t) = first_hit(&TOOL, s) {
            let w = s.get(t.0..t.1).unwrap_or("");
            let tool = vocabulary::tool(w);
            if let Some(c) = cx
                .spec
                .deployment
                .changes
                .get_mut(i)
                .and_then(Change::as_migration_mut)
                && c.tool.is_none()
                && tool.is_some()
            {
                c.tool = tool;
                cx.note(base + t.0, w, format!("migration tool {w}"));
            }
        }
    }

    // Feature flags: a key in backticks or glued with separators next to "flag".
    if let Some(h) = first_hit(&FLAG, s) {
        let i = add(
            cx,
            touched,
            ChangeKind::FeatureFlag,
            None,
            None,
            h,
            "feature flag",
        );
        // The key is the identifier nearest the word "flag", after it first ("the flag `x`"),
        // not the first code span of the sentence (which may be a column or a table).
        let mut key: Option<(usize, String)> = BACKTICK
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .filter(|m| {
                let k = m.as_str();
                IDENT.is_match(k) && !names.iter().any(|n| n == k) && !UPPER_KEY.is_match(k)
            })
            .min_by_key(|m| (m.start() < h.0, m.start().abs_diff(h.1)))
            .map(|m| (m.start(), m.as_str().to_string()));
        if key.is_none()
            && let Some(c) = FLAG_WORD_KEY.captures(s)
            && let Some(m) = c.get(1).or_else(|| c.get(2))
        {
            key = Some((m.start(), m.as_str().to_string()));
        }
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            && c.flag.is_none()
            && let Some((at, k)) = &key
        {
            c.flag = Some(FlagChange {
                key: k.clone(),
                provider: None,
                default: None,
                from_percent: None,
                to_percent: None,
                rollout: Vec::new(),
                provider_id: None,
            });
            let (at, k) = (*at, k.clone());
            cx.note(base + at, &k, format!("feature flag key `{k}`"));
        }
        percentages(cx, s, base, i);
    }

    if let Some(h) = first_hit(&CONFIG, s).filter(|_| db_op.is_none() && !access && !stream) {
        let i = add(
            cx,
            touched,
            ChangeKind::Config,
            None,
            None,
            h,
            "configuration",
        );
        let w = s.get(h.0..h.1).unwrap_or("").to_lowercase();
        let store = if w.contains("configmap") {
            Some(ConfigStore::Configmap)
        } else if w.contains("env") {
            Some(ConfigStore::Env)
        } else if w.contains("ssm") || w.contains("parameter store") {
            Some(ConfigStore::Ssm)
        } else {
            None
        };
        let mut keys = Vec::new();
        for c in BACKTICK.captures_iter(s) {
            if let Some(m) = c.get(1)
                && UPPER_KEY.is_match(m.as_str())
            {
                keys.push((m.start(), m.as_str().to_string()));
            }
        }
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_config_mut)
        {
            if c.location.is_none()
                && let Some(st) = store
            {
                c.location = Some(ConfigLocation {
                    store: st,
                    name: None,
                });
            }
            for (at, k) in keys {
                if !c.keys.iter().any(|x| x.key == k) {
                    c.keys.push(ConfigKey {
                        key: k.clone(),
                        before: None,
                        after: None,
                        secret: false,
                    });
                    new_notes.push((at, k));
                }
            }
        }
        for (at, k) in new_notes {
            cx.note(base + at, &k, format!("config key `{k}`"));
        }
    }

    if let Some(h) = infra {
        let i = add(
            cx,
            touched,
            ChangeKind::Infrastructure,
            None,
            None,
            h,
            "infrastructure",
        );
        let w = collapse(s.get(h.0..h.1).unwrap_or("")).to_lowercase();
        let tool = match w.as_str() {
            "terraform" => InfraTool::Terraform,
            "opentofu" => InfraTool::Opentofu,
            "cloudformation" => InfraTool::Cloudformation,
            "pulumi" => InfraTool::Pulumi,
            _ => InfraTool::PlatformUpgrade,
        };
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_infrastructure_mut)
            && c.apply.is_none()
        {
            c.apply = Some(tool);
        }
    }

    if let Some(h) = dep {
        let i = add(
            cx,
            touched,
            ChangeKind::Dependency,
            None,
            None,
            h,
            "dependency",
        );
        let pkg = BACKTICK
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .find(|m| !names.iter().any(|n| n == m.as_str()))
            .map(|m| m.as_str().to_string());
        let ft = FROM_TO.captures(s).and_then(|c| {
            Some((
                c.get(1).or_else(|| c.get(3))?.as_str().to_string(),
                c.get(2).or_else(|| c.get(4))?.as_str().to_string(),
            ))
        });
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_dependency_mut)
        {
            if c.package.is_none() {
                c.package = pkg;
            }
            if let (None, Some((f, t))) = (&c.from, ft) {
                c.from = Some(f.trim_end_matches('.').to_string());
                c.to = Some(t.trim_end_matches('.').to_string());
            }
        }
    }

    // Side effects leaving the system.
    let mut effects: Vec<(SideEffect, (usize, usize))> = Vec::new();
    if let Some(h) = first_hit(&EMAIL, s) {
        let plural = s
            .get(h.0..h.1)
            .is_some_and(|w| w.to_lowercase().ends_with('s'));
        if plural || SEND_VERB.is_match(s) {
            effects.push((SideEffect::Email, h));
        }
    }
    if let Some(h) = first_hit(&SMS, s) {
        effects.push((SideEffect::Sms, h));
    }
    if let Some(h) = first_hit(&PUSH, s) {
        effects.push((SideEffect::PushNotification, h));
    }
    if let Some(h) = first_hit(&WEBHOOK, s)
        && WEBHOOK_SENT.is_match(s)
    {
        effects.push((SideEffect::Webhook, h));
    }
    if let Some(h) = first_hit(&PAYMENT, s) {
        effects.push((SideEffect::Payment, h));
    }
    if let Some(h) = first_hit(&TRADE, s) {
        effects.push((SideEffect::Trade, h));
    }
    if let Some(h) = first_hit(&BROKER, s)
        && PUBLISH.is_match(s)
        && !stream
    {
        effects.push((SideEffect::EventPublished, h));
    }
    // Data sent to partners, unless the sentence already names how (webhooks, events, ...).
    if let Some(h) = first_hit(&PARTNER, s)
        && SHARE_VERB.is_match(s)
        && effects.is_empty()
    {
        effects.push((SideEffect::ThirdPartyData, h));
    }
    effects.sort_by_key(|(_, h)| h.0);
    for (e, h) in effects {
        let i = add(
            cx,
            touched,
            ChangeKind::ExternalSideEffect,
            Some(e),
            None,
            h,
            &format!("external side effect ({})", e.describe()),
        );
        let rec = RECIPIENTS
            .captures(s)
            .and_then(|c| c.get(1))
            .filter(|m| !negated(s, m.start(), m.end()));
        let vol = VOLUME.captures(s).and_then(|c| {
            Some((
                c.get(0)?,
                count(c.get(1)?.as_str(), c.get(2).map(|m| m.as_str()))?,
            ))
        });
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_side_effect_mut)
        {
            if c.recipients.is_none()
                && let Some(m) = rec
            {
                c.recipients = Some(collapse(m.as_str()));
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    format!("recipients: {}", collapse(m.as_str())),
                ));
            }
            if c.volume.is_none()
                && let Some((m, n)) = vol
            {
                c.volume = Some(n);
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    format!("volume: about {n}"),
                ));
            }
        }
        for (at, w, t) in new_notes {
            cx.note(base + at, &w, t);
        }
    }

    // Data operations.
    let mut ops: Vec<(DataOperationKind, (usize, usize))> = Vec::new();
    if let Some(h) = first_hit(&BACKFILL, s) {
        ops.push((DataOperationKind::Backfill, h));
    }
    if let Some(h) = first_hit(&BULK_DELETE, s) {
        ops.push((DataOperationKind::Delete, h));
    }
    if let Some(h) = first_hit(&BULK_UPDATE, s) {
        ops.push((DataOperationKind::Update, h));
    }
    if let Some(h) = first_hit(&SCRIPT, s) {
        ops.push((DataOperationKind::Script, h));
    }
    for (op, h) in ops {
        let what = match op {
            DataOperationKind::Backfill => "data operation (backfill)",
            DataOperationKind::Delete => "data operation (bulk delete)",
            DataOperationKind::Update => "data operation (bulk update)",
            DataOperationKind::Script => "data operation (script against production)",
        };
        let i = add(
            cx,
            touched,
            ChangeKind::DataOperation,
            None,
            Some(op),
            h,
            what,
        );
        let table = TABLE.captures_iter(s).find_map(|c| {
            let m = c.get(1).or_else(|| c.get(2))?;
            let ticked = s.get(..m.start()).is_some_and(|b| b.ends_with('`'));
            let plain = m
                .as_str()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
            ((ticked || plain) && !WORD_STOP.contains(&m.as_str().to_lowercase().as_str()))
                .then(|| (m.start(), m.as_str().to_string()))
        });
        let rows = ROWS.captures(s).and_then(|c| {
            Some((
                c.get(0)?,
                count(c.get(1)?.as_str(), c.get(2).map(|m| m.as_str()))?,
            ))
        });
        let batched = BATCHED.find(s);
        let mut new_notes = Vec::new();
        if let Some(c) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_data_operation_mut)
        {
            if c.table.is_none()
                && let Some((at, t)) = table
            {
                new_notes.push((at, t.clone(), format!("table `{t}`")));
                c.table = Some(t);
            }
            if c.rows.is_none()
                && let Some((m, n)) = rows
            {
                c.rows = Some(n);
                new_notes.push((m.start(), m.as_str().to_string(), format!("about {n} rows")));
            }
            if c.batched.is_none()
                && let Some(m) = batched
            {
                c.batched = Some(true);
                new_notes.push((
                    m.start(),
                    m.as_str().to_string(),
                    "runs in batches".to_string(),
                ));
            }
        }
        for (at, w, t) in new_notes {
            cx.note(base + at, &w, t);
        }
    }
    // Every other registered kind, by its declared triggers; a kind the same sentence reveals
    // with a more specific one (firmware over the air is a client release, not a fleet push; a
    // push to every PoP is the push, not a network change) is left to that one.
    let hits: Vec<_> = super::generic::GENERIC
        .iter()
        .filter_map(|g| {
            g.triggers
                .iter()
                .zip(g.decl.recogniser.triggers)
                .find_map(|((found, also), t)| {
                    super::generic::trigger_hit(found, also.as_ref(), s).filter(|_| {
                        !super::generic::delivery_of_another(g.decl.kind, t.name, cx.text)
                    })
                })
                .map(|h| (g, h))
        })
        .collect();
    for &(g, h) in &hits {
        let covered = hits
            .iter()
            .any(|(o, _)| super::generic::covers(o.decl.kind, g.decl.kind));
        if covered || (g.decl.kind == ChangeKind::PlatformUpgrade && db_op.is_some()) {
            continue;
        }
        add(cx, touched, g.decl.kind, None, None, h, &g.what());
    }
    if let Some((name, h)) = db_op {
        let i = add(
            cx,
            touched,
            ChangeKind::DatabaseOperation,
            None,
            None,
            h,
            "database operation",
        );
        super::database::database_operation(cx, s, base, i, name, h);
    }
    if !touched.is_empty() {
        cx.last_change = (touched.clone(), section);
    }
}

fn percentages(cx: &mut Ctx, s: &str, base: usize, i: usize) {
    let parse = |t: &str| t.parse::<f64>().ok().filter(|v| (0.0..=100.0).contains(v));
    let mut note = None;
    if let Some(c) = FROM_TO_PERCENT.captures(s)
        && let (Some(all), Some(f), Some(t)) = (c.get(0), c.get(1), c.get(2))
        && let (Some(f), Some(t)) = (parse(f.as_str()), parse(t.as_str()))
    {
        if let Some(fc) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            .and_then(|c| c.flag.as_mut())
        {
            fc.from_percent = Some(f);
            fc.to_percent = Some(t);
            note = Some((
                all.start(),
                all.as_str().to_string(),
                format!("flag goes from {f}% to {t}%"),
            ));
        }
    } else {
        let all: Vec<(usize, String, f64)> = PERCENT
            .captures_iter(s)
            .filter_map(|c| {
                let m = c.get(0)?;
                Some((
                    m.start(),
                    m.as_str().to_string(),
                    parse(c.get(1)?.as_str())?,
                ))
            })
            .collect();
        if let Some(fc) = cx
            .spec
            .deployment
            .changes
            .get_mut(i)
            .and_then(Change::as_feature_flag_mut)
            .and_then(|c| c.flag.as_mut())
            && let Some((at, first, v)) = all.first().cloned()
        {
            if all.len() >= 3 {
                fc.rollout = all.iter().map(|x| x.2).collect();
                let words = all
                    .iter()
                    .map(|x| x.1.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                note = Some((at, words.clone(), format!("flag rollout steps {words}")));
            } else if fc.to_percent.is_none() {
                fc.to_percent = Some(v);
                note = Some((at, first, format!("flag goes to {v}%")));
            }
        }
    }
    if let Some((at, w, t)) = note {
        cx.note(base + at, &w, t);
    }
}
