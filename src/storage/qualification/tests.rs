//! MAN storage: history round trip, one transaction per edit, the prospect
//! board query, and the migration from the foundation schema.

use chrono::NaiveDateTime;
use rusqlite::Connection;

use super::super::migrations::create_at_version;
use super::super::{SCHEMA_VERSION, StorageError, Store};
use crate::domain::customer::{Customer, Status};
use crate::domain::qualification::{Answer, Criterion, Decider, Topic, verdict};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn person(name: &str, company: &str, status: Status) -> Customer {
    let mut c = Customer::new(name, at("2026-01-05 10:00"));
    c.company = company.into();
    c.status = status;
    c
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

/// Adds a person; their id.
fn add(store: &mut Store, name: &str, company: &str, status: Status) -> i64 {
    store.insert_customer(&person(name, company, status)).unwrap()
}

#[test]
fn history_round_trip_tells_the_story() {
    let (dir, mut store) = open();
    let id = add(&mut store, "张伟", "北京华联", Status::Potential);
    let boss = add(&mut store, "李娜", "北京华联", Status::Active);
    assert!(store.qualification(id).unwrap().is_blank());
    assert!(store.qualification_history(id).unwrap().is_empty());

    store
        .set_criterion(
            id,
            Criterion::Money,
            Answer::Yes,
            "预算已批：第三季度",
            at("2026-11-02 10:00"),
        )
        .unwrap()
        .unwrap();
    store
        .toggle_criterion(id, Criterion::Authority, at("2026-11-03 11:00"))
        .unwrap();
    store
        .toggle_criterion(id, Criterion::Authority, at("2026-11-03 11:01"))
        .unwrap();
    let d = Decider {
        customer_id: Some(boss),
        name: "李娜".into(),
        role: "财务总监".into(),
    };
    store.set_decider(id, d.clone(), at("2026-11-04 09:30")).unwrap();
    store
        .set_criterion(
            id,
            Criterion::Need,
            Answer::Yes,
            "旧设备年底报废",
            at("2026-11-05 16:00"),
        )
        .unwrap();
    // Saving the same again is no change: no write, no history row.
    assert_eq!(
        store
            .set_criterion(
                id,
                Criterion::Need,
                Answer::Yes,
                "旧设备年底报废",
                at("2026-11-06 16:00")
            )
            .unwrap(),
        None
    );
    drop(store);

    // Reopened, the record and the story are exactly what was typed.
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let q = store.qualification(id).unwrap();
    assert_eq!(q.man().combo_code(), "MaN");
    assert_eq!(q.money.note, "预算已批：第三季度");
    assert_eq!(q.money.at, Some(at("2026-11-02 10:00")));
    assert_eq!(q.need.at, Some(at("2026-11-05 16:00")));
    assert_eq!(q.decider, d);
    assert_eq!(q.updated_at, Some(at("2026-11-05 16:00")));
    let story: Vec<(String, &str, String, String, String)> = store
        .qualification_history(id)
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.at.format("%m-%d %H:%M").to_string(),
                c.topic.as_str(),
                c.old,
                c.new,
                c.note,
            )
        })
        .collect();
    let row = |t: &str, topic: &'static str, old: &str, new: &str, note: &str| {
        (t.to_string(), topic, old.to_string(), new.to_string(), note.to_string())
    };
    assert_eq!(
        story,
        vec![
            row("11-02 10:00", "money", "unknown", "yes", "预算已批：第三季度"),
            row("11-03 11:00", "authority", "unknown", "yes", ""),
            row("11-03 11:01", "authority", "yes", "no", ""),
            row("11-04 09:30", "decider", "", "李娜\u{1f}财务总监", ""),
            row("11-05 16:00", "need", "unknown", "yes", "旧设备年底报废"),
        ]
    );
    assert_eq!(verdict(&q.man()).action_key, "man.action.find_authority");
    // The decider's record going away keeps the name, drops the link.
    store
        .conn
        .execute("DELETE FROM customers WHERE id = ?1", [boss])
        .unwrap();
    let q = store.qualification(id).unwrap();
    assert_eq!((q.decider.customer_id, q.decider.name.as_str()), (None, "李娜"));
}

#[test]
fn an_edit_is_one_transaction_with_its_history_row() {
    let (_dir, mut store) = open();
    let id = add(&mut store, "Anna Berg", "Acme", Status::Target);
    store
        .toggle_criterion(id, Criterion::Money, at("2026-11-02 10:00"))
        .unwrap();
    // Make the history insert fail: the criterion must not change either.
    store
        .conn
        .execute_batch(
            "CREATE TEMP TRIGGER no_history BEFORE INSERT ON qualification_history
             BEGIN SELECT RAISE(ABORT, 'disk gone'); END;",
        )
        .unwrap();
    let err = store.toggle_criterion(id, Criterion::Money, at("2026-11-03 10:00"));
    assert!(matches!(err, Err(StorageError::Sql(_))), "{err:?}");
    let q = store.qualification(id).unwrap();
    assert_eq!(q.money.answer, Answer::Yes);
    assert_eq!(q.money.at, Some(at("2026-11-02 10:00")));
    store.conn.execute_batch("DROP TRIGGER no_history").unwrap();
    assert_eq!(store.qualification_history(id).unwrap().len(), 1);
    // Unknown customers are refused, nothing written.
    assert!(matches!(
        store.toggle_criterion(9999, Criterion::Need, at("2026-11-03 10:00")),
        Err(StorageError::NoSuchCustomer(9999))
    ));
    let rows: i64 = store
        .conn
        .query_row("SELECT count(*) FROM qualification", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn the_board_lists_prospects_with_their_answers_and_colleagues_share_a_company() {
    let (_dir, mut store) = open();
    let a = add(&mut store, "Anna Berg", "Acme", Status::Target);
    let b = add(&mut store, "张伟", "北京华联", Status::Potential);
    let c = add(&mut store, "李娜", "北京华联", Status::Active);
    let d = add(&mut store, "Bo Lind", "", Status::Potential);
    store
        .set_criterion(b, Criterion::Need, Answer::No, "", at("2026-11-02 10:00"))
        .unwrap();
    let rows = store.prospects().unwrap();
    let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![a, b, d], "active customers left out");
    let zw = rows.iter().find(|r| r.id == b).unwrap();
    assert_eq!((zw.man.combo_code().as_str(), zw.company.as_str()), ("??n", "北京华联"));
    assert_eq!(zw.updated_at, Some(at("2026-11-02 10:00")));
    assert!(zw.search_key.contains("zw"));
    assert_eq!(rows.iter().find(|r| r.id == a).unwrap().man.combo_code(), "???");
    let names: Vec<String> = store.colleagues(b).unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["李娜"]);
    assert_eq!(store.colleagues(c).unwrap()[0].id, b);
    assert!(store.colleagues(d).unwrap().is_empty(), "no company, no colleagues");
}

#[test]
fn a_foundation_database_migrates_and_keeps_its_customers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = Connection::open(&path).unwrap();
        create_at_version(&conn, 1).unwrap();
        conn.execute(
            "INSERT INTO customers (name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
             VALUES ('王芳', 'B', 'potential', 'basic', '2025-03-01 09:00:00', '2025-03-01 09:00:00', 'wf', 'wangfang')",
            [],
        )
        .unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE 'qualification%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0);
    }
    let mut store = Store::open(&path).unwrap();
    let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let rows = store.prospects().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "王芳");
    assert_eq!(rows[0].man.combo_code(), "???");
    let id = rows[0].id;
    store
        .set_criterion(id, Criterion::Money, Answer::No, "刚裁员", at("2026-11-02 10:00"))
        .unwrap();
    let h = store.qualification_history(id).unwrap();
    assert_eq!((h.len(), h[0].topic), (1, Topic::Criterion(Criterion::Money)));
    // The constraints hold on the migrated file too.
    assert!(
        store
            .conn
            .execute("UPDATE qualification SET money = 'maybe' WHERE customer_id = ?1", [id])
            .is_err()
    );
}
