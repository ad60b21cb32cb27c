//! Declared risk factors turned into actions, so that no risk is only an echo: each known risk
//! adds a Go / No-Go check (and, where someone outside the team must act, a line of the
//! Communication Plan); the bakes it lengthens are doubled in Canary & Progressive Rollout; a
//! free-text risk is a check asking for its mitigation and owner.

use super::super::Ctx;
use super::super::model::Check;
use crate::model::{ChangeKind, Risk, RiskKind};
use crate::plan::placeholders::AT_SEND;

/// What a known risk asks for before the start: the check's title and what proves it.
fn check_for(kind: RiskKind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        RiskKind::FirstDeployToNewInfrastructure => (
            "The old infrastructure stays up and routable until the last stage has baked: it is the rollback target",
            "nothing old (pool, cluster, region, account) is scaled down or deleted by this change; moving traffic back to it was tried once",
        ),
        RiskKind::MajorRefactor => (
            "The previous build can still be deployed: its artifact is kept and a deploy of it passed in staging",
            "the previous version's artifact exists (not garbage-collected) and deploys; the bakes are doubled for this risk",
        ),
        RiskKind::ThirdPartyDependency => (
            "The third party's status page shows no incident, and their support contact is written into the ticket",
            "no open incident on their side at the start: a failure of theirs during the deploy is not fixed by our rollback",
        ),
        RiskKind::PeakTraffic => (
            "The start is outside the traffic peak, and the previous version has the capacity to take the peak back",
            "current load is below the usual peak; the bakes are doubled for this risk",
        ),
        RiskKind::LargeDataVolume => (
            "The data change and its reversal were timed at production size (`rollbook rehearse`, or a dry run on a copy)",
            "both fit the window; the procedure's estimates are replaced by the measured times",
        ),
        RiskKind::NoStagingParity => (
            "What staging cannot show is caught by the first stage: it is the smallest possible (one host, or 1% at most) and a named person watches it",
            "the first stage and its watcher are written into the ticket; the bakes are doubled for this risk",
        ),
        RiskKind::CrossTeamDependency => (
            "The other team knows the window and has someone on call for it",
            "their on-call is named in the ticket and has read the rollback triggers",
        ),
        RiskKind::SecurityChange => (
            "Emergency (break-glass) access that does not depend on this change works: try it before the start",
            "a login through the emergency path succeeded today; its credentials are not changed by this deploy",
        ),
        RiskKind::Compliance => (
            "The compliance owner approved the change, and the ticket keeps this plan as the record",
            "approval written in the ticket; the compliance owner says whether a rollback or an incident must be reported",
        ),
        // The migration's own checks (dry run on a copy, lock timeouts) cover it when declared.
        RiskKind::SchemaMigration => return None,
    })
}

/// One Go / No-Go check per known risk (in declaration order, each once), and one listing the
/// free-text risks. A schema-migration risk with no migration declared is a check of its own:
/// this plan does not cover a schema change it was not told about.
pub fn checks(ctx: &Ctx) -> Vec<Check> {
    let spec = &ctx.input.spec;
    let mut out = Vec::new();
    let mut seen: Vec<RiskKind> = Vec::new();
    let mut free: Vec<String> = Vec::new();
    for (i, r) in spec.risks.iter().enumerate() {
        let field = format!("risks[{i}]");
        let Some(kind) = r.kind() else {
            if let Risk::Text(t) = r {
                free.push(format!("\u{201c}{t}\u{201d} ({field})"));
            }
            continue;
        };
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        let (title, expect) = match check_for(kind) {
            Some(c) => c,
            None if kind == RiskKind::SchemaMigration
                && !spec
                    .deployment
                    .changes
                    .iter()
                    .any(|c| c.kind() == ChangeKind::Migration) =>
            {
                (
                    "The schema change this risk names is declared (`kind: migration` with its path), so its rollback is planned",
                    "until it is, this plan does not cover the schema change: its down, its locks and its data loss are not judged",
                )
            }
            None => continue,
        };
        let said = match r {
            Risk::Known { note: Some(n), .. } => format!(": \u{201c}{n}\u{201d}"),
            _ => String::new(),
        };
        out.push(Check {
            title: format!("{title} (risk `{}`{said}, {field})", kind.as_str()),
            commands: Vec::new(),
            queries: Vec::new(),
            expect: expect.to_string(),
        });
    }
    if !free.is_empty() {
        out.push(Check {
            title: format!(
                "Each listed risk has a mitigation and an owner written in the ticket: {}",
                free.join("; ")
            ),
            commands: Vec::new(),
            queries: Vec::new(),
            expect: "a named owner and a mitigation for each, or the decision maker's written acceptance; a risk with neither is a no-go".to_string(),
        });
    }
    out
}

/// Who outside the team is told, for the risks that bring someone in: (before, during).
pub fn audiences(ctx: &mut Ctx) -> (Vec<String>, Vec<String>) {
    let kinds: Vec<RiskKind> = ctx.input.spec.risks.iter().filter_map(Risk::kind).collect();
    let (mut before, mut during) = (Vec::new(), Vec::new());
    if kinds.contains(&RiskKind::ThirdPartyDependency) {
        let who = ctx.ph.text(
            "THIRD_PARTY_CONTACT",
            "the third party's support contact and status page",
            AT_SEND,
        );
        during.push(format!(
            "Third party ({who}): check their status page before deciding; if the failure is theirs, open a case with them, since rolling back will not fix it."
        ));
    }
    if kinds.contains(&RiskKind::CrossTeamDependency) {
        let who = ctx.ph.text(
            "OTHER_TEAM_ONCALL",
            "the on-call of the other team this deploy depends on",
            AT_SEND,
        );
        before.push(format!(
            "The other team ({who}): tell them the window and the rollback triggers."
        ));
        during.push(format!(
            "The other team ({who}): told when a rollback starts, and asked to join if their side is involved."
        ));
    }
    if kinds.contains(&RiskKind::Compliance) {
        during.push(
            "Compliance owner: told when a rollback starts; decides whether a regulator or an auditor must be notified.".to_string(),
        );
    }
    (before, during)
}
