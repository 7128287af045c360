//! The search index's change log. A large book's search index is kept in
//! a file beside it (see `search::cache`), so the next start reads it
//! instead of building it again from every row; this log says what
//! changed in the book since that file was written.
//!
//! Triggers write the id of every customer updated, deleted, or inserted
//! below the highest id, and of every customer of a renamed company, in
//! the same transaction as the change, whoever writes it (this app, a
//! command, a sync, another program). A customer inserted above the
//! highest id the cached index holds is new to it and needs no entry.
//! They exist only while a cache is kept, so a book that never has one
//! pays nothing.
//!
//! Before the rows of a cache are read, a marker is written: a row with a
//! random token. The cache names its marker, and is brought up to date by
//! the changes after it, re-reading each customer named (reading one
//! twice is harmless). A book without that marker (replaced by a copy or
//! a backup, or its log dropped past it) cannot tell what changed: the
//! index is then built from the rows.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::Result;
use super::customers::{CustomerRow, customer_row_in};

/// Schema step: the log. Its triggers exist only while a cache is kept
/// (`place_marker` creates them, `stop` drops them): a book without one
/// pays nothing on its writes.
pub(super) const SCHEMA: &str = "
    CREATE TABLE index_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL,
        token INTEGER
    );
";

const TRIGGERS: [(&str, &str); 4] = [
    (
        "index_log_update",
        "AFTER UPDATE ON customers BEGIN
            INSERT INTO index_log (customer_id) SELECT OLD.id UNION SELECT NEW.id;
        END",
    ),
    (
        "index_log_delete",
        "AFTER DELETE ON customers BEGIN
            INSERT INTO index_log (customer_id) VALUES (OLD.id);
        END",
    ),
    (
        "index_log_insert",
        "AFTER INSERT ON customers WHEN NEW.id < (SELECT max(id) FROM customers) BEGIN
            INSERT INTO index_log (customer_id) VALUES (NEW.id);
        END",
    ),
    (
        "index_log_company",
        "AFTER UPDATE OF name ON companies BEGIN
            INSERT INTO index_log (customer_id) SELECT id FROM customers WHERE company_id = NEW.id;
        END",
    ),
];

/// How many of the log's triggers are in place (a schema step that
/// rebuilds a table drops its triggers).
fn triggers_in_place(conn: &Connection) -> Result<usize> {
    let names = TRIGGERS.map(|(n, _)| format!("'{n}'")).join(",");
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"),
        [],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

/// The place in the log a cached index was read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub seq: i64,
    pub token: i64,
}

/// What changed in a book since a marker.
#[derive(Debug)]
pub enum Changes {
    /// The book does not hold the marker: what changed cannot be told.
    Lost,
    /// More customers than asked for.
    TooMany,
    /// Each customer changed, deleted (`None`) or added, once.
    Rows(Vec<(i64, Option<CustomerRow>)>),
}

fn open_writer(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Starts logging changes (if it had not) and writes a marker, before the
/// rows of a cache are read.
pub fn place_marker(path: &Path) -> Result<Marker> {
    let mut conn = open_writer(path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (name, body) in TRIGGERS {
        tx.execute_batch(&format!("CREATE TRIGGER IF NOT EXISTS {name} {body};"))?;
    }
    // The random half of a UUIDv7: 62 random bits.
    let token = uuid::Uuid::now_v7().as_u128() as i64;
    tx.execute("INSERT INTO index_log (customer_id, token) VALUES (0, ?1)", [token])?;
    let seq = tx.last_insert_rowid();
    tx.commit()?;
    fold_in(&conn);
    Ok(Marker { seq, token })
}

/// Folds the write into the book at once, so a process killed while the
/// cache is written leaves no WAL behind (which the next open would check
/// in full). Not done when other connections are reading: theirs is the
/// next checkpoint (it does not wait for them).
fn fold_in(conn: &Connection) {
    if conn.busy_timeout(Duration::ZERO).is_ok() {
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
}

/// Drops the log before `marker`, once a cache read after it is written.
pub fn prune(path: &Path, marker: Marker) -> Result<()> {
    let conn = open_writer(path)?;
    conn.execute("DELETE FROM index_log WHERE seq < ?1", [marker.seq])?;
    fold_in(&conn);
    Ok(())
}

/// Stops logging and drops the log (a book that no longer keeps a cache).
/// Nothing is written when the log was off.
pub fn stop(path: &Path) -> Result<()> {
    let on = {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        triggers_in_place(&conn)? > 0
            || conn.query_row("SELECT EXISTS (SELECT 1 FROM index_log)", [], |r| r.get::<_, bool>(0))?
    };
    if on {
        let mut conn = open_writer(path)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (name, _) in TRIGGERS {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
        }
        tx.execute("DELETE FROM index_log", [])?;
        tx.commit()?;
    }
    Ok(())
}

/// The number of customers in the book.
pub fn customer_count(path: &Path) -> Result<usize> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let n: i64 = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    Ok(n as usize)
}

/// Every customer changed since `marker` or added above `max_id`, with
/// their rows as they are now, read in one transaction; at most `limit`.
pub fn changes_since(path: &Path, marker: Marker, max_id: i64, limit: usize) -> Result<Changes> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let tx = conn.unchecked_transaction()?;
    let token: Option<Option<i64>> = tx
        .query_row("SELECT token FROM index_log WHERE seq = ?1", [marker.seq], |r| r.get(0))
        .optional()?;
    if token != Some(Some(marker.token)) || triggers_in_place(&tx)? < TRIGGERS.len() {
        return Ok(Changes::Lost);
    }
    let ids: Vec<i64> = tx
        .prepare(
            "SELECT customer_id FROM index_log WHERE seq > ?1 AND token IS NULL
             UNION SELECT id FROM customers WHERE id > ?2
             LIMIT ?3",
        )?
        .query_map(rusqlite::params![marker.seq, max_id, limit as i64 + 1], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.len() > limit {
        return Ok(Changes::TooMany);
    }
    let rows = ids
        .into_iter()
        .map(|id| Ok((id, customer_row_in(&tx, id)?)))
        .collect::<Result<_>>()?;
    Ok(Changes::Rows(rows))
}
