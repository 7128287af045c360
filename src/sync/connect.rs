//! Connecting to the team's server. The password comes from PGPASSWORD
//! or ~/.pgpass (PGPASSFILE), as for psql; never from the book, the
//! config file or the URL.

use std::path::PathBuf;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

use super::SyncError;

/// Parses a server URL (`postgresql://rep@host/team` or `host=… user=…`).
pub fn config(url: &str) -> Result<Config, SyncError> {
    Ok(config_and_check(url)?.0)
}

/// The connection's settings, and how much of the server's certificate
/// the URL asks to check (`verify-ca`, `verify-full`).
fn config_and_check(url: &str) -> Result<(Config, Option<super::tls::Verify>), SyncError> {
    let (url, verify) = super::tls::verify_mode(url);
    let mut config: Config = url
        .parse()
        .map_err(|e: postgres::Error| SyncError::BadUrl(e.to_string()))?;
    if config.get_password().is_some() {
        return Err(SyncError::PasswordInUrl);
    }
    if config.get_user().is_none()
        && let Some(u) = std::env::var_os("PGUSER").or_else(|| std::env::var_os("USER"))
    {
        config.user(u.to_string_lossy().as_ref());
    }
    if config.get_dbname().is_none()
        && let Some(u) = config.get_user().map(str::to_string)
    {
        config.dbname(&u);
    }
    if let Some(p) = std::env::var_os("PGPASSWORD") {
        config.password(p.to_string_lossy().as_bytes());
    } else if let Some(p) = pgpass_lookup(&config) {
        config.password(p.as_bytes());
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    Ok((config, verify))
}

/// Connects as the URL says, with TLS when the server asks for it (see
/// `tls`).
pub fn connect(url: &str) -> Result<Client, SyncError> {
    let (config, verify) = config_and_check(url)?;
    let connected = match super::tls::connector(&config, verify)? {
        Some(tls) => config.connect(tls),
        None => config.connect(NoTls),
    };
    connected.map_err(|e| {
        let text = match e.as_db_error() {
            Some(db) => db.message().to_string(),
            None => std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| format!("{e}: {s}")),
        };
        if text.contains("TLS") || text.contains("certificate") {
            SyncError::Tls(text)
        } else {
            SyncError::Unreachable(text)
        }
    })
}

/// The user name the connection logs in as (the rep).
pub fn user_of(url: &str) -> Result<String, SyncError> {
    Ok(config(url)?.get_user().unwrap_or_default().to_string())
}

fn pgpass_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass"))
}

/// One `.pgpass` line split at unescaped colons.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().unwrap().push(n);
                }
            }
            ':' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// The password for this host, port, database and user in `.pgpass`.
fn pgpass_lookup(config: &Config) -> Option<String> {
    let text = std::fs::read_to_string(pgpass_path()?).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // A Unix socket matches "localhost", as with libpq.
        _ => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let db = config.get_dbname().unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    parse_pgpass(&text, &host, &port, db, user)
}

pub(crate) fn parse_pgpass(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        if f.len() < 5 {
            continue;
        }
        let ok = |pat: &str, v: &str| pat == "*" || pat == v;
        if ok(&f[0], host) && ok(&f[1], port) && ok(&f[2], db) && ok(&f[3], user) {
            return Some(f[4..].join(":"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let text = "# comment\nother:5432:team:anna:no\n*:5432:team:anna:s3cr\\:et\nlocalhost:*:*:*:fallback\n";
        assert_eq!(
            parse_pgpass(text, "db.example", "5432", "team", "anna").as_deref(),
            Some("s3cr:et")
        );
        assert_eq!(
            parse_pgpass(text, "localhost", "5433", "x", "bo").as_deref(),
            Some("fallback")
        );
        assert_eq!(parse_pgpass(text, "db.example", "5433", "team", "anna"), None);
    }

    #[test]
    fn a_password_in_the_url_is_refused() {
        assert!(matches!(
            config("postgresql://anna:pw@db.example/team"),
            Err(SyncError::PasswordInUrl)
        ));
        assert!(config("postgresql://anna@db.example/team").is_ok());
        assert!(matches!(config("postgresql://[bad"), Err(SyncError::BadUrl(_))));
    }
}
