//! Backups taken while another connection writes, restores that check
//! first and keep the current file aside, and a health check that never
//! writes to the file it checks.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDateTime;
use rapport::domain::customer::Customer;
use rapport::storage::Store;
use rapport::storage::io::{Refusal, TransferError, backup_file, check_file, restore_file};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Everything about a directory that a write would change.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let m = std::fs::metadata(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
                m.modified().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let mut store = Store::open(&db).unwrap();
    rapport::demo::generate(&mut store, 300, 1, now()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut w = Store::open(&db).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut c = Customer::new(format!("Writer {n}"), now());
                c.notes = "x".repeat(2000);
                w.insert_customer(&c).unwrap();
                n += 1;
            }
            n
        })
    };
    let mut counts = Vec::new();
    for i in 0..6 {
        std::thread::sleep(std::time::Duration::from_millis(60));
        let dest = dir.path().join(format!("copy-{i}.db"));
        backup_file(&db, &dest).unwrap();
        assert_eq!(mode(&dest), 0o600);
        let h = check_file(&dest).unwrap();
        assert!(h.ok(), "backup {i}: {h:?}");
        counts.push(h.customers.unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0);
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(
        counts[0] >= 300 && *counts.last().unwrap() <= 300 + written,
        "{counts:?}"
    );
    // Each copy is a consistent snapshot: opened as a book it works.
    let copy = Store::open(&dir.path().join("copy-5.db")).unwrap();
    assert_eq!(copy.customer_count().unwrap() as i64, counts[5]);
}

#[test]
fn the_check_never_writes_to_the_file_it_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut store = Store::open(&db).unwrap();
        rapport::demo::generate(&mut store, 50, 1, now()).unwrap();
        store.checkpoint().unwrap();
    }
    let before = snapshot(dir.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let h = check_file(&db).unwrap();
    assert!(h.ok(), "{h:?}");
    assert_eq!(h.customers, Some(50));
    assert_eq!(snapshot(dir.path()), before, "no file changed or appeared");
    // Damage a page: reported, and still nothing written.
    let mut bytes = std::fs::read(&db).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for b in &mut bytes[ps * 3..ps * 3 + 600] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = snapshot(dir.path());
    let h = check_file(&db).unwrap();
    assert!(!h.ok() && !h.problems.is_empty(), "{h:?}");
    assert_eq!(snapshot(dir.path()), before);
    // Not a database at all.
    std::fs::write(&db, b"name,phone\n").unwrap();
    let h = check_file(&db).unwrap();
    assert!(!h.ok());
}

#[test]
fn the_check_works_while_rapport_has_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    store.insert_customer(&Customer::new("张伟", now())).unwrap();
    let main_file = std::fs::read(&db).unwrap();
    let h = check_file(&db).unwrap();
    assert!(h.ok(), "{h:?}");
    assert_eq!(h.customers, Some(1), "the WAL is read");
    assert_eq!(std::fs::read(&db).unwrap(), main_file);
}

#[test]
fn restore_checks_first_and_keeps_the_current_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let mut store = Store::open(&db).unwrap();
    rapport::demo::generate(&mut store, 40, 1, now()).unwrap();
    let backup = dir.path().join("book-backup.db");
    backup_file(&db, &backup).unwrap();
    store
        .insert_customer(&Customer::new("Added after the backup", now()))
        .unwrap();
    drop(store);

    // A damaged backup is refused; the database is untouched.
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for b in &mut bytes[ps * 2..ps * 2 + 800] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let live = std::fs::read(&db).unwrap();
    let r = restore_file(&damaged, &db, now());
    assert!(matches!(r, Err(TransferError::Refused(Refusal::Damaged(_)))), "{r:?}");
    assert_eq!(std::fs::read(&db).unwrap(), live);
    // So is a database of another program.
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    assert!(matches!(
        restore_file(&foreign, &db, now()),
        Err(TransferError::Refused(Refusal::Invalid(_)))
    ));
    // And one from a newer Rapport.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        restore_file(&newer, &db, now()),
        Err(TransferError::Refused(Refusal::Newer { found: 99, .. }))
    ));
    assert_eq!(std::fs::read(&db).unwrap(), live);

    // A restore is refused while a Rapport has the book open: it would
    // keep writing into the replaced file. Nothing changes.
    let reader = Store::open(&db).unwrap();
    let r = restore_file(&backup, &db, now());
    assert!(matches!(r, Err(TransferError::Refused(Refusal::InUse(_)))), "{r:?}");
    assert_eq!(reader.customer_count().unwrap(), 41);
    drop(reader);
    assert_eq!(std::fs::read(&db).unwrap(), live);
    let aside = restore_file(&backup, &db, now()).unwrap().unwrap();
    assert_eq!(Store::open(&db).unwrap().customer_count().unwrap(), 40);
    assert_eq!(Store::open(&aside).unwrap().customer_count().unwrap(), 41);
    assert_eq!(mode(&aside), 0o600);
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("book.db.before-restore-")
    );
}

/// A backup with another page size (8192, 1024) is restored in full over
/// a book of 4 KiB pages, and no Rapport writes into a file that is no
/// longer the book.
#[test]
fn a_backup_of_any_page_size_is_restored() {
    for page in [8192, 1024] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let mut store = Store::open(&db).unwrap();
        rapport::demo::generate(&mut store, 12, 1, now()).unwrap();
        drop(store);
        let other = dir.path().join("other.db");
        {
            let c = rusqlite::Connection::open(&other).unwrap();
            c.pragma_update(None, "page_size", page).unwrap();
            c.execute_batch("VACUUM").unwrap();
        }
        let mut store = Store::open(&other).unwrap();
        rapport::demo::generate(&mut store, 30, 2, now()).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        let size: i64 = rusqlite::Connection::open(&other)
            .unwrap()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, page);
        restore_file(&other, &db, now()).unwrap().unwrap();
        let mut store = Store::open(&db).unwrap();
        assert_eq!(store.customer_count().unwrap(), 30, "page size {page}");
        store
            .insert_customer(&Customer::new("After the restore", now()))
            .unwrap();
        drop(store);
        let h = check_file(&db).unwrap();
        assert!(h.ok(), "{h:?}");
        assert_eq!(h.customers, Some(31));
    }
}
