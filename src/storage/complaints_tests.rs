//! Complaint storage: round trips, one transaction per step with its
//! timeline line and the customer's contact, refusals that write nothing,
//! deadlines for the agenda, and the migration from schema 2.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::super::migrations::create_at_version;
use super::super::{SCHEMA_VERSION, StorageError, Store};
use super::*;
use crate::domain::agenda::DeadlineKind;
use crate::domain::customer::Customer;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn store() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let id = store
        .insert_customer(&Customer::new("张伟", t("2026-01-05 10:00")))
        .unwrap();
    (dir, store, id)
}

fn new(customer_id: i64, received: &str) -> NewComplaint {
    NewComplaint {
        customer_id,
        details: Details {
            complainant: "张伟".into(),
            about: "冰箱 BCD-450".into(),
            content: "送货时外壳凹陷".into(),
            purchase_date: NaiveDate::from_ymd_opt(2026, 11, 1),
            product_use: "家用".into(),
            demand: "换新".into(),
            wanted_solution: "三天内上门换货".into(),
            reach: "138 0013 8000".into(),
        },
        category: Category::Quality,
        temperament: Temperament::Prepared,
        received_at: t(received),
    }
}

fn cfg() -> ComplaintConfig {
    ComplaintConfig::default()
}

/// UTC+8: the stored times are 8 hours behind the wall clock.
fn beijing() -> Zone {
    Zone::east(8)
}

#[test]
fn a_complaint_round_trips_and_counts_as_contact() {
    let (_d, mut store, cid) = store();
    let c = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), beijing())
        .unwrap();
    assert_eq!(store.complaint(c.id).unwrap(), c);
    assert_eq!(c.details.wanted_solution, "三天内上门换货");
    assert_eq!(c.first_response_due, t("2026-11-23 06:30"));
    let timeline = store.complaint_timeline(c.id).unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].kind, EntryKind::Received);
    // Last contact is the local time of receipt (14:30 in Beijing).
    let customer = store.customer(cid).unwrap();
    assert_eq!(customer.contact.last_contact, Some(t("2026-11-22 14:30")));
    assert_eq!(customer.contact.last_call, NaiveDate::from_ymd_opt(2026, 11, 22));
    let rows = store.complaint_rows(false).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].customer, "张伟");
    assert!(rows[0].customer_key.contains("zw"), "{}", rows[0].customer_key);
    assert!(store.has_complaint(c.id).unwrap());
    assert!(!store.has_complaint(c.id + 1).unwrap());
}

#[test]
fn a_complaint_for_a_missing_customer_is_refused() {
    let (_d, mut store, cid) = store();
    let err = store
        .add_complaint(new(cid + 99, "2026-11-22 06:30"), &cfg(), beijing())
        .unwrap_err();
    assert!(matches!(err, StorageError::NoSuchCustomer(_)));
    assert_eq!(store.complaint_count().unwrap(), 0);
}

#[test]
fn each_step_writes_state_timeline_and_contact_together() {
    let (_d, mut store, cid) = store();
    let c = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), beijing())
        .unwrap();
    let now = t("2026-11-23 01:00");
    let step = |store: &mut Store, events: Vec<Event>, at: &str| {
        store
            .complaint_events(c.id, events, t(at), now, &cfg(), beijing())
            .unwrap()
    };
    let done = |step| Event::Complete {
        step,
        note: "ok".into(),
    };
    step(&mut store, vec![done(Step::Listen)], "2026-11-22 07:00").unwrap();
    step(&mut store, vec![done(Step::Record)], "2026-11-22 07:10").unwrap();
    step(
        &mut store,
        vec![Event::Judge {
            valid: true,
            note: "感谢反馈".into(),
        }],
        "2026-11-22 07:20",
    )
    .unwrap();
    // A promise and the step it completes: one command, one transaction.
    let promise = Event::SetPromise {
        due: t("2026-11-25 10:00"),
        note: "上门换货".into(),
    };
    let after = step(&mut store, vec![promise, done(Step::Agree)], "2026-11-22 08:00").unwrap();
    assert_eq!(after.state, State::Open(Step::Execute));
    assert_eq!(after.promised_due, Some(t("2026-11-25 10:00")));
    assert_eq!(store.complaint(c.id).unwrap(), after);
    let timeline = store.complaint_timeline(c.id).unwrap();
    let kinds: Vec<EntryKind> = timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EntryKind::Received,
            EntryKind::Completed,
            EntryKind::Completed,
            EntryKind::JudgedValid,
            EntryKind::PromiseSet,
            EntryKind::Completed
        ]
    );
    assert_eq!(timeline[4].due, Some(t("2026-11-25 10:00")));
    assert_eq!(timeline[3].text, "感谢反馈");
    let customer = store.customer(cid).unwrap();
    assert_eq!(customer.contact.last_contact, Some(t("2026-11-22 16:00")));
    // The deadline the agenda sees, in Beijing time.
    let deadlines = store.complaint_deadlines_in(beijing()).unwrap();
    assert_eq!(
        deadlines,
        vec![ComplaintDeadline {
            complaint_id: c.id,
            customer_id: cid,
            kind: DeadlineKind::Promise,
            due: t("2026-11-25 18:00"),
        }]
    );
}

#[test]
fn a_refused_step_writes_nothing() {
    let (_d, mut store, cid) = store();
    let c = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), beijing())
        .unwrap();
    let before = store.customer(cid).unwrap();
    let now = t("2026-11-23 01:00");
    // The first event is fine, the second is out of order: neither is kept.
    let events = vec![
        Event::Complete {
            step: Step::Listen,
            note: String::new(),
        },
        Event::Judge {
            valid: true,
            note: String::new(),
        },
    ];
    let out = store
        .complaint_events(c.id, events, t("2026-11-22 20:00"), now, &cfg(), beijing())
        .unwrap();
    assert!(matches!(out, Err(ComplaintError::OutOfOrder { .. })));
    assert_eq!(store.complaint(c.id).unwrap(), c);
    assert_eq!(store.complaint_timeline(c.id).unwrap().len(), 1);
    assert_eq!(store.customer(cid).unwrap(), before);
    // A follow-up time before receipt is refused too.
    let out = store
        .complaint_events(
            c.id,
            vec![Event::Wait {
                reason: "出差".into()
            }],
            t("2026-11-21 20:00"),
            now,
            &cfg(),
            beijing(),
        )
        .unwrap();
    assert_eq!(out, Err(ComplaintError::BeforeReceipt));
}

#[test]
fn waiting_complaints_are_not_on_the_agenda_and_closed_ones_neither() {
    let (_d, mut store, cid) = store();
    let now = t("2026-11-23 01:00");
    let a = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), beijing())
        .unwrap();
    let b = store
        .add_complaint(new(cid, "2026-11-22 02:00"), &cfg(), beijing())
        .unwrap();
    let c = store
        .add_complaint(new(cid, "2026-11-21 02:00"), &cfg(), beijing())
        .unwrap();
    let wait = vec![Event::Wait {
        reason: "客户出差".into(),
    }];
    store
        .complaint_events(a.id, wait, t("2026-11-22 09:00"), now, &cfg(), beijing())
        .unwrap()
        .unwrap();
    for (step, at) in [(Step::Listen, "2026-11-21 03:00"), (Step::Record, "2026-11-21 04:00")] {
        let e = vec![Event::Complete {
            step,
            note: String::new(),
        }];
        store
            .complaint_events(c.id, e, t(at), now, &cfg(), beijing())
            .unwrap()
            .unwrap();
    }
    let not_valid = vec![Event::Judge {
        valid: false,
        note: "人为损坏".into(),
    }];
    let closed = store
        .complaint_events(c.id, not_valid, t("2026-11-21 05:00"), now, &cfg(), beijing())
        .unwrap()
        .unwrap();
    assert_eq!(closed.state, State::ClosedNotValid);
    let deadlines = store.complaint_deadlines_in(Zone::utc()).unwrap();
    assert_eq!(deadlines.len(), 1);
    assert_eq!(deadlines[0].complaint_id, b.id);
    assert_eq!(deadlines[0].due, t("2026-11-23 02:00"));
    assert_eq!(store.complaint_rows(true).unwrap().len(), 2);
    assert_eq!(store.complaint_rows(false).unwrap().len(), 3);
    let mine = store.customer_complaints(cid).unwrap();
    assert_eq!(mine.last().unwrap().id, c.id, "closed ones last");
}

#[test]
fn a_schema_2_database_migrates_and_takes_complaints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    {
        let conn = Connection::open(&path).unwrap();
        create_at_version(&conn, 2).unwrap();
        conn.execute(
            "INSERT INTO customers (name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
             VALUES ('Old Friend', 'B', 'active', 'basic', '2025-01-01 09:00:00', '2025-01-01 09:00:00', 'old friend', 'old friend')",
            [],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let cid: i64 = store
        .conn
        .query_row("SELECT id FROM customers", [], |r| r.get(0))
        .unwrap();
    let c = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), Zone::utc())
        .unwrap();
    assert_eq!(store.complaint(c.id).unwrap().customer_id, cid);
    assert_eq!(store.customer(cid).unwrap().name, "Old Friend");
}

#[test]
fn damaged_rows_are_an_error_not_a_panic() {
    let (_d, mut store, cid) = store();
    let c = store
        .add_complaint(new(cid, "2026-11-22 06:30"), &cfg(), Zone::utc())
        .unwrap();
    store
        .conn
        .execute("UPDATE complaints SET category = 'weather' WHERE id = ?1", [c.id])
        .unwrap();
    assert!(store.complaint(c.id).is_err());
    assert!(store.complaint_rows(false).is_err());
}
