//! A bulk import writes its pages once, through a rollback journal, when
//! no other connection has the book open.
//!
//! In WAL mode every page of a large import is written twice: into the
//! WAL (a page the page cache lets go is written there and read back from
//! there), then into the book at the checkpoint that follows the commit.
//! With a rollback journal the pages go straight into the book, and the
//! journal holds only the earlier content of the pages the import changes
//! (nothing of the pages it adds at the end), so a crash in the middle
//! still leaves the book as it was before: SQLite rolls the journal back
//! at the next open. A million rows into a new book: the write 23–24 s →
//! 14–17 s.
//!
//! SQLite leaves WAL mode only when no other connection has the book open
//! (another Rapport, a worker of this one). Then nothing changes: the
//! import goes through the WAL as before, and readers elsewhere keep
//! reading while it runs. While the import runs through the journal,
//! another program that opens the book waits for it like for any write,
//! and is told the book is busy after the usual wait.

use std::time::Duration;

use rusqlite::Connection;

/// Switches `conn`'s book to a rollback journal if no other connection
/// has it open; whether it did. Does not wait for others to close it.
pub(super) fn leave_wal(conn: &Connection, busy: Duration) -> bool {
    if conn.busy_timeout(Duration::ZERO).is_err() {
        return false;
    }
    let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
    let _ = conn.busy_timeout(busy);
    matches!(mode.as_deref(), Ok("delete"))
}

/// Puts the book back in WAL mode after [`leave_wal`]. Should another
/// program be reading at that moment (after the usual wait), the book
/// stays in rollback mode until the next open, which sets WAL mode again.
pub(super) fn back_to_wal(conn: &Connection) {
    let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
}
