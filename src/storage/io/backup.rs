//! Copies of the database file: online backups with SQLite's backup API
//! (a consistent snapshot, safe while the app or another process writes),
//! restores that check the backup first and keep the current file aside,
//! the read-only health check, and the copy taken before a migration.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, backup::Backup};

use super::{Refusal, TransferError};
use crate::io::file::create_private;
use crate::storage::health::{self, Verdict};
use crate::storage::lock::BookLock;
use crate::storage::{APPLICATION_ID, SCHEMA_VERSION, StorageError};

/// What `rapport check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The header checks, SQLite's integrity check and the foreign-key
    /// check passed.
    pub intact: bool,
    /// The file is a Rapport database (or a brand-new empty one).
    pub rapport: bool,
    pub schema: i64,
    pub customers: Option<i64>,
    /// What is wrong, as the checks say it (at most 100 lines).
    pub problems: Vec<String>,
    /// The check could not run to the end, and why (a full disk, an I/O
    /// error): nothing is known about the book.
    pub unchecked: Option<String>,
}

impl Health {
    /// Nothing found yet: not intact, not known to be Rapport's.
    fn blank() -> Health {
        Health {
            intact: false,
            rapport: false,
            schema: 0,
            customers: None,
            problems: Vec::new(),
            unchecked: None,
        }
    }

    /// Healthy: intact, and Rapport's.
    pub fn ok(&self) -> bool {
        self.intact && self.rapport && self.unchecked.is_none()
    }
}

fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// A read-only connection that creates nothing next to the file: when no
/// WAL file exists (no Rapport has the file open) the file is opened as
/// immutable, so SQLite does not even create its shared-memory file.
fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    if Path::new(&format!("{}-wal", path.display())).exists() {
        return open_read_only(path);
    }
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// The source of a backup: opened for writing (a WAL can only be read
/// that way) but never written, not even by the checkpoint on close: a
/// leftover WAL that is not the book's own must not be folded in.
fn open_source(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

fn is_sqlite(path: &Path) -> std::io::Result<bool> {
    Ok(crate::storage::pinned::head(path, 16)?.0 == b"SQLite format 3\0")
}

/// Runs the same checks as an open and a bulk write (the header's cheap
/// checks, SQLite's integrity and foreign-key checks) on `path` through a
/// read-only connection: the file is never written. A check that cannot
/// run (a full disk, an I/O error) says so in `unchecked`, never that the
/// book is damaged.
///
/// A journal beside the file is a large import cut off in the middle (see
/// `io::journal`; the caller tells one still running by the book's lock):
/// opening the book rolls it back, so the book is checked as that makes
/// it, through a private copy of both.
pub fn check_file(path: &Path) -> Result<Health, TransferError> {
    let journal = PathBuf::from(format!("{}-journal", path.display()));
    if std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0) && is_sqlite(path)? {
        return check_rolled_back(path, &journal);
    }
    check_as_is(path)
}

/// [`check_file`] on a copy of `path` with `journal` rolled back.
fn check_rolled_back(path: &Path, journal: &Path) -> Result<Health, TransferError> {
    let copy = path.with_file_name(format!(".{}.{}.rolled-back.part", file_name(path), std::process::id()));
    let result = (|| -> Result<Health, TransferError> {
        let copied = crate::io::file::copy_private(path, &copy)
            .and_then(|()| crate::io::file::copy_private(journal, Path::new(&format!("{}-journal", copy.display()))));
        if let Err(e) = copied {
            // No room for the copy, say: nothing is known of the book.
            return Ok(Health {
                unchecked: Some(e.to_string()),
                ..Health::blank()
            });
        }
        // The first read rolls the copy's journal back, as opening would.
        let rolled_back = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)));
        match rolled_back {
            Ok(_) => check_as_is(&copy),
            Err(e) => Ok(Health {
                problems: vec![e.to_string()],
                ..Health::blank()
            }),
        }
    })();
    remove_with_sidecars(&copy);
    result
}

fn check_as_is(path: &Path) -> Result<Health, TransferError> {
    let mut h = Health::blank();
    if !is_sqlite(path)? {
        h.problems
            .push("not an SQLite database (wrong or missing header)".into());
        return Ok(h);
    }
    let header = health::header_problems(path)?;
    let conn = match open_untouched(path) {
        Ok(c) => c,
        Err(e) => {
            h.unchecked = Some(e.to_string());
            h.problems = header;
            return Ok(h);
        }
    };
    let verdict = health::full_check(&conn);
    let run = |h: &mut Health| -> rusqlite::Result<()> {
        h.schema = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        h.rapport = app == APPLICATION_ID || (app == 0 && tables == 0);
        if h.rapport && tables > 0 {
            h.customers = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0)).ok();
        }
        Ok(())
    };
    h.problems = header;
    match verdict {
        Verdict::Healthy => h.intact = h.problems.is_empty(),
        Verdict::Damaged(p) => h.problems.extend(p),
        Verdict::Unchecked(why) => {
            h.unchecked = Some(why);
            return Ok(h);
        }
    }
    if let Err(e) = run(&mut h) {
        h.intact = false;
        h.problems.push(e.to_string());
    }
    if h.intact && h.rapport && h.schema > 0 {
        let missing = health::schema_problems(&conn).unwrap_or_default();
        h.intact = missing.is_empty();
        h.problems.extend(missing);
    }
    crate::storage::private_sidecars(path);
    Ok(h)
}

/// Copies every page of `src` into `dst` in one step: one read snapshot,
/// never restarted by a concurrent writer. Waits up to ten seconds for
/// locks.
fn copy_all(src: &Connection, dst: &mut Connection) -> rusqlite::Result<()> {
    use rusqlite::backup::StepResult;
    let b = Backup::new(src, dst)?;
    for _ in 0..200 {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed locked".into()),
    ))
}

/// The name of `path`'s file.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Copies the database `src` into the new private file `tmp` (any page
/// size), checks the copy and syncs it; on failure nothing of `tmp` is
/// left behind.
fn copy_checked(src: &Connection, tmp: &Path) -> Result<(), TransferError> {
    let result = (|| -> Result<(), TransferError> {
        create_private(tmp)?;
        let mut dst = Connection::open(tmp)?;
        copy_all(src, &mut dst)?;
        let check: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        dst.close().map_err(|(_, e)| e)?;
        if check != "ok" {
            return Err(TransferError::Refused(Refusal::Damaged(vec![check])));
        }
        std::fs::File::open(tmp)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        remove_with_sidecars(tmp);
    }
    result
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Copies the open database `src` into the new file `dest` (mode 0600)
/// in one consistent snapshot, checks the copy, then moves it into place.
fn backup_conn(src: &Connection, dest: &Path) -> Result<(), TransferError> {
    if dest.exists() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, dest.display().to_string()).into());
    }
    let tmp = dest.with_file_name(format!(".{}.{}.part", file_name(dest), std::process::id()));
    copy_checked(src, &tmp)?;
    std::fs::rename(&tmp, dest).inspect_err(|_| remove_with_sidecars(&tmp))?;
    Ok(())
}

/// An online backup of the database at `src` into the new file `dest`.
/// A full disk (of the backup folder, or of the book, where SQLite needs
/// room for its shared memory even to read) is told as
/// [`StorageError::DiskFull`], whatever SQLite called it; a failed backup
/// leaves no file behind, not even the empty WAL and shared memory its
/// reading made beside a book nobody else has open.
pub fn backup_file(src: &Path, dest: &Path) -> Result<(), TransferError> {
    if !is_sqlite(src)? {
        return Err(TransferError::Refused(Refusal::Invalid(format!(
            "{}: not an SQLite database",
            src.display()
        ))));
    }
    let sidecar = |s: &str| PathBuf::from(format!("{}{s}", src.display()));
    let had_sidecars = sidecar("-wal").exists() || sidecar("-shm").exists();
    let result = (|| {
        let conn = open_source(src)?;
        backup_conn(&conn, dest)
    })();
    let result = result.map_err(|e| for_want_of_room(e, &[dest, src]));
    if result.is_err() && !had_sidecars {
        remove_own_sidecars(src);
    }
    crate::storage::private_sidecars(src);
    result
}

/// `e` told as a full disk when one of the disks holding `paths` is full
/// and the error may come from a lack of room (SQLite reports shared
/// memory it could not make as a plain I/O error).
fn for_want_of_room(e: TransferError, paths: &[&Path]) -> TransferError {
    let mut storage = match e {
        TransferError::Storage(s) => s,
        TransferError::File(io) if io.kind() == std::io::ErrorKind::StorageFull => {
            return TransferError::Storage(StorageError::DiskFull);
        }
        other => return other,
    };
    for p in paths {
        storage = match crate::storage::room::full_at_open(storage, p, || crate::storage::room::free_space(p)) {
            StorageError::FullAtOpen { .. } => StorageError::DiskFull,
            s => s,
        };
    }
    TransferError::Storage(storage)
}

/// Removes the WAL (when empty) and shared memory a failed backup's
/// reading created beside the book `src`, only while no other Rapport has
/// the book open.
fn remove_own_sidecars(src: &Path) {
    let Ok(Ok(_alone)) = BookLock::exclusive(src, Duration::ZERO) else {
        return;
    };
    let wal = PathBuf::from(format!("{}-wal", src.display()));
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(&wal);
        let _ = std::fs::remove_file(format!("{}-shm", src.display()));
    }
}

/// Whether the backup at `backup` is a backup of the book at `db`: one of
/// its customers (each has a random uid, kept by every copy) is in the
/// book. Reads both, writes neither; anything that cannot be read, or a
/// backup without customers, is "no".
pub fn same_book(db: &Path, backup: &Path) -> bool {
    let run = || -> rusqlite::Result<bool> {
        let b = open_untouched(backup)?;
        let mut st = b.prepare(
            "SELECT uid FROM (SELECT uid FROM customers WHERE uid IS NOT NULL ORDER BY rowid LIMIT 16) \
             UNION SELECT uid FROM (SELECT uid FROM customers WHERE uid IS NOT NULL ORDER BY rowid DESC LIMIT 16)",
        )?;
        let uids = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if uids.is_empty() {
            return Ok(false);
        }
        let book = open_untouched(db)?;
        let mut q = book.prepare("SELECT EXISTS(SELECT 1 FROM customers WHERE uid = ?1)")?;
        for u in &uids {
            if q.query_row([u], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    };
    run().unwrap_or(false)
}

/// Replaces the database at `db` with the backup `from`: the backup is
/// checked first (intact, Rapport's, not newer); the book is taken for
/// this process alone (refused, naming the processes, while another
/// Rapport has it open: replacing a file under a running program is how
/// its writes get lost, "How To Corrupt An SQLite Database File" §2.4);
/// the current file is kept aside as `<db>.before-restore-<time>`
/// (returned); the backup is copied into a private new file, whatever its
/// page size, checked, and renamed over the book in one step.
pub fn restore_file(from: &Path, db: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>, TransferError> {
    let h = check_file(from)?;
    if !h.intact {
        return Err(TransferError::Refused(Refusal::Damaged(h.problems)));
    }
    if !h.rapport || h.schema == 0 {
        return Err(TransferError::Refused(Refusal::Invalid(format!(
            "{}: not a Rapport database",
            from.display()
        ))));
    }
    if h.schema > SCHEMA_VERSION {
        return Err(TransferError::Refused(Refusal::Newer {
            found: h.schema,
            known: SCHEMA_VERSION,
        }));
    }
    let _alone = match BookLock::exclusive(db, Duration::from_secs(2))? {
        Ok(l) => l,
        Err(holders) => return Err(TransferError::Refused(Refusal::InUse(holders))),
    };
    let has_current = std::fs::metadata(db).map(|m| m.len() > 0).unwrap_or(false);
    let aside = if has_current {
        let p = aside_name(db, now);
        keep_aside(db, &p).map_err(|e| match e {
            // Named after the file that could not be written.
            TransferError::File(source) => TransferError::Storage(StorageError::Create {
                path: p.clone(),
                source,
            }),
            other => other,
        })?;
        Some(p)
    } else {
        None
    };
    let tmp = db.with_file_name(format!(".{}.{}.restore.part", file_name(db), std::process::id()));
    copy_checked(&open_untouched(from)?, &tmp)?;
    let result = (|| -> Result<(), TransferError> {
        // The old WAL must not be folded into the new file; its content
        // is in the copy kept aside.
        for suffix in ["-wal", "-shm", "-journal"] {
            match std::fs::remove_file(format!("{}{suffix}", db.display())) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        std::fs::rename(&tmp, db)?;
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        remove_with_sidecars(&tmp);
    }
    result.map(|()| aside)
}

/// A name for the copy of `db` kept aside by a restore at `now` that no
/// file has yet: `<db>.before-restore-<time>`, then `-2`, `-3` … for
/// restores within one second.
fn aside_name(db: &Path, now: NaiveDateTime) -> PathBuf {
    let base = format!("{}.before-restore-{}", file_name(db), now.format("%Y%m%d-%H%M%S"));
    let taken = |p: &Path| p.exists() || Path::new(&format!("{}-wal", p.display())).exists();
    let mut p = db.with_file_name(&base);
    let mut n = 2;
    while taken(&p) {
        p = db.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    p
}

/// Keeps the current database at `aside`: an online copy, or the raw bytes
/// (file and WAL) when it is too damaged to be read as a database. On
/// failure nothing of `aside` is left.
fn keep_aside(db: &Path, aside: &Path) -> Result<(), TransferError> {
    if backup_file(db, aside).is_ok() {
        return Ok(());
    }
    // With what SQLite needs to read the file as the book is: its WAL, or
    // the journal of an import cut off in the middle (rolled back when the
    // copy is opened).
    let raw = || -> std::io::Result<()> {
        for suffix in ["", "-wal", "-journal"] {
            let from = PathBuf::from(format!("{}{suffix}", db.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                let mut out = create_private(&to)?;
                std::io::copy(&mut std::fs::File::open(&from)?, &mut out)?;
                out.sync_all()?;
            }
        }
        Ok(())
    };
    raw().inspect_err(|_| remove_with_sidecars(aside))?;
    Ok(())
}

/// Before migrating a database that already holds data, keeps a copy next
/// to it: `<db>.pre-v<N>.bak` (mode 0600), N the schema migrated to.
pub(crate) fn backup_before_migration(conn: &Connection) -> crate::storage::Result<()> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let db = PathBuf::from(path);
    let name = file_name(&db);
    let mut dest = db.with_file_name(format!("{name}.pre-v{SCHEMA_VERSION}.bak"));
    let mut n = 2;
    while dest.exists() {
        dest = db.with_file_name(format!("{name}.pre-v{SCHEMA_VERSION}-{n}.bak"));
        n += 1;
    }
    backup_conn(conn, &dest).map_err(|e| match e {
        TransferError::Storage(s) => s,
        TransferError::File(source) => StorageError::Create { path: dest, source },
        TransferError::Refused(r) => StorageError::Create {
            path: dest,
            source: std::io::Error::other(format!("{r:?}")),
        },
    })
}
