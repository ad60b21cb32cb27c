//! Before a rehearsal writes: the database holds nothing rollbook did not make; and between
//! sizes: emptied and marked as rollbook's.

use super::server::{self, Client, MARKER};
use super::{Engine, catalog};
use crate::base::error::{Error, Result};

const PG_SYSTEM: &str = "('pg_catalog', 'information_schema', 'pg_toast')";

/// Refuses a database that holds anything rollbook did not make.
pub(super) fn guard_empty(client: &Client) -> Result<()> {
    let (marker, objects) = match client.engine {
        Engine::Postgres => (
            format!("SELECT count(*) FROM pg_class WHERE relname = '{MARKER}'"),
            format!(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN {PG_SYSTEM} AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%') \
                 + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN {PG_SYSTEM}) \
                 + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')"
            ),
        ),
        Engine::Mysql => (
            format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{MARKER}'"
            ),
            "SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()) + (SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE())".to_string(),
        ),
    };
    let count = |q: &str| -> Result<u64> {
        Ok(client
            .query(q)?
            .first()
            .and_then(|r| r.first())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    };
    if count(&marker)? > 0 {
        return Ok(());
    }
    let n = count(&objects)?;
    if n > 0 {
        return Err(Error::Usage(format!(
            "the database at --database-url holds {n} objects that rollbook did not create; a rehearsal drops and rewrites everything in it, so it only runs on an empty database or one a previous rehearsal prepared\n  help: create an empty database for rehearsals, or use --ephemeral postgres|mysql"
        )));
    }
    Ok(())
}

/// Empties the database (only ever called after `guard_empty`) and marks it as rollbook's.
pub(super) fn reset(client: &Client) -> Result<()> {
    let sql = match client.engine {
        Engine::Postgres => {
            let schemas = client.query(&format!(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT IN {PG_SYSTEM} AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%'"
            ))?;
            let exts =
                client.query("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")?;
            let mut s = String::new();
            for e in exts.iter().filter_map(|r| r.first()) {
                s.push_str(&format!(
                    "DROP EXTENSION IF EXISTS {} CASCADE;\n",
                    catalog::quote(Engine::Postgres, e)
                ));
            }
            for n in schemas.iter().filter_map(|r| r.first()) {
                s.push_str(&format!(
                    "DROP SCHEMA IF EXISTS {} CASCADE;\n",
                    catalog::quote(Engine::Postgres, n)
                ));
            }
            s.push_str(&format!(
                "CREATE SCHEMA public;\nCREATE TABLE public.{MARKER} (note text);\nINSERT INTO public.{MARKER} VALUES ('prepared by rollbook rehearse');\n"
            ));
            s
        }
        Engine::Mysql => {
            let db = client
                .query("SELECT DATABASE()")?
                .first()
                .and_then(|r| r.first().cloned())
                .unwrap_or_default();
            let q = catalog::quote(Engine::Mysql, &db);
            format!(
                "DROP DATABASE {q};\nCREATE DATABASE {q} CHARACTER SET utf8mb4;\nUSE {q};\nCREATE TABLE {MARKER} (note text);\nINSERT INTO {MARKER} VALUES ('prepared by rollbook rehearse');\n"
            )
        }
    };
    let out = client.run(&sql)?;
    if !out.ok {
        return Err(Error::Usage(format!(
            "cannot empty the rehearsal database: {}",
            server::first_error(&out.stderr)
        )));
    }
    Ok(())
}
