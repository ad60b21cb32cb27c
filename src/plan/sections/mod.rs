//! One builder per section.

use super::Ctx;
use super::model::Plan;
use crate::evidence::Artifact;

pub fn assemble(ctx: &mut Ctx, artifacts: Vec<Artifact>) -> Plan {
    let _ = (ctx, artifacts);
    todo!()
}
