//! Migration tools: the down command, and the status command that verifies it.

use super::{Action, known};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Change, DataStore, Engine, MigrationTool};

/// Whether the tool can run a down migration at all.
pub fn has_down(tool: MigrationTool) -> bool {
    // Flyway undo exists only in the paid editions; Prisma has none.
    !matches!(tool, MigrationTool::Flyway | MigrationTool::Prisma)
}

/// Runs the change's down migration with its tool (or, for tools without one, the roll-forward route).
pub fn down(
    tool: MigrationTool,
    change: &Change,
    store: Option<&DataStore>,
    ph: &mut Placeholders,
) -> Action {
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
    let status_cmd = status(tool, change, store, ph);
    let mut a = Action::new(
        format!("Run the down migration of {label} ({target_txt})"),
        component,
    )
    .minutes(4)
    .verify(status_cmd);
    let mut notes: Vec<String> = Vec::new();
    let cmds: Vec<Cmd> = match tool {
        MigrationTool::Flyway => {
            a.title = format!("Reverse {label} with a new forward migration (Flyway Community)");
            let v = ph.text(
                &format!("{}_REVERT_SCRIPT", slug(&label)),
                "New versioned script V<next>__revert_<name>.sql holding the reverse SQL",
                "write it before the deploy",
            );
            notes.push(format!(
                "Before running: add {v} to the migrations location, reviewed and tested."
            ));
            notes.push("`flyway undo` (U-scripts) exists only in Flyway's paid editions: with Community, ship a new V-script that reverses the change and run migrate.".into());
            if let Some(p) = prev {
                notes.push(format!("Paid editions: flyway undo -target={p}"));
            }
            // -configFiles: https://flywaydb.org/documentation/commandline/#configFile
            vec![
                Cmd::new("flyway")
                    .opt_eq("-configFiles", config_file(tool, ph))
                    .lit("migrate"),
            ]
        }
        MigrationTool::Liquibase => {
            notes.push("Preview the SQL first with `liquibase rollback-count-sql --count=1` (or `rollback-sql --tag=...`). Formatted-SQL changesets need a `--rollback` block.".into());
            // https://docs.liquibase.com/parameters/defaults-file.html
            let base = Cmd::new("liquibase").opt_eq("--defaults-file", config_file(tool, ph));
            vec![match prev {
                Some(p) => base.lit("rollback").opt_eq("--tag", Word::val(p)),
                None => base.lit("rollback-count --count=1"),
            }]
        }
        // https://alembic.sqlalchemy.org/en/latest/api/commands.html (-c selects the ini file)
        MigrationTool::Alembic => vec![
            Cmd::new("alembic")
                .opt("-c", config_file(tool, ph))
                .lit("downgrade")
                .word(target_or(prev, "-1")),
        ],
        // https://guides.rubyonrails.org/active_record_migrations.html (RAILS_ENV)
        MigrationTool::Rails => vec![match prev {
            Some(p) => env_prefix("RAILS_ENV", ph)
                .lit("bin/rails db:migrate")
                .word(Word::lit("VERSION=").then(Word::val(p))),
            None => env_prefix("RAILS_ENV", ph).lit("bin/rails db:rollback STEP=1"),
        }],
        MigrationTool::Django => {
            let app = django_app(change, ph);
            let target = ph.val_or(
                prev,
                &format!("{}_PREVIOUS_MIGRATION", slug(&label)),
                "Django migration to return to (name of the one before this change)",
                "deployment.changes[].previous_migration",
            );
            // https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-settings
            vec![
                Cmd::new("python manage.py migrate")
                    .word(app)
                    .word(target)
                    .opt_eq("--settings", config_file(tool, ph)),
            ]
        }
        MigrationTool::GolangMigrate => {
            let c = Cmd::new("migrate")
                .opt("-path", dir(change, ph))
                .opt("-database", db_url());
            notes.push("If the down fails midway the version is marked dirty: fix the schema by hand, then run `migrate force` with the last version that applied cleanly.".into());
            vec![match prev {
                Some(p) => c.lit("goto").val(p),
                None => c.lit("down 1"),
            }]
        }
        MigrationTool::Goose => {
            let c = Cmd::new("goose")
                .opt("-dir", dir(change, ph))
                .word(goose_driver(store, ph))
                .word(db_url());
            vec![match prev {
                Some(p) => c.lit("down-to").val(p),
                None => c.lit("down"),
            }]
        }
        MigrationTool::Dbmate => {
            if prev.is_some() {
                notes.push("dbmate rolls back the latest migration only: repeat until status shows the target as the newest applied.".into());
            }
            vec![
                Cmd::new("dbmate")
                    .opt("--url", db_url())
                    .opt("--migrations-dir", dir(change, ph))
                    .lit("rollback"),
            ]
        }
        MigrationTool::Sqlx => {
            let c = Cmd::new("sqlx migrate revert")
                .opt("--source", dir(change, ph))
                .opt("--database-url", db_url());
            if prev.is_some() {
                notes.push(
                    "--target-version keeps the target applied and reverts everything newer."
                        .into(),
                );
            }
            vec![match prev {
                Some(p) => c.opt("--target-version", Word::val(p)),
                None => c,
            }]
        }
        MigrationTool::Diesel => {
            if prev.is_some() {
                notes.push("diesel reverts one migration per run: repeat until `diesel migration list` shows the target as the newest applied.".into());
            }
            vec![
                Cmd::new("diesel migration revert")
                    .opt("--migration-dir", dir(change, ph))
                    .opt("--database-url", db_url()),
            ]
        }
        MigrationTool::Prisma => {
            a.title = format!("Roll {label} forward to the previous schema (Prisma has no down)");
            let schema = ph.hole(
                &format!("{}_PREVIOUS_SCHEMA", slug(&label)),
                "schema.prisma of the previous release",
                "check it out from the previous release",
            );
            notes.push("Prisma has no down migrations: generate the reverse SQL from the live database to the previous schema, review it, and run it.".into());
            notes.push("`prisma migrate resolve --rolled-back NAME` only applies to a failed migration; for an applied one, commit down.sql as a new migration so migration history matches.".into());
            vec![
                Cmd::new("npx prisma migrate diff")
                    .opt("--from-url", db_url())
                    .opt("--to-schema-datamodel", schema)
                    .lit("--script --output down.sql"),
                Cmd::new("npx prisma db execute")
                    .opt("--url", db_url())
                    .lit("--file down.sql"),
            ]
        }
        MigrationTool::Atlas => {
            let c = Cmd::new("atlas migrate down")
                .opt("--url", db_url())
                .opt("--dir", Word::lit("file://").then(dir(change, ph)))
                .opt("--dev-url", Word::lit("\"$ATLAS_DEV_URL\""));
            notes.push("Atlas computes the down plan from the live database against a dev database ($ATLAS_DEV_URL) and refuses when it would lose data unless told otherwise.".into());
            vec![match prev {
                Some(p) => c.opt("--to-version", Word::val(p)),
                None => c,
            }]
        }
        MigrationTool::Sqitch => {
            // https://sqitch.org/docs/manual/sqitch-revert/ (--target selects the database)
            vec![
                Cmd::new("sqitch revert -y")
                    .opt("--target", config_file(tool, ph))
                    .opt("--to", target_or(prev, "@HEAD^")),
            ]
        }
        MigrationTool::Knex => {
            if prev.is_some() {
                notes.push("knex migrate:down undoes the latest migration: repeat until migrate:list shows the target as the newest completed.".into());
            }
            // Without --env knex uses the knexfile's `development` entry.
            // https://knexjs.org/guide/migrations (Migration CLI: --env, default NODE_ENV || development)
            vec![Cmd::new("npx knex migrate:down").opt("--env", env_name(ph))]
        }
        MigrationTool::Ecto => {
            notes.push("mix is not available inside a release: run the rollback through the release's eval (e.g. a Release.rollback/2 function) there.".into());
            // https://hexdocs.pm/ecto_sql/Mix.Tasks.Ecto.Rollback.html (MIX_ENV selects the repo config)
            vec![match prev {
                Some(p) => env_prefix("MIX_ENV", ph)
                    .lit("mix ecto.rollback --to")
                    .val(p),
                None => env_prefix("MIX_ENV", ph).lit("mix ecto.rollback --step 1"),
            }]
        }
        MigrationTool::Typeorm => {
            if prev.is_some() {
                notes.push("migration:revert undoes the latest migration: repeat until migration:show marks the target as the newest applied.".into());
            }
            vec![Cmd::new("npx typeorm migration:revert").opt("-d", typeorm_ds(change, ph))]
        }
        MigrationTool::Sequelize => {
            // `db:migrate:undo:all --to X` reverts X too, so a target would go one step too far.
            if prev.is_some() {
                notes.push("db:migrate:undo reverts the latest migration: repeat until db:migrate:status shows the target as the newest up.".into());
            }
            // https://sequelize.org/docs/v6/other-topics/migrations/ (--env picks the config entry)
            vec![Cmd::new("npx sequelize-cli db:migrate:undo").opt("--env", env_name(ph))]
        }
        MigrationTool::EfCore => {
            let target = ph.val_or(
                prev,
                &format!("{}_PREVIOUS_MIGRATION", slug(&label)),
                "EF Core migration to return to",
                "deployment.changes[].previous_migration",
            );
            notes.push("Uses the connection string from the application's configuration; pass --connection to override.".into());
            vec![Cmd::new("dotnet ef database update").word(target)]
        }
        MigrationTool::Laravel => {
            if prev.is_some() {
                notes.push(
                    "Laravel rolls back by step count: --step=1 undoes the latest migration."
                        .into(),
                );
            }
            // https://laravel.com/docs/migrations#rolling-back-migrations (--env picks the .env file)
            vec![
                Cmd::new("php artisan migrate:rollback --step=1 --force")
                    .opt_eq("--env", env_name(ph)),
            ]
        }
        MigrationTool::Sql => vec![sql_down(change, store, &label, ph)],
    };
    if reads_migration_files(tool) {
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
    match tool {
        MigrationTool::Flyway => Cmd::new("flyway")
            .opt_eq("-configFiles", config_file(tool, ph))
            .lit("info"),
        MigrationTool::Liquibase => Cmd::new("liquibase")
            .opt_eq("--defaults-file", config_file(tool, ph))
            .lit("history"),
        MigrationTool::Alembic => Cmd::new("alembic")
            .opt("-c", config_file(tool, ph))
            .lit("current"),
        MigrationTool::Rails => env_prefix("RAILS_ENV", ph).lit("bin/rails db:migrate:status"),
        MigrationTool::Django => Cmd::new("python manage.py showmigrations")
            .word(django_app(change, ph))
            .opt_eq("--settings", config_file(tool, ph)),
        MigrationTool::GolangMigrate => Cmd::new("migrate")
            .opt("-path", dir(change, ph))
            .opt("-database", db_url())
            .lit("version"),
        MigrationTool::Goose => Cmd::new("goose")
            .opt("-dir", dir(change, ph))
            .word(goose_driver(store, ph))
            .word(db_url())
            .lit("status"),
        MigrationTool::Dbmate => Cmd::new("dbmate")
            .opt("--url", db_url())
            .opt("--migrations-dir", dir(change, ph))
            .lit("status"),
        MigrationTool::Sqlx => Cmd::new("sqlx migrate info")
            .opt("--source", dir(change, ph))
            .opt("--database-url", db_url()),
        MigrationTool::Diesel => Cmd::new("diesel migration list")
            .opt("--migration-dir", dir(change, ph))
            .opt("--database-url", db_url()),
        MigrationTool::Prisma => Cmd::new("npx prisma migrate status"),
        MigrationTool::Atlas => Cmd::new("atlas migrate status")
            .opt("--url", db_url())
            .opt("--dir", Word::lit("file://").then(dir(change, ph))),
        MigrationTool::Sqitch => Cmd::new("sqitch status").opt("--target", config_file(tool, ph)),
        MigrationTool::Knex => Cmd::new("npx knex migrate:list").opt("--env", env_name(ph)),
        MigrationTool::Ecto => env_prefix("MIX_ENV", ph).lit("mix ecto.migrations"),
        MigrationTool::Typeorm => {
            Cmd::new("npx typeorm migration:show").opt("-d", typeorm_ds(change, ph))
        }
        MigrationTool::Sequelize => {
            Cmd::new("npx sequelize-cli db:migrate:status").opt("--env", env_name(ph))
        }
        MigrationTool::EfCore => Cmd::new("dotnet ef migrations list"),
        MigrationTool::Laravel => {
            Cmd::new("php artisan migrate:status").opt_eq("--env", env_name(ph))
        }
        MigrationTool::Sql => {
            let label = change.id().unwrap_or("migration").to_string();
            let q = ph.hole(
                &format!("{}_SCHEMA_CHECK_SQL", slug(&label)),
                "Query that shows whether the change is applied (e.g. a column lookup in information_schema)",
                "write it before the deploy",
            );
            match store.map(|s| s.engine) {
                Some(e) if e.is_mysql_family() => Cmd::new("mysql")
                    .word(Word::lit("--defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\""))
                    .lit("--batch")
                    .word(store_db(store, ph))
                    .opt("-e", q),
                _ => Cmd::new("psql").word(db_url()).lit("-X -A -t -c").word(q),
            }
        }
    }
}

fn sql_down(change: &Change, store: Option<&DataStore>, label: &str, ph: &mut Placeholders) -> Cmd {
    let mysql = store.is_some_and(|s| s.engine.is_mysql_family());
    let file = known(change.as_migration().and_then(|m| m.down_path.as_deref()));
    let inline = known(change.as_migration().and_then(|m| m.down_sql.as_deref()));
    if store.is_none() && file.is_none() && inline.is_none() {
        // No engine, no tool, no SQL: a client named here would be invented.
        return Cmd::default().word(ph.hole(
            &format!("{}_DOWN_COMMAND", slug(label)),
            "the command that reverses this change: rollbook knows neither its data store nor its tool",
            "deployment.changes[].tool, architecture.data_stores",
        ));
    }
    if mysql {
        let base = Cmd::new("mysql")
            .word(Word::lit("--defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\""))
            .word(store_db(store, ph));
        match (file, inline) {
            (Some(f), _) => base.lit("<").val(f),
            (None, Some(sql)) => base.opt("-e", Word::val(sql)),
            (None, None) => base.lit("<").word(down_hole(label, ph)),
        }
    } else {
        let base = Cmd::new("psql")
            .word(db_url())
            .lit("-X -v ON_ERROR_STOP=1 --single-transaction");
        match (file, inline) {
            (Some(f), _) => base.opt("-f", Word::val(f)),
            (None, Some(sql)) => base.opt("-c", Word::val(sql)),
            (None, None) => base.opt("-f", down_hole(label, ph)),
        }
    }
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

/// The config file (or target, or settings module) that points the tool at production.
fn config_file(tool: MigrationTool, ph: &mut Placeholders) -> Word {
    let (name, what) = match tool {
        MigrationTool::Flyway => (
            "FLYWAY_CONFIG_FILE",
            "Flyway config file of the production database",
        ),
        MigrationTool::Liquibase => (
            "LIQUIBASE_DEFAULTS_FILE",
            "liquibase.properties of the production database",
        ),
        MigrationTool::Alembic => (
            "ALEMBIC_CONFIG_FILE",
            "alembic.ini whose URL is the production database",
        ),
        MigrationTool::Django => (
            "DJANGO_SETTINGS_MODULE",
            "Django settings module of production (e.g. config.settings.production)",
        ),
        MigrationTool::Sqitch => (
            "SQITCH_TARGET",
            "Sqitch target (name or URI) of the production database",
        ),
        _ => (
            "MIGRATION_CONFIG",
            "configuration that points the migration tool at production",
        ),
    };
    ph.hole(name, what, "the project's migration configuration")
}

/// Tools that run the down from the migration files of the checkout they run in.
fn reads_migration_files(tool: MigrationTool) -> bool {
    !matches!(
        tool,
        MigrationTool::Flyway | MigrationTool::Prisma | MigrationTool::Sql
    )
}

fn down_hole(label: &str, ph: &mut Placeholders) -> Word {
    ph.hole(
        &format!("{}_DOWN_SQL_FILE", slug(label)),
        "File holding the down SQL of the change",
        "deployment.changes[].down_path",
    )
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

fn store_db(store: Option<&DataStore>, ph: &mut Placeholders) -> Word {
    let name = store.map(|s| s.name.as_str()).unwrap_or("database");
    ph.val_or(
        store.and_then(|s| s.database.as_deref()),
        &format!("{}_DATABASE", slug(name)),
        &format!("Database name inside {name}"),
        "architecture.data_stores[].database",
    )
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

fn goose_driver(store: Option<&DataStore>, ph: &mut Placeholders) -> Word {
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

fn django_app(change: &Change, ph: &mut Placeholders) -> Word {
    let label = change.id().unwrap_or("migration").to_string();
    ph.val_or(
        change.as_migration().and_then(|m| m.app.as_deref()),
        &format!("{}_DJANGO_APP", slug(&label)),
        "Django app label of the migration",
        "deployment.changes[].app",
    )
}

fn typeorm_ds(change: &Change, ph: &mut Placeholders) -> Word {
    let label = change.id().unwrap_or("migration").to_string();
    ph.hole(
        &format!("{}_TYPEORM_DATA_SOURCE", slug(&label)),
        "Path of the TypeORM data source file (e.g. dist/data-source.js)",
        "the project's TypeORM setup",
    )
}
