//! sqlx-cli: `migrate revert`, to a target version when one is named.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Sqlx;

impl MigrationToolUnit for Sqlx {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Sqlx
    }

    fn words(&self) -> &'static [&'static str] {
        &["sqlx"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let c = Cmd::new("sqlx migrate revert")
            .opt("--source", dir(d.change, ph))
            .opt("--database-url", db_url());
        if d.prev.is_some() {
            d.notes.push(
                "--target-version keeps the target applied and reverts everything newer.".into(),
            );
        }
        vec![match d.prev {
            Some(p) => c.opt("--target-version", Word::val(p)),
            None => c,
        }]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("sqlx migrate info")
            .opt("--source", dir(change, ph))
            .opt("--database-url", db_url())
    }
}
