//! Invariants every plan keeps, whatever its input: a plan never contradicts itself, its platform
//! or its evidence. Public so the tests and the spec generator check every plan they build.
//!
//! Each invariant has a stable id (`INV-…`) so a failure names the rule it broke.

mod data;
mod procedure;
mod references;
mod steps;

use super::model::Plan;
use crate::model::Spec;
use data::{engines, evidence_class, flag_share, not_reverted, record_step};
use procedure::{backup_first, band};
use references::{platform_ids, recorded, xrefs};

/// One broken invariant: its id and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub invariant: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.invariant, self.detail)
    }
}

/// The invariants, by id, with what each one asserts (for reports and the README).
pub const INVARIANTS: &[(&str, &str)] = &[
    (
        "INV-XREF",
        "every cross-reference (\"Step N\", \"next step\", \"previous step\", \"the undo below\", \"the backup below\", \"the code rollback step that follows\") resolves to a step or section that exists",
    ),
    (
        "INV-RECORDED",
        "every placeholder recorded before the deploy is named by a Go / No-Go check and used by a later section",
    ),
    (
        "INV-PLATFORM-ID",
        "every platform identifier a rollback command takes is a recorded placeholder, never the release label `previous_version`",
    ),
    (
        "INV-ENGINE",
        "engine-specific text (PostgreSQL, psql, pg_dump; MySQL, mysqldump) matches the engines of the plan's data stores",
    ),
    (
        "INV-BACKUP-FIRST",
        "a destructive step is preceded by a backup step, or says why no backup is possible",
    ),
    (
        "INV-BAND",
        "the estimate is the sum of the steps and lies inside the band of the class",
    ),
    (
        "INV-NOT-REVERTED",
        "\"not reverted\" never claims a schema stays that a step reverses",
    ),
    (
        "INV-RECORD-STEP",
        "a data check comparing with a value recorded before the deploy has the Go / No-Go check that records it",
    ),
    (
        "INV-EVIDENCE-CLASS",
        "a migration the previous version cannot run on makes the class at least complex, gets a redeploy step after its reverse migration, and the outage window between them is stated",
    ),
    (
        "INV-FLAG-SHARE",
        "a flag bump rolls out between its previous and new share, and an abort returns it to its previous share or turns it off",
    ),
];

/// Checks every invariant of a plan built from `spec`.
pub fn check(plan: &Plan, spec: &Spec) -> Vec<Violation> {
    let mut out = Vec::new();
    let code = steps::CodeRollbacks::of(spec);
    xrefs(plan, &code, &mut out);
    recorded(plan, &mut out);
    platform_ids(plan, spec, &code, &mut out);
    engines(plan, spec, &mut out);
    backup_first(plan, &mut out);
    band(plan, &mut out);
    not_reverted(plan, &mut out);
    record_step(plan, &mut out);
    evidence_class(plan, spec, &code, &mut out);
    flag_share(plan, spec, &mut out);
    out
}

fn v(out: &mut Vec<Violation>, invariant: &'static str, detail: String) {
    out.push(Violation { invariant, detail });
}
