use std::path::Path;

use chrono::NaiveDateTime;

use super::*;
use crate::domain::customer::Customer;
use crate::domain::interaction::InteractionKind;
use crate::search::{Query, normalize_query};
use crate::storage::Store;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn book(n: usize) -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    crate::demo::generate(&mut store, n, 5, now()).unwrap();
    (dir, path, store)
}

/// Two indexes list the same customers the same way: each customer's entry
/// and key, and the four orders as customer ids (an index brought up to
/// date numbers its entries in another order than one built afresh).
fn assert_same(got: &Index, want: &Index) {
    assert_eq!(got.len(), want.len());
    for i in 0..want.len() as u32 {
        let e = want.entry(i);
        let g = got.position_of(e.id).expect("every customer");
        assert_eq!(got.entry(g), e);
        assert_eq!(got.key(g), want.key(i));
        assert_eq!(got.masks[g as usize], want.masks[i as usize]);
    }
    let ids = |x: &Index, by: SortBy| x.order(by).iter().map(|&i| x.entry(i).id).collect::<Vec<_>>();
    for by in SortBy::ALL {
        assert_eq!(ids(got, by), ids(want, by), "{by:?}");
    }
}

fn fresh(path: &Path) -> Index {
    Index::load(path, &Cadence::default()).unwrap()
}

/// Renames a company of several people to "Renamed Holdings": their keys
/// change though their rows do not.
pub(in crate::search) fn rename_a_company_of_several(store: &mut Store) {
    let mut co = store
        .companies()
        .unwrap()
        .into_iter()
        .find(|c| c.people > 1)
        .unwrap()
        .company;
    co.name = "Renamed Holdings".into();
    assert!(store.save_company(&co, now()).unwrap());
}

/// Another program writing into the book.
fn exec(path: &Path, sql: &str) {
    rusqlite::Connection::open(path).unwrap().execute(sql, []).unwrap();
}

fn log_len(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM index_log", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_kept_index_reads_back_as_it_was_written() {
    let (_dir, path, _store) = book(300);
    let cadence = Cadence::default();
    let built = load(&path, &cadence, 0, &|| true).unwrap();
    let file = path_for(&path);
    assert!(file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (read_back, stamp) = read(&file, &storage::cadence_fingerprint(&cadence)).unwrap();
    assert_same(&read_back, &built);
    for by in SortBy::ALL {
        assert_eq!(read_back.order(by), built.order(by));
    }
    assert_eq!(read_back.name_rank, built.name_rank);
    assert_eq!(read_back.by_id, built.by_id);
    assert_eq!(stamp.max_id, built.entry(*built.by_id.last().unwrap()).id);
    assert_same(&built, &fresh(&path));
}

#[test]
fn what_changed_since_the_file_was_written_is_brought_in() {
    let (_dir, path, mut store) = book(300);
    let cadence = Cadence::default();
    store.delete_customer(12).unwrap();
    load(&path, &cadence, 0, &|| true).unwrap();
    // Another program renames a company without touching its people, and
    // inserts a customer under an id below the highest.
    exec(
        &path,
        "UPDATE companies SET name = 'Outside Rename'
         WHERE id = (SELECT company_id FROM customers WHERE company_id IS NOT NULL LIMIT 1)",
    );
    exec(
        &path,
        "INSERT INTO customers (id, name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
         SELECT 12, 'Inserted Below', grade, status, relationship, created_at, updated_at, search_key, 'inserted'
         FROM customers WHERE id = 13",
    );
    // A rename, a customer deleted, one added, a call logged (dates and the
    // next due change), and a company renamed (its people's keys change).
    let mut c = store.customer(7).unwrap();
    c.name = "翟玉兰".into();
    store.update_customer(&c, now(), "").unwrap();
    store.delete_customer(11).unwrap();
    let added = store.insert_customer(&Customer::new("Zoe Quill", now())).unwrap();
    store
        .log_interaction(20, InteractionKind::Call, now(), "called")
        .unwrap();
    rename_a_company_of_several(&mut store);
    assert!(log_len(&path) > 4);

    let kept = load(&path, &cadence, 0, &|| true).unwrap();
    assert_same(&kept, &fresh(&path));
    // Every pair's first screen known and right: none left to a scan.
    assert_eq!(crate::search::scan::tests::screens::check_every_pair(&kept), 0);
    assert!(kept.position_of(added).is_some());
    assert!(kept.position_of(11).is_none());
    assert!(kept.position_of(12).is_some());
    assert!((0..kept.len() as u32).any(|i| kept.entry(i).company() == "Outside Rename"));
    let q = Query::new(&normalize_query("renamed"));
    assert!((0..kept.len() as u32).any(|i| kept.classify(i, &q).is_some()));
}

#[test]
fn many_changes_write_the_file_again_and_too_many_build_it_afresh() {
    let (_dir, path, _store) = book(700);
    let cadence = Cadence::default();
    load(&path, &cadence, 0, &|| true).unwrap();
    let fp = storage::cadence_fingerprint(&cadence);
    let (_, first) = read(&path_for(&path), &fp).unwrap();
    exec(&path, "UPDATE customers SET city = 'Lhasa' WHERE id <= 80");
    let kept = load(&path, &cadence, 0, &|| true).unwrap();
    assert_same(&kept, &fresh(&path));
    // Written again under a new marker; the log before it is gone.
    let (_, second) = read(&path_for(&path), &fp).unwrap();
    assert!(second.marker.seq > first.marker.seq);
    assert_eq!(log_len(&path), 1);
    // More changes than are brought in one by one.
    exec(&path, "UPDATE customers SET city = 'Xining' WHERE id > 100");
    let rebuilt = load(&path, &cadence, 0, &|| true).unwrap();
    assert_same(&rebuilt, &fresh(&path));
}

#[test]
fn a_file_that_does_not_match_the_book_is_never_used() {
    let (dir, path, store) = book(200);
    let cadence = Cadence::default();
    let file = path_for(&path);
    // A copy of the book from before the file was written.
    store.checkpoint().unwrap();
    let older = dir.path().join("older.db");
    std::fs::copy(&path, &older).unwrap();
    load(&path, &cadence, 0, &|| true).unwrap();

    // Damaged, or cut short: built from the rows.
    let good = std::fs::read(&file).unwrap();
    let mut damaged = good.clone();
    damaged[good.len() / 2] ^= 0x40;
    for bytes in [damaged, good[..good.len() - 9].to_vec(), Vec::new()] {
        std::fs::write(&file, bytes).unwrap();
        assert!(read(&file, &storage::cadence_fingerprint(&cadence)).is_err());
        assert_same(&load(&path, &cadence, 0, &|| true).unwrap(), &fresh(&path));
    }
    // Written under another cadence.
    let other = Cadence {
        new_customer_days: cadence.new_customer_days + 3,
        ..cadence.clone()
    };
    assert!(read(&file, &storage::cadence_fingerprint(&other)).is_err());

    // The book replaced by its older copy, then edited: the copy holds no
    // marker, so nothing in it can say what differs from the file.
    drop(store);
    {
        let mut old = Store::open(&older).unwrap();
        let mut c = old.customer(3).unwrap();
        c.name = "Only In The Copy".into();
        old.update_customer(&c, now(), "").unwrap();
        old.checkpoint().unwrap();
    }
    std::fs::copy(&older, &path).unwrap();
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let kept = load(&path, &cadence, 0, &|| true).unwrap();
    assert_same(&kept, &fresh(&path));
    let q = Query::new(&normalize_query("only in the copy"));
    assert!((0..kept.len() as u32).any(|i| kept.classify(i, &q).is_some()));

    // A trigger of the log lost (a schema step that rebuilds a table drops
    // its triggers): what changed since can no longer be told.
    exec(&path, "DROP TRIGGER index_log_update");
    exec(&path, "UPDATE customers SET name = 'Unlogged Rename' WHERE id = 4");
    let kept = load(&path, &cadence, 0, &|| true).unwrap();
    assert_same(&kept, &fresh(&path));
}

#[test]
fn a_file_whose_parts_disagree_is_refused_even_with_a_right_checksum() {
    let (_dir, path, _store) = book(50);
    let cadence = Cadence::default();
    let mut index = fresh(&path);
    let fp = storage::cadence_fingerprint(&cadence);
    let stamp = Stamp {
        marker: Marker { seq: 1, token: 2 },
        max_id: 50,
    };
    let file = path_for(&path);
    let name = index.orders[SortBy::Name as usize].get_mut().unwrap();
    name[0] = name[1];
    write(&file, &index, stamp, &fp).unwrap();
    assert!(read(&file, &fp).is_err());
    let mut index = fresh(&path);
    index.spans[3] = (u32::MAX - 2, 9);
    write(&file, &index, stamp, &fp).unwrap();
    assert!(read(&file, &fp).is_err());
    // Two keys sharing bytes: a hit there would be given to either.
    let mut index = fresh(&path);
    index.spans[4] = index.spans[3];
    write(&file, &index, stamp, &fp).unwrap();
    assert!(read(&file, &fp).is_err());
    // The same file with its keys apart is read.
    write(&file, &fresh(&path), stamp, &fp).unwrap();
    assert!(read(&file, &fp).is_ok());
}

#[test]
fn a_small_book_keeps_neither_file_nor_log() {
    let (_dir, path, _store) = book(40);
    let cadence = Cadence::default();
    load(&path, &cadence, 0, &|| true).unwrap();
    assert!(path_for(&path).exists());
    exec(&path, "UPDATE customers SET city = 'Lhasa'");
    assert!(log_len(&path) > 0);
    // The book is below the size a file is kept for.
    let index = load(&path, &cadence, 1000, &|| true).unwrap();
    assert_same(&index, &fresh(&path));
    assert!(!path_for(&path).exists());
    assert_eq!(log_len(&path), 0);
    exec(&path, "UPDATE customers SET city = 'Xining'");
    assert_eq!(log_len(&path), 0, "nothing is logged without a file");
}

#[test]
fn a_write_left_unfinished_long_ago_is_cleared_and_a_running_one_kept() {
    let (dir, path, _store) = book(20);
    let old = dir.path().join(".t.db.index.4242-0.part");
    let running = dir.path().join(".t.db.index.4243-0.part");
    let other = dir.path().join(".t.db.csv.4242-0.part");
    for f in [&old, &running, &other] {
        std::fs::write(f, b"partial").unwrap();
    }
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    load(&path, &Cadence::default(), 0, &|| true).unwrap();
    assert!(!old.exists());
    assert!(running.exists() && other.exists());
}

#[test]
fn a_book_whose_check_has_not_passed_is_never_written_to() {
    let (_dir, path, _store) = book(60);
    let cadence = Cadence::default();
    let flag = || -> bool {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'index_log%')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let index = load(&path, &cadence, 0, &|| false).unwrap();
    assert_same(&index, &fresh(&path));
    assert!(!path_for(&path).exists() && !flag() && log_len(&path) == 0);
    // A file written earlier is still read, and many changes are brought
    // in without writing the file again.
    load(&path, &cadence, 0, &|| true).unwrap();
    let (_, before) = read(&path_for(&path), &storage::cadence_fingerprint(&cadence)).unwrap();
    exec(&path, "UPDATE customers SET city = 'Lhasa'");
    let logged = log_len(&path);
    let index = load(&path, &cadence, 0, &|| false).unwrap();
    assert_same(&index, &fresh(&path));
    let (_, after) = read(&path_for(&path), &storage::cadence_fingerprint(&cadence)).unwrap();
    assert_eq!(before, after);
    assert_eq!(log_len(&path), logged);
}

#[test]
fn the_file_keeps_only_the_companies_its_entries_name() {
    let (_dir, path, store) = book(60);
    let cadence = Cadence::default();
    let fp = storage::cadence_fingerprint(&cadence);
    let mut index = fresh(&path);
    // Everyone moved to a company of their own, twice: the names each move
    // leaves behind are not written.
    for round in 0..2 {
        for i in 0..index.len() as u32 {
            let mut row = store.customer_row(index.entry(i).id).unwrap();
            row.company = format!("Moved {round} {}", row.id);
            index.upsert(row, &cadence);
        }
    }
    let file = path_for(&path);
    let stamp = Stamp {
        marker: Marker { seq: 1, token: 2 },
        max_id: 60,
    };
    write(&file, &index, stamp, &fp).unwrap();
    let header = read_header(&mut File::open(&file).unwrap(), &fp).unwrap();
    assert_eq!(header.companies, 1 + index.len() as u64);
    let (read_back, _) = read(&file, &fp).unwrap();
    assert_same(&read_back, &index);
    assert!((0..read_back.len() as u32).all(|i| read_back.entry(i).company().starts_with("Moved 1 ")));
}
