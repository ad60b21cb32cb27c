//! Migration tools: the down command, and the status command that verifies it.
//!
//! Each tool is one unit (`<tool>.rs`) implementing [`MigrationToolUnit`], registered once in
//! [`TOOLS`]; the public functions dispatch through the registry.

pub mod alembic;
pub mod atlas;
pub mod dbmate;
pub mod diesel;
pub mod django;
pub mod ecto;
pub mod ef_core;
pub mod flyway;
pub mod golang_migrate;
pub mod goose;
pub mod knex;
pub mod laravel;
pub mod liquibase;
pub mod prisma;
pub mod rails;
pub mod sequelize;
pub mod sqitch;
pub mod sql;
pub mod sqlx;
pub mod typeorm;

#[cfg(test)]
mod tests;

use super::{Action, known};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

/// Every migration tool rollbook writes commands for: one line per unit.
pub const TOOLS: &[&dyn MigrationToolUnit] = &[
    &flyway::Flyway,
    &liquibase::Liquibase,
    &alembic::Alembic,
    &rails::Rails,
    &django::Django,
    &golang_migrate::GolangMigrate,
    &goose::Goose,
    &dbmate::Dbmate,
    &sqlx::Sqlx,
    &diesel::Diesel,
    &prisma::Prisma,
    &atlas::Atlas,
    &sqitch::Sqitch,
    &knex::Knex,
    &ecto::Ecto,
    &typeorm::Typeorm,
    &sequelize::Sequelize,
    &ef_core::EfCore,
    &laravel::Laravel,
    &sql::Sql,
];

/// What a down step is built from; a unit may retitle it and add notes.
pub struct Down<'a> {
    pub change: &'a Change,
    pub store: Option<&'a DataStore>,
    /// The change's id, or `migration`.
    pub label: String,
    /// The migration to return to, when the spec names it.
    pub prev: Option<&'a str>,
    /// A title replacing the default "Run the down migration of ...".
    pub title: Option<String>,
    pub notes: Vec<String>,
}

/// What one migration tool knows about reversing a change.
pub trait MigrationToolUnit: Sync {
    /// The model value this unit serves.
    fn tool(&self) -> MigrationTool;

    /// The words that name this tool in a brief (lowercase, single spaces).
    fn words(&self) -> &'static [&'static str];

    /// Whether the tool can run a down migration at all.
    fn has_down(&self) -> bool {
        true
    }

    /// Whether the down runs from the migration files of the checkout it runs in (so it must
    /// run from the version being rolled back).
    fn reads_migration_files(&self) -> bool {
        true
    }

    /// The placeholder (name, description) of the config file, target or settings module that
    /// points the tool at production.
    fn config(&self) -> (&'static str, &'static str) {
        (
            "MIGRATION_CONFIG",
            "configuration that points the migration tool at production",
        )
    }

    /// The rollback: the commands that reverse the change (or roll it forward to the old schema).
    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd>;

    /// Verification (and the Go / No-Go record): which migrations are applied.
    fn status(&self, change: &Change, store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd;
}

/// The unit of a tool, if registered (a test proves every tool is).
pub fn unit(tool: MigrationTool) -> Option<&'static dyn MigrationToolUnit> {
    TOOLS.iter().copied().find(|u| u.tool() == tool)
}

/// Plain SQL when a tool were missing from the registry: its steps name no tool.
fn unit_or_sql(tool: MigrationTool) -> &'static dyn MigrationToolUnit {
    unit(tool).unwrap_or(&sql::Sql)
}

/// Whether the tool can run a down migration at all.
pub fn has_down(tool: MigrationTool) -> bool {
    unit_or_sql(tool).has_down()
}

/// Runs the change's down migration with its tool (or, for tools without one, the roll-forward route).
pub fn down(
    tool: MigrationTool,
    change: &Change,
    store: Option<&DataStore>,
    ph: &mut Placeholders,
) -> Action {
    let unit = unit_or_sql(tool);
    let label = change.id().unwrap_or("migration").to_string();
    let component = known(change.database()).unwrap_or(&label).to_string();
    let prev = known(
        change
            .as_migration()
            .and_then(|m| m.previous_migration.as_deref()),
    );
    let target_txt = match prev {
        Some(p) => format!("back to {p}"),
        None => "one step back".to_string(),
    };
    let status_cmd = unit.status(change, store, ph);
    let mut a = Action::new(
        format!("Run the down migration of {label} ({target_txt})"),
        component,
    )
    .minutes(4)
    .verify(status_cmd);
    let mut d = Down {
        change,
        store,
        label: label.clone(),
        prev,
        title: None,
        notes: Vec::new(),
    };
    let cmds = unit.down(&mut d, ph);
    if let Some(t) = d.title {
        a.title = t;
    }
    let mut notes = d.notes;
    if unit.reads_migration_files() {
        notes.push(format!("Run from a checkout of the version being rolled back (the one whose migration files hold the down of {label}): the previous version's checkout does not have them."));
    }
    for c in cmds {
        a = a.cmd(c);
    }
    for n in notes {
        a = a.note(n);
    }
    a.success(format!(
        "the command exits 0 and the status shows {}",
        match prev {
            Some(p) => format!("{p} as the newest applied migration"),
            None => format!("{label} no longer applied"),
        }
    ))
}

/// Shows which migrations are applied.
pub fn status(
    tool: MigrationTool,
    change: &Change,
    store: Option<&DataStore>,
    ph: &mut Placeholders,
) -> Cmd {
    unit_or_sql(tool).status(change, store, ph)
}

/// The config file (or target, or settings module) that points the tool at production.
fn config_file(unit: &dyn MigrationToolUnit, ph: &mut Placeholders) -> Word {
    let (name, what) = unit.config();
    ph.hole(name, what, "the project's migration configuration")
}

/// The environment name the tool's config uses for production: tools that fall back to a
/// development entry when it is missing would otherwise run against the wrong database.
fn env_name(ph: &mut Placeholders) -> Word {
    ph.hole(
        "MIGRATION_ENV",
        "name of the production environment in the migration tool's configuration (knex/sequelize/Laravel --env, RAILS_ENV, MIX_ENV)",
        "the project's migration configuration",
    )
}

/// `NAME=<MIGRATION_ENV>` before the command: the tools that read their environment from a variable.
fn env_prefix(var: &str, ph: &mut Placeholders) -> Cmd {
    Cmd::default().word(Word::lit(format!("{var}=")).then(env_name(ph)))
}

fn target_or(prev: Option<&str>, default: &str) -> Word {
    match prev {
        Some(p) => Word::val(p),
        None => Word::lit(default),
    }
}

fn db_url() -> Word {
    Word::lit("\"$DATABASE_URL\"")
}

/// The migrations directory: the change's path, or its parent when it names a file or glob.
fn dir(change: &Change, ph: &mut Placeholders) -> Word {
    let label = change.id().unwrap_or("migration").to_string();
    match known(change.as_migration().and_then(|m| m.path.as_deref())) {
        Some(p) => {
            let last = p.rsplit('/').next().unwrap_or(p);
            let is_file = last.contains('*') || last.ends_with(".sql") || last.ends_with(".go");
            let d = if is_file {
                match p.rfind('/') {
                    Some(0) => "/",
                    Some(i) => &p[..i],
                    None => ".",
                }
            } else {
                p.trim_end_matches('/')
            };
            Word::val(if d.is_empty() { "/" } else { d })
        }
        None => ph.hole(
            &format!("{}_MIGRATIONS_DIR", slug(&label)),
            "Directory holding the migration files",
            "deployment.changes[].path",
        ),
    }
}
