//! Rule RB209 `migration-job-hook`.

use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::k8s::K8sObject;
use crate::evidence::sql::support::pg_version;
use crate::evidence::sql::verdict;
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A Job that runs database migrations, as a Helm hook (`helm.sh/hook: pre-upgrade`), an Argo
    /// CD hook, or a plain Job in the release.
    ///
    /// ## Why it matters for rollback
    ///
    /// `helm rollback` and `kubectl rollout undo` run no down migration; Helm's rollback hooks come
    /// from the older chart, which cannot know this release's migration. The schema stays migrated
    /// while the old code comes back.
    ///
    /// ## Use instead
    ///
    /// Keep migrations additive (expand, then contract in a later release) so the old code runs on
    /// the new schema, and keep a tested down migration with its own command in the rollback plan.
    pub static MIGRATION_JOB_HOOK = { code: "RB209", name: "migration-job-hook", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

const SIGNS: [&str; 8] = [
    "migrat", "flyway", "liquibase", "alembic", "dbmate", "sqitch", "goose", "db:migrate",
];

fn runs_migrations(o: &K8sObject) -> bool {
    let mut text = o.name.to_lowercase();
    for (_, c) in o.containers() {
        for key in ["image", "command", "args"] {
            match c.get(key) {
                Some(Value::String(s)) => text.push_str(&format!(" {s}")),
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .for_each(|s| text.push_str(&format!(" {s}"))),
                _ => {}
            }
        }
    }
    let text = text.to_lowercase();
    SIGNS.iter().any(|s| text.contains(s))
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    // Proven additive: every migration the spec points at was read and only adds.
    let additive = !ctx.migrations.is_empty()
        && ctx
            .migrations
            .iter()
            .all(|m| verdict(m, pg_version(ctx.spec, m.change)).additive_only);
    for o in ctx.objects.iter().filter(|o| o.kind == "Job") {
        if !runs_migrations(o) {
            continue;
        }
        let hook = o
            .annotation("helm.sh/hook")
            .map(|h| ("helm.sh/hook", h, "a Helm hook"))
            .or_else(|| {
                o.annotation("argocd.argoproj.io/hook")
                    .map(|h| ("argocd.argoproj.io/hook", h, "an Argo CD hook"))
            });
        let evidence = match hook {
            Some((key, value, _)) => o.evidence_at(key, Some(value)),
            None => o.evidence.clone(),
        };
        let f = rule.finding(
            MigrationJobHook { job: o.label(), hook: hook.map(|(_, value, what)| (what, value)), additive },
            evidence,
        );
        out.push(if additive { f } else { f.level(Level::Complex) });
    }
}

/// A Job that runs migrations, possibly as a Helm or Argo CD hook.
struct MigrationJobHook<'a> {
    job: String,
    /// What runs it ("a Helm hook") and the hook's value (`pre-upgrade`); `None` for a plain Job.
    hook: Option<(&'a str, &'a str)>,
    /// Every migration read is additive only.
    additive: bool,
}

impl crate::assess::Violation for MigrationJobHook<'_> {
    fn message(&self) -> String {
        let what = match self.hook {
            Some((what, value)) => format!("{what} ({value})"),
            None => "a Job".to_string(),
        };
        let tail = if self.additive {
            "the migrations read are additive only: leave them in place on rollback."
        } else {
            "rolling back the code leaves the schema migrated; a down migration is a separate, manual step."
        };
        format!("{} runs migrations as {what}: helm rollback and rollout undo run no down; {tail}", self.job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::k8s::parse_file;
    use crate::evidence::sql::text::Origin;
    use crate::evidence::sql::{Dialect, Migration, layout};
    use crate::model::Spec;

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db-migrate\n  annotations:\n    helm.sh/hook: pre-upgrade\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          image: flyway/flyway:10\n";

    fn run(sql: &str) -> Vec<Finding> {
        let objects = parse_file("m.yaml", JOB).unwrap();
        let o = Origin::field("s.yaml", "deployment.changes[0].sql");
        let migrations = vec![Migration {
            change: 0,
            dialect: Dialect::Postgres,
            up_source: o.source(),
            up: layout::parse(sql, Dialect::Postgres, &o),
            down_source: None,
            down: Vec::new(),
            tool_transaction: None,
        }];
        let spec = Spec::default();
        let ctx = Context {
            spec: &spec,
            spec_file: "s.yaml",
            migrations: &migrations,
            objects: &objects,
            resources: &[],
            configs: &[],
            plans: &[],
            history: Default::default(),
        };
        let mut out = Vec::new();
        check(&MIGRATION_JOB_HOOK, &ctx, &mut out);
        out
    }

    #[test]
    fn additive_migrations_leave_the_class_alone() {
        let f = run("ALTER TABLE orders ADD COLUMN note text;");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, None);
        assert_eq!(f[0].evidence.line, Some(6));
    }

    #[test]
    fn destructive_migrations_make_it_complex() {
        let f = run("ALTER TABLE orders DROP COLUMN note;");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, Some(Level::Complex));
    }
}
