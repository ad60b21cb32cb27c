//! Restore access, before anything else that may need it: the previous IAM policy version made
//! the default again (`aws iam set-default-policy-version --policy-arn <ARN> --version-id <V>`,
//! read first with `aws iam get-policy` and `aws iam list-policy-versions`,
//! https://docs.aws.amazon.com/cli/latest/reference/iam/set-default-policy-version.html), the
//! previous secret version moved back to `AWSCURRENT`
//! (`aws secretsmanager update-secret-version-stage --secret-id <ID> --version-stage AWSCURRENT
//! --move-to-version-id <OLD> --remove-from-version-id <NEW>`,
//! https://docs.aws.amazon.com/cli/latest/reference/secretsmanager/update-secret-version-stage.html),
//! the grants re-issued, the previous certificate or key set published again.

use super::prelude::*;
use crate::model::kinds::{AccessChange, AccessOperation as Op, AccessSystem as Sys};

/// Where a previous version comes from when the spec does not give it.
const RECORDED: &str = "the version recorded before the change (`aws iam get-policy`, `aws secretsmanager list-secret-version-ids`, `SHOW GRANTS`), written into the ticket";

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let a = c.as_access_change().cloned().unwrap_or_default();
    let slug = crate::plan::placeholders::slug(&label);
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    let who = a
        .principal
        .clone()
        .map(|p| format!("`{p}`"))
        .unwrap_or_else(|| "the changed access".to_string());
    let prev = |ctx: &mut Ctx, name: &str, what: &str| {
        ctx.ph
            .val_or(a.previous_version.as_deref(), name, what, RECORDED)
    };
    let (title, commands, verify) = match (a.operation, a.system) {
        (Some(Op::Rotate), Some(Sys::SecretsManager)) => {
            let id = ctx.ph.val_or(
                a.principal.as_deref(),
                &format!("{slug}_SECRET_ID"),
                "the secret's name or ARN",
                &field("principal"),
            );
            let old = prev(
                ctx,
                &format!("{slug}_PREVIOUS_SECRET_VERSION"),
                "the version id labelled AWSPREVIOUS after the rotation (`aws secretsmanager list-secret-version-ids`)",
            );
            let new = ctx.ph.hole(
                &format!("{slug}_NEW_SECRET_VERSION"),
                "the version id labelled AWSCURRENT after the rotation",
                "read with `aws secretsmanager list-secret-version-ids` when rolling back",
            );
            (
                format!("Make the previous version of secret {who} current again"),
                vec![
                    Cmd::new("aws secretsmanager update-secret-version-stage")
                        .opt("--secret-id", id.clone())
                        .lit("--version-stage AWSCURRENT")
                        .opt("--move-to-version-id", old)
                        .opt("--remove-from-version-id", new),
                ],
                vec![Cmd::new("aws secretsmanager list-secret-version-ids").opt("--secret-id", id)],
            )
        }
        (Some(Op::Policy) | None, Some(Sys::AwsIam)) | (Some(Op::Policy), None)
            if a.policy_arn.is_some() || a.system == Some(Sys::AwsIam) =>
        {
            let arn = ctx.ph.val_or(a.policy_arn.as_deref(), &format!("{slug}_POLICY_ARN"), "the ARN of the managed policy changed (an inline policy is put back with `aws iam put-role-policy` and the saved document)", &field("policy_arn"));
            let old = prev(
                ctx,
                &format!("{slug}_PREVIOUS_POLICY_VERSION"),
                "the policy's default version before the change (`aws iam get-policy` DefaultVersionId)",
            );
            (
                format!("Make the previous version of the policy of {who} the default again"),
                vec![
                    Cmd::new("aws iam set-default-policy-version")
                        .opt("--policy-arn", arn.clone())
                        .opt("--version-id", old),
                ],
                vec![Cmd::new("aws iam get-policy").opt("--policy-arn", arn)],
            )
        }
        (op, _) => {
            let (what, how) = match op {
                Some(Op::Grant) => (
                    "Re-issue the grants of",
                    "the GRANT or REVOKE statements that restore the grants recorded before the change (`SHOW GRANTS`)",
                ),
                Some(Op::Rotate) => (
                    "Make the previous secret or key current again for",
                    "how the previous secret or key version is made current again (it must still be valid)",
                ),
                Some(Op::Certificate) => (
                    "Deploy the previous certificate again for",
                    "how the previous certificate is deployed again where the new one was (load balancer, ingress, servers)",
                ),
                Some(Op::RemoveKey) => (
                    "Publish the previous key set again for",
                    "how the previous keys (key set, metadata document) are published again",
                ),
                Some(Op::Policy) | None => (
                    "Restore the previous access of",
                    "how the policy, role or grants recorded before the change are restored (the previous version, or the recorded document re-applied)",
                ),
            };
            (
                format!("{what} {who}"),
                vec![Cmd::default().word(ctx.ph.hole(
                    &format!("{slug}_ACCESS_BACK_COMMAND"),
                    how,
                    &field("previous_version"),
                ))],
                Vec::new(),
            )
        }
    };
    b.actions.push(Action {
        title: format!("{title} (`{label}`)"),
        component: label.clone(),
        commands,
        verify,
        success: "the principals that lost access succeed again (no new AccessDenied, permission-denied or sign-in failures), and what failed meanwhile is re-run".to_string(),
        minutes: 2,
        destructive: false,
        notes: notes(ctx, &a, i),
    });
    b.ordering.push(format!(
        "Restore access (`{label}`) first: the other steps, the pipelines and the people running them may need it."
    ));
}

fn notes(ctx: &mut Ctx, a: &AccessChange, i: usize) -> Vec<String> {
    let glass = ctx.ph.text_or(
        a.break_glass.as_deref(),
        "BREAK_GLASS_ACCESS",
        "emergency access that does not depend on what the change touches (a break-glass role or account)",
        &format!("deployment.changes[{i}].break_glass"),
    );
    let mut out = vec![format!(
        "If the change took away the access this step needs, run it with the break-glass access {glass}."
    )];
    if a.system == Some(Sys::AwsIam) || a.policy_arn.is_some() {
        out.push("IAM changes take a few seconds to propagate. If the policy is kept in Terraform or another tool, revert it there too, or its next apply undoes this step.".to_string());
    }
    if a.cached_by_clients == Some(true) {
        out.push("Clients that cached the changed credentials or key set keep them until they refresh: the revert reaches them only then; restart or force a refresh where you can.".to_string());
    }
    if a.destroys_previous == Some(true) {
        out.push("A key, secret or certificate that was destroyed or revoked cannot be made valid again: issue a new one and give it to every client.".to_string());
    }
    out
}
