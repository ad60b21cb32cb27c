//! Assessment: rules turn the spec and the evidence into findings; findings decide the rollback
//! classification.
//!
//! Every rule lives in its own file under `rules/`, declared with [`declare_rule!`](crate::declare_rule): a stable
//! code numbered in its [`Family`]'s hundred, a kebab-case name, a doc comment in ruff's sections
//! (`## What it does`, `## Why it matters for rollback`, `## Use instead`) and its fire/ok
//! fixtures, embedded as the doc's example. What a rule finds is a [`Violation`] struct whose
//! `message()` is the one place its words are written. The one list in `rules/mod.rs` registers
//! it; `rollbook rules`, `rollbook explain` and `docs/rules.md` all read that list.

pub mod rules;

use crate::evidence::Evidence;
use crate::evidence::sql::Migration;
use crate::model::Spec;
use serde::Serialize;

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Rollback classification levels, from easiest to hardest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Code only: redeploy the previous version; no data implications.
    Instant,
    /// Code plus a small operational step (flag, config, cache): under 15 minutes.
    Fast,
    /// Code plus data recovery (reverse migration, restore, replay), or any rollback over 15 minutes.
    Complex,
    /// Destructive migration, data sent to third parties, notifications sent: mitigation instead.
    Irreversible,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Instant => "instant",
            Level::Fast => "fast",
            Level::Complex => "complex",
            Level::Irreversible => "irreversible",
        }
    }
    /// Title shown in the plan.
    pub fn title(self) -> &'static str {
        match self {
            Level::Instant => "Instant",
            Level::Fast => "Fast (under 15 min)",
            Level::Complex => "Complex (15-60 min)",
            Level::Irreversible => "Irreversible",
        }
    }
    /// The band of rollback minutes this class stands for, `(low, high)`; `None` when unbounded.
    /// A class is what the rollback must recover; the band is the time it may take. Complex has
    /// no lower bound (a reverse migration may be quick) and no upper one (a restore may not).
    pub fn band(self) -> (u32, Option<u32>) {
        match self {
            Level::Instant => (0, Some(10)),
            Level::Fast => (0, Some(15)),
            Level::Complex => (0, None),
            Level::Irreversible => (0, None),
        }
    }
    /// The band the class's title names, `(low, high)`. A Complex rollback may be shorter (a quick
    /// reverse migration) or longer (a large restore) than its title: the plan then says so.
    pub fn nominal_band(self) -> (u32, Option<u32>) {
        match self {
            Level::Complex => (15, Some(60)),
            other => other.band(),
        }
    }
    /// The lowest class whose band holds a rollback of `minutes`.
    pub fn for_minutes(minutes: u32) -> Level {
        [Level::Instant, Level::Fast, Level::Complex]
            .into_iter()
            .find(|l| l.band().1.is_none_or(|h| minutes <= h))
            .unwrap_or(Level::Complex)
    }
}

/// A rule's verdict on one thing.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// Rule code, e.g. `RB101`.
    pub rule: &'static str,
    /// Rule name, e.g. `drop-table`.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub evidence: Evidence,
    /// The classification this finding forces at least, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Index of the spec change it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<usize>,
}

impl Finding {
    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }
    pub fn change(mut self, index: usize) -> Self {
        self.change = Some(index);
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// What rules look at.
pub struct Context<'a> {
    pub spec: &'a Spec,
    /// Path of the spec or brief, for evidence.
    pub spec_file: &'a str,
    /// SQL migrations read from the spec's changes.
    pub migrations: &'a [Migration],
    /// Kubernetes objects read from manifests.
    pub objects: &'a [crate::evidence::k8s::K8sObject],
    /// Resource changes read from Terraform/OpenTofu plans.
    pub resources: &'a [crate::evidence::terraform::ResourceChange],
    /// Terraform/OpenTofu plan files as read (plan-wide facts).
    pub plans: &'a [crate::evidence::terraform::PlanFile],
    /// Config keys that differ between two versions of a config file.
    pub configs: &'a [crate::evidence::config::ConfigKeyDiff],
    /// The schema history of `migrations`, built on first use with all of them as one deployment
    /// (a spec names one deployment); `rollbook scan` sets it with one deployment per file.
    pub history: std::cell::OnceCell<crate::evidence::sql::history::History>,
}

impl<'a> Context<'a> {
    /// A context over a spec and everything gathered for it.
    pub fn new(spec: &'a Spec, spec_file: &'a str, g: &'a crate::evidence::Gathered) -> Self {
        Context {
            spec,
            spec_file,
            migrations: &g.migrations,
            objects: &g.objects,
            resources: &g.resources,
            plans: &g.plans,
            configs: &g.configs,
            history: std::cell::OnceCell::new(),
        }
    }
}

/// One file of a rule's fixture, embedded so the binary can print it: `fire.yaml`,
/// `fire-manifests.yaml`, `ok.yaml`...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixture {
    /// The file name inside `tests/fixtures/rules/<CODE>-<name>/`.
    pub file: &'static str,
    /// Its contents.
    pub text: &'static str,
}

/// The families of rules, by what they read. A rule's code is numbered in its family's hundred
/// (RB0xx, RB1xx...), so a code says where to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The spec's fields and the brief's words.
    Spec,
    /// SQL migrations.
    Sql,
    /// Kubernetes and Argo Rollouts manifests.
    Kubernetes,
    /// Terraform and OpenTofu plans.
    Terraform,
    /// Config files compared between two versions.
    Config,
    /// The policy of `rollbook check`, judged on the whole plan.
    Policy,
}

impl Family {
    /// Every family, in code order.
    pub const ALL: [Family; 6] = [
        Family::Spec,
        Family::Sql,
        Family::Kubernetes,
        Family::Terraform,
        Family::Config,
        Family::Policy,
    ];

    /// What its rules read, for the docs.
    pub fn reads(self) -> &'static str {
        match self {
            Family::Spec => "the spec's fields and the brief's words",
            Family::Sql => "SQL migrations",
            Family::Kubernetes => "Kubernetes and Argo Rollouts manifests",
            Family::Terraform => "Terraform and OpenTofu plans",
            Family::Config => "config files compared between two versions",
            Family::Policy => "the policy of `rollbook check`, judged on the whole plan",
        }
    }

    /// The hundred its codes are numbered in: 1 for RB1xx.
    pub fn hundred(self) -> u32 {
        match self {
            Family::Spec => 0,
            Family::Sql => 1,
            Family::Kubernetes => 2,
            Family::Terraform => 3,
            Family::Config => 4,
            Family::Policy => 9,
        }
    }
}

/// What a rule found, as data; its message is written in one place, by [`Violation::message`].
pub trait Violation {
    /// The finding's message.
    fn message(&self) -> String;
}

/// A rule: metadata plus its check.
pub struct Rule {
    /// Stable code, e.g. `RB101`.
    pub code: &'static str,
    /// Kebab-case name naming the pattern, e.g. `drop-table`.
    pub name: &'static str,
    /// What it reads; its code is numbered in the family's hundred.
    pub family: Family,
    /// Default severity.
    pub severity: Severity,
    /// The doc comment, in sections: `## What it does`, `## Why it matters for rollback`,
    /// `## Use instead` (and `## Example` when there is more to say than the fixture).
    pub doc: &'static str,
    /// The fixture files that raise the rule, the spec or brief first.
    pub fire: &'static [Fixture],
    /// The fixture files of the safe alternative, in the same order.
    pub ok: &'static [Fixture],
    /// The check.
    pub check: fn(&Rule, &Context, &mut Vec<Finding>),
}

/// Headings of a rule's doc sections, in the order they are written.
pub const DOC_SECTIONS: [&str; 4] = [
    "What it does",
    "Why it matters for rollback",
    "Example",
    "Use instead",
];

impl Rule {
    /// The first paragraph of what it does, on one line.
    pub fn summary(&self) -> String {
        self.section("What it does")
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|p| !p.is_empty())
            .unwrap_or_default()
    }
    /// The text of a doc section (`## heading`), trimmed; empty when the doc has none.
    pub fn section(&self, heading: &str) -> String {
        let mut text = String::new();
        let mut inside = false;
        for line in self.doc.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            if let Some(h) = line.strip_prefix("## ") {
                inside = h.trim() == heading;
                continue;
            }
            if inside {
                text.push_str(line);
                text.push('\n');
            }
        }
        text.trim().to_string()
    }
    /// The `## ` headings of the doc, in order.
    pub fn headings(&self) -> Vec<&'static str> {
        self.doc
            .lines()
            .filter_map(|l| l.strip_prefix(' ').unwrap_or(l).strip_prefix("## "))
            .map(str::trim)
            .collect()
    }
    /// A finding of this rule: the violation says what was found, the evidence where.
    pub fn finding(&self, violation: impl Violation, evidence: Evidence) -> Finding {
        Finding {
            rule: self.code,
            name: self.name,
            severity: self.severity,
            message: violation.message(),
            evidence,
            level: None,
            change: None,
        }
    }
}

/// Declares a rule; its doc comment becomes both rustdoc and the text of `rollbook explain`.
///
/// `fixtures` lists the suffixes of its fixture files after `fire`/`ok` (`".yaml"`,
/// `"-manifests.yaml"`); each is embedded with `include_str!`, so a rule without its fixtures does
/// not compile. Rules judged elsewhere (the policy rules of `rollbook check`) have none.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = { code: $code:literal, name: $name:literal, family: $family:ident, severity: $sev:ident, check: $check:path, fixtures: [$($suffix:literal),+ $(,)?] $(,)? }
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::assess::Rule = $crate::assess::Rule {
            code: $code,
            name: $name,
            family: $crate::assess::Family::$family,
            severity: $crate::assess::Severity::$sev,
            doc: concat!($($doc, "\n"),*),
            fire: &[$($crate::assess::Fixture {
                file: concat!("fire", $suffix),
                text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules/", $code, "-", $name, "/fire", $suffix)),
            }),+],
            ok: &[$($crate::assess::Fixture {
                file: concat!("ok", $suffix),
                text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules/", $code, "-", $name, "/ok", $suffix)),
            }),+],
            check: $check,
        };
    };
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = { code: $code:literal, name: $name:literal, family: $family:ident, severity: $sev:ident, check: $check:path $(,)? }
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::assess::Rule = $crate::assess::Rule {
            code: $code,
            name: $name,
            family: $crate::assess::Family::$family,
            severity: $crate::assess::Severity::$sev,
            doc: concat!($($doc, "\n"),*),
            fire: &[],
            ok: &[],
            check: $check,
        };
    };
}

impl Context<'_> {
    /// The schema history of the migrations (see [`Context::history`]).
    pub fn history(&self) -> &crate::evidence::sql::history::History {
        self.history
            .get_or_init(|| crate::evidence::sql::history::History::build(self.migrations, &[]))
    }

    /// Was `table` created earlier in this deployment than statement `si` of migration `mi`?
    /// Dropping or rewriting such a table is harmless.
    pub fn fresh(&self, mi: usize, si: usize, table: &str) -> bool {
        self.history().table_is_new((mi, si), table)
    }
}

/// Names as a message shows them: each in backticks, so that a name holding a secret word
/// (`api_tokens`) before the message's colon is not taken for a key and value and masked.
pub fn code_list(names: &[impl AsRef<str>]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs every rule; findings sorted by file, line, code for byte-identical output.
pub fn run_rules(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::all() {
        (rule.check)(rule, ctx, &mut out);
    }
    // Every field in the key (the name follows the code), so findings that compare equal are
    // equal: the in-place sort orders them as a stable one would, without a scratch copy of
    // every finding (a repository's scan holds tens of thousands).
    out.sort_unstable_by(|a, b| {
        (
            a.change,
            &a.evidence,
            a.rule,
            &a.message,
            a.severity,
            a.level,
        )
            .cmp(&(
                b.change,
                &b.evidence,
                b.rule,
                &b.message,
                b.severity,
                b.level,
            ))
    });
    out.dedup();
    out
}

/// Looks a rule up by code (case-insensitive) or name.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    rules::all()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
