use super::*;

fn acts(a: &[&str]) -> Action {
    Action::from_actions(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn actions_map_including_both_replace_orders() {
    assert_eq!(acts(&["create"]), Action::Create);
    assert_eq!(acts(&["update"]), Action::Update);
    assert_eq!(acts(&["delete"]), Action::Delete);
    assert_eq!(acts(&["no-op"]), Action::NoOp);
    assert_eq!(acts(&["read"]), Action::Read);
    assert_eq!(acts(&["forget"]), Action::Forget);
    assert_eq!(acts(&["delete", "create"]), Action::ReplaceDeleteFirst);
    assert_eq!(acts(&["create", "delete"]), Action::ReplaceCreateFirst);
    assert_eq!(acts(&["create", "create"]), Action::Unknown);
    assert_eq!(acts(&[]), Action::Unknown);
}

#[test]
fn type_patterns() {
    assert!(type_matches("aws_db_instance", "aws_db_instance"));
    assert!(!type_matches("aws_s3_bucket", "aws_s3_bucket_policy"));
    assert!(type_matches(
        "aws_fsx_*_file_system",
        "aws_fsx_lustre_file_system"
    ));
    assert!(type_matches(
        "google_*_iam_*",
        "google_storage_bucket_iam_member"
    ));
    assert!(!type_matches("google_*_iam_*", "google_storage_bucket"));
    assert_eq!(stateful_kind("aws_s3_bucket_policy"), None);
    assert_eq!(stateful_kind("aws_rds_cluster"), Some("database cluster"));
    assert_eq!(reach("aws_s3_bucket_policy").map(|r| r.0), Some(Reach::Iam));
    assert_eq!(reach("aws_route53_record").map(|r| r.0), Some(Reach::Dns));
    assert_eq!(
        reach("aws_security_group_rule").map(|r| r.0),
        Some(Reach::Network)
    );
    assert_eq!(reach("aws_instance"), None);
}

const PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [{"address": "aws_db_instance.orders"}]}},
  "resource_changes": [
{
  "address": "aws_db_instance.orders",
  "mode": "managed",
  "type": "aws_db_instance",
  "name": "orders",
  "change": {
    "actions": ["delete", "create"],
    "before": {"identifier": "orders-prod", "password": "s3cr3t-Hunter2-xyz", "storage_encrypted": false, "deletion_protection": true, "skip_final_snapshot": false, "tags": {"address": "aws_db_instance.orders"}},
    "after": {"identifier": "orders-prod", "password": "n3w-S3cret-Value-abc", "storage_encrypted": true, "deletion_protection": false, "skip_final_snapshot": true},
    "after_unknown": {"endpoint": true},
    "before_sensitive": {"password": true},
    "after_sensitive": {"password": true},
    "replace_paths": [["storage_encrypted"]]
  },
  "action_reason": "replace_because_cannot_update"
},
{
  "address": "aws_iam_role_policy.app",
  "type": "aws_iam_role_policy",
  "change": {"actions": ["update"], "before": {"policy": "a"}, "after": {"policy": "b"}, "after_sensitive": true},
  "some_future_field": [1, 2, 3]
}
  ]
}"#;

#[test]
fn reads_actions_attributes_protection_and_lines() {
    let p = parse_plan(PLAN, "plan.json", 3).expect("parses");
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.resources.len(), 2);
    let db = &p.resources[0];
    assert_eq!(db.action, Action::ReplaceDeleteFirst);
    assert_eq!(db.change, 3);
    // The resource_changes entry, not the planned_values one (line 3) nor the tag (line 12).
    assert_eq!(db.evidence.line, Some(6));
    assert_eq!(db.replace_paths, vec!["storage_encrypted"]);
    assert_eq!(db.sensitive_attributes, vec!["password"]);
    assert!(db.changed_attributes.contains(&"password".to_string()));
    assert!(db.changed_attributes.contains(&"endpoint".to_string()));
    assert!(!db.changed_attributes.contains(&"identifier".to_string()));
    assert_eq!(db.identifier.as_deref(), Some("orders-prod"));
    let dp = db
        .protection
        .iter()
        .find(|p| p.attribute == "deletion_protection")
        .expect("dp");
    assert!(dp.turned_off());
    let fs = db
        .protection
        .iter()
        .find(|p| p.attribute == "skip_final_snapshot")
        .expect("sfs");
    assert!(fs.turned_off());
    let iam = &p.resources[1];
    assert_eq!(iam.action, Action::Update);
    assert_eq!(iam.evidence.line, Some(22));
    assert_eq!(iam.changed_attributes, vec!["policy", "(sensitive)"]);
    assert_eq!(iam.identifier, None);
}

#[test]
fn sensitive_values_are_not_kept() {
    let p = parse_plan(PLAN, "plan.json", 0).expect("parses");
    let dump = format!("{p:?}") + &serde_json::to_string(&p).unwrap_or_default();
    for secret in ["s3cr3t-Hunter2-xyz", "n3w-S3cret-Value-abc"] {
        assert!(!dump.contains(secret), "{secret} kept");
    }
}

#[test]
fn sensitive_identifier_is_not_kept() {
    let t = r#"{"format_version":"1.0","resource_changes":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","change":{"actions":["delete"],"before":{"bucket":"hidden-name"},"after":null,"before_sensitive":{"bucket":true}}}]}"#;
    let p = parse_plan(t, "p.json", 0).expect("parses");
    assert_eq!(p.resources[0].identifier, None);
    assert!(!format!("{p:?}").contains("hidden-name"));
}

#[test]
fn errored_state_and_unknown_format_are_reported() {
    let e = parse_plan(r#"{"format_version":"1.2","errored":true}"#, "p.json", 0).expect("parses");
    assert!(e.errored);
    assert!(e.resources.is_empty());
    let s = parse_plan(r#"{"format_version":"1.0","values":{}}"#, "p.json", 0).expect("parses");
    assert!(
        s.problems.iter().any(|p| p.contains("state JSON")),
        "{:?}",
        s.problems
    );
    let f = parse_plan(
        r#"{"format_version":"2.0","resource_changes":[]}"#,
        "p.json",
        0,
    )
    .expect("parses");
    assert!(
        f.problems.iter().any(|p| p.contains("2.0")),
        "{:?}",
        f.problems
    );
    let u = parse_plan(r#"{"format_version":"1.0","resource_changes":[{"address":"x.y","type":"x","change":{"actions":["explode"]}}]}"#, "p.json", 0).expect("parses");
    assert_eq!(u.resources[0].action, Action::Unknown);
    assert_eq!(u.problems.len(), 1);
}

#[test]
fn bad_json_and_deep_nesting_are_errors_not_panics() {
    let e = parse_plan("{\n  \"format_version\": ", "p.json", 0).expect_err("truncated");
    assert_eq!(e.line, 2);
    let deep = format!(
        r#"{{"format_version":"1.0","resource_changes":[{{"address":"a.b","type":"a","change":{{"actions":["update"],"before":{}{}}}}}]}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(parse_plan(&deep, "p.json", 0).is_err());
    assert!(parse_plan("[]", "p.json", 0).is_err());
}
