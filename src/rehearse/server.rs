//! The database server a rehearsal runs on: a private one started from the binaries on PATH in a
//! temporary directory (stopped and removed on drop, on error and on Ctrl-C), or one the user
//! names by URL. Statements go through the engine's own client (`psql`, `mariadb`), so rollbook
//! needs no database driver and its lexical rules are the server's.

use super::Engine;
use crate::base::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Name of the database a private server rehearses in.
pub const DATABASE: &str = "rehearsal";
/// The table rollbook writes into a database it prepared; a URL whose database holds it (and
/// nothing else it did not make) may be reused.
pub const MARKER: &str = "_rollbook_rehearsal";
/// How long a private server gets to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A private server: its pid and engine once started, and its directory.
type Live = (Option<(u32, Engine)>, PathBuf);

/// Private servers alive now: the Ctrl-C handler stops and removes them.
static LIVE: Mutex<Vec<Live>> = Mutex::new(Vec::new());

/// Set when Ctrl-C arrives: the handler is stopping the servers and will exit 130.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// While the handler stops the servers, the rehearsal sees its client fail; it must not exit
/// with that error first. Waits for the handler's exit when interrupted, else returns.
pub fn yield_to_interrupt() {
    while INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Installs the Ctrl-C handler once: stop every private server, remove its directory, exit 130.
pub fn install_interrupt_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
            let live = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
            for (server, dir) in live {
                if let Some((pid, engine)) = server {
                    stop_pid(pid, engine);
                }
                remove_dir_patiently(&dir);
            }
            let _ = writeln!(
                std::io::stderr(),
                "rehearsal interrupted: private server stopped and removed"
            );
            std::process::exit(130);
        });
    });
}

/// Removes a server's directory, trying again for up to 2 s while the removal fails: the
/// rehearsal's own clean-up may be removing it at the same time (one removal then finds an entry
/// gone or the directory not yet empty), and the process exits right after.
fn remove_dir_patiently(dir: &Path) {
    for _ in 0..100 {
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(Duration::from_millis(20))
            }
            _ => return,
        }
    }
}

/// Asks a server to shut down fast, then kills it and every process of its group if it has not
/// exited in 10 s, so no backend outlives it to write into the directory being removed.
fn stop_pid(pid: u32, engine: Engine) {
    use nix::sys::signal::{Signal, kill, killpg};
    use nix::sys::wait::{WaitPidFlag, waitpid};
    use nix::unistd::Pid;
    // Never 0 or negative: kill(0) would signal the whole process group.
    let Some(raw) = i32::try_from(pid).ok().filter(|p| *p > 0) else {
        return;
    };
    let p = Pid::from_raw(raw);
    // PostgreSQL's fast shutdown is SIGINT: it aborts the sessions' transactions. SIGTERM would
    // be its smart shutdown, which waits for a running statement to end.
    // https://www.postgresql.org/docs/current/server-shutdown.html
    let fast = match engine {
        Engine::Postgres => Signal::SIGINT,
        Engine::Mysql => Signal::SIGTERM,
    };
    let _ = kill(p, fast);
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        match waitpid(p, Some(WaitPidFlag::WNOHANG)) {
            Ok(nix::sys::wait::WaitStatus::StillAlive) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            _ => return,
        }
    }
    // The server was started in a process group of its own, led by it.
    let _ = killpg(p, Signal::SIGKILL);
    let _ = waitpid(p, None);
}

/// How to reach the server with its command-line client.
#[derive(Debug, Clone)]
pub struct Client {
    pub engine: Engine,
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

/// What a client run printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Client {
    /// Runs a script; never fails on a SQL error (see `Output::ok`), only when the client cannot
    /// be started.
    pub fn run(&self, script: &str) -> Result<Output> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                Error::Usage(format!(
                    "cannot run the {} client `{}`: {e}\n  help: install it or put it on PATH",
                    self.engine.name(),
                    self.program
                ))
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            let script = script.to_string();
            // Written from a thread: a large output must not dead-lock a large input.
            std::thread::spawn(move || {
                let _ = stdin.write_all(script.as_bytes());
            });
        }
        let out = child
            .wait_with_output()
            .map_err(|e| Error::io(&self.program, e))?;
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// Runs a query and returns its rows as tab-separated fields; a SQL error is an error.
    pub fn query(&self, sql: &str) -> Result<Vec<Vec<String>>> {
        let out = self.run(&format!("{sql};\n"))?;
        if !out.ok {
            return Err(Error::Usage(format!(
                "the {} server refused rollbook's own query: {}",
                self.engine.name(),
                first_error(&out.stderr)
            )));
        }
        Ok(out
            .stdout
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect())
    }
}

/// The first line of a client's error output, without the client's prefix.
pub fn first_error(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.contains("ERROR"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("no message")
        .trim();
    // psql prefixes `psql:<stdin>:12: `; the line number is of rollbook's script, not the file.
    match line.find("ERROR") {
        Some(i) => line[i..].to_string(),
        None => line.to_string(),
    }
}

/// A server the rehearsal runs on.
pub struct Server {
    pub client: Client,
    /// `SELECT version()` of the server.
    pub version: String,
    /// `ephemeral` or `url`.
    pub kind: &'static str,
    /// A URL to the rehearsal database (the private server's, or the one `--database-url` named
    /// and `guard_empty` checked), for tests and `--via-tool`. Never printed: it may hold a password.
    pub url: Option<String>,
    private: Option<Private>,
}

struct Private {
    child: Child,
    engine: Engine,
    _dir: tempfile::TempDir,
    _registration: Registration,
}

/// A directory in `LIVE`, taken out when dropped (also on an early error).
struct Registration(PathBuf);

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|(_, d)| *d != self.0);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(p) = self.private.take() {
            stop_pid(p.child.id(), p.engine);
            drop(p);
        }
    }
}

/// Finds a program on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The programs a private server of `engine` needs; the first missing one, if any.
pub fn missing_binary(engine: Engine) -> Option<&'static str> {
    let needed: &[&'static str] = match engine {
        Engine::Postgres => &["initdb", "postgres", "psql"],
        Engine::Mysql => &["mariadb-install-db", "mariadbd", "mariadb"],
    };
    needed.iter().copied().find(|p| which(p).is_none())
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Error::Usage(format!("no free loopback port: {e}")))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| Error::Usage(format!("no free loopback port: {e}")))
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A command run as `nobody` when rollbook runs as root (PostgreSQL refuses root).
fn unprivileged(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        // setpriv(1): --reuid/--regid set the real and effective ids, --clear-groups drops the
        // supplementary groups. https://man7.org/linux/man-pages/man1/setpriv.1.html
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]);
        c.arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run_setup(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Usage(format!("cannot run {what}: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Starts a private server of `engine` in a fresh temporary directory on a free loopback port.
pub fn ephemeral(engine: Engine) -> Result<Server> {
    install_interrupt_handler();
    if let Some(p) = missing_binary(engine) {
        return Err(Error::Usage(format!(
            "--ephemeral {}: `{p}` is not on PATH\n  help: install the server (Debian: {}) or pass --database-url",
            engine.name(),
            match engine {
                Engine::Postgres => "apt-get install postgresql",
                Engine::Mysql => "apt-get install mariadb-server",
            }
        )));
    }
    let dir = tempfile::Builder::new()
        .prefix("rollbook-rehearsal-")
        .tempdir()
        .map_err(|e| Error::io("<temporary directory>", e))?;
    if let Ok(mut live) = LIVE.lock() {
        live.push((None, dir.path().to_path_buf()));
    }
    let registration = Registration(dir.path().to_path_buf());
    if is_root() {
        let nobody = nix::unistd::User::from_name("nobody")
            .ok()
            .flatten()
            .ok_or_else(|| {
                Error::Usage(
                    "running as root and there is no user `nobody` to run the server as".into(),
                )
            })?;
        std::os::unix::fs::chown(
            dir.path(),
            Some(nobody.uid.as_raw()),
            Some(nobody.gid.as_raw()),
        )
        .map_err(|e| Error::io(&dir.path().display().to_string(), e))?;
    }
    let data = dir.path().join("data");
    let port = free_port()?;
    let d = dir.path().display().to_string();
    let bin = |p: &str| which(p).unwrap_or_else(|| PathBuf::from(p));
    let (mut cmd, client) = match engine {
        Engine::Postgres => {
            // initdb(1): https://www.postgresql.org/docs/current/app-initdb.html
            let mut init = unprivileged(&bin("initdb"));
            init.arg("-D").arg(&data).args([
                "-U",
                "rollbook",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]);
            run_setup(init, "initdb")?;
            // postgres(1) -c settings: https://www.postgresql.org/docs/current/app-postgres.html
            let mut srv = unprivileged(&bin("postgres"));
            srv.arg("-D").arg(&data).args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                &format!("unix_socket_directories={d}"),
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "synchronous_commit=off",
            ]);
            let client = Client {
                engine,
                program: "psql".into(),
                args: psql_args(&[
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                    "-U",
                    "rollbook",
                    "-d",
                    "postgres",
                ]),
                env: Vec::new(),
            };
            (srv, client)
        }
        Engine::Mysql => {
            // mariadb-install-db: https://mariadb.com/kb/en/mariadb-install-db/
            let mut init = unprivileged(&bin("mariadb-install-db"));
            init.arg(format!("--datadir={}", data.display())).args([
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--no-defaults",
            ]);
            // A private TMPDIR: parallel bootstraps sharing /tmp collide on their temporary tables.
            init.env("TMPDIR", dir.path());
            run_setup(init, "mariadb-install-db")?;
            let sock = dir.path().join("mysqld.sock");
            // mariadbd options: https://mariadb.com/kb/en/mariadbd-options/
            let mut srv = unprivileged(&bin("mariadbd"));
            srv.env("TMPDIR", dir.path());
            srv.arg("--no-defaults")
                .arg(format!("--datadir={}", data.display()))
                .arg(format!("--socket={}", sock.display()))
                .arg(format!(
                    "--pid-file={}",
                    dir.path().join("mysqld.pid").display()
                ))
                .arg(format!("--port={port}"))
                .args([
                    "--bind-address=127.0.0.1",
                    "--skip-name-resolve",
                    "--innodb-flush-log-at-trx-commit=0",
                    "--skip-log-bin",
                    // information_schema.METADATA_LOCK_INFO for the lock report; on this
                    // private server only. https://mariadb.com/kb/en/metadata_lock_info
                    "--plugin-load-add=metadata_lock_info",
                ])
                .arg(format!(
                    "--log-error={}",
                    dir.path().join("error.log").display()
                ));
            let client = Client {
                engine,
                program: "mariadb".into(),
                args: mariadb_args(&[&format!("--socket={}", sock.display()), "--user=root"]),
                env: Vec::new(),
            };
            (srv, client)
        }
    };
    use std::os::unix::process::CommandExt;
    // Its own process group: a terminal's Ctrl-C reaches rollbook, which stops the server in order.
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd
        .spawn()
        .map_err(|e| Error::Usage(format!("cannot start the {} server: {e}", engine.name())))?;
    if let Ok(mut live) = LIVE.lock() {
        for entry in live.iter_mut().filter(|(_, d)| d == dir.path()) {
            entry.0 = Some((child.id(), engine));
        }
    }
    let url = Some(match engine {
        Engine::Postgres => format!("postgres://rollbook@127.0.0.1:{port}/{DATABASE}"),
        Engine::Mysql => format!("mysql://root@127.0.0.1:{port}/{DATABASE}"),
    });
    let mut server = Server {
        client,
        version: String::new(),
        kind: "ephemeral",
        url,
        private: Some(Private {
            child,
            engine,
            _dir: dir,
            _registration: registration,
        }),
    };
    let started = Instant::now();
    loop {
        if let Ok(rows) = server.client.query("SELECT version()")
            && let Some(v) = rows.first().and_then(|r| r.first())
        {
            // `PostgreSQL 15.18 (Debian …) on x86_64-pc-linux-gnu, compiled by …`: the first part.
            server.version = v.split(" on ").next().unwrap_or(v).to_string();
            break;
        }
        if let Some(p) = server.private.as_mut()
            && let Ok(Some(status)) = p.child.try_wait()
        {
            return Err(Error::Usage(format!(
                "the {} server exited at start ({status})",
                engine.name()
            )));
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(Error::Usage(format!(
                "the {} server did not accept connections within {} s",
                engine.name(),
                START_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let create = match engine {
        Engine::Postgres => format!("CREATE DATABASE {DATABASE}"),
        Engine::Mysql => format!("CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4"),
    };
    server.client.query(&create)?;
    server.client.select_database(DATABASE);
    Ok(server)
}

/// psql(1) options: -X no psqlrc, -q quiet, -A unaligned, -t rows only, -F field separator,
/// -v ON_ERROR_STOP=1 stop at the first error. https://www.postgresql.org/docs/current/app-psql.html
fn psql_args(conn: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = ["-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    a.extend(conn.iter().map(|s| s.to_string()));
    a.extend(["-f".to_string(), "-".to_string()]);
    a
}

/// mariadb client options: --batch tab-separated, stops at the first error; --binary-mode turns
/// off client commands such as `\!` and `source` in the script except DELIMITER.
/// https://mariadb.com/kb/en/mariadb-command-line-client/
fn mariadb_args(conn: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "--no-defaults",
        "--batch",
        "--skip-column-names",
        "--binary-mode",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.extend(conn.iter().map(|s| s.to_string()));
    a
}

impl Client {
    fn select_database(&mut self, db: &str) {
        match self.engine {
            Engine::Postgres => {
                if let Some(i) = self.args.iter().position(|a| a == "-d")
                    && let Some(v) = self.args.get_mut(i + 1)
                {
                    *v = db.to_string();
                }
            }
            Engine::Mysql => self.args.push(format!("--database={db}")),
        }
    }
}

/// Connects to the server of a URL (`postgres://` or `postgresql://`, `mysql://` or
/// `mariadb://`). The URL is never printed: it may hold a password.
pub fn from_url(url: &str) -> Result<Server> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::Usage("--database-url must look like postgres://user@host:port/db or mysql://user@host:port/db".into()))?;
    let client = match scheme {
        "postgres" | "postgresql" => Client {
            engine: Engine::Postgres,
            program: "psql".into(),
            args: psql_args(&["-d", url]),
            env: Vec::new(),
        },
        "mysql" | "mariadb" => {
            let (auth, hostpart) = rest.rsplit_once('@').unwrap_or(("", rest));
            let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
            let (hostport, db) = hostpart.split_once('/').unwrap_or((hostpart, ""));
            let db = db.split('?').next().unwrap_or("");
            let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
            if db.is_empty() {
                return Err(Error::Usage(
                    "--database-url names no database (mysql://user@host:port/DATABASE)".into(),
                ));
            }
            let mut args = vec![
                format!("--host={host}"),
                format!("--port={port}"),
                "--protocol=TCP".to_string(),
            ];
            if !user.is_empty() {
                args.push(format!("--user={user}"));
            }
            args.push(format!("--database={db}"));
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            Client {
                engine: Engine::Mysql,
                program: "mariadb".into(),
                args: mariadb_args(&refs),
                // MYSQL_PWD keeps the password off the process list.
                env: if password.is_empty() {
                    Vec::new()
                } else {
                    vec![("MYSQL_PWD".into(), password.to_string())]
                },
            }
        }
        other => {
            return Err(Error::Usage(format!(
                "--database-url scheme '{other}' is not supported; use postgres:// or mysql://"
            )));
        }
    };
    let engine = client.engine;
    if which(&client.program).is_none() {
        return Err(Error::Usage(format!(
            "the {} client `{}` is not on PATH",
            engine.name(),
            client.program
        )));
    }
    let version = client
        .query("SELECT version()")?
        .first()
        .and_then(|r| r.first())
        .map(|v| v.split(" on ").next().unwrap_or(v).to_string())
        .unwrap_or_default();
    Ok(Server {
        client,
        version,
        kind: "url",
        url: Some(url.to_string()),
        private: None,
    })
}
