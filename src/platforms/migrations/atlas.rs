//! Atlas: `migrate down`, planned against a dev database.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Atlas;

impl MigrationToolUnit for Atlas {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Atlas
    }

    fn words(&self) -> &'static [&'static str] {
        &["atlas"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let c = Cmd::new("atlas migrate down")
            .opt("--url", db_url())
            .opt("--dir", Word::lit("file://").then(dir(d.change, ph)))
            .opt("--dev-url", Word::lit("\"$ATLAS_DEV_URL\""));
        d.notes.push("Atlas computes the down plan from the live database against a dev database ($ATLAS_DEV_URL) and refuses when it would lose data unless told otherwise.".into());
        vec![match d.prev {
            Some(p) => c.opt("--to-version", Word::val(p)),
            None => c,
        }]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("atlas migrate status")
            .opt("--url", db_url())
            .opt("--dir", Word::lit("file://").then(dir(change, ph)))
    }
}
