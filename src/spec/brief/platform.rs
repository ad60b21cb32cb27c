//! What a brief says about a platform upgrade or a cutover beyond the sentence that reveals it:
//! what part of the platform, the cluster, versions, whether a downgrade exists, what is kept on
//! the old version (a node pool, a standby cluster, a state snapshot), a setting and its value
//! before, nodes that update themselves; for a cutover, the two systems, dual writes, a reverse
//! sync, the reconciliation and the point of no return. The patterns are declared by the kinds
//! (`model::kinds::{platform_upgrade, cutover}::brief`); every sentence is read, since the
//! architecture and risks usually say these things.

use super::fields::{Notes, each_sentence, quote};
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, collapse, negated};
use crate::model::kinds::cutover::brief as cut;
use crate::model::kinds::platform_upgrade::RECOGNISER;
use crate::model::kinds::platform_upgrade::brief as up;
use crate::model::*;

static SYSTEM: Matcher = Matcher::of(&up::SYSTEM);
static NO_DOWNGRADE: Matcher = Matcher::of(&up::NO_DOWNGRADE);
static NEW_POOL: Matcher = Matcher::of(&up::NEW_POOL);
static OLD_POOL: Matcher = Matcher::of(&up::OLD_POOL);
static STANDBY: Matcher = Matcher::of(&up::STANDBY);
static TARGET: Matcher = Matcher::of(&up::TARGET);
static SNAPSHOT: Matcher = Matcher::of(&up::STATE_SNAPSHOT);
static SETTING: Matcher = Matcher::of(&up::SETTING);
static SETTING_BACK: Matcher = Matcher::of(&up::SETTING_BACK);
static AUTO: Matcher = Matcher::of(&up::AUTO_UPDATES);
static VERSIONS: Matcher = Matcher::of(&up::FROM_TO);
static CONTROL_PLANE: Matcher = Matcher::found(RECOGNISER.trigger("control plane"));
static NODE_IMAGE: Matcher = Matcher::found(RECOGNISER.trigger("node image"));
static DISCOVERY: Matcher = Matcher::found(RECOGNISER.trigger("service discovery"));
static CONTROL_WORDS: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:control\s+plane|kubeadm\s+upgrade|update-cluster-version|kubernetes\s+[0-9]|k8s\s+[0-9])",
    &["control", "kubeadm", "update-cluster", "kubernetes", "k8s"],
);
static DUAL: Matcher = Matcher::of(&cut::DUAL_WRITES);
static REVERSE: Matcher = Matcher::of(&cut::REVERSE_SYNC);
static RECONCILE: Matcher = Matcher::of(&cut::RECONCILIATION);
static OLD_KEPT: Matcher = Matcher::of(&cut::OLD_KEPT);
static SYSTEMS: Matcher = Matcher::of(&cut::FROM_TO);

/// A name read after "cordon" or "next to" that is an English word, not a pool.
fn pool_name(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_ascii_digit() || c == '-' || c == '_')
}

/// Fills the fields of the brief's platform upgrade and cutover from its sentences.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    platform_facts(cx, doc);
    cutover_facts(cx, doc);
}

fn platform_facts(cx: &mut Ctx, doc: &Doc) {
    each_sentence(
        cx,
        doc,
        ChangeKind::PlatformUpgrade,
        Change::as_platform_upgrade_mut,
        read_platform,
    );
}

/// The platform upgrade's fields one sentence gives.
fn read_platform(p: &mut PlatformUpgrade, s: &str, notes: &mut Notes) {
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    let cap = |m: &Matcher| {
        m.captures(s).and_then(|c| {
            let g = (1..=4).find_map(|k| c.get(k))?;
            Some((g.start(), g.as_str().to_string()))
        })
    };
    if p.component.is_none() {
        let component = if CONTROL_PLANE.is_match(s) && CONTROL_WORDS.is_match(s) {
            Some(PlatformComponent::ControlPlane)
        } else if NODE_IMAGE.is_match(s) {
            Some(PlatformComponent::OsImage)
        } else if CONTROL_PLANE.is_match(s) {
            Some(PlatformComponent::Nodes)
        } else if DISCOVERY.is_match(s) {
            Some(PlatformComponent::ServiceDiscovery)
        } else {
            None
        };
        if let Some(k) = component {
            p.component = Some(k);
            notes.push((
                0,
                collapse(s),
                format!("platform upgrade of the {}", describe(k)),
            ));
        }
    }
    if p.system.is_none()
        && let Some((at, v)) = cap(&SYSTEM)
    {
        notes.push((at, v.clone(), format!("platform {v}")));
        p.system = Some(v.to_lowercase());
    }
    if p.downgrade.is_none()
        && let Some(m) = NO_DOWNGRADE.find(s)
    {
        p.downgrade = Some(false);
        quote(notes, &m, "no downgrade exists");
    }
    if p.new_pool.is_none()
        && let Some((at, v)) = cap(&NEW_POOL)
    {
        notes.push((at, v.clone(), format!("new node pool `{v}`")));
        p.new_pool = Some(v);
    }
    if p.old_pool.is_none()
        && let Some((at, v)) =
            cap(&OLD_POOL).filter(|(_, v)| pool_name(v) && p.new_pool.as_deref() != Some(v))
    {
        notes.push((at, v.clone(), format!("old node pool `{v}` kept")));
        p.old_pool = Some(v);
    }
    if p.standby.is_none()
        && let Some((at, v)) = cap(&STANDBY)
    {
        notes.push((
            at,
            v.clone(),
            format!("standby cluster `{v}` on the old version"),
        ));
        p.standby = Some(v);
    }
    if p.target.is_none()
        && let Some((at, v)) = cap(&TARGET).filter(|(_, v)| p.standby.as_deref() != Some(v))
    {
        notes.push((at, v.clone(), format!("cluster `{v}`")));
        p.target = Some(v);
    }
    if p.state_snapshot.is_none()
        && let Some(m) = hit(&SNAPSHOT)
    {
        p.state_snapshot = Some(collapse(m.as_str()));
        quote(notes, &m, "state snapshot taken before");
    }
    if p.setting.is_none()
        && let Some((at, v)) = cap(&SETTING)
    {
        notes.push((at, v.clone(), format!("platform setting `{v}`")));
        p.setting = Some(v);
    }
    if p.setting_previous.is_none()
        && p.setting.is_some()
        && let Some((at, v)) = cap(&SETTING_BACK)
    {
        notes.push((at, v.clone(), format!("set back to {v}")));
        p.setting_previous = Some(v);
    }
    if p.auto_updates.is_none()
        && let Some(m) = hit(&AUTO)
    {
        p.auto_updates = Some(m.as_str().to_string());
        quote(notes, &m, "the nodes update themselves");
    }
    if p.from.is_none()
        && let Some(c) = VERSIONS.captures(s)
        && let (Some(f), Some(t)) = (c.get(1).or_else(|| c.get(3)), c.get(2).or_else(|| c.get(4)))
    {
        p.from = Some(f.as_str().to_string());
        p.to = Some(t.as_str().to_string());
        quote(notes, &f, format!("from {} to {}", f.as_str(), t.as_str()));
    }
}

fn describe(k: PlatformComponent) -> &'static str {
    match k {
        PlatformComponent::ControlPlane => "control plane",
        PlatformComponent::Nodes => "nodes",
        PlatformComponent::OsImage => "nodes' OS image",
        PlatformComponent::ServiceDiscovery => "service discovery",
        PlatformComponent::Other => "platform",
    }
}

fn cutover_facts(cx: &mut Ctx, doc: &Doc) {
    let pnr = cx
        .spec
        .statements
        .iter()
        .find(|s| s.kind == StatementKind::PointOfNoReturn)
        .map(|s| s.words.clone());
    each_sentence(
        cx,
        doc,
        ChangeKind::Cutover,
        Change::as_cutover_mut,
        read_cutover,
    );
    if let Some(k) = cx
        .spec
        .deployment
        .changes
        .iter_mut()
        .find_map(Change::as_cutover_mut)
        && k.point_of_no_return.is_none()
    {
        k.point_of_no_return = pnr;
    }
}

/// The cutover's fields one sentence gives.
fn read_cutover(k: &mut Cutover, s: &str, notes: &mut Notes) {
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    if k.dual_writes.is_none()
        && let Some(m) = hit(&DUAL)
    {
        k.dual_writes = Some(true);
        quote(notes, &m, "dual writes keep the old system current");
    }
    if k.reverse_sync.is_none()
        && let Some(m) = hit(&REVERSE)
    {
        k.reverse_sync = Some(true);
        quote(notes, &m, "writes are synced back to the old system");
    }
    if k.old_kept.is_none()
        && let Some(m) = hit(&OLD_KEPT)
    {
        k.old_kept = Some(true);
        quote(notes, &m, "the old system stays in place");
    }
    if k.reconciliation.is_none()
        && let Some(m) = hit(&RECONCILE)
    {
        k.reconciliation = Some(collapse(m.as_str()));
        quote(notes, &m, "the two systems are reconciled");
    }
    if k.from.is_none()
        && let Some(c) = SYSTEMS.captures(s)
        && let (Some(f), Some(t)) = (c.get(1), c.get(2))
        && sent_reveals_cutover(s)
    {
        k.from = Some(collapse(f.as_str()));
        k.to = Some(collapse(t.as_str()));
        quote(
            notes,
            &f,
            format!("from {} to {}", collapse(f.as_str()), collapse(t.as_str())),
        );
    }
}

/// The sentence is one that reveals the cutover (its systems are named there).
fn sent_reveals_cutover(s: &str) -> bool {
    super::generic::reveals(ChangeKind::Cutover, s)
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [
        &SYSTEM,
        &NO_DOWNGRADE,
        &NEW_POOL,
        &OLD_POOL,
        &STANDBY,
        &TARGET,
        &SNAPSHOT,
        &SETTING,
        &SETTING_BACK,
        &AUTO,
        &VERSIONS,
        &CONTROL_PLANE,
        &NODE_IMAGE,
        &DISCOVERY,
        &CONTROL_WORDS,
        &DUAL,
        &REVERSE,
        &RECONCILE,
        &OLD_KEPT,
        &SYSTEMS,
    ]
    .into_iter()
}
