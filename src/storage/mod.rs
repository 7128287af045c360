//! The only code that speaks SQL. One SQLite file in WAL mode, created with
//! mode 0600; migrations through `PRAGMA user_version`; one user command is
//! one transaction.

mod agenda;
mod agenda_query;
mod complaints;
mod customers;
mod interactions;
pub mod io;
mod migrations;
mod qualification;
mod uid;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use agenda::{BusinessEvent, FollowUp, add_follow_up_in};
pub use agenda_query::{Agenda, COUNT_CAP};
pub use complaints::ComplaintRow;
pub(crate) use complaints::{apply_in as complaint_events_in, insert_in as insert_complaint_in};
pub use customers::{
    CustomerRow, RowsPage, for_each_row, insert_in as insert_customer_in, read_all_rows, ts as timestamp,
};
pub use migrations::SCHEMA_VERSION;
pub use qualification::{Colleague, ProspectRow, write_with_history as write_qualification_in};

/// Marks a file as Rapport's (`PRAGMA application_id`, "RPRT").
pub const APPLICATION_ID: i32 = 0x5250_5254;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot create the database at {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Rapport database (not an SQLite file, or damaged)")]
    NotSqlite { path: PathBuf },
    #[error("{path} is an SQLite database of another program; Rapport leaves it untouched")]
    Foreign { path: PathBuf },
    #[error("{path} was written by a newer Rapport (schema {found}, this program knows {known}); it is left untouched")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("the database is busy (another Rapport is writing); try again")]
    Busy,
    #[error("the disk is full; nothing was written")]
    DiskFull,
    #[error("no customer with id {0}")]
    NoSuchCustomer(i64),
    #[error("database error: {0}")]
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StorageError::Busy,
            Some(ErrorCode::DiskFull) => StorageError::DiskFull,
            Some(ErrorCode::NotADatabase) => StorageError::NotSqlite { path: PathBuf::new() },
            _ => StorageError::Sql(e),
        }
    }
}

impl StorageError {
    /// Catalog key of the message shown to the user.
    pub fn key(&self) -> &'static str {
        match self {
            StorageError::Create { .. } => "storage.create",
            StorageError::NotSqlite { .. } => "storage.not_sqlite",
            StorageError::Foreign { .. } => "storage.foreign",
            StorageError::TooNew { .. } => "storage.too_new",
            StorageError::Busy => "storage.busy",
            StorageError::DiskFull => "storage.disk_full",
            StorageError::NoSuchCustomer(_) => "storage.no_such_customer",
            StorageError::Sql(_) => "storage.sql",
        }
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The cadence due dates are computed with (see `set_cadence`).
    cadence: crate::domain::cadence::Cadence,
    /// Work that must finish before the first write (the day's automatic
    /// backup): it ends by closing this channel.
    write_gate: Option<std::sync::mpsc::Receiver<()>>,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Creates `path` with mode 0600 if it does not exist yet.
fn create_private(path: &Path) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StorageError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads the first bytes: an existing non-empty file must be SQLite.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let not = || StorageError::NotSqlite {
        path: path.to_path_buf(),
    };
    let mut f = std::fs::File::open(path).map_err(|_| not())?;
    let mut head = [0u8; 16];
    match f.read_exact(&mut head) {
        Ok(()) if &head == SQLITE_MAGIC => Ok(()),
        Ok(()) => Err(not()),
        Err(_) if f.metadata().map(|m| m.len() == 0).unwrap_or(false) => Ok(()),
        Err(_) => Err(not()),
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. A foreign, damaged or newer file is refused and
    /// left exactly as it was.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            create_private(path)?;
        }
        check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| Self::classify(e, path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Read-only checks first: nothing is written to a file we refuse.
        let (version, app_id, tables) = Self::inspect(&conn).map_err(|e| Self::classify(e, path))?;
        if version > SCHEMA_VERSION {
            return Err(StorageError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(StorageError::Foreign {
                path: path.to_path_buf(),
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        // The agenda alone uses a few dozen statements (one per kind of
        // care moment and lead day); keep them all compiled.
        conn.set_prepared_statement_cache_capacity(64);
        // 16 MiB of page cache (SQLite's default is 2): the agenda and the
        // card read a few thousand scattered rows, which then stay cached.
        conn.pragma_update(None, "cache_size", -16384)?;
        let cadence = crate::domain::cadence::Cadence::default();
        agenda::register(&conn, &cadence)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            cadence: cadence.clone(),
            write_gate: None,
        };
        migrations::migrate(&mut store.conn, version)?;
        store.set_cadence(&cadence)?;
        Ok(store)
    }

    fn inspect(conn: &Connection) -> rusqlite::Result<(i64, i32, i64)> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((version, app_id, tables))
    }

    fn classify(e: rusqlite::Error, path: &Path) -> StorageError {
        match StorageError::from(e) {
            StorageError::NotSqlite { .. } => StorageError::NotSqlite {
                path: path.to_path_buf(),
            },
            StorageError::Sql(e) if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt)) => {
                StorageError::NotSqlite {
                    path: path.to_path_buf(),
                }
            }
            other => other,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside one write transaction (one user command, or bulk
    /// work such as the demo generator): everything or nothing is
    /// committed. The write lock is taken at the start, so a busy file is
    /// reported before anything is done.
    pub fn write_batch<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        self.before_write();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v = f(&tx)?;
        tx.commit()?;
        Ok(v)
    }

    /// Holds every write until `gate` closes (its sender is dropped).
    pub fn hold_writes_until(&mut self, gate: std::sync::mpsc::Receiver<()>) {
        self.write_gate = Some(gate);
    }

    /// Waits for the work a write must not overtake (see
    /// `hold_writes_until`); also called before the program ends, so that
    /// work is never cut short.
    pub fn before_write(&mut self) {
        if let Some(gate) = self.write_gate.take() {
            while gate.recv().is_ok() {}
        }
    }

    /// Checkpoints the WAL into the main file so that copying the single
    /// `.db` file is a complete backup. Called on a clean exit.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The version of the SQLite library compiled into the program.
    pub fn sqlite_version() -> &'static str {
        rusqlite::version()
    }
}

#[cfg(test)]
mod tests;
