//! A WAL found next to a book that no Rapport has open is left over: from
//! a crash (then it holds the last committed writes and belongs in the
//! book), or copied in from elsewhere (then folding it in would write
//! another book's pages into this one). SQLite folds a WAL into the file
//! at the checkpoint the last connection runs on close, and trusts that
//! the WAL belongs ("How To Corrupt An SQLite Database File", §1.4: a
//! hot journal or WAL separated from its database, or joined to another).
//!
//! So before anything can be folded in: checkpoint-on-close is switched
//! off, SQLite's full check runs on the book as the WAL would make it, and
//! only a healthy result lets the WAL stay. Otherwise, if the file alone
//! (checked through a private copy) is healthy, the WAL is moved aside
//! next to it and the book opens as it was; if the file is damaged either
//! way, nothing is moved and the book opens read-only. The database file
//! is not written in any case until a check has passed, so there is
//! nothing to put back.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::config::DbConfig;

use super::health::{self, Verdict};
use super::{Result, StorageError};

pub(super) enum Outcome {
    /// The WAL belongs: the connection is ready.
    Fine(Connection),
    /// The WAL was moved to this path; open again.
    SetAside(PathBuf),
    /// Damaged with or without the WAL: open read-only.
    Damaged(Connection, Vec<String>),
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

/// Checks the book as the leftover WAL makes it, through `conn` (just
/// opened; nothing read yet), before anything can be folded in.
pub(super) fn verify(conn: Connection, db: &Path) -> Result<Outcome> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    let problems = match health::full_check(&conn) {
        // Checkpoints stay off until the open has also found the book to
        // be Rapport's and not newer (`Store::open`).
        Verdict::Healthy | Verdict::Unchecked(_) => return Ok(Outcome::Fine(conn)),
        Verdict::Damaged(p) => p,
    };
    if !file_alone_healthy(db)? {
        return Ok(Outcome::Damaged(conn, problems));
    }
    drop(conn);
    let at = chrono::Utc::now().format("%Y%m%d-%H%M%SZ");
    let mut aside = sidecar(db, &format!("-wal.not-this-book-{at}"));
    let mut n = 2;
    while aside.exists() {
        aside = sidecar(db, &format!("-wal.not-this-book-{at}-{n}"));
        n += 1;
    }
    let io = |source| StorageError::Create {
        path: db.to_path_buf(),
        source,
    };
    std::fs::rename(sidecar(db, "-wal"), &aside).map_err(io)?;
    let _ = crate::io::file::make_private(&aside);
    match std::fs::remove_file(sidecar(db, "-shm")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    Ok(Outcome::SetAside(aside))
}

/// Whether the database file without its WAL passes the full check: the
/// file is copied (private, next to it) and the copy checked, so nothing
/// is created next to the book or written into it.
pub fn file_alone_healthy(db: &Path) -> Result<bool> {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = db.with_file_name(format!(".{name}.{}.alone.part", std::process::id()));
    let io = |source| StorageError::Create {
        path: tmp.clone(),
        source,
    };
    let result = (|| -> Result<bool> {
        crate::io::file::copy_private(db, &tmp).map_err(io)?;
        // The copy reads as a rollback-journal file: no WAL of its own.
        {
            use std::io::{Seek, SeekFrom, Write};
            let mut f = std::fs::OpenOptions::new().write(true).open(&tmp).map_err(io)?;
            f.seek(SeekFrom::Start(18)).map_err(io)?;
            f.write_all(&[1, 1]).map_err(io)?;
        }
        let conn = Connection::open(&tmp)?;
        let fine = health::full_check(&conn) == Verdict::Healthy;
        drop(conn);
        Ok(fine)
    })();
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    result
}
