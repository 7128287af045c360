//! A large import into a book no one else has open is written once,
//! through a rollback journal, and the book is back in WAL mode after it;
//! with another connection open it goes through the WAL as before; killed
//! halfway, the book opens as it was.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use rapport::domain::customer::Customer;
use rapport::storage::Store;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

/// More rows than the import writes row by row (it rebuilds the indexes
/// and leaves WAL mode from 5,000 on).
const ROWS: usize = 6000;

fn customers(n: usize) -> Vec<Customer> {
    (0..n)
        .map(|i| {
            let mut c = Customer::new(format!("客户{i}"), now());
            c.company = format!("公司{}", i % 700);
            c.phones = vec![format!("139{i:08}")];
            c
        })
        .collect()
}

fn side(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

fn len(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// The journal mode the file's header records (bytes 18–19: 2 is WAL).
fn header_says_wal(db: &Path) -> bool {
    let bytes = std::fs::read(db).unwrap();
    bytes[18] == 2 && bytes[19] == 2
}

/// Runs the child test `name` on `db` (through the variable `var`), waits
/// until it prints `word` (after the harness's "test name ... "), calls
/// `then`, and kills it (SIGKILL).
fn kill_when_it_says(db: &Path, name: &str, var: &str, word: &str, then: impl FnOnce()) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--ignored", "--nocapture", "--test-threads=1"])
        .env(var, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let said = out.lines().map_while(Result::ok).any(|l| l.ends_with(word));
    assert!(said, "{name} ended before saying {word:?}");
    then();
    child.kill().unwrap();
    child.wait().unwrap();
}

fn integrity_ok(db: &Path) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    let r: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    r == "ok"
}

#[test]
fn a_large_import_alone_goes_through_a_rollback_journal_and_leaves_the_book_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    store.insert_customer(&Customer::new("王芳", now())).unwrap();
    let new = customers(ROWS);
    // Cancelled halfway: nothing written, the book in WAL mode again.
    let mut journal_seen = false;
    let cancelled = store
        .import_customers(&new, &[], 0, "import", now(), &mut |done, _| {
            journal_seen |= len(&side(&db, "-journal")) > 0 && len(&side(&db, "-wal")) == 0;
            done < ROWS / 2
        })
        .unwrap();
    assert_eq!(cancelled, None);
    assert!(journal_seen, "the import did not go through a rollback journal");
    assert_eq!(store.customer_count().unwrap(), 1);
    assert!(header_says_wal(&db), "a cancelled import left the book out of WAL mode");
    // Written in full.
    let mut journal_seen = false;
    let written = store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| {
            journal_seen |= len(&side(&db, "-journal")) > 0;
            true
        })
        .unwrap()
        .unwrap();
    assert!(journal_seen);
    assert_eq!(written.inserted, ROWS);
    assert_eq!(store.customer_count().unwrap(), ROWS + 1);
    assert!(!side(&db, "-journal").exists(), "the journal is left behind");
    assert!(header_says_wal(&db));
    // Later writes go through the WAL again.
    store.insert_customer(&Customer::new("李娜", now())).unwrap();
    assert!(len(&side(&db, "-wal")) > 0);
    drop(store);
    assert!(integrity_ok(&db));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.customer_count().unwrap(), ROWS + 2);
}

#[test]
fn with_another_connection_open_a_large_import_goes_through_the_wal_and_the_other_keeps_reading() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    store.insert_customer(&Customer::new("王芳", now())).unwrap();
    // Another Rapport (the app, say) has the book open.
    let other = Store::open(&db).unwrap();
    let new = customers(ROWS);
    let mut seen_by_other = Vec::new();
    let started = Instant::now();
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |done, _| {
            assert!(
                !side(&db, "-journal").exists(),
                "left WAL mode with another connection open"
            );
            if done > 0 && done < ROWS {
                // The other keeps reading the book as it was.
                seen_by_other.push(other.customer_count().unwrap());
            }
            true
        })
        .unwrap()
        .unwrap();
    // It did not wait for the other connection to close the book.
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert!(!seen_by_other.is_empty());
    assert!(seen_by_other.iter().all(|&n| n == 1), "{seen_by_other:?}");
    assert_eq!(other.customer_count().unwrap(), ROWS + 1);
    assert!(header_says_wal(&db));
}

/// When run as a child (RAPPORT_IMPORT_DB set): imports and stops halfway
/// for good, saying so on stdout, to be killed there.
#[test]
#[ignore = "runs only as the child process of the kill test"]
fn importer_process() {
    let Ok(path) = std::env::var("RAPPORT_IMPORT_DB") else {
        return;
    };
    let mut store = Store::open(Path::new(&path)).unwrap();
    let new = customers(ROWS);
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |done, _| {
            if done >= ROWS / 2 {
                // After the harness's "test importer_process ... ".
                println!("halfway");
                std::thread::sleep(Duration::from_secs(120));
            }
            true
        })
        .unwrap();
}

#[test]
fn an_import_killed_halfway_through_the_journal_leaves_the_book_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut store = Store::open(&db).unwrap();
        store.insert_customer(&Customer::new("王芳", now())).unwrap();
        store.insert_customer(&Customer::new("张伟", now())).unwrap();
    }
    kill_when_it_says(&db, "importer_process", "RAPPORT_IMPORT_DB", "halfway", || {
        assert!(len(&side(&db, "-journal")) > 0, "no journal while the import runs");
    });
    // A journal left behind by a crash: SQLite rolls it back at the next open.
    assert!(side(&db, "-journal").exists());
    let store = Store::open(&db).unwrap();
    assert_eq!(store.customer_count().unwrap(), 2);
    assert!(
        !matches!(store.health(), rapport::storage::health::State::Damaged(_)),
        "the book opened read-only after the crash"
    );
    // And takes writes.
    let mut store = store;
    store.insert_customer(&Customer::new("李娜", now())).unwrap();
    drop(store);
    assert!(!side(&db, "-journal").exists());
    assert!(header_says_wal(&db));
    assert!(integrity_ok(&db));
}

/// When run as a child (RAPPORT_SPILL_DB set): writes many rows through a
/// rollback journal with a small page cache, so that pages go into the
/// book before the commit, then stops for good, saying so, to be killed.
#[test]
#[ignore = "runs only as the child process of the check test"]
fn spilling_writer_process() {
    let Ok(path) = std::env::var("RAPPORT_SPILL_DB") else {
        return;
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0))
        .unwrap();
    // Every row grows, so pages split all over the book.
    conn.execute_batch(
        "PRAGMA cache_size = 20;
         BEGIN IMMEDIATE;
         UPDATE customers SET notes = hex(randomblob(300));",
    )
    .unwrap();
    println!("written");
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn check_reads_a_book_a_killed_write_left_half_written_as_opening_will_make_it_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    Store::open(&db)
        .unwrap()
        .import_customers(&customers(3000), &[], 0, "import", now(), &mut |_, _| true)
        .unwrap();
    let file = std::fs::read(&db).unwrap();
    kill_when_it_says(&db, "spilling_writer_process", "RAPPORT_SPILL_DB", "written", || {});
    assert_ne!(
        std::fs::read(&db).unwrap(),
        file,
        "nothing went into the book before the kill"
    );
    assert!(len(&side(&db, "-journal")) > 0);
    let file = std::fs::read(&db).unwrap();
    let h = rapport::storage::io::check_file(&db).unwrap();
    assert!(h.ok(), "{:?}", h.problems);
    assert_eq!(h.customers, Some(3000));
    assert_eq!(std::fs::read(&db).unwrap(), file, "the check wrote into the book");
    assert!(side(&db, "-journal").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Opening rolls the write back: the book as it was, writable.
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.customer_count().unwrap(), 3000);
    assert_eq!(store.customer(1).unwrap().notes, "");
    store.insert_customer(&Customer::new("李娜", now())).unwrap();
    drop(store);
    assert!(!side(&db, "-journal").exists());
    assert!(integrity_ok(&db));
}
