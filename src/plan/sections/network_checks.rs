//! The Go / No-Go checks of a network change, from what it declares: the previous state recorded
//! where the rollback reads it (the record's value and TTL, the device's commit, the CDN version),
//! the TTL lowered a TTL ahead, out-of-band access tested when our own access rides on the change,
//! and an auto-revert where the platform has one.

use super::super::Ctx;
use super::super::model::Check;
use crate::base::shell::{Cmd, Word};
use crate::model::Spec;
use crate::model::kinds::{NetworkArea, NetworkPlatform};

/// The TTL a record is lowered to before a DNS change, so a rollback waits a minute, not hours.
pub const LOWERED_TTL: u64 = 60;
/// The public resolvers a DNS change is checked against, from outside our network.
pub const PUBLIC_RESOLVERS: [&str; 2] = ["1.1.1.1", "8.8.8.8"];

pub fn checks(ctx: &mut Ctx, spec: &Spec) -> Vec<Check> {
    let mut out = Vec::new();
    for (i, c) in spec.deployment.changes.iter().enumerate() {
        let Some(n) = c.as_network_change() else {
            continue;
        };
        let label = c.label(i);
        let slug = crate::plan::placeholders::slug(&label);
        let at = format!("deployment.changes[{i}]");
        if n.area == Some(NetworkArea::Dns) {
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
            let dig = |server: Word| {
                Cmd::new("dig +noall +answer")
                    .word(server)
                    .word(name.clone())
                    .word(rtype.clone())
            };
            out.push(Check {
                queries: Vec::new(),
                title: format!("The record's current value and TTL are recorded (`{label}`): the rollback writes them back"),
                commands: PUBLIC_RESOLVERS
                    .iter()
                    .map(|r| dig(Word::lit(format!("@{r}"))))
                    .collect(),
                expect: format!(
                    "the answer{} is pasted into the ticket; a rollback without it has nothing to write back",
                    n.previous_value
                        .as_deref()
                        .map(|p| format!(" (`{p}` by the brief)"))
                        .unwrap_or_default()
                ),
            });
            let ttl = n
                .ttl_seconds
                .map(|t| format!("from {t} s"))
                .unwrap_or_else(|| "from its current value".to_string());
            out.push(Check {
                queries: Vec::new(),
                title: format!("The record's TTL was lowered {ttl} to {LOWERED_TTL} s at least one old TTL before the change (`{label}`)"),
                commands: Vec::new(),
                expect: format!("public resolvers answer with a TTL of {LOWERED_TTL} s or less; otherwise a rollback waits the old TTL for every client that resolved during the change"),
            });
        } else if n.on_device() && n.area.is_some() {
            let record = match n.platform {
                Some(NetworkPlatform::Junos) => vec![Cmd::new("show system commit")],
                Some(NetworkPlatform::IosXr) => vec![Cmd::new("show configuration commit list")],
                _ => Vec::new(),
            };
            out.push(Check {
                queries: Vec::new(),
                title: format!("The device's known-good configuration is saved and its rollback is one command (`{label}`)"),
                commands: record,
                expect: "the commit the rollback returns to (or the saved configuration file) is named in the ticket".to_string(),
            });
            if n.auto_revert != Some(true) {
                out.push(Check {
                    queries: Vec::new(),
                    title: format!("The change is applied with the platform's auto-revert (`{label}`): Junos `commit confirmed 10`, IOS XR `commit confirmed`, Arista `configure session` with `commit timer`, or `configure replace` of a saved configuration"),
                    commands: Vec::new(),
                    expect: "written in the change's commands; a plain commit is a no-go where our own access crosses the device".to_string(),
                });
            }
        } else if n.area == Some(NetworkArea::Cdn) {
            out.push(Check {
                queries: Vec::new(),
                title: format!(
                    "The CDN configuration version active before the change is recorded (`{label}`)"
                ),
                commands: match n.platform {
                    Some(NetworkPlatform::Fastly) => {
                        vec![Cmd::new("fastly service-version list").opt(
                            "--service-id",
                            ctx.ph.val_or(
                                n.service_id.as_deref(),
                                &format!("{slug}_FASTLY_SERVICE_ID"),
                                "the Fastly service id",
                                &format!("{at}.service_id"),
                            ),
                        )]
                    }
                    _ => Vec::new(),
                },
                expect: "the active version number is in the ticket".to_string(),
            });
        }
        if n.own_access == Some(true) {
            let how = ctx.ph.text_or(
                n.out_of_band.as_deref(),
                &format!("{slug}_OUT_OF_BAND_ACCESS"),
                "how the devices are reached when the VPN, bastion and management network are cut (console server, out-of-band network, someone on site with a console cable)",
                &format!("{at}.out_of_band"),
            );
            out.push(Check {
                queries: Vec::new(),
                title: format!("Out-of-band access to every changed device works, tested within the hour before the change: {how} (`{label}`)"),
                commands: Vec::new(),
                expect: "a console prompt on each device through a path that does not cross the change, and the people who can use it are on the bridge; our own access (VPN, bastion, internal DNS, chat) depends on this change, so without it the change is a no-go".to_string(),
            });
        }
    }
    out
}
