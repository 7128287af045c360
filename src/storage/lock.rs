//! Who has a book open. Every Rapport that opens a book holds a shared
//! lock on `<db>.lock` (mode 0600) for as long as it has the book open;
//! a restore takes it exclusively, so it never replaces a file another
//! Rapport is writing into, and an open waits while a restore runs.
//!
//! The lock is `flock` on a separate file, never a lock on the database
//! itself: SQLite's own POSIX locks are dropped when any descriptor of the
//! database closes in the process, so opening the database a second time
//! to lock it would silently cancel SQLite's locks ("How To Corrupt An
//! SQLite Database File", §2.2). The lock file also keeps two small facts
//! about the book: the day of its last full check and whether the user
//! has been told the book is readable by others.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file of a database.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

/// A process that holds a book open: its id and its command name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub command: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.command.is_empty() {
            write!(f, "{}", self.pid)
        } else {
            write!(f, "{} ({})", self.pid, self.command)
        }
    }
}

/// A held lock on a book; released when dropped.
#[derive(Debug)]
pub struct BookLock {
    file: File,
    path: PathBuf,
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts.open(path)?;
    crate::io::file::private_mode(&f)?;
    Ok(f)
}

/// Tries `take` on the lock file of `db` until it succeeds or `wait` has
/// passed; `Ok(None)` when it stayed taken.
fn take_within(
    db: &Path,
    wait: Duration,
    take: fn(&File) -> Result<(), std::fs::TryLockError>,
) -> std::io::Result<Result<BookLock, PathBuf>> {
    let path = path_for(db);
    let file = open_lock_file(&path)?;
    let start = Instant::now();
    loop {
        match take(&file) {
            Ok(()) => return Ok(Ok(BookLock { file, path })),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(Err(path)),
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

impl BookLock {
    /// Takes the shared lock of the book at `db`, waiting up to `wait`
    /// while a restore holds it. `Ok(None)` when it stayed taken.
    pub fn shared(db: &Path, wait: Duration) -> std::io::Result<Option<BookLock>> {
        Ok(take_within(db, wait, File::try_lock_shared)?.ok())
    }

    /// Takes the book for this process alone, waiting up to `wait`;
    /// `Err(holders)` (the processes that have it open, as far as they can
    /// be told) when others keep it open.
    pub fn exclusive(db: &Path, wait: Duration) -> std::io::Result<Result<BookLock, Vec<Holder>>> {
        Ok(take_within(db, wait, File::try_lock)?.map_err(|path| holders(&path)))
    }

    /// Tries once to turn this shared lock into an exclusive one (no other
    /// process has the book open); puts the shared lock back otherwise.
    pub fn try_alone(&self) -> bool {
        if self.file.try_lock().is_ok() {
            return true;
        }
        let _ = self.file.lock_shared();
        false
    }

    /// Back to a shared lock after [`BookLock::try_alone`].
    pub fn share(&self) {
        let _ = self.file.lock_shared();
    }

    fn read_state(&self) -> String {
        let mut s = String::new();
        let mut f = &self.file;
        let _ = f.seek(SeekFrom::Start(0)).and_then(|_| f.read_to_string(&mut s));
        s
    }

    /// A remembered fact about the book (`key=value` lines).
    pub fn get(&self, key: &str) -> Option<String> {
        self.read_state()
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('=').map(str::to_string))
    }

    /// Remembers a fact about the book.
    pub fn set(&self, key: &str, value: &str) -> std::io::Result<()> {
        let mut lines: Vec<String> = self
            .read_state()
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}=")))
            .map(str::to_string)
            .collect();
        lines.push(format!("{key}={value}"));
        let mut f = &self.file;
        f.seek(SeekFrom::Start(0))?;
        self.file.set_len(0)?;
        f.write_all((lines.join("\n") + "\n").as_bytes())?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The processes that have the lock file open (Linux: read from /proc),
/// this one excluded.
pub fn holders(lock: &Path) -> Vec<Holder> {
    let mut out = Vec::new();
    let Ok(target) = lock.canonicalize() else {
        return out;
    };
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return out;
    };
    for p in procs.flatten() {
        let Some(pid) = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        if fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target))
        {
            let command = std::fs::read_to_string(p.path().join("comm"))
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            out.push(Holder { pid, command });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_locks_keep_a_restore_out_and_remember_facts() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let a = BookLock::shared(&db, Duration::ZERO).unwrap().unwrap();
        let b = BookLock::shared(&db, Duration::ZERO).unwrap().unwrap();
        assert!(BookLock::exclusive(&db, Duration::ZERO).unwrap().is_err());
        assert!(!a.try_alone(), "b holds it too");
        drop(b);
        assert!(a.try_alone());
        a.share();
        a.set("checked", "2026-11-23").unwrap();
        a.set("mode_told", "1").unwrap();
        a.set("checked", "2026-11-24").unwrap();
        assert_eq!(a.get("checked").as_deref(), Some("2026-11-24"));
        assert_eq!(a.get("mode_told").as_deref(), Some("1"));
        drop(a);
        let x = BookLock::exclusive(&db, Duration::ZERO).unwrap().unwrap();
        assert!(BookLock::shared(&db, Duration::from_millis(100)).unwrap().is_none());
        drop(x);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path_for(&db)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
