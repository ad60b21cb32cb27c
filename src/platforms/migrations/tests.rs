use crate::base::placeholders::Placeholders;
use crate::model::*;
use crate::platforms::migrations;
use crate::platforms::tests::{check_holes_registered, store, tokens};

fn mig(tool: MigrationTool) -> Change {
    let mut c = Change::new(ChangeKind::Migration);
    *c.id_mut() = Some("add-col".into());
    c.as_migration_mut().unwrap().tool = Some(tool);
    c.as_migration_mut().unwrap().path = Some("db/migrations/0042_add_col.up.sql".into());
    c
}

#[test]
fn down_commands_per_tool() {
    let pg = store(Engine::Postgres, None);
    let cases: Vec<(MigrationTool, Option<&str>, &str)> = vec![
        (
            MigrationTool::Alembic,
            None,
            "alembic -c <ALEMBIC_CONFIG_FILE> downgrade -1",
        ),
        (
            MigrationTool::Alembic,
            Some("ab12"),
            "alembic -c <ALEMBIC_CONFIG_FILE> downgrade ab12",
        ),
        (
            MigrationTool::Rails,
            None,
            "RAILS_ENV=<MIGRATION_ENV> bin/rails db:rollback STEP=1",
        ),
        (
            MigrationTool::Rails,
            Some("20261101"),
            "RAILS_ENV=<MIGRATION_ENV> bin/rails db:migrate VERSION=20261101",
        ),
        (
            MigrationTool::GolangMigrate,
            None,
            "migrate -path db/migrations -database \"$DATABASE_URL\" down 1",
        ),
        (
            MigrationTool::GolangMigrate,
            Some("41"),
            "migrate -path db/migrations -database \"$DATABASE_URL\" goto 41",
        ),
        (
            MigrationTool::Goose,
            Some("41"),
            "goose -dir db/migrations postgres \"$DATABASE_URL\" down-to 41",
        ),
        (
            MigrationTool::Dbmate,
            None,
            "dbmate --url \"$DATABASE_URL\" --migrations-dir db/migrations rollback",
        ),
        (
            MigrationTool::Sqlx,
            Some("41"),
            "sqlx migrate revert --source db/migrations --database-url \"$DATABASE_URL\" --target-version 41",
        ),
        (
            MigrationTool::Diesel,
            None,
            "diesel migration revert --migration-dir db/migrations --database-url \"$DATABASE_URL\"",
        ),
        (
            MigrationTool::Liquibase,
            None,
            "liquibase --defaults-file=<LIQUIBASE_DEFAULTS_FILE> rollback-count --count=1",
        ),
        (
            MigrationTool::Liquibase,
            Some("v41"),
            "liquibase --defaults-file=<LIQUIBASE_DEFAULTS_FILE> rollback --tag=v41",
        ),
        (
            MigrationTool::Sqitch,
            None,
            "sqitch revert -y --target <SQITCH_TARGET> --to @HEAD^",
        ),
        (
            MigrationTool::Knex,
            None,
            "npx knex migrate:down --env <MIGRATION_ENV>",
        ),
        (
            MigrationTool::Ecto,
            Some("41"),
            "MIX_ENV=<MIGRATION_ENV> mix ecto.rollback --to 41",
        ),
        (
            MigrationTool::Sequelize,
            None,
            "npx sequelize-cli db:migrate:undo --env <MIGRATION_ENV>",
        ),
        (
            MigrationTool::Laravel,
            None,
            "php artisan migrate:rollback --step=1 --force --env=<MIGRATION_ENV>",
        ),
        (
            MigrationTool::Flyway,
            None,
            "flyway -configFiles=<FLYWAY_CONFIG_FILE> migrate",
        ),
        (
            MigrationTool::Sql,
            None,
            "psql \"$DATABASE_URL\" -X -v ON_ERROR_STOP=1 --single-transaction -f <ADD_COL_DOWN_SQL_FILE>",
        ),
    ];
    for (tool, prev, want) in cases {
        let mut ph = Placeholders::default();
        let mut c = mig(tool);
        c.as_migration_mut().unwrap().previous_migration = prev.map(String::from);
        let a = migrations::down(tool, &c, Some(&pg), &mut ph);
        assert_eq!(a.commands[0].render(), want, "{tool:?}");
        assert!(!a.destructive);
        assert!((3..=5).contains(&a.minutes));
        assert!(!a.verify.is_empty());
    }
}

#[test]
fn django_needs_app_and_target() {
    let mut ph = Placeholders::default();
    let c = mig(MigrationTool::Django);
    let a = migrations::down(MigrationTool::Django, &c, None, &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "python manage.py migrate <ADD_COL_DJANGO_APP> <ADD_COL_PREVIOUS_MIGRATION> --settings=<DJANGO_SETTINGS_MODULE>"
    );
    assert!(tokens(&ph).contains(&"<ADD_COL_DJANGO_APP>".to_string()));
    let mut c = mig(MigrationTool::Django);
    c.as_migration_mut().unwrap().app = Some("orders".into());
    c.as_migration_mut().unwrap().previous_migration = Some("0041_x y".into());
    let a = migrations::down(MigrationTool::Django, &c, None, &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "python manage.py migrate orders '0041_x y' --settings=<DJANGO_SETTINGS_MODULE>"
    );
}

#[test]
fn tools_without_down_say_so() {
    assert!(!migrations::has_down(MigrationTool::Flyway));
    assert!(!migrations::has_down(MigrationTool::Prisma));
    assert!(migrations::has_down(MigrationTool::Alembic));
    let mut ph = Placeholders::default();
    let a = migrations::down(
        MigrationTool::Prisma,
        &mig(MigrationTool::Prisma),
        None,
        &mut ph,
    );
    assert!(
        a.commands[0]
            .render()
            .starts_with("npx prisma migrate diff --from-url \"$DATABASE_URL\"")
    );
    assert_eq!(
        a.commands[1].render(),
        "npx prisma db execute --url \"$DATABASE_URL\" --file down.sql"
    );
    let a = migrations::down(
        MigrationTool::Flyway,
        &mig(MigrationTool::Flyway),
        None,
        &mut ph,
    );
    assert!(a.notes.iter().any(|n| n.contains("paid")));
}

#[test]
fn sql_down_runs_the_file_with_the_engine_client() {
    let mut ph = Placeholders::default();
    let mut c = mig(MigrationTool::Sql);
    c.as_migration_mut().unwrap().down_path = Some("db/down/0042 add col.sql".into());
    let my = store(Engine::Mysql, None);
    let a = migrations::down(MigrationTool::Sql, &c, Some(&my), &mut ph);
    assert_eq!(
        a.commands[0].render(),
        "mysql --defaults-extra-file=\"$MYSQL_DEFAULTS_FILE\" orders < 'db/down/0042 add col.sql'"
    );
}

#[test]
fn sql_down_with_no_store_and_no_sql_invents_no_client() {
    let mut ph = Placeholders::default();
    let c = mig(MigrationTool::Sql);
    let a = migrations::down(MigrationTool::Sql, &c, None, &mut ph);
    let cmd = a.commands[0].render();
    assert!(!cmd.contains("psql") && !cmd.contains("mysql"), "{cmd}");
    assert!(cmd.ends_with("_DOWN_COMMAND>"), "{cmd}");
}

#[test]
fn every_hole_registered_for_every_tool() {
    for t in migrations::TOOLS.iter().map(|u| u.tool()) {
        let mut ph = Placeholders::default();
        let mut c = Change::new(ChangeKind::Migration);
        c.as_migration_mut().unwrap().tool = Some(t);
        let a = migrations::down(t, &c, None, &mut ph);
        let mut cmds = a.commands.clone();
        cmds.extend(a.verify);
        check_holes_registered(&cmds, &ph);
    }
}
