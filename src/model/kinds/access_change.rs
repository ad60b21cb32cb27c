//! `kind: access_change` — who may do what: IAM roles and policies, database grants, secrets and
//! keys rotated or removed, certificates, identity provider (SSO, OIDC signing) keys.
//!
//! The questions a security or platform engineer asks:
//!
//! - *Who loses access, and how would anyone know?* A narrowed policy shows as AccessDenied in
//!   CloudTrail and as failing pipelines; a removed signing key as failed sign-ins and token
//!   validation errors (Azure AD, March 2021: a key marked to be retained was removed by the
//!   automated rotation, and sign-ins failed until applications refreshed their cached key set,
//!   https://practical365.com/azure-ad-outage-march-15-2021/).
//! - *Is there emergency access that does not depend on what is changed?* A break-glass account
//!   or role, tested before the change.
//! - *Does the previous version still exist?* A managed IAM policy keeps its previous versions and
//!   one call makes one of them the default again (`aws iam set-default-policy-version`,
//!   https://docs.aws.amazon.com/cli/latest/reference/iam/set-default-policy-version.html); a grant
//!   is re-issued; a rotated secret's previous version is moved back to current
//!   (https://docs.aws.amazon.com/cli/latest/reference/secretsmanager/update-secret-version-stage.html)
//!   while it is still valid (dual validity). A key or certificate destroyed or revoked does not
//!   come back: tokens it signed cannot be validated and clients must be given a new one.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A change of access: an IAM role or policy, database grants, a secret or key rotated or
    /// removed, a certificate, identity provider keys.
    pub struct AccessChange {
        /// What holds the access.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub system: Option<AccessSystem>,
        /// What is done to it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<AccessOperation>,
        /// The role, policy, user, grantee, secret or key changed (`ci-deployer`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub principal: Option<String>,
        /// The ARN of a managed IAM policy, whose versions are kept by IAM.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub policy_arn: Option<String>,
        /// The version, secret version or certificate before the change: what the way back
        /// restores.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_version: Option<String>,
        /// Who uses the access (pipelines, services, people, applications that validate tokens).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub used_by: Vec<String>,
        /// Emergency access that does not depend on what is changed (a break-glass role or
        /// account).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub break_glass: Option<String>,
        /// The previous key, secret or certificate stays valid during the change (dual validity):
        /// switching back needs nothing to be re-issued.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_valid: Option<bool>,
        /// The change destroys or revokes a key, secret or certificate: what it signed or
        /// protected cannot be validated with it again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub destroys_previous: Option<bool>,
        /// Clients cache the credentials or the key set (JWKS, OIDC metadata) and refresh on their
        /// own schedule: a revert reaches them only when they refresh.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cached_by_clients: Option<bool>,
    }
}

impl super::Validate for AccessChange {}

/// What holds the access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AccessSystem {
    AwsIam,
    GcpIam,
    AzureRbac,
    Kubernetes,
    Database,
    SecretsManager,
    Vault,
    Certificate,
    IdentityProvider,
    Other,
}

/// What an access change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessOperation {
    /// A policy or role narrowed, widened or replaced.
    Policy,
    /// Grants or permissions given or taken (database, IAM bindings).
    Grant,
    /// A secret, key or password rotated.
    Rotate,
    /// A certificate renewed or replaced.
    Certificate,
    /// A key, secret or certificate removed, revoked or destroyed.
    RemoveKey,
}

/// Access words: a policy or role of an access system, grants and permissions, a secret or key
/// rotated or removed, a certificate replaced, signing keys.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "access_change",
    triggers: &[
        Trigger {
            name: "policy",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:iam|rbac)\s+(?:role|roles|policy|policies|binding|bindings|user|users|group|groups|permissions?)|(?:role|policy)\s+`[^`]+`\s+(?:in|of)\s+(?:iam|aws)|(?:cluster)?rolebindings?|(?:assume[- ]role|role\s+trust)\s+polic(?:y|ies)|bucket\s+polic(?:y|ies)|key\s+polic(?:y|ies)|service\s+account\s+(?:roles?|permissions?))(?-u:\b)",
                words: &["iam", "rbac", "role", "policy", "assume", "bucket", "key", "service", "clusterrolebinding"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "grant",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:grants?|granted|granting|revoke|revokes|revoked|revoking|permissions?\s+(?:change|changes|model|update)|(?:explicit|implicit)\s+(?:grants?|permissions?)|privileges?)(?-u:\b)",
                words: &["grant", "revok", "permission", "explicit", "implicit", "privilege"],
                leading: true,
                and_words: &[],
            },
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(?:users?|roles?|tables?|databases?|schemas?|accounts?|access|clickhouse|postgres(?:ql)?|mysql|snowflake|bigquery|iam|on)(?-u:\b)",
                words: &[
                    "user", "role", "table", "database", "schema", "account", "access",
                    "clickhouse", "postgres", "mysql", "snowflake", "bigquery", "iam", "on",
                ],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "rotate",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:rotat(?:e|es|ed|ing|ion)|roll(?:s|ed|ing)?\s+over)\s+(?:of\s+)?(?:the\s+|all\s+)?(?:[[:word:]`-]+\s+){0,3}?(?:secrets?|keys?|passwords?|credentials?|tokens?|certificates?|certs?)(?-u:\b)",
                words: &["rotat", "roll"],
                leading: true,
                and_words: &["secret", "key", "password", "credential", "token", "cert"],
            },
            also: None,
        },
        Trigger {
            name: "signing or access keys removed",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:signing|access|api|ssh|encryption|kms|jwt|oidc|openid\s+connect|saml)\s+(?:[[:word:]]+\s+)?keys?\s+(?:[[:word:]]+\s+){0,3}?(?:removed|deleted|revoked|disabled|destroyed|retired|expire)|(?:remove|removes|removing|delete|deletes|deleting|revoke|revokes|revoking|disable|disables|disabling|destroy|destroys|retire|retires|retiring)\s+(?:the\s+|old\s+|unused\s+)?(?:[[:word:]]+\s+){0,3}?(?:signing\s+keys?|access\s+keys?|api\s+keys?|certificates?|secrets?|kms\s+keys?))(?-u:\b)",
                words: &[
                    "signing", "access", "api", "ssh", "encryption", "kms", "jwt", "oidc", "openid",
                    "saml", "remov", "delet", "revok", "disabl", "destroy", "retir",
                ],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "certificate",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:renew|renews|renewing|replace|replaces|replacing|swap|swaps|new)\s+(?:the\s+)?(?:[[:word:]-]+\s+)?(?:tls\s+|ssl\s+|x\.?509\s+)?certificates?|certificate\s+(?:renewal|rotation|replacement|chain))(?-u:\b)",
                words: &["renew", "replac", "swap", "new", "certificate"],
                leading: true,
                and_words: &["certificate"],
            },
            also: None,
        },
        Trigger {
            name: "identity provider",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:sso|saml|oidc|openid\s+connect|identity\s+provider|idp|okta|entra\s+id|azure\s+ad|active\s+directory)\s+(?:[[:word:]]+\s+)?(?:config(?:uration)?|settings?|keys?|metadata|migration|cut-?over|change))(?-u:\b)",
                words: &["sso", "saml", "oidc", "openid", "identity", "idp", "okta", "entra", "azure", "active"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about an access change beyond the trigger.
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// Emergency access named: "Break-glass: the `platform-admin` role".
    pub const BREAK_GLASS: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:break[- ]?glass|emergency\s+access)(?:\s+(?:account|role|user|access))?(?:\s*:\s*(?:(?:the|a|an|via|through)\s+)*(?:`([^`\s]+)`|([[:word:]][[:word:].@-]*[[:word:]]))|\s+(?:(?:is|via|through|the|a|an)\s+)*`([^`\s]+)`)?",
        words: &["break", "emergency"],
        leading: true,
        and_words: &[],
    };

    /// The principal named: "IAM role `ci-deployer`", "role `x`", "user `x`".
    pub const PRINCIPAL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:role|user|group|policy|service\s+account|grantee|secret|key)\s+`([^`\s]+)`",
        words: &["role", "user", "group", "policy", "service", "grantee", "secret", "key"],
        leading: true,
        and_words: &[],
    };

    /// Clients keep their own copy: "applications cache the key metadata", "cached for 24 hours".
    pub const CACHED: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:cache|caches|cached|caching)\s+(?:[[:word:]]+\s+){0,3}?(?:keys?|metadata|credentials?|tokens?|jwks|key\s+set|certificates?)|(?:keys?|metadata|credentials?|tokens?|jwks)\s+(?:[[:word:]]+\s+){0,3}?(?:cached|refresh(?:ed)?)(?-u:\b)",
        words: &["cach", "refresh"],
        leading: false,
        and_words: &[],
    };

    /// The old one stays valid: "both keys stay valid", "dual validity", "old secret kept".
    pub const PREVIOUS_VALID: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:dual[- ]validity|both\s+(?:keys|secrets|passwords|credentials|certificates)\s+(?:stay|remain|are)\s+valid|(?:old|previous)\s+(?:key|secret|password|credential|certificate)s?\s+(?:stays?|remains?|is\s+kept|kept)\s+(?:valid|active|enabled)|AWSPREVIOUS)(?-u:\b)",
        words: &["dual", "both", "old", "previous", "awsprevious"],
        leading: false,
        and_words: &[],
    };

    /// A key, secret or certificate destroyed or revoked for good.
    pub const DESTROYS: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:revok(?:e|es|ed|ing)\s+(?:the\s+)?(?:old\s+|previous\s+)?(?:certificate|cert|key|token)s?|schedule-key-deletion|(?:destroy|destroys|destroyed|shred)\s+(?:the\s+)?(?:old\s+|previous\s+)?(?:key|secret)s?)(?-u:\b)",
        words: &["revok", "schedule-key-deletion", "destroy", "shred"],
        leading: true,
        and_words: &[],
    };

    /// The system named.
    pub const SYSTEM: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(iam|secrets\s+manager|vault|kubernetes|rbac|clickhouse|postgres(?:ql)?|mysql|snowflake|openid\s+connect|oidc|saml|sso|azure\s+ad|okta|certificates?)(?-u:\b)",
        words: &["iam", "secrets", "vault", "kubernetes", "rbac", "clickhouse", "postgres", "mysql", "snowflake", "openid", "oidc", "saml", "sso", "azure", "okta", "certificate"],
        leading: true,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::AccessChange,
    name: "access_change",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Seconds,
    mechanisms: &[MechanismDecl {
        id: MechanismId::AccessBack,
        when: "",
        reverses: "the access, by the previous policy version, the grants re-issued, the previous secret version or certificate made current again",
        does_not_reverse: "a key, secret or certificate destroyed or revoked; copies of the key set or credentials clients have cached until they refresh; work that failed while access was missing (pipelines, jobs, sign-ins) and must be re-run",
    }],
    signals: &[
        SignalDecl {
            signal: "authorization failures (AccessDenied, permission denied, 403) per principal",
            on_services: false,
            condition: "any AccessDenied or permission-denied error for a principal the change touches that it did not get before the change",
            window: "5m",
            action: "restore the previous access",
            query: "ACCESS_DENIED_QUERY",
            measure: "authorization failures per principal and action (CloudTrail events with errorCode AccessDenied or UnauthorizedOperation; database `permission denied` / `ACCESS_DENIED` errors in its log; 403 responses of the services that check the access)",
        },
        SignalDecl {
            signal: "authentication failures: sign-ins, token validation, TLS handshakes",
            on_services: false,
            condition: "failed sign-ins, token validation errors (invalid signature, unknown key id) or TLS handshake failures above the hour before the change",
            window: "5m",
            action: "restore the previous key, secret or certificate",
            query: "AUTH_FAILURES_QUERY",
            measure: "failed authentications (the identity provider's sign-in logs; 401 responses and `invalid signature` / `kid not found` errors of the services that validate tokens; TLS handshake errors at the load balancer)",
        },
        SignalDecl {
            signal: "jobs and pipelines failing on access",
            on_services: false,
            condition: "any CI pipeline, deploy or scheduled job that uses the access failing where it passed before the change",
            window: "15m",
            action: "restore the previous access; re-run what failed",
            query: "ACCESS_JOB_FAILURES_QUERY",
            measure: "failed CI runs, deploys and scheduled jobs that use the changed role, grant or secret, since the change",
        },
    ],
    staging: "one principal, one consumer or one environment first (a staging account, one pipeline, one application), with its real workload run before the others; a rotation keeps the old secret or key valid until every client uses the new one",
    staged_by_own_targets: true,
    prevention: &[
        "the current policy, grants or key set are recorded, so the way back restores them exactly (`aws iam get-policy` and `aws iam list-policy-versions`; `SHOW GRANTS`; the current secret version id)",
        "everyone and everything that uses the access is listed from its recent use (CloudTrail, IAM last-accessed data, the database's or identity provider's logs), and none loses what it still uses",
        "a break-glass account or role that does not depend on what is changed is tested before the change",
        "during a rotation or key removal the previous key, secret or certificate stays valid until every client uses the new one (dual validity); no key still in use or marked to be retained is in the removal set",
        "how long clients cache credentials or the key set is known, and the plan waits that long before calling the change done",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "access keeps no data: what failed while access was missing is re-run; a key destroyed or a certificate revoked does not come back, and what it signed or encrypted needs a new one",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: a destroyed or revoked key, secret or certificate cannot be restored: keep the previous one valid until every client uses the new one, issue and distribute a new one when it is gone, and have the break-glass access ready before the change.",
    ),
    audience: &[Audience::Engineering, Audience::Support, Audience::Customers],
    may_cut_own_tooling: true,
};
