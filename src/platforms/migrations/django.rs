//! Django: migrate the app back to the migration before the change.

use super::{Down, MigrationToolUnit, config_file};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, MigrationTool};

pub struct Django;

impl MigrationToolUnit for Django {
    fn tool(&self) -> MigrationTool {
        MigrationTool::Django
    }

    fn words(&self) -> &'static [&'static str] {
        &["django"]
    }

    fn config(&self) -> (&'static str, &'static str) {
        (
            "DJANGO_SETTINGS_MODULE",
            "Django settings module of production (e.g. config.settings.production)",
        )
    }

    fn down(&self, d: &mut Down, ph: &mut Placeholders) -> Vec<Cmd> {
        let app = app(d.change, ph);
        let target = ph.val_or(
            d.prev,
            &format!("{}_PREVIOUS_MIGRATION", slug(&d.label)),
            "Django migration to return to (name of the one before this change)",
            "deployment.changes[].previous_migration",
        );
        // https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-settings
        vec![
            Cmd::new("python manage.py migrate")
                .word(app)
                .word(target)
                .opt_eq("--settings", config_file(self, ph)),
        ]
    }

    fn status(&self, change: &Change, _store: Option<&DataStore>, ph: &mut Placeholders) -> Cmd {
        Cmd::new("python manage.py showmigrations")
            .word(app(change, ph))
            .opt_eq("--settings", config_file(self, ph))
    }
}

fn app(change: &Change, ph: &mut Placeholders) -> Word {
    let label = change.id().unwrap_or("migration").to_string();
    ph.val_or(
        change.as_migration().and_then(|m| m.app.as_deref()),
        &format!("{}_DJANGO_APP", slug(&label)),
        "Django app label of the migration",
        "deployment.changes[].app",
    )
}
