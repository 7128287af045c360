use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;

use super::*;
use crate::domain::customer::{Customer, Grade};
use crate::domain::interaction::InteractionKind;
use crate::search::cache::{self, path_for};
use crate::search::rank_keys;
use crate::storage::Store;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn person(store: &mut Store, name: &str, company: &str, city: &str) -> i64 {
    let mut c = Customer::new(name, now());
    c.company = company.into();
    c.city = city.into();
    c.grade = Grade::B;
    store.insert_customer(&c).unwrap()
}

/// A book with namesakes, its index kept in a file (from any size).
fn book() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    crate::demo::generate(&mut store, 3000, 7, now()).unwrap();
    for (name, company, city) in [
        ("翟玉兰", "黔城建材", "贵阳"),
        ("翟玉兰", "申江贸易", "上海"),
        ("翟玉兰", "申江贸易", "上海"),
        ("张伟", "北京华联", "北京"),
        ("Li Na", "Harbor Lane", "Xiamen"),
    ] {
        person(&mut store, name, company, city);
    }
    cache::load(&path, &Cadence::default(), 0, &|| true).unwrap();
    assert!(path_for(&path).exists());
    (dir, path, store)
}

/// Every customer's `(sort key, key)` by id.
fn keys(path: &Path) -> HashMap<i64, (String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT id, sort_key, search_key FROM customers").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What the rows rank: every key in name order, ranked as `rapport find`
/// ranks the rows it reads.
fn from_rows(keys: &HashMap<i64, (String, String)>, q: &str) -> Vec<(i64, i64)> {
    let mut all: Vec<(&String, i64, &String)> = keys.iter().map(|(id, (s, k))| (s, *id, k)).collect();
    all.sort();
    let list: Vec<(i64, String)> = all.into_iter().map(|(_, id, k)| (id, k.clone())).collect();
    rank_keys(&list, q)
}

/// What the file ranks, with the changed customers put in their places;
/// checks that the file's own list comes best first, ties in name order.
fn from_file(path: &Path, keys: &HashMap<i64, (String, String)>, q: &str) -> Vec<(i64, i64)> {
    let mut ranked = find(path, &Cadence::default(), q).unwrap_or_else(|| panic!("the file is used for {q}"));
    let changed = std::mem::take(&mut ranked.changed);
    let listed: Vec<(i64, i64)> = ranked.collect();
    let sk = |id: i64| &keys[&id].0;
    for w in listed.windows(2) {
        let ((a, sa), (b, sb)) = (w[0], w[1]);
        assert!(sa > sb || (sa == sb && sk(a) <= sk(b)), "{q}: {a} before {b}");
    }
    let mut all: Vec<(i64, i64)> = listed.into_iter().chain(changed).collect();
    all.sort_by_key(|&(id, s)| (Reverse(s), sk(id).clone(), id));
    all
}

const QUERIES: [&str; 16] = [
    "wang",
    "zw",
    "bjhl",
    "华联",
    "zhangwei",
    "li na",
    "l",
    "7",
    "翟玉兰",
    "王 w",
    "zhai",
    "renamed",
    "harbor",
    "13",
    "qqzz",
    "shenjiang",
];

#[test]
fn the_file_ranks_every_query_as_the_rows_do_through_edits() {
    let (_dir, path, mut store) = book();
    let check = |path: &Path| {
        let keys = keys(path);
        for q in QUERIES {
            assert_eq!(from_file(path, &keys, q), from_rows(&keys, q), "query {q}");
        }
    };
    check(&path);
    // Edits after the file was written: a rename (into namesakes of 翟玉兰,
    // so ties mix customers of the file and changed ones), a deletion, an
    // addition, a call logged, a company renamed, and a row inserted below
    // the highest id by another program.
    let mut c = store.customer(7).unwrap();
    let old_name = c.name.clone();
    c.name = "翟玉兰".into();
    c.company = "申江贸易".into();
    store.update_customer(&c, now(), "").unwrap();
    store.delete_customer(11).unwrap();
    person(&mut store, "Renamed Newcomer", "Harbor Lane", "Xiamen");
    store
        .log_interaction(20, InteractionKind::Call, now(), "called")
        .unwrap();
    crate::search::cache::tests::rename_a_company_of_several(&mut store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO customers (id, name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
             SELECT 11, 'Renamed Below', grade, status, relationship, created_at, updated_at,
                    '\u{1f}\u{5}renamed below', 'renamed below\u{1}Renamed Below'
             FROM customers WHERE id = 13",
            [],
        )
        .unwrap();
    check(&path);
    // The old name no longer finds the renamed customer from the file.
    let keys = keys(&path);
    let old = normalize_query(&old_name);
    assert!(!from_file(&path, &keys, &old).iter().any(|&(id, _)| id == 7));
    assert!(from_file(&path, &keys, "renamed").iter().any(|&(id, _)| id == 11));
}

#[test]
fn a_damaged_or_unusable_file_is_not_used() {
    let (_dir, path, _store) = book();
    let cadence = Cadence::default();
    assert!(find(&path, &cadence, "wang").is_some());
    let file = path_for(&path);
    let good = std::fs::read(&file).unwrap();
    // A byte changed in the header and in each section a search reads:
    // each is refused by its CRC.
    let mut f = File::open(&file).unwrap();
    let header = read_header(&mut f, &crate::storage::cadence_fingerprint(&cadence)).unwrap();
    let mut at = header.start as usize;
    let mut places = vec![40];
    for len in &header.section_lens()[..5] {
        places.push(at + *len as usize / 2);
        at += *len as usize + 4;
    }
    for p in places {
        let mut bad = good.clone();
        bad[p] ^= 0x20;
        std::fs::write(&file, &bad).unwrap();
        assert!(find(&path, &cadence, "wang").is_none(), "byte {p}");
    }
    // Cut short, or of another cadence.
    std::fs::write(&file, &good[..good.len() - 3]).unwrap();
    assert!(find(&path, &cadence, "wang").is_none());
    std::fs::write(&file, &good).unwrap();
    let other = Cadence {
        new_customer_days: cadence.new_customer_days + 3,
        ..cadence.clone()
    };
    assert!(find(&path, &other, "wang").is_none());
    assert!(find(&path, &cadence, "wang").is_some());
    // More changes than the log brings in, or a log that lost the file's
    // marker: the rows are searched instead.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE customers SET city = 'Lhasa' WHERE id <= 600", [])
        .unwrap();
    assert!(find(&path, &cadence, "wang").is_none());
    conn.execute("DELETE FROM index_log", []).unwrap();
    assert!(find(&path, &cadence, "wang").is_none());
}
