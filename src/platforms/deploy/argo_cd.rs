//! Application managed by Argo CD (GitOps). Auto-sync must be off around a rollback, and Git
//! must hold the old version before it goes back on; this applies to any service whose Argo CD
//! application is named, whatever its platform.
//! https://argo-cd.readthedocs.io/en/stable/user-guide/commands/argocd_app_rollback/

use super::common::{RECORD, rolling_minutes};
use super::kubernetes::rollout_restart;
use super::{DeployPlatform, Family};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::{Action, known};

pub struct ArgoCd;

const HISTORY_DESC: &str = "Argo CD history ID of the last sync before the deploy";

impl DeployPlatform for ArgoCd {
    fn platform(&self) -> Platform {
        Platform::ArgoCd
    }

    fn words(&self) -> &'static [&'static str] {
        &["argo cd", "argocd"]
    }

    fn family(&self) -> Option<Family> {
        Some(Family::Kubernetes)
    }

    fn specificity(&self) -> u8 {
        3
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = Cmd::new("argocd app history").word(app(svc, ph));
        let id = ph.text(&history_id_name(svc), HISTORY_DESC, RECORD);
        (
            vec![c],
            format!(
                "the ID of the newest row (the synced known-good revision): it fills {id}; also note the deploy commit once it is merged"
            ),
        )
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let app = app(svc, ph);
        let id = ph.hole(&history_id_name(svc), HISTORY_DESC, RECORD);
        vec![
            Action::new(format!("Roll back Argo CD application of {name}"), name)
                .cmd(Cmd::new("argocd app rollback").word(app.clone()).word(id))
                .verify(
                    Cmd::new("argocd app wait")
                        .word(app)
                        .lit("--health --timeout 600"),
                )
                .success("the application is Healthy at the recorded history ID (it shows OutOfSync until Git is reverted)")
                .minutes(rolling_minutes(svc))
                .note("Needs auto-sync off first (the step above that turns it off)."),
        ]
    }

    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(Cmd::new("argocd app terminate-op").word(app(svc, ph)))
    }

    fn restart(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(rollout_restart(svc, ph))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "the Git repository: it still holds the new version until the deploy commit is reverted",
            "ConfigMap and Secret contents outside the synced manifests",
        ]
    }
}

/// Whether Argo CD syncs this service: its platform, or an application named beside another one.
pub(super) fn manages(svc: &Service) -> bool {
    known(svc.argocd_app.as_deref()).is_some() || svc.platform == Some(Platform::ArgoCd)
}

/// With auto-sync and self-heal on, Argo CD undoes a manual rollback within seconds.
pub(super) fn turn_off_auto_sync(svc: &Service, ph: &mut Placeholders) -> Action {
    let app = app(svc, ph);
    Action::new(
        format!("Turn off Argo CD auto-sync for {}", svc.name),
        &svc.name,
    )
    .cmd(Cmd::new("argocd app set").word(app.clone()).lit("--sync-policy none"))
    .verify(Cmd::new("argocd app get").word(app))
    .success("Sync Policy shows <none> (manual)")
    .minutes(1)
    .note("With auto-sync and self-heal on, Argo CD undoes a manual rollback within seconds; `argocd app rollback` refuses to run while auto-sync is enabled.")
}

/// After the rollback: revert the deploy commit, then turn auto-sync back on.
pub(super) fn revert_and_resume_sync(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    let app = app(svc, ph);
    let commit = ph.hole(
        &format!("{}_DEPLOY_COMMIT", slug(&svc.name)),
        "Commit in the config repository that shipped the deploy",
        "the merged deploy commit",
    );
    vec![
        Action::new(format!("Revert the deploy commit of {} in the config repository", svc.name), &svc.name)
            .cmd(Cmd::new("git revert --no-edit").word(commit))
            .cmd(Cmd::new("git push"))
            .verify(Cmd::new("argocd app diff").word(app.clone()))
            .success("`argocd app diff` shows no difference: Git now holds the known-good version")
            .minutes(3)
            .note("Until Git holds the old version, turning auto-sync back on would redeploy the bad version."),
        Action::new(format!("Turn Argo CD auto-sync back on for {}", svc.name), &svc.name)
            .cmd(Cmd::new("argocd app set").word(app.clone()).lit("--sync-policy automated --self-heal"))
            .verify(Cmd::new("argocd app get").word(app))
            .success("Sync Policy Automated, Sync Status Synced, Health Healthy")
            .minutes(1)
            .note("Add --auto-prune if the application pruned automatically before."),
    ]
}

fn app(svc: &Service, ph: &mut Placeholders) -> Word {
    match known(svc.argocd_app.as_deref()) {
        Some(a) => Word::val(a),
        None if svc.platform == Some(Platform::ArgoCd) => Word::val(svc.resource_name()),
        None => ph.hole(
            &format!("{}_ARGOCD_APP", slug(&svc.name)),
            "Argo CD application",
            "architecture.services[].argocd_app",
        ),
    }
}

fn history_id_name(svc: &Service) -> String {
    format!("{}_ARGOCD_HISTORY_ID", slug(&svc.name))
}
