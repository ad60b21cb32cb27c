//! Flags first: turning a flag off takes effect in seconds and needs no redeploy. A flag with a
//! share before the deploy is returned to it first, then turned off if that is not enough.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    // 1b. Flags: the kill switch comes first when it disables the change.
    let all_flags = flags(&b.spec);
    for f in &all_flags {
        let back_to = f.from_percent.filter(|p| *p > 0.0);
        let mut returned = false;
        if let Some(p) = back_to
            && let Some(cmd) = flag_cmds::set_percent(b.provider.as_ref(), f, p, &mut ctx.ph)
        {
            b.actions.push(Action {
                title: format!(
                    "Return flag `{}` to {}",
                    f.key,
                    crate::plan::sections::pct(p)
                ),
                component: format!("flag {}", f.key),
                commands: vec![cmd],
                verify: vec![flag_cmds::read_state(b.provider.as_ref(), f, &mut ctx.ph)],
                success: format!(
                    "the flag serves the new variation to {} again",
                    crate::plan::sections::pct(p)
                ),
                minutes: 2,
                destructive: false,
                notes: vec![
                    "If the failure persists at the old share, turn the flag off (next step)."
                        .to_string(),
                ],
            });
            returned = true;
        }
        let mut a = flag_cmds::turn_off(b.provider.as_ref(), f, &mut ctx.ph);
        if let Some(p) = back_to
            && !returned
        {
            a.notes.push(format!(
                "Off is the safe worst case. To return to {} instead, set the percentage rollout back in the provider (its API needs variation ids rollbook does not know).",
                crate::plan::sections::pct(p)
            ));
        }
        b.actions.push(a);
    }
    if !all_flags.is_empty() {
        let keys: Vec<String> = all_flags.iter().map(|f| format!("`{}`", f.key)).collect();
        b.ordering.push(format!(
            "Flags first ({}): turning a flag off takes effect in seconds and needs no redeploy.",
            keys.join(", ")
        ));
    }
    let only_flags = flag_only(&b.spec);
    let gated = b
        .spec
        .deployment
        .changes
        .iter()
        .any(|c| c.gated_by_flag().is_some());
    if gated && !only_flags {
        b.ordering.push(
            "If turning the flag off brings the metrics back, the failure is contained: the remaining steps can then run calmly, in daylight, with the decision-maker.".to_string(),
        );
    }
    if only_flags {
        b.ordering.push(
            "Every change is a flag or gated by one: the code stays deployed and inert with the flag off; redeploy the previous version only if the flag does not stop the failure.".to_string(),
        );
    }
}
