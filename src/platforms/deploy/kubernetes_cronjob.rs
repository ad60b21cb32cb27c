//! A Kubernetes CronJob has no rollout history (`kubectl rollout` does not act on it): its
//! rollback suspends the schedule, sets the container image back and resumes.
//! https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ (`.spec.suspend`),
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_set/kubectl_set_image/ (`cronjob`),
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_patch/

use super::super::common::{RECORD, kube};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::Service;
use crate::platforms::{Action, mark, splice};

const IMAGE_DESC: &str = "container image the CronJob ran before the deploy (name:tag or digest)";

fn cronjob(svc: &Service) -> Word {
    Word::lit("cronjob/").then(Word::val(svc.resource_name()))
}

fn images(svc: &Service, ph: &mut Placeholders) -> Cmd {
    kube(
        Cmd::new("kubectl get").word(cronjob(svc)).opt(
            "-o",
            Word::val("jsonpath={.spec.jobTemplate.spec.template.spec.containers[*].name}={.spec.jobTemplate.spec.template.spec.containers[*].image}"),
        ),
        svc,
        ph,
    )
}

fn previous_image(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_PREVIOUS_IMAGE", slug(&svc.name)),
        IMAGE_DESC,
        RECORD,
    )
}

fn container(svc: &Service, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_CONTAINER", slug(&svc.name)),
        "name of the CronJob's container whose image changes (from the recorded output)",
        RECORD,
    )
}

pub(super) fn record_target(svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
    let c = images(svc, ph);
    let (name, img) = (container(svc, ph), previous_image(svc, ph));
    (
        vec![c],
        format!("the container name and its image before the deploy: they fill {name} and {img}"),
    )
}

/// `kubectl patch cronjob/NAME -p '{"spec":{"suspend":true}}'`: no new run starts; a run in
/// progress goes on.
pub(super) fn suspend(svc: &Service, ph: &mut Placeholders, on: bool) -> Cmd {
    kube(
        Cmd::new("kubectl patch").word(cronjob(svc)).opt(
            "-p",
            Word::val(format!("{{\"spec\":{{\"suspend\":{on}}}}}")),
        ),
        svc,
        ph,
    )
}

pub(super) fn rollback(svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
    let name = svc.name.as_str();
    let set = {
        let c = mark(&container(svc, ph));
        let img = mark(&previous_image(svc, ph));
        kube(
            Cmd::new("kubectl set image")
                .word(cronjob(svc))
                .word(splice(&format!("{c}={img}"))),
            svc,
            ph,
        )
    };
    vec![
        Action::new(format!("Suspend the CronJob {name} so no new run starts on the bad version"), name)
            .cmd(suspend(svc, ph, true))
            .verify(kube(
                Cmd::new("kubectl get").word(cronjob(svc)).opt("-o", Word::val("jsonpath={.spec.suspend}")),
                svc,
                ph,
            ))
            .success("prints `true`")
            .minutes(1)
            .note("A run already in progress goes on: `kubectl get jobs` lists it; decide whether to let it finish or delete that Job (its partial output stays)."),
        Action::new(format!("Set the image of CronJob {name} back to the previous one"), name)
            .cmd(set)
            .verify(images(svc, ph))
            .success("the container shows the previous image")
            .minutes(1)
            .note("Jobs already created keep the image they started with; only later runs use the restored one."),
        Action::new(format!("Resume the CronJob {name}"), name)
            .cmd(suspend(svc, ph, false))
            .verify(kube(Cmd::new("kubectl get").word(cronjob(svc)), svc, ph))
            .success("SUSPEND is False and the next scheduled run is the expected one; if a run was missed, start one by hand with `kubectl create job --from=cronjob/NAME`")
            .minutes(1),
    ]
}

/// When the CronJob last ran and last succeeded: a failed run shows as a schedule time newer than
/// the last success.
pub(super) fn last_runs(svc: &Service, ph: &mut Placeholders) -> Cmd {
    kube(
        Cmd::new("kubectl get").word(cronjob(svc)).opt(
            "-o",
            Word::val("jsonpath=last scheduled {.status.lastScheduleTime}, last successful {.status.lastSuccessfulTime}"),
        ),
        svc,
        ph,
    )
}
