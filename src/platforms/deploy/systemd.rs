//! VMs with systemd units and release directories (`releases/<name>` and a `current` link).
//! https://www.freedesktop.org/software/systemd/man/latest/systemctl.html

use super::DeployPlatform;
use super::common::{RECORD, hosts, ssh};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, quote};
use crate::model::{Platform, Service};
use crate::platforms::{Action, known, mark, splice};

pub struct Systemd;

const PREVIOUS_DESC: &str = "Release directory name that served before the deploy";

impl DeployPlatform for Systemd {
    fn platform(&self) -> Platform {
        Platform::Systemd
    }

    fn words(&self) -> &'static [&'static str] {
        &[
            "systemd",
            "virtual machine",
            "virtual machines",
            "vm",
            "vms",
            "ec2 host",
            "ec2 hosts",
            "ec2 instance",
            "ec2 instances",
        ]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let dir = deploy_dir(svc, ph);
        let remote = format!("readlink -f {}", quote(&format!("{dir}/current")));
        let cmds = hosts(svc, ph)
            .into_iter()
            .map(|h| ssh(h).word(splice(&remote)))
            .collect();
        let v = ph.text(&previous_name(svc), PREVIOUS_DESC, RECORD);
        (
            cmds,
            format!("the release directory the current link points at: its name fills {v}"),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let dir = deploy_dir(svc, ph);
        // The release directory name is whatever `current` pointed at, recorded by Go / No-Go;
        // it need not be the version label.
        let release = mark(&ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD));
        let unit = svc.resource_name();
        let remote = format!(
            "ln -sfn {} {} && sudo systemctl restart {}",
            quote(&format!("{dir}/releases/{release}")),
            quote(&format!("{dir}/current")),
            quote(unit)
        );
        let check = format!(
            "systemctl is-active {} && readlink -f {}",
            quote(unit),
            quote(&format!("{dir}/current"))
        );
        let hs = hosts(svc, ph);
        let n = hs.len() as u32;
        let mut a = Action::new(
            format!("Switch {name} back to the previous release on each host"),
            name,
        );
        for h in &hs {
            a = a.cmd(ssh(h.clone()).word(splice(&remote)));
        }
        for h in hs {
            a = a.verify(ssh(h).word(splice(&check)));
        }
        vec![
            a.success("each host prints `active` and the previous release directory")
                .minutes((1 + n / 2).clamp(2, 15))
                .note("Hosts switch one by one: during the switch both versions serve traffic."),
        ]
    }

    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        let remote = format!("sudo systemctl restart {}", quote(svc.resource_name()));
        let first = hosts(svc, ph).into_iter().next()?;
        Some(ssh(first).word(splice(&remote)))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "the .env file and shared directories outside releases/",
            "systemd unit file changes (need `systemctl daemon-reload` of the old unit)",
        ]
    }
}

fn deploy_dir(svc: &Service, ph: &mut Placeholders) -> String {
    match known(svc.deploy_dir.as_deref()) {
        Some(d) => {
            let t = d.trim_end_matches('/');
            if t.is_empty() {
                d.to_string()
            } else {
                t.to_string()
            }
        }
        None => mark(&ph.hole(
            &format!("{}_DEPLOY_DIR", slug(&svc.name)),
            "Base directory holding releases/ and the current link",
            "architecture.services[].deploy_dir",
        )),
    }
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_RELEASE", slug(&svc.name))
}
