//! Whether customers are told through a status page. A failure customers notice is theirs to
//! hear about whatever the rollback class: an instant rollback ends the failure, not what they
//! saw during it (wrong prices, errors, an empty page). Only a change whose services all work in
//! the background (batch jobs, queue consumers) and whose rollback is instant reaches customers
//! later, through its data, and is told by its data owners and partners instead.

use crate::assess::Level;
use crate::model::{Protocol, Spec};

/// Customers would notice this change failing: its kinds declare customers as an audience and
/// either its rollback is not instant, it can fail for everyone at once, or it reaches users
/// directly (a service they call, a model, a flag, a client).
pub fn told(spec: &Spec, kinds_tell_customers: bool, level: Level, everyone_at_once: bool) -> bool {
    kinds_tell_customers && (level > Level::Instant || everyone_at_once || !background_only(spec))
}

/// Every service the change ships works in the background: no user waits on it.
fn background_only(spec: &Spec) -> bool {
    let services = super::deployed_services(spec);
    !services.is_empty()
        && services
            .iter()
            .all(|s| matches!(s.protocol(), Protocol::Batch | Protocol::QueueConsumer))
}

/// The status page line of the Communication Plan: an instant rollback can end before five
/// minutes, so its line does not wait for them.
pub fn during_line(status: &str, level: Level) -> String {
    if level == Level::Instant {
        format!(
            "Status page {status}: post an incident if customers saw the failure (errors, wrong results, a missing feature), even when the rollback ends it within minutes; resolve it once recovery is confirmed."
        )
    } else {
        format!(
            "Status page {status}: post an incident if customers are affected for more than 5 minutes."
        )
    }
}
