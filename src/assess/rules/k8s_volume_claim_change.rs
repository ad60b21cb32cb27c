//! Rule RB206 `volume-claim-change`.

use crate::assess::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    ///
    /// A PersistentVolumeClaim, or a StatefulSet's `volumeClaimTemplates`, in the release.
    ///
    /// ## Why it matters for rollback
    ///
    /// A claim cannot shrink, and most of its fields (storage class, access modes, a StatefulSet's
    /// claim templates) are immutable, so re-applying the previous manifest fails; and the data on
    /// the volume is not rolled back with the pods.
    ///
    /// ## Use instead
    ///
    /// Change claims in their own release, only grow them, and never change `volumeClaimTemplates`
    /// in place (create a new StatefulSet or migrate the data instead).
    pub static VOLUME_CLAIM_CHANGE = { code: "RB206", name: "volume-claim-change", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects {
        if o.kind == "PersistentVolumeClaim" {
            out.push(rule.finding(
                VolumeClaimChange::Claim { object: o.label() },
                o.evidence.clone(),
            ));
        } else if o.kind == "StatefulSet" && o.get("/spec/volumeClaimTemplates").is_some() {
            out.push(rule.finding(
                VolumeClaimChange::Templates { object: o.label() },
                o.evidence_at("volumeClaimTemplates", None),
            ));
        }
    }
}

/// A volume claim, or claim templates, in the release.
enum VolumeClaimChange {
    /// A PersistentVolumeClaim.
    Claim { object: String },
    /// A StatefulSet's volumeClaimTemplates.
    Templates { object: String },
}

impl crate::assess::Violation for VolumeClaimChange {
    fn message(&self) -> String {
        match self {
            Self::Claim { object } => format!("{object} is part of the release: a rollback cannot shrink it or change its storage class or access modes, and its data is not rolled back."),
            Self::Templates { object } => format!("{object} has volumeClaimTemplates: they are immutable, so a rollback that changes them fails, and the volumes' data is not rolled back."),
        }
    }
}
