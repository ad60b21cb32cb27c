//! Put a network change back the way its platform does it. Sources, per command:
//!
//! - Junos: `rollback 1` loads the previously committed configuration, which takes effect at
//!   `commit` (https://juniper.net/documentation/en_US/junos13.2/topics/task/configuration/previous-configuration-loading-qfx-series-cli.html);
//!   an unconfirmed `commit confirmed` rolls back by itself at its deadline, 10 minutes by default
//!   (https://www.juniper.net/documentation/us/en/software/junos/netconf/topics/task/netconf-configuration-committing-with-confirmation.html);
//!   `show system commit` lists the commits and a pending rollback
//!   (https://juniper.net/documentation/en_US/junos13.1/topics/reference/command-summary/show-system-commit.html).
//! - Cisco IOS XR: `rollback configuration last 1` undoes the last commit, `show configuration
//!   commit list` lists them (http://network.jecool.net/ios-xr/, which types the short form).
//! - Arista EOS: a `configure session` committed with `commit timer` rolls back by itself unless
//!   committed again (https://arista.com/um-eos/eos-configure-session). EOS and Cisco IOS put a
//!   saved configuration back with `configure replace <URL>`
//!   (https://bxin.cisco.com/c/en/us/td/docs/routers/ios/config/17-x/syst-mgmt/b-system-management/m_cm-config-rollback-0.html).
//! - Route 53: `aws route53 change-resource-record-sets --hosted-zone-id --change-batch` with an
//!   `UPSERT` of the recorded previous record
//!   (https://docs.aws.amazon.com/goto/cli2/route53-2013-04-01/ChangeResourceRecordSets,
//!   https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html).
//! - BIND: `named-checkconf -z` test-loads every zone of `named.conf` before `rndc reload`
//!   (https://man.netbsd.org/NetBSD-5.2/named-checkconf.8).
//! - Fastly: `fastly service-version activate --service-id --version` re-activates a previous
//!   version (https://fastly.com/documentation/reference/cli/service-version/activate).
//! - Resolution is checked from outside with `dig +noall +answer @<resolver> <name> <type>`
//!   (https://man.cx/dig: `dig [@server] [name] [type] [queryopt...]`).

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::kinds::{NetworkArea, NetworkChange, NetworkPlatform};
use crate::plan::sections::network_checks::{LOWERED_TTL, PUBLIC_RESOLVERS};

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let Some(n) = c.as_network_change().cloned() else {
        return;
    };
    let label = c.label(i);
    let at = format!("deployment.changes[{i}]");
    let mut action = match n.area {
        Some(NetworkArea::Dns) => dns(ctx, &n, &label, &at),
        Some(NetworkArea::Cdn) => cdn(ctx, &n, &label, &at),
        Some(NetworkArea::Tls) => tls(ctx, &n, &label, &at),
        _ => device(ctx, &n, &label, &at),
    };
    if n.own_access == Some(true) {
        action.notes.push(match (n.auto_revert, n.auto_revert_minutes) {
            (Some(true), m) => format!(
                "Our own access crosses this change. If the session drops, do not confirm anything: the auto-revert puts the previous configuration back by itself{}; reach the device out of band ({}) only if it is still unreachable after that.",
                m.map(|m| format!(" {m} min after the commit")).unwrap_or_default(),
                n.out_of_band.as_deref().unwrap_or("console server or someone on site")
            ),
            _ => "Our own access crosses this change: type these through the out-of-band path of the previous step if the usual one is cut.".to_string(),
        });
    }
    b.actions.push(action);
    b.ordering.push(format!(
        "The network change `{label}` early: everything else, and our own tools, travel over it."
    ));
}

/// A device's configuration: the vendor's rollback to the previous commit or a saved config.
fn device(ctx: &mut Ctx, n: &NetworkChange, label: &str, at: &str) -> Action {
    let slug = crate::plan::placeholders::slug(label);
    let pending = n.auto_revert == Some(true);
    let routing = matches!(n.area, Some(NetworkArea::Routing | NetworkArea::Link));
    let (commands, verify): (Vec<Cmd>, Vec<Cmd>) = match n.platform {
        Some(NetworkPlatform::Junos) => (
            vec![
                Cmd::new("configure"),
                Cmd::new("rollback 1"),
                Cmd::new("show | compare"),
                Cmd::new("commit"),
            ],
            vec![
                Cmd::new("show system commit"),
                Cmd::new(if routing { "show bgp summary" } else { "show security policies hit-count" }),
            ],
        ),
        Some(NetworkPlatform::IosXr) => (
            vec![Cmd::new("rollback configuration last 1")],
            vec![
                Cmd::new("show configuration commit list"),
                Cmd::new("show bgp summary"),
            ],
        ),
        Some(NetworkPlatform::AristaEos) | Some(NetworkPlatform::Ios) => {
            let saved = ctx.ph.val_or(
                n.previous.as_deref(),
                &format!("{slug}_SAVED_CONFIG_URL"),
                "the saved known-good configuration (for example `flash:pre-change.cfg`), copied before the change",
                &format!("{at}.previous"),
            );
            (
                vec![Cmd::new("configure replace").word(saved)],
                Vec::new(),
            )
        }
        _ => (
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_DEVICE_ROLLBACK_COMMAND"),
                "the device's own rollback to its previous configuration (Junos `rollback 1` + `commit`, IOS XR `rollback configuration last 1`, `configure replace <saved config>`)",
                &format!("{at}.platform"),
            ))],
            Vec::new(),
        ),
    };
    let mut notes = vec![
        "Typed at the device's CLI (configuration mode), not in a shell. Roll back one device at a time, the one changed last first, and watch the external probes between devices.".to_string(),
    ];
    if pending {
        notes.push(format!(
            "While the auto-revert is pending, not confirming is itself the rollback: the device returns to the previous configuration {}; the commands above do it now.",
            n.auto_revert_minutes
                .map(|m| format!("{m} min after the commit"))
                .unwrap_or_else(|| "at its deadline (Junos: 10 min by default)".to_string())
        ));
    }
    if routing {
        notes.push("Routes take minutes to converge after the rollback: BGP sessions re-establish and prefixes are re-announced; wait for the prefix counts recorded before the change.".to_string());
    }
    Action {
        title: if n.devices.is_empty() {
            format!("Roll back the device configuration of `{label}`")
        } else {
            format!(
                "Roll back the device configuration of `{label}` ({})",
                n.devices.join(", ")
            )
        },
        component: label.to_string(),
        commands,
        verify,
        success: "the previous configuration is active on every changed device, and the external probes and the signals in Rollback Trigger Criteria are back at their pre-change baseline".to_string(),
        // Routes converge in minutes; otherwise one commit, and with an auto-revert pending the
        // rollback is already on its way by itself.
        minutes: match (routing, pending) {
            (true, _) => 10,
            (false, true) => 1,
            (false, false) => 3,
        },
        destructive: false,
        notes,
    }
}

/// A DNS record: write the recorded previous value back, then wait out the TTL.
fn dns(ctx: &mut Ctx, n: &NetworkChange, label: &str, at: &str) -> Action {
    let slug = crate::plan::placeholders::slug(label);
    let name = ctx.ph.val_or(
        n.record.as_deref(),
        &format!("{slug}_RECORD_NAME"),
        "the DNS record changed",
        &format!("{at}.record"),
    );
    let rtype = ctx.ph.val_or(
        n.record_type.as_deref(),
        &format!("{slug}_RECORD_TYPE"),
        "the changed record's type (A, AAAA, CNAME)",
        &format!("{at}.record_type"),
    );
    let commands = match n.platform {
        Some(NetworkPlatform::Route53) => {
            let zone_id = ctx.ph.hole(
                &format!("{slug}_HOSTED_ZONE_ID"),
                &format!(
                    "the Route 53 hosted zone id of {}",
                    n.zone.as_deref().unwrap_or("the zone")
                ),
                "`aws route53 list-hosted-zones-by-name`",
            );
            let batch = match (n.record.as_deref(), n.record_type.as_deref(), n.previous_value.as_deref()) {
                (Some(record), Some(rtype), Some(previous)) => Word::val(change_batch(record, rtype, previous)),
                _ => ctx.ph.hole(
                    &format!("{slug}_ROUTE53_CHANGE_BATCH"),
                    "the change batch (JSON) that UPSERTs the previous record, as recorded with `dig +noall +answer` before the change",
                    &format!("{at}.previous_value"),
                ),
            };
            vec![Cmd::new("aws route53 change-resource-record-sets")
                .opt("--hosted-zone-id", zone_id)
                .opt("--change-batch", batch)]
        }
        Some(NetworkPlatform::Bind) => vec![
            Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_ZONE_REVERT_COMMAND"),
                "how the previous zone or configuration file is put back on each server (the saved copy, the config repository)",
                &format!("{at}.previous"),
            )),
            Cmd::new("named-checkconf -z"),
            Cmd::new("rndc reload"),
        ],
        _ => vec![Cmd::default().word(ctx.ph.hole(
            &format!("{slug}_DNS_REVERT_COMMAND"),
            "how the record is written back to its recorded previous value at the DNS provider",
            &format!("{at}.platform"),
        ))],
    };
    let verify = PUBLIC_RESOLVERS
        .iter()
        .map(|r| {
            Cmd::new("dig +noall +answer")
                .word(Word::lit(format!("@{r}")))
                .word(name.clone())
                .word(rtype.clone())
        })
        .collect();
    let ttl = n.ttl_seconds;
    let wait = ttl.map(|t| t.div_ceil(60) as u32);
    let mut notes = vec![match ttl {
        Some(t) => format!(
            "Resolvers keep the new answer until its TTL runs out: up to {t} s ({} min) after this step for clients that resolved during the change, less if the TTL was lowered to {LOWERED_TTL} s beforehand as Go / No-Go asks.",
            t.div_ceil(60)
        ),
        None => "Resolvers keep the new answer for the record's TTL, which the brief does not state: record it with `dig` before the change and count it in the rollback's time.".to_string(),
    }];
    if let Some(p) = &n.previous_value {
        notes.push(format!("The previous value `{p}` is the one recorded before the change; raise the TTL back to its usual value once the rollback holds."));
    }
    Action {
        title: format!("Write the previous DNS record back (`{label}`)"),
        component: label.to_string(),
        commands,
        verify,
        success: "every public resolver and authoritative server answers the previous value"
            .to_string(),
        minutes: 2 + wait.unwrap_or(15).min(60),
        destructive: false,
        notes,
    }
}

/// The Route 53 change batch that writes `previous` back as the record's only value.
fn change_batch(record: &str, rtype: &str, previous: &str) -> String {
    serde_json::json!({
        "Comment": "rollback to the recorded previous value",
        "Changes": [{
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": record,
                "Type": rtype,
                "TTL": LOWERED_TTL,
                "ResourceRecords": [{ "Value": previous }]
            }
        }]
    })
    .to_string()
}

/// A CDN's configuration: re-activate the previous version, where the CDN versions it.
fn cdn(ctx: &mut Ctx, n: &NetworkChange, label: &str, at: &str) -> Action {
    let slug = crate::plan::placeholders::slug(label);
    let previous = ctx.ph.val_or(
        n.previous.as_deref(),
        &format!("{slug}_PREVIOUS_CDN_VERSION"),
        "the CDN configuration version active before the change",
        &format!("{at}.previous"),
    );
    let (commands, verify) = match n.platform {
        Some(NetworkPlatform::Fastly) => {
            let service = ctx.ph.val_or(
                n.service_id.as_deref(),
                &format!("{slug}_FASTLY_SERVICE_ID"),
                "the Fastly service id",
                &format!("{at}.service_id"),
            );
            (
                vec![Cmd::new("fastly service-version activate")
                    .opt("--service-id", service.clone())
                    .opt("--version", previous)],
                vec![Cmd::new("fastly service-version list").opt("--service-id", service)],
            )
        }
        _ => (
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_CDN_REVERT_COMMAND"),
                "how the previous CDN configuration version is re-activated (the provider's version history or its API)",
                &format!("{at}.platform"),
            ))],
            Vec::new(),
        ),
    };
    Action {
        title: format!("Re-activate the previous CDN configuration (`{label}`)"),
        component: label.to_string(),
        commands,
        verify,
        success: "the previous configuration version is active, and errors and origin traffic per PoP are back at their baseline".to_string(),
        minutes: 5,
        destructive: false,
        notes: vec!["Objects cached under the new configuration stay until they expire; purge only the paths that are wrong (a purge of everything sends all traffic to the origin at once).".to_string()],
    }
}

/// A certificate on the edge: deploy the previous one back.
fn tls(ctx: &mut Ctx, n: &NetworkChange, label: &str, at: &str) -> Action {
    let slug = crate::plan::placeholders::slug(label);
    let host = ctx.ph.val_or(
        n.record.as_deref(),
        &format!("{slug}_TLS_HOST"),
        "the host name the certificate serves",
        &format!("{at}.record"),
    );
    Action {
        title: format!("Deploy the previous certificate back (`{label}`)"),
        component: label.to_string(),
        commands: vec![Cmd::default().word(ctx.ph.hole(
            &format!("{slug}_REDEPLOY_PREVIOUS_CERT"),
            "how the previous certificate and key (kept, not revoked, not expired) are deployed back to the edge or load balancer",
            &format!("{at}.previous"),
        ))],
        verify: vec![Cmd::new("openssl s_client -connect")
            .word(host.clone().then_lit(":443"))
            .opt("-servername", host)],
        success: "a handshake from outside shows the previous certificate (serial and expiry as recorded)".to_string(),
        minutes: 5,
        destructive: false,
        notes: vec!["A previous certificate that was revoked or has expired cannot come back: then the way back is a new certificate, which takes the issuer's time.".to_string()],
    }
}
