//! Team sync through PostgreSQL. The book stays the working copy; `sync`
//! pushes what the book recorded (see `storage::capture`), then pulls
//! what changed on the server, and reports what it did. The server
//! decides who sees what (see `server`).

mod connect;
mod pull;
mod push;
pub mod rules;
pub mod server;
pub mod team;
mod tls;

use postgres::Client;
use serde::Serialize;
use serde_json::Value;

use crate::storage::capture::{self, state};
use crate::storage::{StorageError, Store};

pub use connect::{connect, user_of};

/// A record kept because it was edited on one side and deleted on the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub table: String,
    pub gid: String,
    pub name: Option<String>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub pushed: usize,
    /// Rows changed by others and applied here.
    pub pulled: usize,
    /// Conflicts waiting for the rep after this sync.
    pub conflicts: usize,
    pub kept: Vec<Kept>,
    /// Changes about customers this rep may no longer write (given to
    /// another rep): not sent.
    pub refused: usize,
    /// Rows that refer to a row this rep cannot see and could not be placed.
    pub unplaced: usize,
    /// Rows of tables this version of Rapport does not have.
    pub unknown: usize,
    /// Rows the push left exactly as sent: the pull skips them.
    #[serde(skip)]
    pub(crate) echo: Echo,
}

/// The server's change counters of rows the push left exactly as it sent
/// them, as runs of consecutive numbers. A counter is given once, so a
/// row still at one of these was changed by no one since: the pull that
/// follows skips whole runs without reading them (after a first sync of
/// 100,000 customers, two million rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Echo(Vec<(i64, i64)>);

impl Echo {
    pub(crate) fn add(&mut self, revs: impl IntoIterator<Item = i64>) {
        for r in revs {
            match self.0.last_mut() {
                Some((_, hi)) if *hi + 1 == r => *hi = r,
                _ => self.0.push((r, r)),
            }
        }
        if !self.0.is_sorted() {
            self.0.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(self.0.len());
            for &(lo, hi) in &self.0 {
                match merged.last_mut() {
                    Some((_, h)) if *h + 1 >= lo => *h = (*h).max(hi),
                    _ => merged.push((lo, hi)),
                }
            }
            self.0 = merged;
        }
    }

    /// The run holding `rev`.
    fn run_at(&self, rev: i64) -> Option<(i64, i64)> {
        let i = self.0.partition_point(|&(_, hi)| hi < rev);
        self.0.get(i).copied().filter(|&(lo, _)| lo <= rev)
    }

    pub(crate) fn contains(&self, rev: i64) -> bool {
        self.run_at(rev).is_some()
    }

    /// Past every run that starts at `from + 1`: the counter to read on
    /// from.
    pub(crate) fn skip(&self, mut from: i64) -> i64 {
        while let Some((_, hi)) = self.run_at(from + 1) {
            from = hi;
        }
        from
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no team server is configured: give --server URL or set [sync] url in the config")]
    NoServer,
    #[error("the server URL is not valid: {0}")]
    BadUrl(String),
    #[error("the server URL holds a password; put it in PGPASSWORD or ~/.pgpass instead")]
    PasswordInUrl,
    #[error("cannot reach the team server: {0}")]
    Unreachable(String),
    #[error("the secure connection to the team server failed: {0}")]
    Tls(String),
    #[error(
        "sslmode verify-ca and verify-full need the server's root certificate: set PGSSLROOTCERT or put it in ~/.postgresql/root.crt"
    )]
    NoRootCert,
    #[error("the server has no Rapport team schema yet: an administrator runs `rapport sync init --server URL`")]
    NotInitialised,
    #[error(
        "the server's team schema is version {0}, older than this Rapport needs ({1}): an administrator runs `rapport sync init`"
    )]
    ServerOld(i64, i64),
    #[error("the server's team schema is version {0}, newer than this Rapport knows ({1}); upgrade Rapport")]
    ServerNewer(i64, i64),
    #[error("this book already holds customers; join the team with an empty book, or run `rapport sync`")]
    NotEmpty,
    #[error("no open conflict with id {0}")]
    NoSuchConflict(i64),
    #[error("no customer with id {0}")]
    NoSuchCustomer(i64),
    #[error("this book has not synced yet: run `rapport sync` first")]
    NotSynced,
    #[error("the server refused: {0}")]
    Denied(String),
    #[error("the server reported an error: {0}")]
    Server(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<postgres::Error> for SyncError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => SyncError::Denied(e.to_string()),
            Some(_) => SyncError::Server(
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string()),
            ),
            None if e.is_closed() || e.to_string().contains("connection") => SyncError::Unreachable(e.to_string()),
            None => SyncError::Unreachable(e.to_string()),
        }
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Storage(e.into())
    }
}

impl From<server::InitError> for SyncError {
    fn from(e: server::InitError) -> Self {
        match e {
            server::InitError::TooNew(v, k) => SyncError::ServerNewer(v, k),
            server::InitError::Pg(e) => e.into(),
        }
    }
}

impl SyncError {
    /// Catalog key of the message shown to the user.
    pub fn key(&self) -> &'static str {
        match self {
            SyncError::NoServer => "sync.err.no_server",
            SyncError::BadUrl(_) => "sync.err.bad_url",
            SyncError::PasswordInUrl => "sync.err.password_in_url",
            SyncError::Unreachable(_) => "sync.err.unreachable",
            SyncError::Tls(_) => "sync.err.tls",
            SyncError::NoRootCert => "sync.err.no_root_cert",
            SyncError::NotInitialised => "sync.err.not_initialised",
            SyncError::ServerOld(..) => "sync.err.server_old",
            SyncError::ServerNewer(..) => "sync.err.server_newer",
            SyncError::NotEmpty => "sync.err.not_empty",
            SyncError::NoSuchConflict(_) => "sync.err.no_such_conflict",
            SyncError::NoSuchCustomer(_) => "sync.err.no_such_customer",
            SyncError::NotSynced => "sync.err.not_synced",
            SyncError::Denied(_) => "sync.err.denied",
            SyncError::Server(_) => "sync.err.server",
            SyncError::Storage(_) => "sync.err.storage",
        }
    }

    /// The message in the user's language, with its detail.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let detail = self.detail();
        let text = crate::i18n::t(lang, self.key());
        if detail.is_empty() {
            text.to_string()
        } else {
            format!("{text} ({detail})")
        }
    }

    /// The detail shown after the message ({detail}).
    pub fn detail(&self) -> String {
        match self {
            SyncError::BadUrl(d)
            | SyncError::Unreachable(d)
            | SyncError::Tls(d)
            | SyncError::Denied(d)
            | SyncError::Server(d) => d.clone(),
            SyncError::ServerOld(v, k) | SyncError::ServerNewer(v, k) => format!("{v} / {k}"),
            SyncError::NoSuchConflict(id) | SyncError::NoSuchCustomer(id) => id.to_string(),
            SyncError::Storage(e) => e.to_string(),
            _ => String::new(),
        }
    }
}

/// Checks the server's team schema is the one this program speaks.
fn check_server(client: &mut Client) -> Result<String, SyncError> {
    match server::version(client)? {
        0 => return Err(SyncError::NotInitialised),
        v if v < server::SERVER_VERSION => return Err(SyncError::ServerOld(v, server::SERVER_VERSION)),
        v if v > server::SERVER_VERSION => return Err(SyncError::ServerNewer(v, server::SERVER_VERSION)),
        _ => {}
    }
    Ok(client.query_one("SELECT current_user::text", &[])?.get(0))
}

/// `rapport sync`: push, then pull. `now` is the time recorded as the
/// last sync.
pub fn sync(store: &mut Store, url: &str, now: &str) -> Result<Report, SyncError> {
    let mut client = connect(url)?;
    sync_with(store, &mut client, url, now)
}

pub fn sync_with(store: &mut Store, client: &mut Client, url: &str, now: &str) -> Result<Report, SyncError> {
    let rep = check_server(client)?;
    store.write_batch(|tx| {
        capture::start(tx)?;
        state::set_server(tx, url, &rep)?;
        Ok(())
    })?;
    let mut report = Report::default();
    push::push(store, client, &mut report)?;
    pull::conflicts(store, client, now)?;
    pull::pull(store, client, &mut report)?;
    store.write_batch(|tx| Ok(state::set_last_sync(tx, now)?))?;
    report.conflicts = store.sync_conflicts()?.len();
    Ok(report)
}

/// `rapport sync join`: an empty book receives the rep's customers.
pub fn join(store: &mut Store, url: &str, now: &str) -> Result<Report, SyncError> {
    if store.customer_count()? > 0 {
        return Err(SyncError::NotEmpty);
    }
    sync(store, url, now)
}

/// `rapport sync status`: what waits, without asking the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub pending: i64,
    pub last_sync: Option<String>,
    pub conflicts: usize,
    pub server: Option<String>,
}

pub fn status(store: &Store) -> Result<Status, SyncError> {
    let s = store.sync_state()?;
    Ok(Status {
        pending: store.pending_changes()?,
        last_sync: s.last_sync,
        conflicts: store.sync_conflicts()?.len(),
        server: s.server,
    })
}

/// Which side of a conflict the rep keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Mine,
    Theirs,
}

/// What the rep typed as a conflict's value, read as the kind of value
/// the two sides hold: a number where both are numbers, nothing for an
/// empty entry where a side is empty, else text.
pub fn typed_value(text: &str, mine: &str, theirs: &str) -> Value {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let (mine, theirs) = (parse(mine), parse(theirs));
    let sides = [&mine, &theirs];
    let numbers = sides.iter().all(|v| v.is_number() || v.is_null()) && sides.iter().any(|v| v.is_number());
    if text.trim().is_empty() && sides.iter().any(|v| v.is_null()) {
        return Value::Null;
    }
    if numbers && let Ok(n) = serde_json::from_str::<serde_json::Number>(text.trim()) {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

/// Resolves a conflict with a value the rep typed: it is written here
/// and sent at the next sync, over the server's.
pub fn resolve_with(store: &mut Store, id: i64, value: Value, now: &str) -> Result<(), SyncError> {
    let c = store.sync_conflict(id)?.ok_or(SyncError::NoSuchConflict(id))?;
    let theirs = serde_json::from_str::<Value>(&c.theirs).unwrap_or(Value::Null);
    store.write_batch(|tx| {
        let mut fields = serde_json::Map::new();
        fields.insert(c.field.clone(), value.clone());
        capture::with_applying(tx, |tx| capture::apply_row(tx, &c.table, &c.gid, &fields))?;
        let change = serde_json::json!({ c.field.clone(): [theirs, value] });
        state::queue_update(tx, &c.table, &c.gid, &change)?;
        state::mark_resolved(tx, id, now)?;
        Ok(())
    })?;
    Ok(())
}

/// Resolves a conflict in the book; the server learns it at the next sync
/// (keeping mine sends my value again, over theirs).
pub fn resolve(store: &mut Store, id: i64, side: Side, now: &str) -> Result<(), SyncError> {
    let c = store.sync_conflict(id)?.ok_or(SyncError::NoSuchConflict(id))?;
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let (mine, theirs) = (parse(&c.mine), parse(&c.theirs));
    store.write_batch(|tx| {
        match side {
            Side::Theirs => {
                let mut fields = serde_json::Map::new();
                fields.insert(c.field.clone(), theirs.clone());
                capture::with_applying(tx, |tx| capture::apply_row(tx, &c.table, &c.gid, &fields))?;
            }
            Side::Mine => {
                let fields = serde_json::json!({ c.field.clone(): [theirs, mine] });
                state::queue_update(tx, &c.table, &c.gid, &fields)?;
            }
        }
        state::mark_resolved(tx, id, now)?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_runs_are_skipped_whole_and_other_counters_read() {
        let mut e = Echo::default();
        e.add([5, 6, 7, 9, 10]);
        e.add([11, 3]);
        assert_eq!(e.0, vec![(3, 3), (5, 7), (9, 11)]);
        assert!(e.contains(6) && e.contains(11) && !e.contains(8) && !e.contains(4));
        assert_eq!(e.skip(0), 0);
        assert_eq!(e.skip(2), 3);
        assert_eq!(e.skip(4), 7);
        assert_eq!(e.skip(8), 11);
        assert_eq!(e.skip(20), 20);
    }

    #[test]
    fn a_typed_value_takes_the_kind_of_the_sides() {
        assert_eq!(typed_value("42", "1", "2"), serde_json::json!(42));
        assert_eq!(typed_value("4.5", "null", "2"), serde_json::json!(4.5));
        assert_eq!(typed_value("abc", "1", "2"), serde_json::json!("abc"));
        assert_eq!(typed_value("42", "\"a\"", "\"b\""), serde_json::json!("42"));
        assert_eq!(typed_value("", "null", "\"b\""), Value::Null);
        assert_eq!(typed_value("", "\"a\"", "\"b\""), serde_json::json!(""));
        assert_eq!(
            typed_value("深圳南山", "\"深圳\"", "\"北京\""),
            serde_json::json!("深圳南山")
        );
    }
}
