//! goose: `down-to` a version, or `down` one.

use super::{Down, MigrationToolUnit, db_url, dir};
use crate::base::placeholders::Placeholders;
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, Engine, MigrationTool};

pub struct Goose;

impl MigrationToolUnit for Goose {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Goose
    }

    fn words(&self) -> &'static [&'static str] {
        &["goose"]
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let c = Cmd::new("goose")
            .opt("-dir", dir(d.change, ph))
            .word(driver(d.store, ph))
            .word(db_url());
        vec![match d.prev {
            Some(p) => c.lit("down-to").val(p),
            None => c.lit("down"),
        }]
    }

    fn status(&self, change: &Change, store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("goose")
            .opt("-dir", dir(change, ph))
            .word(driver(store, ph))
            .word(db_url())
            .lit("status")
    }
}

fn driver(store: Option<&DataStore>, ph: &mut Placeholders) -> Word {
    match store.map(|s| s.engine) {
        Some(Engine::Postgres) => Word::lit("postgres"),
        Some(Engine::Mysql | Engine::Mariadb) => Word::lit("mysql"),
        _ => ph.hole(
            "GOOSE_DRIVER",
            "goose database driver (postgres, mysql, ...)",
            "architecture.data_stores[].engine",
        ),
    }
}
