//! Kinds the reader has no field extraction for, found by their declared triggers alone.
//!
//! A kind added to the registry (`src/model/kinds/mod.rs`) is read from briefs without any change
//! here: each of its triggers becomes a gated matcher, and a sentence that fires one (not negated,
//! with the trigger's `also` pattern where it declares one) creates the change. The kinds listed in
//! [`READ_BY_HAND`] have fields the reader fills from the sentence (`changes.rs`), so they are
//! skipped here.

use super::matcher::Matcher;
use crate::model::kinds::{ChangeKind, KINDS, KindDecl};
use std::sync::LazyLock;

/// Kinds whose fields `changes.rs` (or, for code, the version reader) fills by hand.
const READ_BY_HAND: &[ChangeKind] = &[
    ChangeKind::Code,
    ChangeKind::Migration,
    ChangeKind::Config,
    ChangeKind::FeatureFlag,
    ChangeKind::Infrastructure,
    ChangeKind::Dependency,
    ChangeKind::ExternalSideEffect,
    ChangeKind::DataOperation,
    ChangeKind::DatabaseOperation,
];

/// Pairs `(specific, general)`: a sentence that reveals the first kind does not also create the
/// second. Firmware or an app sent over the air to devices is a client release (installed copies,
/// staged by cohorts), not content pushed to a fleet of hosts the team runs; content pushed to
/// every edge node is a fleet push, even when it names the edge or DNS it reaches.
const MORE_SPECIFIC: &[(ChangeKind, ChangeKind)] = &[
    (ChangeKind::ClientRelease, ChangeKind::FleetPush),
    (ChangeKind::FleetPush, ChangeKind::NetworkChange),
];

/// Whether kind `specific`, found in a sentence, covers kind `general` found in the same one.
pub(super) fn covers(specific: ChangeKind, general: ChangeKind) -> bool {
    MORE_SPECIFIC.contains(&(specific, general))
}

/// Triggers that, in a brief revealing another kind anywhere, name how that kind is delivered
/// rather than a change of their own: `(kind, trigger, the other kind)`. "OTA" in a brief that
/// releases firmware is the firmware's delivery, not a second push.
const DELIVERY_OF: &[(ChangeKind, &str, ChangeKind)] = &[(
    ChangeKind::FleetPush,
    "over-the-air update",
    ChangeKind::ClientRelease,
)];

/// Whether trigger `trigger` of `kind` names the delivery of another kind the brief reveals.
pub(super) fn delivery_of_another(kind: ChangeKind, trigger: &str, brief: &str) -> bool {
    DELIVERY_OF
        .iter()
        .any(|&(k, t, other)| k == kind && t == trigger && reveals(other, brief))
}

/// Whether a generically read kind's triggers fire anywhere in the brief.
pub(super) fn reveals(kind: ChangeKind, brief: &str) -> bool {
    GENERIC
        .iter()
        .filter(|g| g.decl.kind == kind)
        .flat_map(|g| g.triggers.iter())
        .any(|(found, also)| trigger_hit(found, also.as_ref(), brief).is_some())
}

/// Where a trigger fires in `s`: the first hit of its `found` pattern (not negated), when `s`
/// matches its `also` pattern too. Without a word of `also` in `s`, `found` is neither compiled
/// nor searched.
pub(super) fn trigger_hit(
    found: &Matcher,
    also: Option<&Matcher>,
    s: &str,
) -> Option<(usize, usize)> {
    if also.is_some_and(|a| !a.may_match(s)) {
        return None;
    }
    let h = super::infer::first_hit(found, s)?;
    also.is_none_or(|a| a.is_match(s)).then_some(h)
}

/// One registered kind read generically, with its triggers' matchers.
pub(super) struct GenericKind {
    pub(super) decl: &'static KindDecl,
    /// Per trigger: what is found, and what the sentence must also hold.
    pub(super) triggers: Vec<(Matcher, Option<Matcher>)>,
}

impl GenericKind {
    /// What the change is called in the reader's notes.
    pub(super) fn what(&self) -> String {
        // `access_change` is noted as an "access change", not an "access change change".
        self.decl.name.trim_end_matches("_change").replace('_', " ")
    }
}

pub(super) static GENERIC: LazyLock<Vec<GenericKind>> = LazyLock::new(|| {
    KINDS
        .iter()
        .copied()
        .filter(|d| !READ_BY_HAND.contains(&d.kind))
        .map(|decl| GenericKind {
            decl,
            triggers: decl
                .recogniser
                .triggers
                .iter()
                .map(|t| {
                    (
                        Matcher::found(t),
                        t.also.is_some().then(|| Matcher::also(t)),
                    )
                })
                .collect(),
        })
        .collect()
});

/// The first trigger of a generically read `kind` that a sentence fires (not negated, with its
/// `also` pattern): the trigger's name and where. The kind files name their triggers after what
/// the change does, so the name gives the operation.
pub(super) fn fired(kind: ChangeKind, s: &str) -> Option<(&'static str, (usize, usize))> {
    let g = GENERIC.iter().find(|g| g.decl.kind == kind)?;
    g.decl
        .recogniser
        .triggers
        .iter()
        .zip(&g.triggers)
        .find_map(|(t, (found, also))| Some((t.name, trigger_hit(found, also.as_ref(), s)?)))
}

/// Every generic matcher, for the word gate.
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    GENERIC
        .iter()
        .flat_map(|g| g.triggers.iter())
        .flat_map(|(found, also)| std::iter::once(found).chain(also.as_ref()))
        .chain(
            DATABASE_OPERATION
                .iter()
                .flat_map(|(_, found, also)| std::iter::once(found).chain(also.as_ref())),
        )
        .chain([
            &DB_DATA_REMOVED,
            &DB_FROM_TO,
            &DB_PARAMETER_GROUP,
            &DB_RESTART,
        ])
}

/// "from `pg-a` to `pg-b`", "from 500 to 800", "from PostgreSQL 13.14 to 16.4": the host or value
/// before and after a database operation.
pub(super) static DB_FROM_TO: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)from\s+(?:postgres(?:ql)?\s+|mysql\s+|mariadb\s+|version\s+)?`?([[:word:]][[:word:].-]*)`?\s+to\s+(?:postgres(?:ql)?\s+|mysql\s+|mariadb\s+|version\s+)?`?([[:word:]][[:word:].-]*[[:word:]]|[[:word:]])`?",
    &["from"],
);

/// "the parameter group `core-db-pg14`".
pub(super) static DB_PARAMETER_GROUP: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)parameter\s+group\s+`([^`\s]+)`",
    &["parameter"],
);

/// Whether a parameter needs a restart: "static parameter" or "reboot"/"restart" (1), or
/// "dynamic parameter" (2).
pub(super) static DB_RESTART: Matcher = Matcher::leading(
    r"(?i)(?-u:\b)(?:(static\s+parameter|reboots?|rebooted|restarts?|restarted|pending-reboot)|(dynamic\s+parameter))(?-u:\b)",
    &["static", "reboot", "restart", "dynamic", "pending"],
);

/// Words that say a database operation removes data on a host: the command GitLab ran on the
/// wrong host in 2017 (`rm -rf` of the data directory), a wipe, a dropped database.
pub(super) static DB_DATA_REMOVED: Matcher = Matcher::leading(
    r"(?i)(?:(?-u:\b)rm\s+-(?:rf|fr|r)(?-u:\b)|(?-u:\b)(?:remov|delet|wip|eras|clear)[[:word:]]*\s+(?:the\s+|its\s+)?(?:[[:word:]]+\s+)?(?:data\s+dir(?:ectory|ectories)?|pgdata|datadir)(?-u:\b)|(?-u:\b)drop\s+database(?-u:\b))",
    &["rm", "remov", "delet", "wip", "eras", "clear", "drop"],
);

/// The database operation a sentence reveals: the name of the first trigger that fires (not
/// negated, with its `also` pattern) and where. Read by hand (`changes.rs`): the trigger's name is
/// the operation, and the operation takes precedence over the infrastructure and configuration
/// words of the same sentence.
pub(super) fn database_operation(s: &str) -> Option<(&'static str, (usize, usize))> {
    DATABASE_OPERATION
        .iter()
        .find_map(|(name, found, also)| Some((*name, trigger_hit(found, also.as_ref(), s)?)))
}

static DATABASE_OPERATION: LazyLock<Vec<(&'static str, Matcher, Option<Matcher>)>> =
    LazyLock::new(|| {
        ChangeKind::DatabaseOperation
            .recogniser()
            .triggers
            .iter()
            .map(|t| {
                (
                    t.name,
                    Matcher::found(t),
                    t.also.is_some().then(|| Matcher::also(t)),
                )
            })
            .collect()
    });
