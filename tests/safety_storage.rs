//! Data safety at the storage level: leftover WAL files, concurrent
//! imports, two Rapports editing one record.

use std::path::Path;

use chrono::NaiveDateTime;
use rapport::domain::customer::Customer;
use rapport::storage::{Notice, Store};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn count(db: &Path) -> usize {
    Store::open(db).unwrap().customer_count().unwrap()
}

/// A book with `n` demo customers, its WAL folded in.
fn book(path: &Path, n: usize, seed: u64) {
    let mut s = Store::open(path).unwrap();
    rapport::demo::generate(&mut s, n, seed, now()).unwrap();
    s.checkpoint().unwrap();
}

#[test]
fn a_wal_left_by_another_book_is_set_aside_and_the_book_kept_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.db");
    book(&x, 400, 1);
    let before = std::fs::read(&x).unwrap();
    // Another book with writes still in its WAL (as after a crash).
    let y = dir.path().join("y.db");
    book(&y, 50, 2);
    let mut other = Store::open(&y).unwrap();
    for i in 0..40 {
        other.insert_customer(&Customer::new(format!("Y {i}"), now())).unwrap();
    }
    std::fs::copy(dir.path().join("y.db-wal"), dir.path().join("x.db-wal")).unwrap();
    drop(other);

    let mut store = Store::open(&x).unwrap();
    let notices = store.take_notices();
    let Some(Notice::WalSetAside(aside)) = notices.first() else {
        panic!("no notice: {notices:?}");
    };
    assert!(aside.exists(), "the WAL is kept aside");
    assert_eq!(store.customer_count().unwrap(), 400);
    drop(store);
    let h = rapport::storage::io::check_file(&x).unwrap();
    assert!(h.ok(), "{h:?}");
    assert_eq!(std::fs::read(&x).unwrap().len(), before.len(), "not truncated");
    assert_eq!(count(&x), 400);
}

#[test]
fn a_wal_left_by_a_crash_of_the_same_book_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.db");
    book(&x, 30, 1);
    let mut s = Store::open(&x).unwrap();
    s.insert_customer(&Customer::new("Written before the crash", now()))
        .unwrap();
    // A crash: the files as they are on disk, copied while the writer runs.
    let crash = dir.path().join("c.db");
    std::fs::copy(&x, &crash).unwrap();
    std::fs::copy(dir.path().join("x.db-wal"), dir.path().join("c.db-wal")).unwrap();
    drop(s);
    let mut store = Store::open(&crash).unwrap();
    assert!(store.take_notices().is_empty());
    assert_eq!(store.customer_count().unwrap(), 31);
}

#[test]
fn a_wal_beside_a_damaged_file_is_left_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.db");
    book(&x, 200, 1);
    let y = dir.path().join("y.db");
    book(&y, 50, 2);
    let mut other = Store::open(&y).unwrap();
    other.insert_customer(&Customer::new("Y", now())).unwrap();
    std::fs::copy(dir.path().join("y.db-wal"), dir.path().join("x.db-wal")).unwrap();
    drop(other);
    let mut bytes = std::fs::read(&x).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let page = ps * (bytes.len() / ps / 2);
    for b in &mut bytes[page..page + 16] {
        *b = 0x5A;
    }
    std::fs::write(&x, &bytes).unwrap();
    let wal = std::fs::read(dir.path().join("x.db-wal")).unwrap();
    let store = Store::open(&x);
    if let Ok(s) = &store {
        assert!(matches!(s.health(), rapport::storage::health::State::Damaged(_)));
    }
    drop(store);
    assert_eq!(std::fs::read(&x).unwrap(), bytes, "never written");
    assert_eq!(
        std::fs::read(dir.path().join("x.db-wal")).unwrap(),
        wal,
        "left in place"
    );
}

/// Two imports of one file at the same time: both planned against the
/// same book, then written one after the other (the second waits for the
/// write lock). Each customer is added once.
#[test]
fn two_imports_at_once_add_each_customer_once() {
    use rapport::io::plan::{DupPolicy, Plan};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    book(&db, 20, 1);
    let csv = dir.path().join("c.csv");
    let mut text = String::from("name,company,phone\n");
    for i in 0..300 {
        text.push_str(&format!("Person {i},Company {i},1380000{i:04}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&db).unwrap();
    let plan = |s: &Store| {
        let loaded = rapport::io::load::load(&csv, None).unwrap();
        Plan::new(loaded.convert(now()), &s.known_customers().unwrap(), DupPolicy::Skip)
    };
    let (pa, pb) = (plan(&a), plan(&b));
    for (store, p) in [(&mut a, pa), (&mut b, pb)] {
        let since = p.known_max;
        let (new, merges) = p.resolve();
        store
            .import_customers(&new, &merges, since, "import", now(), &mut |_, _| true)
            .unwrap();
    }
    assert_eq!(a.customer_count().unwrap(), 320);
}

/// A leftover WAL that makes the book one of a newer Rapport: refused,
/// and the WAL is not folded into the file on the way out.
#[test]
fn a_refused_book_with_a_leftover_wal_is_left_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.db");
    book(&x, 30, 1);
    let s = Store::open(&x).unwrap();
    let raw = rusqlite::Connection::open(&x).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    let crash = dir.path().join("c.db");
    std::fs::copy(&x, &crash).unwrap();
    std::fs::copy(dir.path().join("x.db-wal"), dir.path().join("c.db-wal")).unwrap();
    drop((s, raw));
    let (db, wal) = (
        std::fs::read(&crash).unwrap(),
        std::fs::read(dir.path().join("c.db-wal")).unwrap(),
    );
    assert!(matches!(
        Store::open(&crash),
        Err(rapport::storage::StorageError::TooNew { found: 99, .. })
    ));
    assert_eq!(std::fs::read(&crash).unwrap(), db);
    assert_eq!(std::fs::read(dir.path().join("c.db-wal")).unwrap(), wal);
}

/// A book replaced under a running Rapport (moved over by hand): its
/// writes are refused instead of going into the file that is gone.
#[test]
fn a_book_replaced_under_a_running_rapport_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    book(&live, 10, 1);
    let other = dir.path().join("other.db");
    book(&other, 20, 2);
    let mut store = Store::open(&live).unwrap();
    std::fs::rename(&other, &live).unwrap();
    let r = store.insert_customer(&Customer::new("Lost?", now()));
    assert!(
        matches!(r, Err(rapport::storage::StorageError::Replaced { .. })),
        "{r:?}"
    );
    drop(store);
    assert_eq!(count(&live), 20);
}
