//! Quoting holds in a real shell: every value from input comes back as the same single word, and
//! every command of a plan built from hostile values parses to the intended words.

use proptest::prelude::{Just, ProptestConfig, prop_assert_eq, prop_assume, prop_oneof, proptest};
use rollbook::base::shell::{Cmd, Part, Word, is_safe_value, quote};
use rollbook::model::*;
use rollbook::plan::{self, Options};
use rollbook::spec::{Input, InputForm};
use std::process::Command;

/// Runs `printf '%s\0' WORDS` in sh and returns the words it saw.
fn shell_words(rendered_words: &str) -> Vec<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {rendered_words}"))
        .env_clear()
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "sh failed on: {rendered_words}");
    let s = String::from_utf8(out.stdout).unwrap();
    s.split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_safe_value_survives_the_shell_as_one_word(v in "[^\\x00-\\x1f\\x7f-\\x9f]{1,40}") {
        prop_assume!(is_safe_value(&v));
        let words = shell_words(&quote(&v));
        prop_assert_eq!(words, vec![v]);
    }

    #[test]
    fn hostile_fragments_stay_inert(parts in proptest::collection::vec(prop_oneof![
        Just("$(touch /tmp/rollbook-pwned)".to_string()),
        Just("`id`".to_string()),
        Just("'; rm -rf / #".to_string()),
        Just("\"$HOME\"".to_string()),
        Just(" && echo hi ;".to_string()),
        Just("*".to_string()),
        Just("~".to_string()),
        Just("a b".to_string()),
        "[a-z]{1,5}",
    ], 1..5)) {
        let v = parts.concat();
        let words = shell_words(&quote(&v));
        prop_assert_eq!(words, vec![v]);
    }
}

#[test]
fn control_characters_are_never_emitted() {
    for v in ["a\nb", "a\rb", "\u{1b}[31m", "a\u{202e}b", "a\u{0}b"] {
        assert_eq!(quote(v), "<INVALID_VALUE>");
    }
}

const HOSTILE: &[&str] = &[
    "web'; rm -rf / #",
    "$(touch /tmp/rollbook-pwned)",
    "`id`",
    "a\"b",
    "x;reboot",
    "a b",
    "1.0 && echo hi",
];

// Built field by field: every field holds the hostile value.
#[allow(clippy::field_reassign_with_default)]
fn hostile_spec(v: &str) -> Spec {
    let mut spec = Spec::default();
    spec.deployment.name = v.to_string();
    spec.deployment.version = Some(v.to_string());
    spec.deployment.previous_version = Some(v.to_string());
    let mut code = rollbook::model::Code::default();
    code.services = vec![];
    let mut flag = rollbook::model::FeatureFlag::default();
    flag.flag = Some(FlagChange {
        key: v.to_string(),
        provider: None,
        default: Some(false),
        from_percent: None,
        to_percent: Some(50.0),
        rollout: vec![],
        provider_id: Some(v.to_string()),
    });
    let mut mig = rollbook::model::Migration::default();
    mig.sql = Some("ALTER TABLE t ADD COLUMN c int;".to_string());
    mig.down_sql = Some("ALTER TABLE t DROP COLUMN c;".to_string());
    mig.database = Some(v.to_string());
    mig.backward_compatible = Some(false);
    mig.tool = Some(MigrationTool::GolangMigrate);
    let mut cfg = rollbook::model::Config::default();
    cfg.location = Some(ConfigLocation {
        store: ConfigStore::Configmap,
        name: Some(v.to_string()),
    });
    cfg.keys = vec![ConfigKey {
        key: v.to_string(),
        before: Some(v.to_string()),
        after: None,
        secret: false,
    }];
    spec.deployment.changes = vec![
        Change::Code(code),
        Change::FeatureFlag(flag),
        Change::Migration(mig),
        Change::Config(cfg),
    ];
    // Every registered deploy platform: one added there is fuzzed here too.
    let platforms: Vec<Platform> = rollbook::platforms::deploy::PLATFORMS
        .iter()
        .map(|u| u.platform())
        .collect();
    for (i, p) in platforms.iter().enumerate() {
        let mut s = Service::named(&format!("{v}{i}"));
        s.platform = Some(*p);
        s.namespace = Some(v.to_string());
        s.cluster = Some(v.to_string());
        s.region = Some(v.to_string());
        s.health_endpoint = Some(format!("https://example.com/{v}"));
        s.hosts = vec![v.to_string()];
        s.deploy_dir = Some(v.to_string());
        s.argocd_app = Some(v.to_string());
        s.task_family = Some(v.to_string());
        s.project = Some(v.to_string());
        s.strategy = Some(if i % 2 == 0 {
            Strategy::Rolling
        } else {
            Strategy::BlueGreen
        });
        spec.architecture.services.push(s);
    }
    spec.architecture.data_stores.push(DataStore {
        name: v.to_string(),
        engine: Engine::Postgres,
        version: Some("15".to_string()),
        hosting: Some(Hosting::Rds),
        identifier: Some(v.to_string()),
        database: Some(v.to_string()),
        region: Some(v.to_string()),
        size_gb: Some(10.0),
        backup: None,
    });
    spec.architecture.flag_provider = Some(FlagProvider {
        kind: FlagProviderKind::Launchdarkly,
        project: Some(v.to_string()),
        environment: Some(v.to_string()),
        api_url: None,
        namespace: None,
    });
    spec
}

fn all_commands(p: &rollbook::plan::model::Plan) -> Vec<Cmd> {
    let mut out = Vec::new();
    for s in &p.procedure.steps {
        out.extend(s.commands.iter().cloned());
        out.extend(s.verify.iter().cloned());
    }
    for c in &p.go_no_go.checks {
        out.extend(c.commands.iter().cloned());
    }
    for st in &p.data_recovery.stores {
        out.extend(st.backup_before_rollback.iter().cloned());
        out.extend(st.restore.iter().cloned());
    }
    out
}

#[test]
fn every_command_of_a_hostile_plan_parses_to_the_intended_words() {
    let _ = std::fs::remove_file("/tmp/rollbook-pwned");
    for v in HOSTILE {
        let input = Input {
            path: "hostile.yaml".into(),
            form: InputForm::Yaml,
            spec: hostile_spec(v),
            assumptions: vec![],
        };
        let plan = plan::build(&input, &Options::default()).expect("plan builds");
        let cmds = all_commands(&plan);
        assert!(cmds.len() > 10, "{v}: too few commands to prove anything");
        for cmd in &cmds {
            // The whole line is valid shell syntax once its placeholders are filled.
            let filled = Cmd {
                words: cmd
                    .words
                    .iter()
                    .map(|w| {
                        Word(
                            w.0.iter()
                                .map(|p| match p {
                                    Part::Hole(_) => Part::Lit("FILLED".into()),
                                    other => other.clone(),
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            };
            let check = Command::new("sh")
                .arg("-n")
                .arg("-c")
                .arg(filled.render())
                .output()
                .unwrap();
            assert!(
                check.status.success(),
                "{v}: does not parse: {}",
                cmd.render()
            );
            // Each word made of values and plain literals comes back exactly.
            for w in &cmd.words {
                let plain = w.0.iter().all(|p| match p {
                    Part::Val(_) => true,
                    Part::Lit(l) => !l.chars().any(|c| "$\"'`\\|&;<>(){}*?[]~ #".contains(c)),
                    Part::Hole(_) => false,
                });
                let has_val = w.0.iter().any(|p| matches!(p, Part::Val(_)));
                if !plain || !has_val {
                    continue;
                }
                let expected: String =
                    w.0.iter()
                        .map(|p| match p {
                            Part::Val(s) | Part::Lit(s) => s.clone(),
                            Part::Hole(_) => unreachable!(),
                        })
                        .collect();
                assert_eq!(
                    shell_words(&Word(w.0.clone()).to_string()),
                    vec![expected],
                    "{v}: in {}",
                    cmd.render()
                );
            }
        }
    }
    assert!(
        !std::path::Path::new("/tmp/rollbook-pwned").exists(),
        "a hostile value ran"
    );
}
