//! Per-rule fixtures: `fire.sql` must raise the rule, `ok.sql` must not; findings are snapshotted.

use rollbook::assess::{Context, find_rule};
use rollbook::evidence::sql::layout::{parse, sections};
use rollbook::evidence::sql::text::Origin;
use rollbook::evidence::sql::{Dialect, Migration};
use rollbook::spec::model::Spec;

fn findings(rule_name: &str, file: &str) -> Vec<String> {
    let path = format!("tests/fixtures/sql/{rule_name}/{file}");
    let text = std::fs::read_to_string(&path).unwrap();
    let dialect = if rule_name.starts_with("mysql-") {
        Dialect::Mysql
    } else {
        Dialect::Postgres
    };
    let sec = sections(&text);
    let up_o = Origin {
        file: path.clone(),
        first_line: sec.up.1,
        field: None,
    };
    let m = Migration {
        change: 0,
        dialect,
        up_source: up_o.source(),
        up: parse(&sec.up.0, dialect, &up_o),
        down_source: sec.down.as_ref().map(|(_, l)| {
            Origin {
                file: path.clone(),
                first_line: *l,
                field: None,
            }
            .source()
        }),
        down: sec
            .down
            .as_ref()
            .map(|(d, l)| {
                parse(
                    d,
                    dialect,
                    &Origin {
                        file: path.clone(),
                        first_line: *l,
                        field: None,
                    },
                )
            })
            .unwrap_or_default(),
    };
    let spec = Spec::default();
    let migrations = [m];
    let gathered = rollbook::evidence::Gathered {
        migrations: migrations.to_vec(),
        ..Default::default()
    };
    let ctx = Context::new(&spec, "rollbook.yaml", &gathered);
    let rule = find_rule(rule_name).unwrap();
    let mut out = Vec::new();
    (rule.check)(rule, &ctx, &mut out);
    out.iter()
        .map(|f| {
            format!(
                "{} {} {:?} {}: {}",
                f.rule,
                f.evidence.cite(),
                f.level,
                f.name,
                f.message
            )
        })
        .collect()
}

#[test]
fn rule_fixtures() {
    for rule in ["drop-table", "rename-column"] {
        let fire = findings(rule, "fire.sql");
        assert!(!fire.is_empty(), "{rule} must fire");
        assert!(
            findings(rule, "ok.sql").is_empty(),
            "{rule} must not fire on ok.sql"
        );
        insta::assert_snapshot!(rule, fire.join("\n"));
    }
}
