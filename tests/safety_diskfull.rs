//! A full disk, for real: a small tmpfs is mounted for each test. That
//! needs root (CI runs as root); otherwise each test says in one line that
//! it skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pty::*;

/// A mounted tmpfs of `size`, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the rest of the disk; the filler file is returned.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let p = self.path().join("filler");
        let mut f = std::fs::File::create(&p).unwrap();
        let block = vec![0xABu8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// A demo book of 20 customers on `fs`, written and closed by the CLI.
fn demo_on(fs: &Tmpfs) -> (Book, PathBuf) {
    let book = Book::new();
    let db = fs.path().join("book.db");
    assert!(book.cli_on(&db, &["demo", "--customers", "20"]).status.success());
    (book, db)
}

fn skipped(name: &str) {
    eprintln!("skipped {name}: needs root to mount a tmpfs");
}

#[test]
fn check_on_a_full_disk_says_it_could_not_check() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return skipped("check_on_a_full_disk_says_it_could_not_check");
    };
    // A book left with its WAL (as after a crash), on a disk then full:
    // reading the WAL needs a shared-memory file the disk has no room for.
    let src = tempfile::tempdir().unwrap();
    let live = src.path().join("live.db");
    let mut store = rapport::storage::Store::open(&live).unwrap();
    rapport::demo::generate(&mut store, 20, 1, common::now()).unwrap();
    store.checkpoint().unwrap();
    store
        .insert_customer(&rapport::domain::customer::Customer::new("In the WAL", common::now()))
        .unwrap();
    let db = fs.path().join("book.db");
    std::fs::copy(&live, &db).unwrap();
    std::fs::copy(src.path().join("live.db-wal"), fs.path().join("book.db-wal")).unwrap();
    drop(store);
    let filler = fs.fill();
    let book = Book::new();
    let out = book.cli_on(&db, &["check"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!stdout.contains("damaged"), "a full disk is not damage: {stdout}");
    assert!(!stdout.contains("restore"), "{stdout}");
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("could not check"), "{stderr}");
    std::fs::remove_file(filler).unwrap();
    let out = book.cli_on(&db, &["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_draft_that_cannot_be_written_is_reported_with_a_failing_exit() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return skipped("a_draft_that_cannot_be_written_is_reported_with_a_failing_exit");
    };
    let (book, db) = demo_on(&fs);
    let args = [
        "--db".to_string(),
        db.display().to_string(),
        "--now".into(),
        NOW.into(),
        "--config".into(),
        NO_CONFIG.into(),
    ];
    let mut tui = Tui::spawn(&args, book.dir.path(), ROWS, COLS);
    tui.wait_for("Name");
    tui.send(b"a");
    tui.wait_for("New customer");
    tui.send("磁盘已满".as_bytes());
    tui.wait_for("磁盘已满");
    let _filler = fs.fill();
    tui.signal(libc::SIGTERM);
    let status = tui.wait_exit();
    assert!(!status.success(), "a lost draft is not a clean exit");
    let out = String::from_utf8_lossy(&tui.output()).into_owned();
    let leave = out.rfind("\x1b[?1049l").expect("terminal restored");
    let said = out.rfind("could not be kept as a draft").expect("said on stderr");
    assert!(leave < said, "said after the terminal was restored");
    let log = std::fs::read_to_string(book.dir.path().join("data/rapport/rapport.log")).unwrap();
    assert!(log.contains("draft not saved"), "{log}");
    assert!(rapport::app::draft::files(&db).is_empty());
}

#[test]
fn a_book_whose_disk_is_full_says_so_when_it_cannot_be_opened() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return skipped("a_book_whose_disk_is_full_says_so_when_it_cannot_be_opened");
    };
    let (book, db) = demo_on(&fs);
    // Closed cleanly: SQLite needs room for its shared memory to read it.
    assert!(!fs.path().join("book.db-shm").exists());
    let filler = fs.fill();
    for args in [&["agenda"][..], &["find", "a"]] {
        let out = book.cli_on(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("the disk is full"), "{args:?}: {stderr}");
        assert!(stderr.contains("intact"), "{args:?}: {stderr}");
        assert!(!stderr.contains("I/O error"), "{args:?}: {stderr}");
    }
    std::fs::remove_file(filler).unwrap();
    let out = book.cli_on(&db, &["find", "a"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `rapport backup` on a full disk says the disk is full, in the user's
/// language, and leaves nothing behind: no partial backup, and no WAL or
/// shared memory beside the book.
#[test]
fn a_backup_on_a_full_disk_says_so_and_leaves_nothing_behind() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return skipped("a_backup_on_a_full_disk_says_so_and_leaves_nothing_behind");
    };
    let (book, db) = demo_on(&fs);
    let before: Vec<_> = std::fs::read_dir(fs.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let filler = fs.fill();
    let bk = fs.path().join("bk");
    for (lang, said) in [("en", "the disk is full"), ("zh", "磁盘已满")] {
        let out = book.cli_on(&db, &["--lang", lang, "backup", bk.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(!stderr.contains("I/O error"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_dir(&bk).map(|d| d.count()).unwrap_or(0),
        0,
        "no partial backup"
    );
    std::fs::remove_file(filler).unwrap();
    let mut after: Vec<_> = std::fs::read_dir(fs.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    after.retain(|n| n != "bk");
    assert_eq!(after, before, "nothing left beside the book");
    let out = book.cli_on(&db, &["backup", bk.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
