//! Alembic (SQLAlchemy): downgrade to a revision, or one step.

use super::{Down, MigrationToolUnit, config_file, target_or};
use crate::base::placeholders::Placeholders;
use crate::base::shell::Cmd;
use crate::model::{Change, DataStore, MigrationTool};

pub struct Alembic;

impl MigrationToolUnit for Alembic {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Alembic
    }

    fn words(&self) -> &'static [&'static str] {
        &["alembic"]
    }

    fn config(&self) -> (&'static str, &'static str) {
        (
            "ALEMBIC_CONFIG_FILE",
            "alembic.ini whose URL is the production database",
        )
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        // https://alembic.sqlalchemy.org/en/latest/api/commands.html (-c selects the ini file)
        vec![
            Cmd::new("alembic")
                .opt("-c", config_file(self, ph))
                .lit("downgrade")
                .word(target_or(d.prev, "-1")),
        ]
    }

    fn status(&self, _change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("alembic")
            .opt("-c", config_file(self, ph))
            .lit("current")
    }
}
