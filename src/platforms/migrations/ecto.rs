//! Ecto (Elixir): `mix ecto.rollback` to a version, or one step.

use super::{Down, MigrationToolUnit, env_prefix};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Ecto;

impl MigrationToolUnit for Ecto {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Ecto
    }

    fn words(&self) -> &'static [&'static str] {
        &["ecto"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        d.notes.push("mix is not available inside a release: run the rollback through the release's eval (e.g. a Release.rollback/2 function) there.".into());
        // https://hexdocs.pm/ecto_sql/Mix.Tasks.Ecto.Rollback.html (MIX_ENV selects the repo config)
        vec![match d.prev {
            Some(p) => env_prefix("MIX_ENV", ph)
                .lit("mix ecto.rollback --to")
                .val(p),
            None => env_prefix("MIX_ENV", ph).lit("mix ecto.rollback --step 1"),
        }]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        env_prefix("MIX_ENV", ph).lit("mix ecto.migrations")
    }
}
