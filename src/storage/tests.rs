//! Storage round trips on a temporary file, migrations, and refusals that
//! leave foreign or newer files untouched.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::migrations::create_at_version;
use super::{SCHEMA_VERSION, StorageError, Store};
use crate::domain::customer::{Customer, Grade, Personality, Relationship, Status};
use crate::domain::dates::Birthday;
use crate::domain::interaction::InteractionKind;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn sample() -> Customer {
    let mut c = Customer::new("张伟", at("2026-01-05 10:00"));
    c.company = "深圳市华强电子有限公司".into();
    c.role = "采购经理".into();
    c.phones = vec!["138 0013 8000".into(), "0755-88880000".into()];
    c.wechat = "zw_88".into();
    c.email = "wei@huaqiang.cn".into();
    c.city = "深圳".into();
    c.birthday = Some(Birthday {
        calendar: crate::domain::dates::Calendar::Gregorian,
        month: 2,
        day: 29,
        year: None,
    });
    c.grade = Grade::A;
    c.status = Status::Target;
    c.relationship = Relationship::Proactive;
    c.personality = Some(Personality::Suspicious);
    c.hobbies = "喜欢打篮球".into();
    c.family = "女儿读高三".into();
    c.notes = "晚上打电话\n不喝酒".into();
    c.tags = vec!["VIP".into(), "华南".into()];
    c.uid = "0f8e5c1a-card-from-a-phone".into();
    c
}

#[test]
fn customer_round_trip_keeps_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut c = sample();
    let id = store.insert_customer(&c).unwrap();
    c.id = id;
    assert_eq!(store.customer(id).unwrap(), c);
    c.name = "张伟伟".into();
    c.tags = vec!["华南".into()];
    c.company = "北京华联".into();
    store.update_customer(&c, at("2026-02-01 09:00"), "edited").unwrap();
    assert_eq!(store.customer(id).unwrap(), c);
    let row = store.customer_row(id).unwrap();
    assert!(
        row.search_key.contains("bjhl") && row.search_key.contains("zww"),
        "{}",
        row.search_key
    );
    // A customer without a UID gets one of its own, never changed after.
    let plain = store
        .insert_customer(&Customer::new("Bo", at("2026-01-05 10:00")))
        .unwrap();
    let uid = store.customer(plain).unwrap().uid;
    assert_eq!(uid.len(), 32, "{uid}");
    let other = store
        .insert_customer(&Customer::new("Cy", at("2026-01-05 10:00")))
        .unwrap();
    assert_ne!(uid, store.customer(other).unwrap().uid);
    // Reopening gives the same record.
    drop(store);
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    assert_eq!(store.customer(id).unwrap(), c);
}

#[test]
fn status_changes_are_history_not_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let id = store.insert_customer(&sample()).unwrap();
    store
        .change_status(id, Status::Active, "first order", at("2026-03-01 12:00"))
        .unwrap();
    store
        .change_status(id, Status::Lost, "went to a competitor", at("2026-09-01 12:00"))
        .unwrap();
    let h = store.status_history(id).unwrap();
    let path: Vec<_> = h.iter().map(|c| (c.from, c.to, c.reason.as_str())).collect();
    assert_eq!(
        path,
        vec![
            (None, Status::Target, ""),
            (Some(Status::Target), Status::Active, "first order"),
            (Some(Status::Active), Status::Lost, "went to a competitor"),
        ]
    );
}

#[test]
fn interactions_move_contact_dates_forward_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let id = store.insert_customer(&sample()).unwrap();
    store
        .log_interaction(id, InteractionKind::Visit, at("2026-05-10 15:00"), "visit")
        .unwrap();
    store
        .log_interaction(id, InteractionKind::Message, at("2026-06-01 09:00"), "wechat")
        .unwrap();
    store
        .log_interaction(id, InteractionKind::Call, at("2026-04-01 09:00"), "back-dated call")
        .unwrap();
    let c = store.customer(id).unwrap();
    assert_eq!(c.contact.last_contact, Some(at("2026-06-01 09:00")));
    assert_eq!(c.contact.last_visit, NaiveDate::from_ymd_opt(2026, 5, 10));
    assert_eq!(c.contact.last_call, NaiveDate::from_ymd_opt(2026, 4, 1));
    let recent = store.recent_interactions(id, 3).unwrap();
    assert_eq!(
        recent.iter().map(|i| i.note.as_str()).collect::<Vec<_>>(),
        vec!["wechat", "visit", "back-dated call"]
    );
    assert!(matches!(
        store.log_interaction(999, InteractionKind::Call, at("2026-06-01 09:00"), ""),
        Err(StorageError::NoSuchCustomer(999))
    ));
}

#[test]
fn migrates_from_every_earlier_schema() {
    for version in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            create_at_version(&conn, version).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.health(), super::health::State::Passed, "from {version}");
        let v: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION, "from {version}");
        assert_eq!(store.customer_count().unwrap(), 0);
    }
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    store.insert_customer(&sample()).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", path.display());
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{p}");
    }
}

#[test]
fn a_clean_checkpoint_empties_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    store.insert_customer(&sample()).unwrap();
    store.checkpoint().unwrap();
    let wal = std::fs::metadata(format!("{}-wal", path.display()))
        .map(|m| m.len())
        .unwrap_or(0);
    assert_eq!(wal, 0);
}

fn refused_untouched(bytes: &[u8]) -> StorageError {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    std::fs::write(&path, bytes).unwrap();
    let err = Store::open(&path).err().expect("must be refused");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "file was modified");
    assert!(!dir.path().join("x.db-wal").exists());
    err
}

#[test]
fn garbage_and_truncated_files_are_refused_untouched() {
    assert!(matches!(
        refused_untouched(b"name,phone\nWang,123\n"),
        StorageError::NotSqlite { .. }
    ));
    assert!(matches!(refused_untouched(&[0u8; 100]), StorageError::NotSqlite { .. }));
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend(std::iter::repeat_n(0xAB, 4000));
    assert!(matches!(refused_untouched(&fake), StorageError::NotSqlite { .. }));
}

#[test]
fn newer_and_foreign_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let conn = Connection::open(&newer).unwrap();
        create_at_version(&conn, SCHEMA_VERSION).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    }
    let bytes = std::fs::read(&newer).unwrap();
    assert!(matches!(refused_untouched(&bytes), StorageError::TooNew { .. }));

    let foreign = dir.path().join("foreign.db");
    {
        let conn = Connection::open(&foreign).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');",
        )
        .unwrap();
    }
    let bytes = std::fs::read(&foreign).unwrap();
    assert!(matches!(refused_untouched(&bytes), StorageError::Foreign { .. }));
}

#[test]
fn a_missing_directory_is_a_clear_error() {
    let err = Store::open(std::path::Path::new("/nonexistent-dir/sub/t.db"))
        .err()
        .unwrap();
    assert!(matches!(err, StorageError::Create { .. }));
}

/// Older bundled SQLite releases carry a WAL-reset corruption bug.
#[test]
fn bundled_sqlite_is_recent_enough() {
    let v: Vec<u32> = Store::sqlite_version().split('.').map(|p| p.parse().unwrap()).collect();
    assert!(v >= vec![3, 51, 3], "SQLite {v:?}");
}

#[test]
fn like_prefilter_keeps_every_possible_match_and_escapes_wildcards() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = store.insert_customer(&sample()).unwrap();
    let mut other = Customer::new("Anna Berg", at("2026-01-05 10:00"));
    other.tags = vec!["50%_off".into()];
    let b = store.insert_customer(&other).unwrap();
    let ids = |q: &str| {
        store
            .search_keys_like(q)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("zw"), vec![a]);
    assert_eq!(ids("bjhl"), Vec::<i64>::new());
    assert_eq!(ids("szhq"), vec![a]);
    assert_eq!(ids("50%_"), vec![b]);
    assert_eq!(ids("%"), vec![b]);
    assert_eq!(ids("_"), vec![b]);
}

/// A one-off command reads the book through memory mapping; the app, with
/// its memory budget, through its page cache; both read the same rows.
#[test]
fn a_command_reads_through_memory_mapping_and_the_app_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    for i in 0..300 {
        store
            .insert_customer(&Customer::new(format!("C{i}"), at("2026-01-05 10:00")))
            .unwrap();
    }
    let mapped = |s: &Store| -> i64 { s.conn.query_row("PRAGMA mmap_size", [], |r| r.get(0)).unwrap() };
    assert_eq!(mapped(&store), 0, "the app reads through its page cache");
    let before = store.search_keys_like("c29").unwrap();
    store.map_for_reading().unwrap();
    assert_eq!(mapped(&store), super::MMAP_BYTES);
    assert_eq!(store.customer_count().unwrap(), 300);
    assert_eq!(store.search_keys_like("c29").unwrap(), before);
}

/// The card reads a customer's follow-ups and events through an index on
/// the customer: never a pass over every follow-up or event of the book
/// (which made a card of a million-customer book take 90 ms).
#[test]
fn a_card_reads_one_customers_follow_ups_and_events_by_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    for sql in [super::agenda::OPEN_FOLLOW_UPS, super::agenda::EVENTS_OF] {
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let plan: Vec<String> = stmt
            .query_map([1], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(
            plan.contains("USING INDEX") && plan.contains("(customer_id=?)"),
            "{sql}\n{plan}"
        );
        assert!(!plan.contains("SCAN"), "{sql}\n{plan}");
    }
    // The agenda's birthdays come from their index alone: it holds what
    // the agenda shows of each.
    let cols: Vec<String> = store
        .conn
        .prepare("SELECT name FROM pragma_index_info('customers_care')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for c in [
        "birth_month",
        "birth_day",
        "grade",
        "status",
        "name",
        "birth_year",
        "left_on",
    ] {
        assert!(cols.iter().any(|x| x == c), "{c} not in {cols:?}");
    }
}
