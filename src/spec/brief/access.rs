//! What a brief says about an access change beyond the sentence that reveals it: the operation
//! (the name of the trigger that fired), the system, the principal, the break-glass access,
//! whether clients cache the credentials or key set, whether the previous one stays valid or is
//! destroyed. The patterns are declared by the kind (`model::kinds::access_change::brief`); every
//! sentence is read, since the architecture and risks usually say these things.

use super::fields::{Notes, each_sentence, quote};
use super::generic::fired;
use super::infer::Ctx;
use super::matcher::Matcher;
use super::text::{Doc, collapse, negated};
use crate::model::kinds::access_change::brief::*;
use crate::model::kinds::{AccessChange, AccessOperation, AccessSystem};
use crate::model::*;

static GLASS: Matcher = Matcher::of(&BREAK_GLASS);
static WHO: Matcher = Matcher::of(&PRINCIPAL);
static CACHE: Matcher = Matcher::of(&CACHED);
static VALID: Matcher = Matcher::of(&PREVIOUS_VALID);
static GONE: Matcher = Matcher::of(&DESTROYS);
static SYS: Matcher = Matcher::of(&SYSTEM);

/// Fills the fields of the brief's access change from its sentences.
pub(super) fn facts(cx: &mut Ctx, doc: &Doc) {
    each_sentence(
        cx,
        doc,
        ChangeKind::AccessChange,
        Change::as_access_change_mut,
        read,
    );
}

/// The access change's fields one sentence gives.
fn read(a: &mut AccessChange, s: &str, notes: &mut Notes) {
    let trigger = fired(ChangeKind::AccessChange, s);
    let hit = |m: &Matcher| m.find(s).filter(|m| !negated(s, m.start(), m.end()));
    if a.operation.is_none()
        && let Some((name, (x, y))) = trigger
    {
        a.operation = match name {
            "policy" => Some(AccessOperation::Policy),
            "grant" => Some(AccessOperation::Grant),
            "rotate" => Some(AccessOperation::Rotate),
            "signing or access keys removed" => Some(AccessOperation::RemoveKey),
            "certificate" => Some(AccessOperation::Certificate),
            _ => None,
        };
        if a.operation.is_some() {
            notes.push((x, s[x..y].to_string(), format!("access operation: {name}")));
        }
    }
    if a.system.is_none()
        && trigger.is_some()
        && let Some(m) = SYS.find(s)
    {
        let w = collapse(m.as_str()).to_lowercase();
        a.system = Some(match w.as_str() {
            "iam" => AccessSystem::AwsIam,
            "secrets manager" => AccessSystem::SecretsManager,
            "vault" => AccessSystem::Vault,
            "kubernetes" | "rbac" => AccessSystem::Kubernetes,
            "clickhouse" | "postgres" | "postgresql" | "mysql" | "snowflake" => {
                AccessSystem::Database
            }
            w if w.starts_with("certificate") => AccessSystem::Certificate,
            _ => AccessSystem::IdentityProvider,
        });
        quote(notes, &m, format!("access system: {w}"));
    }
    if a.principal.is_none()
        && trigger.is_some()
        && let Some(c) = WHO.captures(s)
        && let Some(m) = c.get(1)
    {
        a.principal = Some(m.as_str().to_string());
        quote(notes, &m, format!("access of `{}`", m.as_str()));
    }
    if a.break_glass.is_none()
        && let Some(c) = GLASS.captures(s)
        && let Some(all) = c.get(0)
        && !negated(s, all.start(), all.end())
    {
        let named = c
            .get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .map(|m| m.as_str().to_string());
        let v = named.unwrap_or_else(|| collapse(all.as_str()));
        quote(notes, &all, format!("break-glass access: {v}"));
        a.break_glass = Some(v);
    }
    if a.cached_by_clients.is_none()
        && let Some(m) = hit(&CACHE)
    {
        a.cached_by_clients = Some(true);
        quote(notes, &m, "clients cache the credentials or key set");
    }
    if a.previous_valid.is_none()
        && let Some(m) = hit(&VALID)
    {
        a.previous_valid = Some(true);
        quote(notes, &m, "the previous one stays valid");
    }
    if a.destroys_previous.is_none()
        && let Some(m) = hit(&GONE)
    {
        a.destroys_previous = Some(true);
        quote(
            notes,
            &m,
            "a key, secret or certificate is destroyed or revoked",
        );
    }
}

/// This file's matchers, for the gate's word list (`patterns::ALL`).
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    [&GLASS, &WHO, &CACHE, &VALID, &GONE, &SYS].into_iter()
}
