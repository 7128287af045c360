//! The valuable customers at risk (DOMAIN §9) kept in the book between
//! runs, so `rapport agenda` in a large book reads them instead of running
//! the whole value analysis (seconds at a million customers, for a list
//! that changes only when purchases, grades or statuses do).
//!
//! A counter in the book is raised by triggers, in the same transaction,
//! on every write the list depends on, whoever makes it (this app, a
//! command, a sync, another program): a customer added or removed; a
//! grade, status or latest purchase changed; a last contact moved back or
//! cleared; a purchase added, edited or removed. A last contact moving
//! forward (a call logged) does not raise it: the agenda checks the
//! customers it is about to list against their rows as they are now.
//!
//! The kept list names the counter it was read at, the day and the
//! settings, and is used only while all three still hold and every
//! trigger is in place (a schema step that rebuilds a table drops its
//! triggers). It lives in the book itself, so a copy or a restored backup
//! carries a list true to its own rows. The triggers exist only in books
//! of [`KEEP_FROM`] customers or more: a smaller book is analysed in a
//! fraction of a second and pays nothing on its writes.

use std::path::Path;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::{Result, Store};
use crate::domain::value::{CnClass, Risk, Segment, ValueConfig, analyse};

/// Customers from which a book keeps its list (by the highest id, which
/// costs nothing to read).
pub const KEEP_FROM: i64 = 50_000;

/// Schema step: the counter and the kept list. No trigger yet.
pub(super) const SCHEMA: &str = "
    CREATE TABLE value_stamp (n INTEGER NOT NULL);
    INSERT INTO value_stamp (n) VALUES (0);
    CREATE TABLE value_cache (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        read_at INTEGER NOT NULL,
        as_of TEXT NOT NULL,
        settings TEXT NOT NULL,
        risks BLOB NOT NULL
    );
";

const BUMP: &str = "UPDATE value_stamp SET n = n + 1;";

const TRIGGERS: [(&str, &str, &str); 7] = [
    ("value_stamp_customer_insert", "AFTER INSERT ON customers", ""),
    ("value_stamp_customer_delete", "AFTER DELETE ON customers", ""),
    (
        "value_stamp_customer_update",
        "AFTER UPDATE OF grade, status, last_purchase_on ON customers",
        "WHEN OLD.grade IS NOT NEW.grade OR OLD.status IS NOT NEW.status
              OR OLD.last_purchase_on IS NOT NEW.last_purchase_on",
    ),
    (
        "value_stamp_contact_back",
        "AFTER UPDATE OF last_contact_at ON customers",
        "WHEN OLD.last_contact_at IS NOT NULL
              AND (NEW.last_contact_at IS NULL OR NEW.last_contact_at < OLD.last_contact_at)",
    ),
    ("value_stamp_purchase_insert", "AFTER INSERT ON purchases", ""),
    ("value_stamp_purchase_delete", "AFTER DELETE ON purchases", ""),
    ("value_stamp_purchase_update", "AFTER UPDATE ON purchases", ""),
];

/// The list the agenda shows, and whether it was read from the book.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptRisks {
    pub risks: Vec<Risk>,
    pub window_days: Option<i64>,
    /// Read from the kept list, not analysed now.
    pub kept: bool,
}

fn triggers_in_place(conn: &Connection) -> Result<bool> {
    let names = TRIGGERS.map(|(n, ..)| format!("'{n}'")).join(",");
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"),
        [],
        |r| r.get(0),
    )?;
    Ok(n as usize == TRIGGERS.len())
}

/// The counter; none when its row is gone (nothing is kept then).
fn stamp(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT n FROM value_stamp", [], |r| r.get(0))
        .optional()?)
}

/// A connection that gives up at once when another process is writing:
/// keeping the list is never worth a wait.
fn writer(path: &Path) -> Option<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    c.busy_timeout(Duration::from_millis(200)).ok()?;
    Some(c)
}

/// Keeps `risks`, analysed as of `as_of` under `cfg` from rows read after
/// the counter was `read_at` (a list of no known label is not kept).
fn keep(w: &Connection, read_at: i64, as_of: NaiveDate, cfg: &ValueConfig, risks: &[Risk]) {
    if let Some(blob) = encode(risks) {
        let _ = w.execute(
            "INSERT OR REPLACE INTO value_cache (id, read_at, as_of, settings, risks)
             VALUES (1, ?1, ?2, ?3, ?4)",
            rusqlite::params![read_at, as_of.to_string(), settings(cfg), blob],
        );
    }
}

/// The counter of the book at `path`, when its triggers are in place: read
/// before the rows of an analysis whose list [`keep_at`] may keep.
pub fn counter_at(path: &Path) -> Option<i64> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).ok()?;
    if !triggers_in_place(&conn).ok()? {
        return None;
    }
    stamp(&conn).ok()?
}

/// Keeps the list of an analysis run elsewhere (the app's own, on its
/// worker thread) for the next `rapport agenda`, under the counter
/// [`counter_at`] gave before its rows were read.
pub fn keep_at(path: &Path, read_at: i64, as_of: NaiveDate, cfg: &ValueConfig, risks: &[Risk]) {
    if let Some(w) = writer(path) {
        keep(&w, read_at, as_of, cfg, risks);
    }
}

fn set_triggers(conn: &mut Connection, on: bool) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (name, event, when) in TRIGGERS {
        let sql = if on {
            format!("CREATE TRIGGER IF NOT EXISTS {name} {event} FOR EACH ROW {when} BEGIN {BUMP} END;")
        } else {
            format!("DROP TRIGGER IF EXISTS {name};")
        };
        tx.execute_batch(&sql)?;
    }
    if !on {
        tx.execute("DELETE FROM value_cache", [])?;
    }
    tx.commit()?;
    Ok(())
}

/// What the list was computed under, as kept beside it.
fn settings(cfg: &ValueConfig) -> String {
    format!("{FORMAT}:{cfg:?}")
}

const FORMAT: u32 = 1;
/// An entry: id, recency, monetary (8 bytes each), last contact (4), label (1).
const ENTRY: usize = 29;

fn labels() -> impl Iterator<Item = &'static str> {
    CnClass::ALL
        .iter()
        .map(|c| c.key())
        .chain(Segment::ALL.iter().map(|s| s.key()))
}

fn encode(risks: &[Risk]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(risks.len() * ENTRY);
    for r in risks {
        let label = labels().position(|l| l == r.label_key)?;
        out.extend_from_slice(&r.id.to_le_bytes());
        out.extend_from_slice(&r.recency_days.to_le_bytes());
        out.extend_from_slice(&r.monetary.to_le_bytes());
        let day = r.last_contact.map_or(i32::MIN, |d| d.num_days_from_ce());
        out.extend_from_slice(&day.to_le_bytes());
        out.push(label as u8);
    }
    Some(out)
}

fn decode(bytes: &[u8]) -> Option<Vec<Risk>> {
    if !bytes.len().is_multiple_of(ENTRY) {
        return None;
    }
    let labels: Vec<&'static str> = labels().collect();
    bytes
        .chunks_exact(ENTRY)
        .map(|e| {
            let i64_at = |at: usize| i64::from_le_bytes(e[at..at + 8].try_into().unwrap_or_default());
            let day = i32::from_le_bytes(e[24..28].try_into().unwrap_or_default());
            let last_contact = match day {
                i32::MIN => None,
                d => Some(NaiveDate::from_num_days_from_ce_opt(d)?),
            };
            Some(Risk {
                id: i64_at(0),
                recency_days: i64_at(8),
                monetary: i64_at(16),
                last_contact,
                label_key: labels.get(usize::from(e[28])).copied()?,
            })
        })
        .collect()
}

impl Store {
    /// The valuable customers at risk as of `as_of`: the book's kept list
    /// when it still holds, else the analysis run now (and, in a large
    /// book, kept for the next run).
    pub fn value_risks(&self, as_of: NaiveDate, cfg: &ValueConfig) -> Result<KeptRisks> {
        self.value_risks_from(as_of, cfg, KEEP_FROM)
    }

    /// The book's kept list as of `as_of` under `cfg`, when it still holds.
    /// Reads one row: the Agenda pane shows it while the analysis runs.
    pub fn kept_value_risks(&self, as_of: NaiveDate, cfg: &ValueConfig) -> Result<Option<KeptRisks>> {
        if !triggers_in_place(&self.conn)? {
            return Ok(None);
        }
        let kept: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT risks FROM value_cache
                 WHERE read_at = (SELECT n FROM value_stamp) AND as_of = ?1 AND settings = ?2",
                [as_of.to_string(), settings(cfg)],
                |r| r.get(0),
            )
            .optional()?;
        Ok(kept.as_deref().and_then(decode).map(|risks| KeptRisks {
            risks,
            window_days: cfg.window_days,
            kept: true,
        }))
    }

    /// [`Store::value_risks`], kept from `keep_from` customers (by the highest id).
    pub fn value_risks_from(&self, as_of: NaiveDate, cfg: &ValueConfig, keep_from: i64) -> Result<KeptRisks> {
        if let Some(kept) = self.kept_value_risks(as_of, cfg)? {
            return Ok(kept);
        }
        let conn = &self.conn;
        let on = triggers_in_place(conn)?;
        // The highest id costs nothing to read, where a count reads the table.
        let max_id: i64 = conn.query_row("SELECT COALESCE(max(id), 0) FROM customers", [], |r| r.get(0))?;
        let large = max_id >= keep_from;
        let path = conn.path().filter(|p| !p.is_empty()).map(Path::new);
        let mut w = if large || on { path.and_then(writer) } else { None };
        // The triggers come before the counter is read, and the counter
        // before the rows: a change made while they are read raises it
        // past the one the list names.
        let on = match w.as_mut() {
            Some(w) if large && !on => set_triggers(w, true).is_ok(),
            Some(w) if !large && on => {
                // A book grown small again stops keeping it.
                let _ = set_triggers(w, false);
                false
            }
            _ => on && large,
        };
        let read_at = if on { stamp(conn)? } else { None };
        let facts = self.value_facts(as_of, cfg.window_days)?;
        let risks = analyse(&facts, as_of, cfg).risks().to_vec();
        if let (Some(w), Some(read_at)) = (w.as_ref(), read_at) {
            keep(w, read_at, as_of, cfg, &risks);
        }
        Ok(KeptRisks {
            risks,
            window_days: cfg.window_days,
            kept: false,
        })
    }
}

#[cfg(test)]
#[path = "value_cache_tests.rs"]
mod tests;
