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
];

/// One registered kind read generically, with its triggers' matchers.
pub(super) struct GenericKind {
    pub(super) decl: &'static KindDecl,
    /// Per trigger: what is found, and what the sentence must also hold.
    pub(super) triggers: Vec<(Matcher, Option<Matcher>)>,
}

impl GenericKind {
    /// What the change is called in the reader's notes.
    pub(super) fn what(&self) -> String {
        self.decl.name.replace('_', " ")
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

/// Every generic matcher, for the word gate.
pub(super) fn matchers() -> impl Iterator<Item = &'static Matcher> {
    GENERIC
        .iter()
        .flat_map(|g| g.triggers.iter())
        .flat_map(|(found, also)| std::iter::once(found).chain(also.as_ref()))
}
