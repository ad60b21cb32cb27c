use crate::base::placeholders::Placeholders;
use crate::model::*;
use crate::platforms::flags;
use crate::platforms::tests::{check_holes_registered, flag, r, tokens};

fn provider(kind: FlagProviderKind) -> FlagProvider {
    FlagProvider {
        kind,
        project: Some("shop".into()),
        environment: Some("production".into()),
        api_url: Some("https://unleash.example.com/".into()),
        namespace: Some("flags".into()),
    }
}

#[test]
fn launchdarkly_semantic_patch_turns_flag_off() {
    let mut ph = Placeholders::default();
    let p = provider(FlagProviderKind::Launchdarkly);
    let a = flags::turn_off(Some(&p), &flag("new-checkout"), &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X PATCH https://app.launchdarkly.com/api/v2/flags/shop/new-checkout --data '{\"environmentKey\":\"production\",\"comment\":\"rollbook: kill switch during rollback\",\"instructions\":[{\"kind\":\"turnFlagOff\"}]}' -H \"Authorization: $LD_API_TOKEN\" -H 'Content-Type: application/json; domain-model=launchdarkly.semanticpatch'"
        ]
    );
    assert_eq!(
        r(&a.verify),
        [
            "curl -fsS 'https://app.launchdarkly.com/api/v2/flags/shop/new-checkout?env=production' -H \"Authorization: $LD_API_TOKEN\""
        ]
    );
    assert!(a.minutes <= 2);
    assert!(tokens(&ph).is_empty());
}

#[test]
fn hostile_flag_key_is_encoded_and_quoted() {
    let mut ph = Placeholders::default();
    let mut p = provider(FlagProviderKind::Launchdarkly);
    p.environment = Some("prod' $(rm -rf /)".into());
    let a = flags::turn_off(Some(&p), &flag("a'b $(x)"), &mut ph);
    let c = a.commands[0].render();
    assert!(c.contains("/flags/shop/a%27b%20%24%28x%29 "));
    assert!(c.contains("--data '{\"environmentKey\":\"prod'\\'' $(rm -rf /)\""));
    let words = shlex::split(&c).unwrap_or_default();
    assert!(
        words
            .iter()
            .any(|w| w.contains("\"environmentKey\":\"prod' $(rm -rf /)\""))
    );
}

#[test]
fn unleash_missing_values_become_placeholders() {
    let mut ph = Placeholders::default();
    let f = FlagChange {
        provider: Some(FlagProviderKind::Unleash),
        ..flag("new-checkout")
    };
    let a = flags::turn_off(None, &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X POST <UNLEASH_API_URL>/api/admin/projects/<UNLEASH_PROJECT>/features/new-checkout/environments/<UNLEASH_ENVIRONMENT>/off -H \"Authorization: $UNLEASH_API_TOKEN\""
        ]
    );
    assert_eq!(
        tokens(&ph),
        [
            "<UNLEASH_API_URL>",
            "<UNLEASH_PROJECT>",
            "<UNLEASH_ENVIRONMENT>"
        ]
    );
}

#[test]
fn unleash_percentage_uses_flexible_rollout() {
    let mut ph = Placeholders::default();
    let p = provider(FlagProviderKind::Unleash);
    let c = flags::set_percent(Some(&p), &flag("nc"), 25.0, &mut ph).expect("unleash supports it");
    assert_eq!(
        c.render(),
        "curl -fsS -X PUT https://unleash.example.com/api/admin/projects/shop/features/nc/environments/production/strategies/<NC_UNLEASH_STRATEGY_ID> --data '{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"25\",\"stickiness\":\"default\",\"groupId\":\"nc\"}}' -H \"Authorization: $UNLEASH_API_TOKEN\" -H 'Content-Type: application/json'"
    );
    let ld = provider(FlagProviderKind::Launchdarkly);
    assert!(flags::set_percent(Some(&ld), &flag("nc"), 25.0, &mut ph).is_none());
}

#[test]
fn configcat_growthbook_appconfig_configmap() {
    let mut ph = Placeholders::default();
    let f = FlagChange {
        provider_id: Some("4711".into()),
        ..flag("nc")
    };
    let p = provider(FlagProviderKind::Configcat);
    let a = flags::turn_off(Some(&p), &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "curl -fsS -X PATCH https://api.configcat.com/v2/environments/production/settings/4711/value --data '[{\"op\":\"replace\",\"path\":\"/defaultValue/boolValue\",\"value\":false}]' -u \"$CONFIGCAT_API_USER:$CONFIGCAT_API_PASSWORD\" -H 'Content-Type: application/json'"
        ]
    );
    assert!(a.notes[0].contains("targeting rules"));

    let mut g = provider(FlagProviderKind::Growthbook);
    g.api_url = None;
    let a = flags::turn_off(Some(&g), &flag("nc"), &mut ph);
    assert!(a.commands[0].render().starts_with(
        "curl -fsS -X POST https://api.growthbook.io/api/v2/features/nc/toggle --data '{\"environments\":{\"production\":false},"
    ));

    let a = flags::turn_off(
        Some(&provider(FlagProviderKind::Appconfig)),
        &flag("nc"),
        &mut ph,
    );
    assert_eq!(
        r(&a.commands),
        [
            "aws appconfig stop-deployment --application-id shop --environment-id production --deployment-number <NC_APPCONFIG_DEPLOYMENT_NUMBER> --allow-revert"
        ]
    );
    assert!(a.notes[0].contains("72 hours"));

    let f = FlagChange {
        provider_id: Some("feature-flags".into()),
        ..flag("new.checkout")
    };
    let a = flags::turn_off(Some(&provider(FlagProviderKind::Configmap)), &f, &mut ph);
    assert_eq!(
        r(&a.commands),
        [
            "kubectl patch configmap feature-flags -n flags --type merge -p '{\"data\":{\"new.checkout\":\"false\"}}'"
        ]
    );
    assert_eq!(
        r(&a.verify),
        ["kubectl get configmap feature-flags -n flags -o jsonpath='{.data.new\\.checkout}'"]
    );
    assert!(a.notes[0].contains("rollout restart"));
}

#[test]
fn no_provider_is_a_placeholder_step() {
    let mut ph = Placeholders::default();
    let a = flags::turn_off(None, &flag("nc"), &mut ph);
    assert_eq!(r(&a.commands), ["<NC_FLAG_OFF_COMMAND>"]);
    assert_eq!(
        flags::read_state(None, &flag("nc"), &mut ph).render(),
        "<NC_FLAG_READ_COMMAND>"
    );
}

#[test]
fn every_hole_registered_for_every_provider() {
    for k in flags::PROVIDERS.iter().map(|u| u.kind()) {
        let mut ph = Placeholders::default();
        let f = FlagChange {
            provider: Some(k),
            ..flag("nc")
        };
        let a = flags::turn_off(None, &f, &mut ph);
        let mut cmds = a.commands.clone();
        cmds.extend(a.verify);
        cmds.extend(flags::set_percent(None, &f, 10.0, &mut ph));
        check_holes_registered(&cmds, &ph);
        assert!(!a.notes.is_empty(), "{k:?} has a caveat");
    }
}
