//! Reading a book's file beside SQLite without dropping SQLite's locks.
//!
//! POSIX record locks belong to a process and a file, not to a descriptor:
//! closing *any* descriptor of the book drops every lock this process holds
//! on it, SQLite's own included. SQLite keeps its descriptors open for
//! that reason. Rapport reads the book's header itself (that it is SQLite
//! at all, and the header's cheap checks) when a book is opened, while
//! another connection of the process may hold it; a descriptor opened and
//! closed for that dropped the shared lock by which SQLite tells another
//! program that the book is in use. `sqlite3` (or any program) closing the
//! book then believed it was the last one, folded the WAL in and deleted
//! it under the running app: the app's later writes went to a deleted file.
//!
//! So a book's file is read through one descriptor per book, opened when
//! the first `Store` of this process opens it and closed when the last
//! one is dropped (SQLite's connections are gone by then).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The file's identity: device and inode, or its path where there are none.
#[cfg(unix)]
type Key = (u64, u64);
#[cfg(not(unix))]
type Key = std::path::PathBuf;

fn key(path: &Path) -> std::io::Result<Key> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path)?;
        Ok((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path)
    }
}

/// Open books' descriptors, each with the number of `Pin`s holding it.
type Pins = Option<HashMap<Key, (Arc<File>, usize)>>;

static PINS: Mutex<Pins> = Mutex::new(None);

fn pins() -> std::sync::MutexGuard<'static, Pins> {
    PINS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps the book's descriptor open while it lives.
#[derive(Debug)]
pub(crate) struct Pin {
    key: Key,
}

impl Pin {
    pub(crate) fn new(path: &Path) -> std::io::Result<Pin> {
        let key = key(path)?;
        let mut pins = pins();
        let map = pins.get_or_insert_with(HashMap::new);
        match map.get_mut(&key) {
            Some((_, n)) => *n += 1,
            None => {
                #[allow(clippy::clone_on_copy)]
                map.insert(key.clone(), (Arc::new(File::open(path)?), 1));
            }
        }
        Ok(Pin { key })
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        let mut pins = pins();
        let Some(map) = pins.as_mut() else { return };
        if let Some((_, n)) = map.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// The file's first `n` bytes (fewer when it is shorter) and its size,
/// read through the pinned descriptor when the book is open in this
/// process, else through one of its own.
pub(crate) fn head(path: &Path, n: usize) -> std::io::Result<(Vec<u8>, u64)> {
    let pinned = key(path)
        .ok()
        .and_then(|k| pins().as_ref()?.get(&k).map(|(f, _)| f.clone()));
    let file = match pinned {
        Some(f) => f,
        None => Arc::new(File::open(path)?),
    };
    let size = file.metadata()?.len();
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let read = read_at(&file, &mut buf[got..], got as u64)?;
        if read == 0 {
            break;
        }
        got += read;
    }
    buf.truncate(got);
    Ok((buf, size))
}

/// An existing non-empty file must be SQLite.
pub(super) fn check_header(path: &Path) -> super::Result<()> {
    let not = || super::StorageError::NotSqlite {
        path: path.to_path_buf(),
    };
    match head(path, 16) {
        Ok((h, _)) if h == b"SQLite format 3\0" => Ok(()),
        Ok((_, 0)) => Ok(()),
        _ => Err(not()),
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, at)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The POSIX locks this process holds on `path`'s file (Linux).
    #[cfg(target_os = "linux")]
    fn locks_held(path: &Path) -> usize {
        use std::os::unix::fs::MetadataExt;
        let ino = std::fs::metadata(path).unwrap().ino();
        let me = std::process::id().to_string();
        std::fs::read_to_string("/proc/locks")
            .unwrap()
            .lines()
            .filter(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                f.get(1) == Some(&"POSIX")
                    && f.get(4) == Some(&me.as_str())
                    && f.get(5).and_then(|d| d.rsplit(':').next()) == Some(ino.to_string().as_str())
            })
            .count()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn opening_the_book_again_keeps_sqlites_lock_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("b.db");
        let first = super::super::Store::open(&db).unwrap();
        first.customer_count().unwrap();
        assert!(locks_held(&db) > 0, "SQLite holds a shared lock on a book in WAL mode");
        // A second store of the same book (the sync's, a background
        // check's) reads the header: the first one's lock stays.
        let second = super::super::Store::open(&db).unwrap();
        second.customer_count().unwrap();
        drop(second);
        assert!(locks_held(&db) > 0, "the book's lock was dropped by a header read");
        let (h, size) = head(&db, 16).unwrap();
        assert_eq!(&h, b"SQLite format 3\0");
        assert!(size > 0);
        assert!(locks_held(&db) > 0);
        drop(first);
    }

    #[test]
    fn a_short_file_reads_what_it_has() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(head(&p, 16).unwrap(), (b"abc".to_vec(), 3));
        let _pin = Pin::new(&p).unwrap();
        assert_eq!(head(&p, 2).unwrap(), (b"ab".to_vec(), 3));
    }
}
