//! Is a book safe to write into? Cheap checks on every open (the header's
//! fixed fields, the page count against the file size, the schema) and
//! SQLite's full check (`integrity_check` and `foreign_key_check`) before
//! bulk writes and on the first open of each day. `rapport check` runs the
//! same checks, so the two always agree.
//!
//! A write waits at the [`Gate`] until the full check of this open (if
//! one runs) has passed; a damaged book is never written to, not even by
//! the checkpoint SQLite runs when the last connection closes.

use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Healthy,
    /// What is wrong, as the checks say it (at most 100 lines).
    Damaged(Vec<String>),
    /// The check could not run to the end (a full disk, an I/O error, the
    /// file locked); the reason. Says nothing about the book itself.
    Unchecked(String),
}

fn be16(h: &[u8], at: usize) -> u32 {
    u32::from(u16::from_be_bytes([h[at], h[at + 1]]))
}

fn be32(h: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]])
}

/// The length of the WAL next to `db` (0 when there is none).
pub fn wal_len(db: &Path) -> u64 {
    std::fs::metadata(format!("{}-wal", db.display()))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// The cheap checks of SQLite's file header (see "Database File Format",
/// §1.3): fixed fields, fields Rapport never sets (auto-vacuum, whose
/// largest-root-page field a flipped byte 52 turns on), and the page count
/// against the file's size. An empty file has no problems.
pub fn header_problems(path: &Path) -> std::io::Result<Vec<String>> {
    let (h, size) = super::pinned::head(path, 100)?;
    if size == 0 {
        return Ok(Vec::new());
    }
    let mut p = Vec::new();
    if h.len() < 100 {
        p.push(format!("the file is {size} bytes, shorter than its header"));
        return Ok(p);
    }
    if &h[..16] != b"SQLite format 3\0" {
        p.push("not an SQLite database (wrong header)".into());
        return Ok(p);
    }
    let page = match be16(&h, 16) {
        1 => 65536,
        n => n,
    };
    if !(512..=65536).contains(&page) || !page.is_power_of_two() {
        p.push(format!("header: page size {page} is not possible"));
        return Ok(p);
    }
    if !(1..=2).contains(&h[18]) || !(1..=2).contains(&h[19]) {
        p.push(format!(
            "header: file format versions {}/{} (bytes 18-19)",
            h[18], h[19]
        ));
    }
    if page - u32::from(h[20]) < 480 {
        p.push(format!("header: {} reserved bytes per page (byte 20)", h[20]));
    }
    if h[21..24] != [64, 32, 32] {
        p.push("header: payload fractions are not 64/32/32 (bytes 21-23)".into());
    }
    if be32(&h, 44) > 4 {
        p.push(format!("header: schema format {} (bytes 44-47)", be32(&h, 44)));
    }
    if be32(&h, 52) != 0 || be32(&h, 64) != 0 {
        p.push("header: auto-vacuum fields set, which Rapport never does (bytes 52-55, 64-67)".into());
    }
    if be32(&h, 56) > 3 {
        p.push(format!("header: text encoding {} (bytes 56-59)", be32(&h, 56)));
    }
    if h[72..92].iter().any(|&b| b != 0) {
        p.push("header: the reserved bytes 72-91 are not zero".into());
    }
    // Page count against the size, when nothing waits in a WAL (a
    // checkpoint in progress may have written page 1 before the rest).
    let pages = u64::from(be32(&h, 28));
    let valid = be32(&h, 24) == be32(&h, 92) && pages > 0;
    if wal_len(path) == 0 {
        if !size.is_multiple_of(u64::from(page)) {
            p.push(format!(
                "the file's size {size} is not a whole number of {page}-byte pages"
            ));
        } else if valid && size < pages * u64::from(page) {
            p.push(format!(
                "the file is cut short: {} pages of {pages}",
                size / u64::from(page)
            ));
        }
    }
    Ok(p)
}

/// Whether an SQLite error means the file itself is damaged (as opposed to
/// a check that could not run).
fn is_damage(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// SQLite's full check on an open connection: integrity and foreign keys.
pub fn full_check(conn: &Connection) -> Verdict {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check(100)")?;
        let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        if !(lines.len() == 1 && lines[0] == "ok") {
            problems.extend(lines);
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let fk: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {} refers to a missing {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get::<_, String>(2)?
                ))
            })?
            .take(100)
            .collect::<rusqlite::Result<_>>()?;
        problems.extend(fk);
        Ok(problems)
    };
    match run() {
        Ok(p) if p.is_empty() => Verdict::Healthy,
        Ok(p) => Verdict::Damaged(p),
        Err(e) if is_damage(&e) => Verdict::Damaged(vec![e.to_string()]),
        Err(e) => Verdict::Unchecked(e.to_string()),
    }
}

/// The tables every Rapport book has from its first schema step on.
const CORE_TABLES: [&str; 6] = [
    "companies",
    "customers",
    "tags",
    "customer_tags",
    "interactions",
    "status_history",
];

/// The cheap schema check of a Rapport book (schema > 0): its core tables
/// are there.
pub fn schema_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut missing = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1")?;
    for t in CORE_TABLES {
        if stmt.query_row([t], |r| r.get::<_, i64>(0))? == 0 {
            missing.push(format!("schema: the table {t} is missing"));
        }
    }
    Ok(missing)
}

/// Whether writing is allowed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The full check runs; writes wait for it.
    Pending,
    Passed,
    /// Damaged: the book is read-only for this run.
    Damaged(Vec<String>),
    /// The full check could not run; the cheap checks passed, so writing
    /// is allowed and the check runs again at the next start.
    Unchecked(String),
}

impl State {
    pub fn writable(&self) -> bool {
        matches!(self, State::Passed | State::Unchecked(_))
    }
}

/// Where writes wait for the check.
#[derive(Debug)]
pub struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

impl Gate {
    pub fn new(state: State) -> Gate {
        Gate {
            state: Mutex::new(state),
            changed: Condvar::new(),
        }
    }

    pub fn set(&self, s: State) {
        if let Ok(mut g) = self.state.lock() {
            *g = s;
        }
        self.changed.notify_all();
    }

    pub fn state(&self) -> State {
        self.state.lock().map(|g| g.clone()).unwrap_or(State::Pending)
    }

    /// The state once the check has finished, or `Pending` after `max`.
    pub fn wait(&self, max: Duration) -> State {
        let end = Instant::now() + max;
        let Ok(mut g) = self.state.lock() else {
            return State::Pending;
        };
        while *g == State::Pending {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.changed.wait_timeout(g, left) {
                Ok((next, _)) => g = next,
                Err(_) => return State::Pending,
            }
        }
        g.clone()
    }
}

impl From<Verdict> for State {
    fn from(v: Verdict) -> State {
        match v {
            Verdict::Healthy => State::Passed,
            Verdict::Damaged(p) => State::Damaged(p),
            Verdict::Unchecked(why) => State::Unchecked(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(dir: &Path) -> std::path::PathBuf {
        let db = dir.join("t.db");
        let store = crate::storage::Store::open(&db).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        db
    }

    #[test]
    fn the_header_checks_find_flipped_and_cut_files() {
        let dir = tempfile::tempdir().unwrap();
        let db = book(dir.path());
        assert_eq!(header_problems(&db).unwrap(), Vec::<String>::new());
        let good = std::fs::read(&db).unwrap();
        let mut bad = good.clone();
        bad[52] ^= 0x01;
        std::fs::write(&db, &bad).unwrap();
        assert!(header_problems(&db).unwrap()[0].contains("auto-vacuum"));
        let page = usize::from(u16::from_be_bytes([good[16], good[17]]));
        std::fs::write(&db, &good[..good.len() - page]).unwrap();
        assert!(header_problems(&db).unwrap()[0].contains("cut short"));
        std::fs::write(&db, &good[..good.len() - 100]).unwrap();
        assert!(header_problems(&db).unwrap()[0].contains("whole number"));
        let mut bad = good.clone();
        bad[21] = 65;
        std::fs::write(&db, &bad).unwrap();
        assert!(!header_problems(&db).unwrap().is_empty());
    }

    #[test]
    fn a_gate_waits_for_the_check() {
        let gate = std::sync::Arc::new(Gate::new(State::Pending));
        assert_eq!(gate.wait(Duration::from_millis(10)), State::Pending);
        let g = gate.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            g.set(State::Passed);
        });
        assert_eq!(gate.wait(Duration::from_secs(10)), State::Passed);
        t.join().unwrap();
    }
}
