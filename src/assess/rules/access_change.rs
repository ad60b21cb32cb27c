use crate::assess::{Context, Finding, Level, Rule, Severity};
use crate::evidence::Evidence;
use crate::model::kinds::AccessOperation as Op;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A change of access (`access_change`): an IAM role or policy, database grants, a secret or
    /// key rotated or removed, a certificate, identity provider keys. Classes it by whether the
    /// previous access still exists and who can put it back.
    ///
    /// ## Why it matters for rollback
    ///
    /// A policy or grant comes back in a minute from its recorded previous version, but only if
    /// someone still holds the access to do it: emergency access that does not depend on the
    /// change makes it instant. A rotated secret whose previous version stays valid (dual
    /// validity) switches back at once. Keys removed from a published key set are republished,
    /// but clients that cached the set keep failing until they refresh (Azure AD, March 2021). A
    /// key, secret or certificate destroyed or revoked does not come back: what it signed cannot
    /// be validated again.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// - kind: access_change
    ///   system: aws-iam
    ///   operation: policy
    ///   principal: ci-deployer
    ///   break_glass: platform-admin
    /// ```
    ///
    /// ## Use instead
    ///
    /// Record the current policy version or grants first, list who uses the access from its
    /// recent use, keep the old secret or key valid until every client uses the new one, and test
    /// a break-glass account that does not depend on the change.
    pub static ACCESS_CHANGE = { code: "RB027", name: "access-change", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(a) = c.as_access_change() else {
            continue;
        };
        let field = |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let cached = a.cached_by_clients == Some(true);
        let (way, level, evidence) = if a.destroys_previous == Some(true) {
            (Way::Destroyed, Level::Irreversible, field("destroys_previous"))
        } else {
            match a.operation {
                Some(Op::Policy | Op::Grant) if a.break_glass.is_some() => {
                    (Way::PolicyBack, Level::Instant, field("break_glass"))
                }
                Some(Op::Policy | Op::Grant) => (Way::PolicyNoBreakGlass, Level::Fast, field("break_glass")),
                Some(Op::Rotate | Op::Certificate | Op::RemoveKey) if cached => {
                    (Way::Cached, Level::Complex, field("cached_by_clients"))
                }
                Some(Op::Rotate) if a.previous_valid == Some(true) => {
                    (Way::DualValidity, Level::Instant, field("previous_valid"))
                }
                Some(Op::Rotate | Op::Certificate | Op::RemoveKey) => {
                    (Way::Republish, Level::Fast, field("previous_valid"))
                }
                None => (Way::Unknown, Level::Complex, field("operation")),
            }
        };
        let mut f = rule.finding(way, evidence).level(level).change(i);
        if level == Level::Irreversible {
            f = f.severity(Severity::Error);
        }
        out.push(f);
    }
}

/// How an access change comes back.
enum Way {
    PolicyBack,
    PolicyNoBreakGlass,
    DualValidity,
    Republish,
    Cached,
    Destroyed,
    Unknown,
}

impl crate::assess::Violation for Way {
    fn message(&self) -> String {
        match self {
            Self::PolicyBack => "policy or grants: the recorded previous version is restored in a minute, and emergency access that does not depend on the change is named to do it",
            Self::PolicyNoBreakGlass => "policy or grants: the recorded previous version is restored in minutes, by someone who still holds the access; no emergency access independent of the change is named",
            Self::DualValidity => "rotation with the previous secret or key still valid: switching back is one call, and clients on either keep working",
            Self::Republish => "the previous secret, key or certificate is made current or published again; clients that already took the new one must take the old one again",
            Self::Cached => "clients cache the credentials or key set and refresh on their own schedule: republishing the previous one reaches them only when they refresh",
            Self::Destroyed => "a key, secret or certificate destroyed or revoked does not come back: what it signed or protected cannot be validated, and every client needs a new one",
            Self::Unknown => "an access change of unknown operation: classed for the worst case it cannot exclude (at least complex): name the operation",
        }
        .to_string()
    }
}
