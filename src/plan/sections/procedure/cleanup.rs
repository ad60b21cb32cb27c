//! Platform steps after a rollback (auto-sync back on, ...), for every service touched.

use super::prelude::*;

pub(super) fn run(ctx: &mut Ctx, b: &mut Build) {
    for svc in b.services.iter().chain(&b.config_services) {
        b.actions.extend(deploy::post_rollback(svc, &mut ctx.ph));
    }
}
