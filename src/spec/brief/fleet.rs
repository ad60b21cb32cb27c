//! What a brief says about its fleet push beyond the sentence that reveals it: whether the content
//! can stop a host from receiving the fix, whether the previous content stays on the hosts, a
//! kill switch, the tool and its playbook. The patterns are declared by the kind
//! (`model::kinds::fleet_push::brief`); every sentence of the brief is read, since the
//! architecture and risks usually say these things, not the sentence of the push.

use super::fields::{Notes, each_sentence, quote};
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, collapse, negated};
use crate::model::kinds::fleet_push::brief::*;
use crate::model::kinds::{FleetPush, FleetTool};
use crate::model::*;

static BREAKS: Matcher = Matcher::of(&BREAKS_RECEIVER);
static KEPT: Matcher = Matcher::of(&PREVIOUS_KEPT);
static TAKES: Matcher = Matcher::of(&ROLLBACK_TAKES);
static KILL: Matcher = Matcher::of(&KILL_SWITCH);
static TOOL_NAME: Matcher = Matcher::of(&TOOL);
static BOOK: Matcher = Matcher::of(&PLAYBOOK);

/// Fills the fields of the brief's fleet push from its sentences.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    each_sentence(
        cx,
        doc,
        ChangeKind::FleetPush,
        Change::as_fleet_push_mut,
        read,
    );
}

/// The fleet push's fields one sentence gives.
fn read(f: &mut FleetPush, s: &str, notes: &mut Notes) {
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    if f.breaks_receiver.is_none()
        && let Some(m) = hit(&BREAKS)
    {
        f.breaks_receiver = Some(true);
        quote(
            notes,
            &m,
            "fleet push can stop a host from receiving the fix",
        );
    }
    if f.previous_kept.is_none()
        && let Some(m) = hit(&KEPT)
    {
        f.previous_kept = Some(true);
        quote(notes, &m, "the previous content stays on the hosts");
    }
    if f.rollback_minutes.is_none()
        && let Some(c) = TAKES.captures(s)
        && let Some(m) = c.get(0)
        && !negated(s, m.start(), m.end())
    {
        let minutes = match (c.get(1), c.get(2), c.get(3)) {
            (Some(w), _, _) if w.as_str().eq_ignore_ascii_case("days") => 24 * 60,
            (Some(_), _, _) => 120,
            (None, Some(n), Some(u)) => {
                let n: u32 = n.as_str().parse().unwrap_or(0);
                match u.as_str().chars().next().map(|c| c.to_ascii_lowercase()) {
                    Some('h') => n * 60,
                    Some('d') => n * 24 * 60,
                    _ => n,
                }
            }
            _ => 0,
        };
        if minutes > 0 {
            f.rollback_minutes = Some(minutes);
            quote(
                notes,
                &m,
                format!("switching every host back takes about {minutes} min"),
            );
        }
    }
    if f.kill_switch.is_none()
        && let Some(m) = hit(&KILL)
    {
        f.kill_switch = Some(collapse(m.as_str()));
        quote(notes, &m, "a kill switch disables the pushed content");
    }
    if f.tool.is_none()
        && let Some(m) = TOOL_NAME.find(s)
    {
        let w = m.as_str().to_lowercase();
        f.tool = Some(if w.starts_with("ansible") {
            FleetTool::Ansible
        } else if w.starts_with("salt") {
            FleetTool::Salt
        } else if w == "chef" {
            FleetTool::Chef
        } else if w == "puppet" {
            FleetTool::Puppet
        } else {
            FleetTool::Ota
        });
        quote(notes, &m, format!("pushed with {w}"));
    }
    if f.playbook.is_none()
        && let Some(c) = BOOK.captures(s)
        && let Some(m) = c.get(1)
    {
        f.playbook = Some(m.as_str().to_string());
        quote(notes, &m, format!("playbook `{}`", m.as_str()));
    }
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [&BREAKS, &KEPT, &TAKES, &KILL, &TOOL_NAME, &BOOK].into_iter()
}
