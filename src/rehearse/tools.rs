//! `--via-tool`: the migrations applied by the migration tool itself (its transactions, its
//! statement handling, its bookkeeping) instead of rollbook's splitter, each migration timed as a
//! whole. The tool only ever gets the URL of the rehearsal database (the private server's, or the
//! `--database-url` checked empty), and its bookkeeping lives under a `_rollbook_tool` name that
//! the catalog leaves out and `reset` drops with everything else.

use super::{Engine, MigrationText, Timing};
use crate::base::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Names the tool's bookkeeping (dbmate's migrations table, sqitch's registry schema) starts with.
pub const BOOKKEEPING: &str = "_rollbook_tool";

/// A migration tool rollbook can apply migrations through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Dbmate,
    Sqitch,
}

impl Tool {
    pub fn program(self) -> &'static str {
        match self {
            Tool::Dbmate => "dbmate",
            Tool::Sqitch => "sqitch",
        }
    }

    fn install_help(self) -> &'static str {
        match self {
            // https://github.com/amacneil/dbmate#installation (npm package `dbmate`).
            Tool::Dbmate => {
                "npm install -g dbmate (or a release binary from https://github.com/amacneil/dbmate/releases)"
            }
            // Debian's package; PostgreSQL needs its DBD::Pg driver.
            Tool::Sqitch => "apt-get install sqitch libdbd-pg-perl",
        }
    }
}

/// The tool found on PATH, its version, and the URL it is given.
#[derive(Debug, Clone)]
pub struct Located {
    pub tool: Tool,
    program: PathBuf,
    /// `dbmate 2.36.0`, `sqitch v1.3.1`.
    pub version: String,
    engine: Engine,
    url: String,
}

/// The tool's binary on PATH, or a usage error saying how to install it.
pub fn require(tool: Tool) -> Result<PathBuf> {
    super::server::which(tool.program()).ok_or_else(|| {
        Error::Usage(format!(
            "--via-tool {p}: `{p}` is not on PATH\n  help: install it ({}) or rehearse without --via-tool",
            tool.install_help(),
            p = tool.program()
        ))
    })
}

/// Finds the tool on PATH, refuses an engine it is not wired for here, and reads its version.
pub fn locate(tool: Tool, engine: Engine, url: Option<&str>) -> Result<Located> {
    let program = require(tool)?;
    if tool == Tool::Sqitch && engine != Engine::Postgres {
        return Err(Error::Usage(
            "--via-tool sqitch rehearses on PostgreSQL only: sqitch keeps its MySQL registry in a second database outside the rehearsal's\n  help: rehearse MySQL without --via-tool, or with --via-tool dbmate".into(),
        ));
    }
    let url = url.ok_or_else(|| {
        Error::Usage(format!(
            "--via-tool {}: the server has no URL to give the tool",
            tool.program()
        ))
    })?;
    let out = Command::new(&program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Usage(format!("cannot run {}: {e}", program.display())))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `dbmate version 2.36.0`, `sqitch (App::Sqitch) v1.3.1`: the last word is the version.
    let number = text.split_whitespace().last().unwrap_or("unknown version");
    Ok(Located {
        tool,
        program,
        version: format!("{} {number}", tool.program()),
        engine,
        url: tool_url(tool, url),
    })
}

/// The rehearsal database's URL in the form the tool reads.
fn tool_url(tool: Tool, url: &str) -> String {
    match tool {
        // lib/pq asks for TLS unless told otherwise; the private server has none.
        // https://github.com/amacneil/dbmate#postgresql
        Tool::Dbmate if url.starts_with("postgres") && !url.contains("sslmode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}sslmode=disable")
        }
        Tool::Dbmate => url.replacen("mariadb://", "mysql://", 1),
        // sqitch targets are `db:` URIs: https://metacpan.org/pod/sqitch-target (URI::db).
        Tool::Sqitch => format!("db:{}", url.replacen("postgres://", "pg://", 1)),
    }
}

/// `scheme://user:password@host/db` → (`scheme://user@host/db`, password).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, password)) => (
                format!("{scheme}://{user}@{host}/{path}"),
                Some(password.to_string()),
            ),
            None => (url.to_string(), None),
        },
        None => (url.to_string(), None),
    }
}

/// One timeline's use of the tool: its own project directory, fresh per size.
pub struct ToolRun<'a> {
    found: &'a Located,
    dir: tempfile::TempDir,
    /// File (dbmate) or change (sqitch) name of each deploy migration, once written.
    deploy_names: Vec<Option<String>>,
    /// Changes in the sqitch plan, in order.
    plan: Vec<String>,
    written: usize,
}

impl<'a> ToolRun<'a> {
    /// A fresh project; the history goes through the tool too, so its bookkeeping knows it.
    pub fn start(found: &'a Located, history: &[MigrationText], deploys: usize) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("rollbook-tool-")
            .tempdir()
            .map_err(|e| Error::io("<temporary directory>", e))?;
        let mut run = ToolRun {
            found,
            dir,
            deploy_names: vec![None; deploys],
            plan: Vec::new(),
            written: 0,
        };
        if found.tool == Tool::Sqitch {
            run.write(
                "sqitch.conf",
                "[core]\n\tengine = pg\n[user]\n\tname = rollbook\n\temail = rollbook@localhost\n[deploy]\n\tverify = false\n",
            )?;
        }
        for m in history {
            run.add(m)?;
        }
        if !history.is_empty() {
            let out = run.apply_up(None)?;
            if let Some(e) = out.1 {
                return Err(Error::Usage(format!(
                    "the history before the deploy fails through {}: {e}",
                    found.version
                )));
            }
        }
        Ok(run)
    }

    fn write(&self, rel: &str, text: &str) -> Result<()> {
        let p = self.dir.path().join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(&d.display().to_string(), e))?;
        }
        std::fs::write(&p, text).map_err(|e| Error::io(&p.display().to_string(), e))
    }

    /// Writes one migration into the project; returns its name there.
    fn add(&mut self, m: &MigrationText) -> Result<String> {
        self.written += 1;
        let stem = safe_stem(&m.up_source);
        let name = format!("{:06}_{stem}", self.written);
        match self.found.tool {
            Tool::Dbmate => {
                self.write(&format!("{name}.sql"), &dbmate_file(m))?;
            }
            Tool::Sqitch => {
                self.write(&format!("deploy/{name}.sql"), &m.up_sql)?;
                self.write(
                    &format!("revert/{name}.sql"),
                    m.down_sql.as_deref().unwrap_or(""),
                )?;
                self.plan.push(name.clone());
                // Plan syntax: https://metacpan.org/pod/sqitch-add and sqitchchanges.
                let mut plan = "%syntax-version=1.0.0\n%project=rollbook_rehearsal\n\n".to_string();
                for c in &self.plan {
                    plan.push_str(&format!(
                        "{c} 2000-01-01T00:00:00Z rollbook <rollbook@localhost> # rehearsal\n"
                    ));
                }
                self.write("sqitch.plan", &plan)?;
            }
        }
        Ok(name)
    }

    /// The tool's command with the URL and the project; its bookkeeping under `BOOKKEEPING`.
    fn command(&self, verb: &str) -> Command {
        let f = self.found;
        let mut c = Command::new(&f.program);
        c.current_dir(self.dir.path()).stdin(Stdio::null());
        match f.tool {
            // dbmate [global options] command: --migrations-dir, --migrations-table,
            // --no-dump-schema; the URL from DATABASE_URL (the `--env` default), which keeps a
            // password off the process list. https://github.com/amacneil/dbmate#command-line-options
            Tool::Dbmate => {
                c.env("DATABASE_URL", &f.url)
                    .arg("--migrations-dir")
                    .arg(self.dir.path())
                    .arg("--migrations-table")
                    .arg(format!("{BOOKKEEPING}_migrations"))
                    .arg("--no-dump-schema")
                    .arg(verb);
            }
            // sqitch deploy|revert --target db:pg://… --registry NAME
            // https://metacpan.org/pod/sqitch-deploy https://metacpan.org/pod/sqitch-revert
            // The password goes in SQITCH_PASSWORD, off the process list:
            // https://metacpan.org/pod/sqitch-environment
            Tool::Sqitch => {
                let (target, password) = split_password(&f.url);
                if let Some(p) = password {
                    c.env("SQITCH_PASSWORD", p);
                }
                c.arg(verb)
                    .arg("--target")
                    .arg(target)
                    .arg("--registry")
                    .arg(format!("{BOOKKEEPING}_sqitch"));
                // The project's sqitch.conf only, never the user's or the system's.
                c.env("SQITCH_CONFIG", self.dir.path().join("sqitch.conf"))
                    .env("SQITCH_USER_CONFIG", self.dir.path().join("user.conf"))
                    .env("SQITCH_SYSTEM_CONFIG", self.dir.path().join("system.conf"));
            }
        }
        c
    }

    /// Applies every migration not applied yet (up to `to` for sqitch): (seconds, error).
    fn apply_up(&self, to: Option<&str>) -> Result<(f64, Option<String>)> {
        let mut c = match self.found.tool {
            Tool::Dbmate => self.command("migrate"),
            Tool::Sqitch => self.command("deploy"),
        };
        if let (Tool::Sqitch, Some(to)) = (self.found.tool, to) {
            c.arg("--to").arg(to);
        }
        self.timed(c)
    }

    fn timed(&self, mut c: Command) -> Result<(f64, Option<String>)> {
        let started = Instant::now();
        let out = c.output().map_err(|e| {
            Error::Usage(format!("cannot run {}: {e}", self.found.program.display()))
        })?;
        let seconds = (started.elapsed().as_secs_f64() * 1e6).round() / 1e6;
        let error = (!out.status.success()).then(|| {
            tool_error(
                &String::from_utf8_lossy(&out.stderr),
                &String::from_utf8_lossy(&out.stdout),
            )
        });
        Ok((seconds, error))
    }

    /// The up of deploy migration `i` through the tool (up again after a down too).
    pub fn up(&mut self, i: usize, m: &MigrationText, phase: &str) -> Result<Timing> {
        let name = match &self.deploy_names[i] {
            Some(n) if self.found.tool == Tool::Sqitch => n.clone(),
            _ => {
                let n = self.add(m)?;
                self.deploy_names[i] = Some(n.clone());
                n
            }
        };
        let (seconds, error) = self.apply_up(Some(&name))?;
        let tables = tables_of(self.found.engine, &m.up);
        Ok(self.timing(
            phase,
            &m.up_source,
            verb_of(self.found.tool, true),
            &tables,
            seconds,
            error,
        ))
    }

    /// The down of deploy migration `i`, the latest applied, through the tool.
    pub fn down(&mut self, i: usize, m: &MigrationText) -> Result<Timing> {
        let name = self.deploy_names[i].clone().unwrap_or_default();
        let c = match self.found.tool {
            Tool::Dbmate => self.command("rollback"),
            Tool::Sqitch => {
                let mut c = self.command("revert");
                // Back to the change before this one; -y: no prompt.
                let pos = self.plan.iter().position(|c| *c == name).unwrap_or(0);
                if let Some(prev) = pos.checked_sub(1).and_then(|p| self.plan.get(p)) {
                    c.arg("--to").arg(prev);
                }
                c.arg("-y");
                c
            }
        };
        let (seconds, error) = self.timed(c)?;
        if self.found.tool == Tool::Dbmate {
            // Out of the directory, so that the next `migrate` applies only the one it adds.
            let p = self.dir.path().join(format!("{name}.sql"));
            let _ = std::fs::remove_file(p);
        }
        let src = m.down_source.as_deref().unwrap_or(&m.up_source);
        let tables = tables_of(self.found.engine, m.down.as_deref().unwrap_or(&[]));
        Ok(self.timing(
            "down",
            src,
            verb_of(self.found.tool, false),
            &tables,
            seconds,
            error,
        ))
    }

    fn timing(
        &self,
        phase: &str,
        source: &str,
        verb: &str,
        tables: &str,
        seconds: f64,
        error: Option<String>,
    ) -> Timing {
        Timing {
            phase: phase.into(),
            at: format!("{source}:1"),
            // The tables named let the growth fit extrapolate to their production rows.
            excerpt: format!(
                "{} {verb} on {tables} (the whole migration, with the tool's own connection)",
                self.found.tool.program()
            ),
            seconds: error.is_none().then_some(seconds),
            locks: Vec::new(),
            error,
        }
    }
}

/// The tables a migration's statements name, for the timing's excerpt.
fn tables_of(engine: Engine, pieces: &[super::split::Piece]) -> String {
    let names = super::locks::op_tables(engine, pieces).0;
    if names.is_empty() {
        "no table it names".into()
    } else {
        names.into_iter().collect::<Vec<_>>().join(", ")
    }
}

fn verb_of(tool: Tool, up: bool) -> &'static str {
    match (tool, up) {
        (Tool::Dbmate, true) => "migrate",
        (Tool::Dbmate, false) => "rollback",
        (Tool::Sqitch, true) => "deploy",
        (Tool::Sqitch, false) => "revert",
    }
}

/// The tool's own file when the migration is one (kept byte for byte, with its options such as
/// `transaction:false`), else one written from the up and the down.
/// File format: https://github.com/amacneil/dbmate#creating-migrations
fn dbmate_file(m: &MigrationText) -> String {
    let own = Path::new(&m.up_source);
    if own.is_file()
        && let Ok(text) = std::fs::read_to_string(own)
        && text.to_lowercase().contains("-- migrate:up")
    {
        return text;
    }
    let bare =
        m.up.iter()
            .chain(m.down.iter().flatten())
            .any(|p| super::needs_no_transaction(&p.text));
    // Statements PostgreSQL refuses in a transaction block: https://github.com/amacneil/dbmate#migration-options
    let opt = if bare { " transaction:false" } else { "" };
    format!(
        "-- migrate:up{opt}\n{}\n\n-- migrate:down{opt}\n{}\n",
        m.up_sql.trim_end(),
        m.down_sql.as_deref().unwrap_or("").trim_end()
    )
}

/// A file-name part from a migration's source: letters, digits and `_` only.
fn safe_stem(source: &str) -> String {
    let file = Path::new(source.split(' ').next().unwrap_or(source));
    let stem = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.trim_end_matches(".sql").replace(['.', '-'], "_");
    let s: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(60)
        .collect();
    if s.is_empty() { "migration".into() } else { s }
}

/// The tool's error lines: dbmate prints `Error: …`, sqitch the client's `ERROR: …` and its own
/// summary; the first of those, else the last line printed.
fn tool_error(stderr: &str, stdout: &str) -> String {
    let all: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    all.iter()
        .find(|l| l.contains("ERROR") || l.starts_with("Error"))
        .or(all.last())
        .map(|l| l.to_string())
        .unwrap_or_else(|| "the tool failed without a message".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_take_the_tools_forms() {
        assert_eq!(
            tool_url(Tool::Dbmate, "postgres://u@127.0.0.1:5/db"),
            "postgres://u@127.0.0.1:5/db?sslmode=disable"
        );
        assert_eq!(
            tool_url(Tool::Sqitch, "postgres://u@127.0.0.1:5/db"),
            "db:pg://u@127.0.0.1:5/db"
        );
        assert_eq!(safe_stem("m/2_add-gift.up.sql"), "2_add_gift_up");
        assert_eq!(
            split_password("db:pg://u:s3cret@h:5/db"),
            ("db:pg://u@h:5/db".to_string(), Some("s3cret".to_string()))
        );
        assert_eq!(split_password("db:pg://u@h/db").1, None);
    }
}
