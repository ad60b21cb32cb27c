//! The kinds' recognisers as the brief reader sees them. Each kind declares its own in its file
//! under `src/model/kinds/` (`KindDecl::recogniser`); this is only a view of the registry.

use crate::base::recogniser::Recogniser;
use crate::model::kinds::KINDS;

/// Every kind's recogniser, in the registry's order.
pub const ALL: [Recogniser; KINDS.len()] = {
    let mut all = [KINDS[0].recogniser; KINDS.len()];
    let mut i = 1;
    while i < KINDS.len() {
        all[i] = KINDS[i].recogniser;
        i += 1;
    }
    all
};
