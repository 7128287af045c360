//! A real PostgreSQL server for the sync tests: `initdb` and `pg_ctl` from
//! the system's packages, a cluster in a temporary folder, listening on a
//! Unix socket only, stopped when dropped. PostgreSQL refuses to run as
//! root, so as root the server runs as the `postgres` user (or `nobody`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `initdb` and `pg_ctl` are: `RAPPORT_PG_BIN`, the newest
/// /usr/lib/postgresql/N/bin, or the PATH.
pub fn bin_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("RAPPORT_PG_BIN") {
        let d = PathBuf::from(d);
        return d.join("initdb").exists().then_some(d);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    if let Some((_, b)) = found.pop() {
        return Some(b);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    dir.join("initdb").exists().then_some(dir)
}

pub struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// The user the server runs as when we are root.
    run_as: Option<String>,
    /// The port, when not the default (the Unix socket's name has it).
    port: Option<u16>,
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn user_exists(name: &str) -> bool {
    Command::new("id")
        .arg("-u")
        .arg(name)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A server's certificate and key (PEM), for a server that listens on
/// 127.0.0.1 over TLS.
pub struct Tls {
    pub cert: String,
    pub key: String,
    pub port: u16,
}

impl PgServer {
    /// Starts a fresh server, or `None` when PostgreSQL is not installed.
    pub fn start() -> Option<PgServer> {
        PgServer::start_with(None)
    }

    /// Starts a fresh server that also listens on 127.0.0.1 at `tls.port`
    /// with `tls`'s certificate, and refuses TCP connections without TLS
    /// (as a team server that asks for TLS does). The Unix socket stays
    /// plain for the administrator.
    #[allow(dead_code)] // tests/sync_tls.rs alone starts one
    pub fn start_tls(tls: &Tls) -> Option<PgServer> {
        PgServer::start_with(Some(tls))
    }

    fn start_with(tls: Option<&Tls>) -> Option<PgServer> {
        let bin = bin_dir()?;
        // Short path: a Unix socket's path is limited to ~100 bytes.
        let dir = tempfile::Builder::new().prefix("rpg").tempdir_in("/tmp").unwrap();
        let run_as = is_root().then(|| {
            if user_exists("postgres") {
                "postgres".to_string()
            } else {
                "nobody".to_string()
            }
        });
        if let Some(user) = &run_as {
            let status = Command::new("chown")
                .arg("-R")
                .arg(user)
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success(), "chown the server's folder");
        }
        let server = PgServer {
            dir,
            bin,
            run_as,
            port: tls.map(|t| t.port),
        };
        let data = server.data();
        server.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "admin",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let mut opts = format!(
            "-k {} -c listen_addresses='' -F -c max_connections=60",
            server.dir.path().display()
        );
        if let Some(tls) = tls {
            server.write_owned(&data.join("server.crt"), &tls.cert);
            server.write_owned(&data.join("server.key"), &tls.key);
            let hba = std::fs::read_to_string(data.join("pg_hba.conf")).unwrap();
            let first = "hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n";
            server.write_owned(&data.join("pg_hba.conf"), &format!("{first}{hba}"));
            opts = format!(
                "-k {} -c listen_addresses=127.0.0.1 -p {} -F -c max_connections=60 -c ssl=on",
                server.dir.path().display(),
                tls.port
            );
        }
        let log = server.dir.path().join("log");
        server.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        Some(server)
    }

    /// Writes a file the server reads, owned by the server's user and
    /// readable by it alone (PostgreSQL refuses a key others can read).
    fn write_owned(&self, path: &Path, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some(user) = &self.run_as {
            let status = Command::new("chown").arg(user).arg(path).status().unwrap();
            assert!(status.success(), "chown {}", path.display());
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = cmd.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{tool} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A connection string for `user` on database `db`.
    pub fn url(&self, user: &str, db: &str) -> String {
        let port = self.port.map(|p| format!(" port={p}")).unwrap_or_default();
        format!("host={} user={user} dbname={db}{port}", self.dir.path().display())
    }

    /// Runs SQL as the cluster's superuser on `db`.
    pub fn admin(&self, db: &str, sql: &str) {
        let mut c = postgres::Client::connect(&self.url("admin", db), postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    }

    /// A new empty database.
    pub fn database(&self, name: &str) -> String {
        self.admin("postgres", &format!("CREATE DATABASE {name}"));
        name.to_string()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let _ = cmd
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"])
            .output();
    }
}
