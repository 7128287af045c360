//! Telling the user their disk is full when that is why the book does not
//! open.

use std::path::Path;

use super::StorageError;

/// Free space of the disk holding `path` (for the user, not root), when
/// the system tells it.
pub(super) fn free_space(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
        // SAFETY: `c` is a NUL-terminated path and `st` room for the answer,
        // read only when the call succeeds.
        let st = unsafe { (libc::statvfs(c.as_ptr(), st.as_mut_ptr()) == 0).then(|| st.assume_init()) }?;
        // Narrower than 64 bits on some systems.
        #[allow(clippy::useless_conversion)]
        let (blocks, size) = (u64::from(st.f_bavail), u64::from(st.f_frsize));
        Some(blocks.saturating_mul(size))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Below this much free space an open that fails for want of room is said
/// to: SQLite needs 32 KiB beside the book for its shared memory.
const ROOM_TO_OPEN: u64 = 1 << 20;

/// An error opening the book at `path` told as a full disk when it is one:
/// SQLite reports the shared memory it could not make as a plain I/O
/// error, which says nothing to the user. `free` (the disk's free space)
/// is asked only of an error that may come from a lack of room.
pub(super) fn full_at_open(e: StorageError, path: &Path, free: impl FnOnce() -> Option<u64>) -> StorageError {
    let for_want_of_room = match &e {
        StorageError::DiskFull => true,
        StorageError::Sql(inner) => {
            matches!(
                inner.sqlite_error_code(),
                Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::CannotOpen)
            )
        }
        StorageError::Create { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    };
    if for_want_of_room && free().is_some_and(|f| f < ROOM_TO_OPEN) {
        StorageError::FullAtOpen {
            path: path.to_path_buf(),
        }
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_error() -> StorageError {
        StorageError::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR_SHMSIZE),
            None,
        ))
    }

    #[test]
    fn an_open_failing_on_a_full_disk_says_the_disk_is_full() {
        let path = Path::new("/books/t.db");
        for e in [
            io_error(),
            StorageError::DiskFull,
            StorageError::Create {
                path: path.into(),
                source: std::io::Error::from(std::io::ErrorKind::StorageFull),
            },
        ] {
            assert!(
                matches!(full_at_open(e, path, || Some(4096)), StorageError::FullAtOpen { path: p } if p == path),
                "told as a full disk"
            );
        }
    }

    #[test]
    fn other_failures_and_disks_with_room_keep_their_own_message() {
        let path = Path::new("/books/t.db");
        // Room enough: the I/O error is something else.
        assert!(matches!(
            full_at_open(io_error(), path, || Some(10 << 30)),
            StorageError::Sql(_)
        ));
        // The free space unknown: nothing is guessed.
        assert!(matches!(full_at_open(io_error(), path, || None), StorageError::Sql(_)));
        // Not a failure for want of room: the disk is not even asked.
        assert!(matches!(
            full_at_open(StorageError::Busy, path, || unreachable!("asked")),
            StorageError::Busy
        ));
        let denied = StorageError::Create {
            path: path.into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert!(matches!(
            full_at_open(denied, path, || Some(0)),
            StorageError::Create { .. }
        ));
    }

    #[test]
    fn the_free_space_of_an_existing_folder_is_read() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        assert!(free_space(&dir.path().join("t.db")).is_some_and(|f| f > 0));
    }
}
