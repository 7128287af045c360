//! Merge, delete, duplicate pairs and the key refresh, on a temporary file.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::*;
use crate::domain::customer::{Grade, Status};
use crate::domain::duplicates::{Because, Field, merged};
use crate::domain::interaction::InteractionKind;

fn at(d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, d)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn person(name: &str, company: &str, phone: &str) -> Customer {
    let mut c = Customer::new(name, at(1));
    c.company = company.into();
    if !phone.is_empty() {
        c.phones = vec![phone.into()];
    }
    c
}

fn count(store: &Store, sql: &str, id: i64) -> i64 {
    store.conn.query_row(sql, [id], |r| r.get(0)).unwrap()
}

/// One row in every table that hangs off customer `id`.
fn fill(store: &mut Store, id: i64, decider: i64) {
    store
        .log_interaction(id, InteractionKind::Call, at(2), "called")
        .unwrap();
    store
        .add_follow_up(
            id,
            NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            "again",
            "manual",
            at(2),
        )
        .unwrap();
    store.add_event(id, "opening", 5, 1, None, "").unwrap();
    store
        .snooze(id, "call", NaiveDate::from_ymd_opt(2026, 3, 5).unwrap())
        .unwrap();
    store
        .conn
        .execute_batch(&format!(
            "INSERT INTO qualification (customer_id, money, decider_customer_id) VALUES ({id}, 'yes', {decider});
             INSERT INTO qualification_history (customer_id, at, criterion, old, new) VALUES ({id}, '2026-03-02 10:00:00', 'money', 'unknown', 'yes');
             INSERT INTO complaints (customer_id, complainant, content, received_at, category, temperament, state, step,
                first_response_due, last_event_at)
             VALUES ({id}, 'x', 'late', '2026-03-02 10:00:00', 'delayed', 'emotional', 'open', 1, '2026-03-03 10:00:00', '2026-03-02 10:00:00');
             INSERT INTO complaint_timeline (complaint_id, at, step, kind) VALUES (last_insert_rowid(), '2026-03-02 10:00:00', 1, 'note');"
        ))
        .unwrap();
}

#[test]
fn every_table_about_a_customer_is_moved_by_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for t in tables {
        let fks: Vec<(String, String)> = store
            .conn
            .prepare(&format!(
                "SELECT \"table\", \"from\" FROM pragma_foreign_key_list('{t}')"
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (target, column) in fks {
            if target == "customers" {
                assert!(
                    HANGING.contains(&(t.as_str(), column.as_str())),
                    "{t}.{column} refers to customers but a merge would not move it"
                );
            }
        }
    }
}

#[test]
fn merge_moves_everything_and_deletes_the_other_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut keep = person("张伟", "华联", "138 0013 8000");
    keep.tags = vec!["VIP".into()];
    let keep_id = store.insert_customer(&keep).unwrap();
    let mut other = person("张 伟", "华联", "+86 13800138000");
    other.tags = vec!["华南".into()];
    other.grade = Grade::A;
    other.status = Status::Active;
    let other_id = store.insert_customer(&other).unwrap();
    let third = store.insert_customer(&person("王芳", "", "")).unwrap();
    fill(&mut store, other_id, other_id);
    fill(&mut store, third, other_id);
    let k = store.customer(keep_id).unwrap();
    let o = store.customer(other_id).unwrap();
    let m = merged(&k, &o, &[Field::Grade, Field::Status]);
    store.merge_customers(&m, other_id, at(10), "merged").unwrap();

    assert!(matches!(store.customer(other_id), Err(StorageError::NoSuchCustomer(_))));
    let kept = store.customer(keep_id).unwrap();
    assert_eq!(kept.grade, Grade::A);
    assert_eq!(kept.status, Status::Active);
    assert_eq!(kept.tags, vec!["VIP", "华南"]);
    assert_eq!(kept.phones, vec!["138 0013 8000"]);
    assert_eq!(kept.contact.last_call, Some(at(2).date()));
    for (table, column) in HANGING {
        let sql = format!("SELECT count(*) FROM {table} WHERE {column} = ?1");
        assert_eq!(
            count(&store, &sql, other_id),
            0,
            "{table}.{column} still names the other"
        );
    }
    for table in [
        "interactions",
        "qualification",
        "qualification_history",
        "complaints",
        "follow_ups",
        "business_events",
        "agenda_snoozes",
    ] {
        let sql = format!("SELECT count(*) FROM {table} WHERE customer_id = ?1");
        assert_eq!(count(&store, &sql, keep_id), 1, "{table}");
    }
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM complaint_timeline t JOIN complaints c ON c.id = t.complaint_id WHERE c.customer_id = ?1",
            keep_id
        ),
        1
    );
    // The third customer's decider now points at the kept one.
    assert_eq!(
        count(
            &store,
            "SELECT decider_customer_id FROM qualification WHERE customer_id = ?1",
            third
        ),
        keep_id
    );
    // Status history: both records' rows plus the change the merge made.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM status_history WHERE customer_id = ?1",
            keep_id
        ),
        3
    );
}

#[test]
fn a_failed_merge_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = store.insert_customer(&person("A", "", "")).unwrap();
    store.log_interaction(a, InteractionKind::Call, at(2), "x").unwrap();
    let m = store.customer(a).unwrap();
    assert!(store.merge_customers(&m, 999, at(3), "").is_err());
    assert!(store.merge_customers(&m, a, at(3), "").is_err());
    assert_eq!(
        count(&store, "SELECT count(*) FROM interactions WHERE customer_id = ?1", a),
        1
    );
}

#[test]
fn delete_counts_what_goes_with_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = store.insert_customer(&person("A", "Acme", "")).unwrap();
    fill(&mut store, a, a);
    assert_eq!(
        store.hanging(a).unwrap(),
        Hanging {
            interactions: 1,
            complaints: 1,
            follow_ups: 1
        }
    );
    store.delete_customer(a).unwrap();
    assert_eq!(store.customer_count().unwrap(), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM companies WHERE ?1 = ?1", 0), 0);
    assert_eq!(
        count(&store, "SELECT count(*) FROM complaint_timeline WHERE ?1 = ?1", 0),
        0
    );
}

#[test]
fn look_alikes_and_pairs_use_the_normalised_phone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let zw = store
        .insert_customer(&person("张伟", "华联", "+86 (138) 0013-8000"))
        .unwrap();
    let ln = store.insert_customer(&person("李娜", "Acme", "13900000000")).unwrap();
    let new = person("李娜", "", "138 0013 8000");
    let found = store.look_alikes(&new, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0.id, found[0].1), (zw, Because::Phone));
    let found = store.look_alikes(&person("李娜", "acme", ""), None).unwrap();
    assert_eq!((found[0].0.id, found[0].1), (ln, Because::NameCompany));
    // Editing a customer does not warn about itself.
    assert!(
        store
            .look_alikes(&store.customer(zw).unwrap(), Some(zw))
            .unwrap()
            .is_empty()
    );
    store
        .insert_customer(&person("Li Na", "", "0086 138 0013 8000"))
        .unwrap();
    let pairs = store.duplicate_pairs().unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].because, Because::Phone);
}

#[test]
fn keys_of_an_earlier_version_are_recomputed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let id = {
        let mut store = Store::open(&path).unwrap();
        store.insert_customer(&person("吕晓婷", "", "")).unwrap()
    };
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE customers SET search_key = 'lüxiaoting'; DELETE FROM meta WHERE key = 'search_keys';",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let key = store.customer_row(id).unwrap().search_key;
    assert!(key.contains("lvxiaoting") && key.contains("luxiaoting"), "{key}");
}

#[test]
fn keys_holding_characters_no_one_sees_are_recomputed_and_only_they_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let (pasted, plain) = {
        let mut store = Store::open(&path).unwrap();
        (
            store
                .insert_customer(&person("王\u{200B}芳", "北京\u{202E}华联", ""))
                .unwrap(),
            store.insert_customer(&person("张伟", "", "")).unwrap(),
        )
    };
    // As the previous version wrote them: the invisible characters kept in
    // the key.
    as_before_counting_writes(
        &path,
        "UPDATE customers SET search_key = char(31, 5) || name || char(31, 4) || '北京' || char(8238) || '华联'
             WHERE name LIKE '王%'",
    );
    let store = Store::open(&path).unwrap();
    let key = store.customer_row(pasted).unwrap().search_key;
    for part in ["王芳", "wangfang", "北京华联", "bjhl"] {
        assert!(key.contains(part), "{part} missing from {key:?}");
    }
    assert!(!key.contains(['\u{200B}', '\u{202E}']), "{key:?}");
    assert!(store.customer_row(plain).unwrap().search_key.contains("zhangwei"));
    assert_eq!(written(&store), vec![pasted]);
}

#[test]
fn a_book_whose_keys_another_rapport_is_recomputing_waits_for_it_and_computes_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    Store::open(&path)
        .unwrap()
        .insert_customer(&person("张伟", "", ""))
        .unwrap();
    as_before_counting_writes(&path, "UPDATE customers SET search_key = 'stale'");
    // The other Rapport, for longer than a write is normally waited for;
    // what it writes is only the version (a key computed again here would
    // replace the stale one).
    let (begun, wait) = std::sync::mpsc::channel();
    let other = {
        let path = path.clone();
        std::thread::spawn(move || {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            begun.send(()).unwrap();
            std::thread::sleep(crate::storage::BUSY_WAIT + std::time::Duration::from_secs(1));
            conn.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'search_keys'",
                [KEY_VERSION.to_string()],
            )
            .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        })
    };
    wait.recv().unwrap();
    let store = Store::open(&path).unwrap();
    other.join().unwrap();
    assert_eq!(written(&store), Vec::<i64>::new());
}

/// Makes the book at `path` look written by the version of the keys
/// before this one, after `sql`; every key written from then on is
/// counted (see [`written`]).
fn as_before_counting_writes(path: &std::path::Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'search_keys'",
        [(KEY_VERSION - 1).to_string()],
    )
    .unwrap();
    conn.execute_batch(
        "CREATE TABLE written (id INTEGER);
         CREATE TRIGGER count_written AFTER UPDATE OF search_key ON customers
             BEGIN INSERT INTO written VALUES (new.id); END;",
    )
    .unwrap();
}

/// The customers whose keys were written since [`as_before_counting_writes`].
fn written(store: &Store) -> Vec<i64> {
    let mut stmt = store.conn.prepare("SELECT id FROM written").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn look_alikes_among_the_keys_holding_a_phone_are_those_of_reading_every_phone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    let phones = [
        "+86 (138) 0013-8000",
        "13800138000\n021-6234 5678",
        "0086 138 0013 8000",
        "+971 6697 1234",
        "00971 6697 1234",
        "6697 1234",
        "12345",
        "",
    ];
    for (n, p) in phones.iter().enumerate() {
        let mut c = person(&format!("客户{n}"), if n % 2 == 0 { "华联" } else { "" }, "");
        c.phones = p.lines().map(str::to_string).collect();
        store.insert_customer(&c).unwrap();
    }
    let index = crate::search::Index::load(&path, &crate::domain::cadence::Cadence::default()).unwrap();
    let among = |c: &Customer| {
        let mut ids: Vec<i64> = super::looked_up_phones(c)
            .iter()
            .flat_map(|p| index.ids_holding(p))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut asked: Vec<(Customer, Option<i64>)> = (1..=phones.len() as i64)
        .map(|id| (store.customer(id).unwrap(), Some(id)))
        .collect();
    for p in [
        "138-0013-8000",
        "+8613800138000",
        "(021) 62345678",
        "+971 66971234",
        "12345",
        "9999999",
    ] {
        let mut c = person("新客户", "华联", "");
        c.phones = vec![p.to_string()];
        asked.push((c, None));
    }
    let mut warned = 0;
    for (c, except) in &asked {
        let every = store.look_alikes(c, *except).unwrap();
        let ids = among(c);
        assert_eq!(
            store.look_alikes_among(c, *except, Some(&ids)).unwrap(),
            every,
            "{:?}",
            c.phones
        );
        warned += usize::from(every.iter().any(|(_, b)| *b == Because::Phone));
    }
    assert!(warned >= 8, "{warned} asked customers share a phone");
}
