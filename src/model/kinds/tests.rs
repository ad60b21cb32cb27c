use super::*;

#[test]
fn every_kind_is_registered_once_in_order() {
    let names: Vec<&str> = ChangeKind::all().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "code",
            "migration",
            "config",
            "feature_flag",
            "infrastructure",
            "dependency",
            "external_side_effect",
            "data_operation",
            "database_operation",
            "fleet_push",
            "stream_queue",
            "index_cache",
            "access_change",
            "platform_upgrade",
            "cutover",
            "network_change",
            "client_release",
            "ml_model"
        ]
    );
    for k in ChangeKind::all() {
        // The registered name is the serde tag.
        let tag = serde_json::to_value(Change::new(k)).unwrap()["kind"].clone();
        assert_eq!(tag, k.as_str());
        assert_eq!(Change::new(k).kind(), k);
    }
}

#[test]
fn fields_come_from_the_structs() {
    assert!(ChangeKind::Migration.fields().contains(&"down_sql"));
    assert!(ChangeKind::Config.fields().contains(&"keys"));
    assert!(!ChangeKind::Config.fields().contains(&"sql"));
    for k in ChangeKind::all() {
        for common in [
            "id",
            "summary",
            "services",
            "reversible",
            "destructive",
            "gated_by_flag",
        ] {
            assert!(k.fields().contains(&common), "{k:?} lacks {common}");
        }
    }
}

#[test]
fn every_kind_declares_mechanisms_in_a_phase() {
    for d in KINDS {
        assert!(!d.mechanisms.is_empty(), "{} declares no mechanism", d.name);
        for m in d.mechanisms {
            assert!(
                m.id.phase().is_some(),
                "{:?} of {} has no phase",
                m.id,
                d.name
            );
        }
    }
}
