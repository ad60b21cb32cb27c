use crate::assess::{Context, Finding, Rule};
use crate::evidence::Evidence;
use crate::model::RiskKind;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A declared risk that lengthens the rollout: peak traffic, first deploy to new
    /// infrastructure, a major refactor, large data volume, no staging parity.
    ///
    /// ## Why it matters for rollback
    ///
    /// These make a failure both more likely and more costly; the canary stages bake longer and the
    /// trigger thresholds are watched by a named person.
    ///
    /// ## Use instead
    ///
    /// Deploy outside peak hours, shadow traffic to new infrastructure first, or split the
    /// refactor.
    pub static ELEVATED_RISK = { code: "RB015", name: "elevated-risk", family: Spec, severity: Info, check: check, fixtures: [".yaml"] }
}

/// Risk kinds that lengthen bake times.
pub fn lengthens_bake(kind: RiskKind) -> bool {
    matches!(
        kind,
        RiskKind::PeakTraffic
            | RiskKind::FirstDeployToNewInfrastructure
            | RiskKind::MajorRefactor
            | RiskKind::LargeDataVolume
            | RiskKind::NoStagingParity
    )
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, r) in ctx.spec.risks.iter().enumerate() {
        if let Some(kind) = r.kind().filter(|k| lengthens_bake(*k)) {
            out.push(rule.finding(
                ElevatedRisk { risk: kind.as_str() },
                Evidence::field(ctx.spec_file, format!("risks[{i}]")),
            ));
        }
    }
}

/// A declared risk that doubles the bake.
struct ElevatedRisk<'a> {
    risk: &'a str,
}

impl crate::assess::Violation for ElevatedRisk<'_> {
    fn message(&self) -> String {
        format!("risk `{}`: canary stages bake twice as long", self.risk)
    }
}
