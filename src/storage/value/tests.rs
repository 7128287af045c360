//! Purchases and grade history on a temporary database.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::customer::{Customer, Grade, Status};
use crate::domain::value::{Abc, GradeChange, GradeReason, Purchase};
use crate::storage::{StorageError, Store};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    d(s).and_hms_opt(9, 0, 0).unwrap()
}

fn person(store: &mut Store, name: &str, company: &str, grade: Grade) -> i64 {
    let mut c = Customer::new(name, at("2025-01-01"));
    c.company = company.into();
    c.grade = grade;
    c.status = Status::Active;
    store.insert_customer(&c).unwrap()
}

fn buy(store: &mut Store, customer_id: i64, date: &str, amount: i64) -> i64 {
    store
        .add_purchase(&Purchase {
            id: 0,
            customer_id,
            date: d(date),
            product: "纸箱".into(),
            quantity: 2,
            amount,
            note: String::new(),
        })
        .unwrap()
}

#[test]
fn purchases_round_trip_edit_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::B);
    let id = buy(&mut store, a, "2026-03-04", 123_450);
    let mut p = store.purchase(id).unwrap();
    assert_eq!((p.amount, p.quantity, p.date), (123_450, 2, d("2026-03-04")));
    p.amount = 1;
    p.product = "胶带".into();
    store.update_purchase(&p).unwrap();
    assert_eq!(store.purchase(id).unwrap(), p);
    store.delete_purchase(id).unwrap();
    assert!(matches!(store.purchase(id), Err(StorageError::NoSuchPurchase(_))));
    assert!(matches!(
        store.delete_purchase(id),
        Err(StorageError::NoSuchPurchase(_))
    ));
    // A purchase for nobody is refused.
    let mut orphan = p.clone();
    orphan.customer_id = 999;
    assert!(matches!(
        store.add_purchase(&orphan),
        Err(StorageError::NoSuchCustomer(999))
    ));
}

#[test]
fn deleting_a_customer_takes_their_purchases_and_grade_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::B);
    buy(&mut store, a, "2026-03-04", 100);
    store
        .apply_grade_changes(&[GradeChange {
            customer_id: a,
            at: at("2026-04-01"),
            from: Grade::B,
            to: Grade::A,
            reason: GradeReason::Never,
        }])
        .unwrap();
    store.delete_customer(a).unwrap();
    assert_eq!(store.purchase_count().unwrap(), 0);
    assert!(store.grade_history(a).unwrap().is_empty());
}

#[test]
fn summary_counts_window_year_and_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::B);
    let b = person(&mut store, "李娜", "华强", Grade::C);
    let other = person(&mut store, "王芳", "别家", Grade::C);
    buy(&mut store, a, "2025-06-01", 1_000); // outside 365 days of 2026-12-01, last year
    buy(&mut store, a, "2026-01-01", 2_000);
    buy(&mut store, a, "2026-11-30", 3_000);
    buy(&mut store, a, "2026-12-05", 99_000); // after today: not counted
    buy(&mut store, b, "2026-02-02", 500);
    buy(&mut store, other, "2026-02-02", 7_000);
    let s = store.purchase_summary(a, d("2026-12-01"), Some(365), 2).unwrap();
    assert_eq!(
        s.recent.iter().map(|p| p.amount).collect::<Vec<_>>(),
        vec![3_000, 2_000]
    );
    assert_eq!((s.count, s.lifetime, s.last), (3, 6_000, Some(d("2026-11-30"))));
    assert_eq!((s.window_count, s.window_amount, s.this_year), (2, 5_000, 5_000));
    assert_eq!((s.account_this_year, s.account_buyers), (5_500, 2));
}

#[test]
fn facts_aggregate_every_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::B);
    let b = person(&mut store, "李娜", "华强", Grade::C);
    let c = person(&mut store, "王芳", "别家", Grade::D);
    buy(&mut store, a, "2025-12-01", 10); // day 366 back: outside a 365-day window
    buy(&mut store, a, "2025-12-02", 20); // first day of the window
    buy(&mut store, a, "2026-12-01", 30); // as_of itself
    buy(&mut store, b, "2025-01-01", 40);
    buy(&mut store, c, "2026-12-02", 50); // after as_of
    let f = store.value_facts(d("2026-12-01"), Some(365)).unwrap();
    let got: Vec<_> = f
        .iter()
        .map(|x| (x.id, x.last_purchase, x.frequency, x.monetary))
        .collect();
    assert_eq!(
        got,
        vec![
            (a, Some(d("2026-12-01")), 2, 50),
            (b, Some(d("2025-01-01")), 0, 0),
            (c, None, 0, 0),
        ]
    );
    let all = store.value_facts(d("2026-12-01"), None).unwrap();
    assert_eq!((all[0].frequency, all[0].monetary, all[1].frequency), (3, 60, 1));
}

#[test]
fn grade_changes_are_kept_and_move_the_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::D);
    store
        .log_interaction(
            a,
            crate::domain::interaction::InteractionKind::Call,
            at("2026-06-01"),
            "",
        )
        .unwrap();
    let before = store.next_due_on(a).unwrap();
    let change = GradeChange {
        customer_id: a,
        at: at("2026-12-01"),
        from: Grade::D,
        to: Grade::A,
        reason: GradeReason::Class(Abc::A),
    };
    assert_eq!(store.apply_grade_changes(std::slice::from_ref(&change)).unwrap(), 1);
    assert_eq!(store.customer(a).unwrap().grade, Grade::A);
    assert_ne!(store.next_due_on(a).unwrap(), before);
    assert_eq!(store.grade_history(a).unwrap(), vec![change.clone()]);
    // A stale change (the grade is no longer D) is not applied twice.
    assert_eq!(store.apply_grade_changes(&[change]).unwrap(), 0);
    assert_eq!(store.grade_history(a).unwrap().len(), 1);
}

#[test]
fn grade_reasons_are_kept_as_codes_and_older_sentences_as_they_were() {
    use crate::domain::value::{CnClass, KeptLabel, Segment};
    for r in [
        GradeReason::Class(Abc::B),
        GradeReason::Never,
        GradeReason::Lapsed(40),
        GradeReason::Kept(None),
        GradeReason::Kept(Some(KeptLabel::Segment(Segment::CantLose))),
        GradeReason::Kept(Some(KeptLabel::Class(CnClass::ImportantRetain))),
    ] {
        assert_eq!(GradeReason::from_stored(&r.stored()), r, "{}", r.stored());
    }
    assert_eq!(GradeReason::Lapsed(40).stored(), "lapsed:40");
    let old = "class A: among the buyers of the first 80% of revenue";
    assert_eq!(GradeReason::from_stored(old), GradeReason::Text(old.into()));
    assert_eq!(
        GradeReason::from_stored("kept:nonsense"),
        GradeReason::Text("kept:nonsense".into())
    );
}

#[test]
fn a_large_book_reads_its_aggregates_in_two_halves_with_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let ids: Vec<i64> = (0..9)
        .map(|i| person(&mut store, &format!("P{i}"), "", Grade::C))
        .collect();
    for (k, id) in ids.iter().enumerate() {
        for j in 0..=k as i64 {
            buy(&mut store, *id, &format!("2026-0{}-1{j}", 1 + k % 9), 100 + j);
        }
    }
    let sequential = store.value_facts(d("2026-12-01"), Some(365)).unwrap();
    // A purchase id past the threshold makes the book count as large.
    store
        .conn
        .execute(
            "INSERT INTO purchases (id, customer_id, day, amount) VALUES (?1, ?2, '2020-01-01', 1)",
            rusqlite::params![super::PARALLEL_PURCHASES + 1, ids[4]],
        )
        .unwrap();
    let parallel = store.value_facts(d("2026-12-01"), Some(365)).unwrap();
    assert_eq!(parallel, sequential);
    assert_eq!(parallel.len(), 9);
    assert_eq!(parallel[8].frequency, 9);
}

#[test]
fn the_latest_purchase_follows_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let a = person(&mut store, "张伟", "华强", Grade::B);
    let b = person(&mut store, "李娜", "华强", Grade::B);
    let last = |store: &Store, id: i64| -> Option<String> {
        store
            .conn
            .query_row("SELECT last_purchase_on FROM customers WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let p1 = buy(&mut store, a, "2026-03-01", 10);
    let p2 = buy(&mut store, a, "2026-05-01", 10);
    buy(&mut store, a, "2026-04-01", 10);
    assert_eq!(last(&store, a).as_deref(), Some("2026-05-01"));
    let mut p = store.purchase(p2).unwrap();
    p.date = d("2026-02-01");
    store.update_purchase(&p).unwrap();
    assert_eq!(last(&store, a).as_deref(), Some("2026-04-01"));
    // A merge moving a purchase to someone else updates both.
    store
        .conn
        .execute("UPDATE purchases SET customer_id = ?1 WHERE id = ?2", [b, p1])
        .unwrap();
    assert_eq!(last(&store, b).as_deref(), Some("2026-03-01"));
    store.delete_purchase(p1).unwrap();
    assert_eq!(last(&store, b), None);
    // The analysis reads it when no purchase lies after its day, and scans
    // otherwise: both agree.
    let fast = store.value_facts(d("2026-12-01"), Some(365)).unwrap();
    buy(&mut store, b, "2027-01-01", 5);
    let scanned = store.value_facts(d("2026-12-01"), Some(365)).unwrap();
    assert_eq!(fast, scanned);
    assert_eq!(fast[0].last_purchase, Some(d("2026-04-01")));
}
