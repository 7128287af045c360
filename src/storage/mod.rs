//! The only code that speaks SQL. One SQLite file in WAL mode, created with
//! mode 0600; migrations through `PRAGMA user_version`; one user command is
//! one transaction.

mod agenda;
mod agenda_query;
pub mod capture;
mod companies;
mod company_schema;
mod complaints;
mod customers;
pub(crate) mod due;
pub(crate) mod duplicates;
mod filter;
pub mod health;
pub mod index_log;
mod inserts;
mod interactions;
pub mod io;
mod leftover;
pub use leftover::file_alone_healthy;
pub mod lock;
mod migrations;
pub mod notes;
pub(crate) mod pinned;
mod qualification;
mod room;
mod stamps;
mod uid;
mod value;
pub mod value_cache;
mod writes;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use health::{Gate, State};
use lock::BookLock;

pub use agenda::{BusinessEvent, Contact, FollowUp, NextContact, add_follow_up_in};
pub use agenda_query::{Agenda, COUNT_CAP};
pub(crate) use companies::leave_in;
pub use companies::{CompanyRow, Leaving, Left, PersonnelChange, RiskyAccount, Successor};
pub use complaints::ComplaintRow;
pub(crate) use complaints::{apply_in as complaint_events_in, insert_in as insert_complaint_in};
pub(crate) use customers::refresh_search_key_in;
pub use customers::{CustomerRow, Item, RowsPage, for_each_item, for_each_row, read_all_rows, ts as timestamp};
pub use due::fingerprint as cadence_fingerprint;
pub use duplicates::{Hanging, looked_up_phones};
pub use inserts::insert_in as insert_customer_in;
pub use migrations::SCHEMA_VERSION;
pub use qualification::{Burst, Colleague, ProspectRow, write_with_history as write_qualification_in};
pub(crate) use value::insert_purchase_in;
pub use value::{names_at, value_analysis_at, value_analysis_named_at};

/// The page cache of a connection, in KiB.
const CACHE_KIB: i64 = 8192;

/// How long a statement waits for another connection's write to finish
/// before it reports the book busy.
pub(crate) const BUSY_WAIT: Duration = Duration::from_secs(5);

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
    /// The book could not be opened because its disk is full (SQLite
    /// needs a little room beside it even to read it).
    #[error("the disk of {path} is full; the book cannot be opened until some space is freed")]
    FullAtOpen { path: PathBuf },
    #[error("no customer with id {0}")]
    NoSuchCustomer(i64),
    #[error("{path} looks like an SQLite URI; give the path of a file")]
    Uri { path: PathBuf },
    #[error("{path} is being restored from a backup; try again in a moment")]
    Restoring { path: PathBuf },
    #[error("{path} is damaged; it is open read-only and nothing was written")]
    Damaged { path: PathBuf },
    #[error("the book is still being checked; nothing was written, try again in a moment")]
    Checking,
    #[error("today's backup is still being taken; nothing was written, try again in a moment")]
    BackingUp,
    #[error("the book is open read-only; nothing was written")]
    ReadOnly,
    #[error("{path} was replaced by another file since Rapport opened it; nothing was written")]
    Replaced { path: PathBuf },
    #[error("no purchase with id {0}")]
    NoSuchPurchase(i64),
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
            Some(ErrorCode::ReadOnly) => StorageError::ReadOnly,
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
            StorageError::FullAtOpen { .. } => "storage.full_at_open",
            StorageError::NoSuchCustomer(_) => "storage.no_such_customer",
            StorageError::Uri { .. } => "storage.uri",
            StorageError::Restoring { .. } => "storage.restoring",
            StorageError::Damaged { .. } => "storage.damaged",
            StorageError::Checking => "storage.checking",
            StorageError::BackingUp => "storage.backing_up",
            StorageError::ReadOnly => "storage.read_only",
            StorageError::Replaced { .. } => "storage.replaced",
            StorageError::NoSuchPurchase(_) => "storage.no_such_purchase",
            // A broken page met while reading: the book is damaged.
            StorageError::Sql(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                "storage.corrupt"
            }
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
    /// The shared lock that tells a restore this book is open.
    lock: Arc<BookLock>,
    /// Whether writing is allowed yet (see `health`).
    gate: Arc<Gate>,
    /// The connection is set read-only (`query_only`) and does not
    /// checkpoint on close, until the gate lets writes through.
    held: Cell<bool>,
    /// How long a write waits for a running check before it is refused
    /// (see `set_write_wait`).
    write_wait: Cell<Duration>,
    notices: Vec<Notice>,
    /// Which file the book was when opened (device, inode).
    identity: Option<(u64, u64)>,
    /// Work that must finish before the first write (the day's automatic
    /// backup): it ends by closing this channel.
    write_gate: Option<std::sync::mpsc::Receiver<()>>,
    /// The book's file held open for reading beside SQLite (see `pinned`);
    /// last, so the connection closes first.
    _pin: pinned::Pin,
}

/// Something the user should be told once the book is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A leftover WAL did not belong to the book: it was moved here and
    /// the book opened as it was.
    WalSetAside(PathBuf),
    /// The book's file can be read by other users of this computer (its
    /// mode, e.g. 0o644); Rapport's own files next to it are 0600.
    ReadableByOthers(u32),
}

/// A step that makes a large book wait to open, announced before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slow {
    /// A WAL left by a crash is checked first (minutes for a large book).
    LeftoverWal,
    /// This version of Rapport reads names differently: every customer's
    /// search key is recomputed once (seconds for a large book).
    Keys,
}

/// Sets the book's WAL and shared-memory files to 0600: SQLite gives them
/// the book's own mode whenever a connection opens them empty, so this
/// runs after every open.
pub(crate) fn private_sidecars(db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = crate::io::file::make_private(Path::new(&format!("{}{suffix}", db.display())));
    }
}

/// The file at `path` (device and inode), to notice it being replaced.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether `path` is written as an SQLite URI (`file:x.db?mode=memory`)
/// rather than a file's path. Rapport opens paths only.
pub fn is_uri(path: &Path) -> bool {
    path.to_string_lossy()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
}

/// How much of a book SQLite reads through memory mapping.
pub(crate) const MMAP_BYTES: i64 = 1 << 30;

/// Creates `path` with mode 0600 if it does not exist yet.
fn create_private(path: &Path) -> Result<()> {
    match crate::io::file::create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StorageError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. A foreign or newer file is refused and left
    /// exactly as it was; a damaged one (by the cheap checks) is opened
    /// read-only; a leftover WAL that does not belong to the book is set
    /// aside before it can touch the file.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_announcing(path, |_| {})
    }

    /// [`Store::open`], calling `announce` before a step that makes a
    /// large book wait to open (see [`Slow`]).
    pub fn open_announcing(path: &Path, mut announce: impl FnMut(Slow)) -> Result<Store> {
        if is_uri(path) {
            return Err(StorageError::Uri {
                path: path.to_path_buf(),
            });
        }
        if !path.exists() {
            create_private(path)?;
        }
        let pin = pinned::Pin::new(path).map_err(|_| StorageError::NotSqlite {
            path: path.to_path_buf(),
        })?;
        pinned::check_header(path)?;
        let lock = match BookLock::shared(path, Duration::from_secs(10)) {
            Ok(Some(l)) => Arc::new(l),
            Ok(None) => {
                return Err(StorageError::Restoring {
                    path: path.to_path_buf(),
                });
            }
            Err(source) => {
                return Err(StorageError::Create {
                    path: lock::path_for(path),
                    source,
                });
            }
        };
        // A WAL while no other Rapport has the book open is left over
        // (a crash, or a copy): it is checked before SQLite may fold it in.
        let alone = health::wal_len(path) > 0 && lock.try_alone();
        if alone {
            announce(Slow::LeftoverWal);
        }
        let result = Self::open_locked(path, lock.clone(), alone, pin, &mut announce);
        if alone {
            lock.share();
        }
        result.map_err(|e| room::full_at_open(e, path, || room::free_space(path)))
    }

    fn connect(path: &Path) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Self::classify(e, path))?;
        conn.busy_timeout(BUSY_WAIT)?;
        Ok(conn)
    }

    fn open_locked(
        path: &Path,
        lock: Arc<BookLock>,
        alone: bool,
        pin: pinned::Pin,
        announce: &mut dyn FnMut(Slow),
    ) -> Result<Store> {
        let mut notices = Vec::new();
        let mut conn = Self::connect(path)?;
        let mut problems = Vec::new();
        if alone {
            match leftover::verify(conn, path)? {
                leftover::Outcome::Fine(c) => conn = c,
                leftover::Outcome::SetAside(aside) => {
                    notices.push(Notice::WalSetAside(aside));
                    conn = Self::connect(path)?;
                }
                leftover::Outcome::Damaged(c, p) => {
                    conn = c;
                    problems = p;
                }
            }
        }
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
        problems.extend(health::header_problems(path).map_err(|source| StorageError::Create {
            path: path.to_path_buf(),
            source,
        })?);
        if problems.is_empty() && version > 0 {
            problems = health::schema_problems(&conn).map_err(|e| Self::classify(e, path))?;
        }
        let damaged = !problems.is_empty();
        if damaged {
            // Not even SQLite's checkpoint on close may write into it.
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
            conn.pragma_update(None, "query_only", true)?;
        } else {
            // A leftover WAL has passed every check: it may be folded in.
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        // Plans do not depend on the values bound: without this, a
        // statement whose parameters change between 0 or 1 and other values
        // (a calendar code, a flag) is compiled again at each such change,
        // which was half of the agenda's birthday reading. (Rapport keeps
        // no planner statistics for bound values to matter.)
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // The agenda alone uses a few dozen statements (one per kind of
        // care moment and lead day); keep them all compiled.
        conn.set_prepared_statement_cache_capacity(64);
        // 8 MiB of page cache (SQLite's default is 2): the agenda and the
        // card read a few thousand scattered rows, which then stay cached.
        // (16 MiB cost 8 MB more of a million-customer book's memory for
        // no time the benchmark could tell.)
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        let cadence = crate::domain::cadence::Cadence::default();
        due::register(&conn, &cadence)?;
        duplicates::register(&conn)?;
        let state = if damaged {
            State::Damaged(problems)
        } else {
            State::Passed
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            cadence: cadence.clone(),
            lock,
            gate: Arc::new(Gate::new(state)),
            held: Cell::new(damaged),
            write_wait: Cell::new(Duration::from_secs(60)),
            notices,
            identity: identity(path),
            write_gate: None,
            _pin: pin,
        };
        if !damaged {
            // A book about to be migrated is copied first (its schema as
            // it was); `migrations` itself does not depend on `io`.
            if version > 0 && version < SCHEMA_VERSION {
                io::backup_before_migration(&store.conn)?;
            }
            migrations::migrate(&mut store.conn, version)?;
            duplicates::refresh_keys(&mut store.conn, || announce(Slow::Keys))?;
            store.set_cadence(&cadence)?;
        }
        store.private_files();
        Ok(store)
    }

    /// The WAL and shared-memory files are 0600 whatever the book's own
    /// mode (SQLite gives them the book's); a book others can read is
    /// mentioned once.
    fn private_files(&mut self) {
        private_sidecars(&self.path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0o600);
            let told = format!("{mode:o}");
            if mode & 0o077 != 0 && self.lock.get("readable_told").as_deref() != Some(told.as_str()) {
                self.notices.push(Notice::ReadableByOthers(mode));
                let _ = self.lock.set("readable_told", &told);
            }
        }
    }

    /// What the user should be told about this open (once).
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Whether writing is allowed, and if not why.
    pub fn health(&self) -> State {
        self.gate.state()
    }

    /// The gate writes wait at (for a thread writing through its own connection).
    pub fn health_gate(&self) -> Arc<Gate> {
        self.gate.clone()
    }

    /// From now on, reads the book's pages through memory mapping, without
    /// a system call and a copy for each: for a command that runs once and
    /// reads much of the book (a search reads every page of the list).
    /// The app, which stays open for hours within its memory budget, reads
    /// through its page cache instead (mapped pages count in its memory).
    /// Nothing changes for a damaged book. Writes still go through the
    /// journal.
    pub fn map_for_reading(&self) -> Result<()> {
        if matches!(self.health(), State::Damaged(_)) {
            return Ok(());
        }
        self.conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        Ok(())
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

    /// SQLite's data version: it moves when another connection (another
    /// program, or a worker's own connection) commits to the book.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside one write transaction (one user command, or bulk
    /// work such as the demo generator): everything or nothing is
    /// committed. The write lock is taken at the start, so a busy file is
    /// reported before anything is done.
    pub fn write_batch<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        self.writable()?;
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v = f(&tx)?;
        tx.commit()?;
        Ok(v)
    }

    /// Sets the connection up for one large write, or back as it opens
    /// (`None`). A large write keeps SQLite's temporary files (statement
    /// journals, sorts) in memory, since each insert that fires a trigger
    /// journals the pages it touches, and gets `cache_kib` of page cache
    /// for the indexes it grows, which otherwise spill to the log and are
    /// read back from it for every row.
    pub(crate) fn set_bulk_write(&self, cache_kib: Option<i64>) -> Result<()> {
        let (temp, cache) = match cache_kib {
            Some(kib) => (2, kib),
            None => (0, CACHE_KIB),
        };
        self.conn.pragma_update(None, "temp_store", temp)?;
        self.conn.pragma_update(None, "cache_size", -cache)?;
        Ok(())
    }

    /// Holds every write until `gate` closes (its sender is dropped).
    pub fn hold_writes_until(&mut self, gate: std::sync::mpsc::Receiver<()>) {
        self.write_gate = Some(gate);
    }

    /// Waits for the work a write must not overtake (see
    /// `hold_writes_until`) as long as a write waits for the day's check
    /// ([`Store::set_write_wait`]): the app's save is refused at once
    /// ([`StorageError::BackingUp`], nothing written) rather than freeze
    /// the screen while a large book is copied.
    pub fn before_write(&mut self) -> Result<()> {
        let Some(gate) = &self.write_gate else {
            return Ok(());
        };
        let until = std::time::Instant::now() + self.write_wait();
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match gate.recv_timeout(left) {
                Ok(()) => continue,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    self.write_gate = None;
                    return Ok(());
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Err(StorageError::BackingUp),
            }
        }
    }

    /// Waits, however long, for the work writes are held for: before the
    /// program ends, so that it is never cut short.
    pub fn finish_held_work(&mut self) {
        if let Some(gate) = self.write_gate.take() {
            while gate.recv().is_ok() {}
        }
    }

    /// Checkpoints the WAL into the main file so that copying the single
    /// `.db` file is a complete backup. Called on a clean exit.
    pub fn checkpoint(&self) -> Result<()> {
        if self.held.get() {
            // Nothing is written into a book that has not passed its check.
            return Ok(());
        }
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
