//! Client releases and model versions read from a brief: their fields, and what they are not.

use super::*;
use crate::model::kinds::{ClientChannel, ModelServing};

fn kinds(i: &Input) -> Vec<ChangeKind> {
    i.spec.deployment.changes.iter().map(|c| c.kind()).collect()
}

#[test]
fn firmware_over_the_air_is_one_client_release_not_a_fleet_push() {
    let i = run(
        "b.md",
        "Lock firmware 2.3 for the door sensors.\n\n- delivered OTA to every device, cohorts: 1%, 10%, 100%\n- A/B partitions: a failed boot falls back to the previous image\n",
    );
    assert_eq!(kinds(&i), [ChangeKind::ClientRelease]);
    let r = i.spec.deployment.changes[0].as_client_release().unwrap();
    assert_eq!(r.channels, [ClientChannel::Firmware]);
    assert_eq!(r.phased, Some(true));
    assert_eq!(r.previous_image_kept, Some(true));
}

#[test]
fn an_app_for_both_stores_names_both_channels_and_its_remote_switch() {
    let i = run(
        "b.md",
        "The iOS and Android app 4.0 ships as a phased release; the new feed is behind the remote config key `feed_v2`.\n",
    );
    let r = i
        .spec
        .deployment
        .changes
        .iter()
        .find_map(|c| c.as_client_release())
        .unwrap();
    assert_eq!(
        r.channels,
        [ClientChannel::AppStore, ClientChannel::GooglePlay]
    );
    assert_eq!(r.remote_switch.as_deref(), Some("feed_v2"));
}

#[test]
fn an_app_named_as_a_channel_is_not_a_release() {
    let i = run(
        "b.md",
        "The call centre, the website and the mobile app move to the new ledger at once.\n",
    );
    assert!(
        !kinds(&i).contains(&ChangeKind::ClientRelease),
        "{:?}",
        kinds(&i)
    );
}

#[test]
fn a_model_canary_on_kserve_is_read_with_its_resource() {
    let i = run(
        "b.md",
        "Ranking model v7 runs on KServe (InferenceService `search-rank`, namespace `search`) as a canary with 5% of traffic.\n",
    );
    let m = i.spec.deployment.changes[0].as_ml_model().unwrap();
    assert_eq!(m.serving, Some(ModelServing::Kserve));
    assert_eq!(m.endpoint.as_deref(), Some("search-rank"));
    assert_eq!(m.namespace.as_deref(), Some("search"));
    assert_eq!(m.canary_percent, Some(5.0));
    assert_eq!(m.features_changed, None);
}

#[test]
fn features_changed_with_a_model_are_read() {
    let i = run(
        "b.md",
        "The fraud model retrained on Q4 reads new velocity features from the feature store.\n",
    );
    let m = i.spec.deployment.changes[0].as_ml_model().unwrap();
    assert_eq!(m.features_changed, Some(true));
}
