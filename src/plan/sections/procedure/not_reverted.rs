//! What the procedure does not bring back: from the platforms, the migrations left in place, the
//! rows written since the deploy, what was sent, upgrades with no downgrade.

use super::prelude::*;
use crate::assess::Level;
use crate::model::InfraTool;
use crate::model::kinds::Reversibility;

pub(super) fn lines(b: &Build) -> Vec<String> {
    let mut not_reverted: Vec<String> = Vec::new();
    for svc in &b.services {
        for n in deploy::not_reverted(svc) {
            let line = format!("{}: {n}", svc.name);
            if !not_reverted.contains(&line) {
                not_reverted.push(line);
            }
        }
    }
    // What the database keeps follows from the steps above, not from the platform.
    let kept: Vec<String> = b
        .migration_facts
        .iter()
        .filter(|m| !super::runs_before_code(m))
        .filter(|m| !m.is_destructive() && (m.additive || m.backward_compatible == Some(true)))
        .map(|m| format!("`{}`", b.spec.deployment.changes[m.index].label(m.index)))
        .collect();
    if !kept.is_empty() {
        not_reverted.push(format!(
            "The schema changes of {} (left in place on purpose: the previous version runs on them).",
            kept.join(", ")
        ));
    }
    // Only where there is a database to hold them: a stateless plan says no data store changes.
    if !b.spec.architecture.data_stores.is_empty() || !b.migration_facts.is_empty() {
        not_reverted.push(
            "Rows written since the deploy: they stay in the database (see Data Recovery Strategy)."
                .to_string(),
        );
    }
    // What cannot be recalled is declared by its kind.
    if b.level >= Level::Irreversible
        && b.spec
            .deployment
            .changes
            .iter()
            .any(|c| c.declaration().reversibility == Reversibility::Irreversible)
    {
        not_reverted.push(
            "Anything already sent outside the system (see Rollback Classification: mitigation)."
                .to_string(),
        );
    }
    for c in b
        .spec
        .deployment
        .changes
        .iter()
        .filter_map(|c| c.as_infrastructure())
        .filter(|c| {
            c.no_downgrade_path == Some(true) || c.apply == Some(InfraTool::PlatformUpgrade)
        })
    {
        let target = c
            .target
            .clone()
            .unwrap_or_else(|| "the infrastructure change".to_string());
        not_reverted.push(format!(
            "{target}: the upgrade itself (no downgrade exists)."
        ));
    }

    not_reverted
}
