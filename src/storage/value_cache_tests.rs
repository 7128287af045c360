//! The agenda's kept list of valuable customers at risk, on a demo book.

use chrono::{NaiveDate, NaiveDateTime};

use super::KeptRisks;
use crate::domain::customer::{Grade, Status};
use crate::domain::value::{Purchase, ValueConfig, analyse};
use crate::storage::Store;

/// A book this size keeps its list in these tests.
const FROM: i64 = 100;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn today() -> NaiveDate {
    now().date()
}

fn book(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    crate::demo::generate(&mut store, n, 5, now()).unwrap();
    (dir, store)
}

fn risks(store: &Store, cfg: &ValueConfig) -> KeptRisks {
    store.value_risks_from(today(), cfg, FROM).unwrap()
}

/// What the analysis run now says.
fn fresh(store: &Store, cfg: &ValueConfig) -> KeptRisks {
    let facts = store.value_facts(today(), cfg.window_days).unwrap();
    KeptRisks {
        risks: analyse(&facts, today(), cfg).risks().to_vec(),
        window_days: cfg.window_days,
        kept: false,
    }
}

/// Reads the list twice: the first must be analysed now, the second kept,
/// and both equal to the analysis.
fn analysed_then_kept(store: &Store, cfg: &ValueConfig, what: &str) {
    let first = risks(store, cfg);
    assert!(!first.kept, "{what}: the kept list was used");
    assert_eq!(first, fresh(store, cfg), "{what}");
    let again = risks(store, cfg);
    assert!(again.kept, "{what}: not kept");
    assert_eq!(again.risks, first.risks, "{what}");
}

fn customers_by_risk(store: &Store, cfg: &ValueConfig) -> Vec<i64> {
    risks(store, cfg).risks.iter().map(|r| r.id).collect()
}

#[test]
fn the_kept_list_is_read_until_a_write_it_depends_on() {
    let (_dir, mut store) = book(400);
    let cfg = ValueConfig::default();
    analysed_then_kept(&store, &cfg, "first run");
    assert!(
        !risks(&store, &cfg).risks.is_empty(),
        "the demo has valuable customers at risk"
    );
    let at_risk = customers_by_risk(&store, &cfg)[0];
    let other = (1..400)
        .find(|id| !customers_by_risk(&store, &cfg).contains(id))
        .unwrap();

    // A call logged (the last contact moves forward) keeps the list.
    store
        .conn
        .execute(
            "UPDATE customers SET last_contact_at = '2026-03-02 09:00:00' WHERE id = ?1",
            [at_risk],
        )
        .unwrap();
    assert!(risks(&store, &cfg).kept, "a call logged");

    // Every write the analysis reads makes the next run analyse again.
    let p = Purchase {
        id: 0,
        customer_id: other,
        date: today(),
        product: "纸箱".into(),
        quantity: 1,
        amount: 9_000_000,
        note: String::new(),
    };
    let bought = store.add_purchase(&p).unwrap();
    analysed_then_kept(&store, &cfg, "a purchase added");
    store
        .conn
        .execute("UPDATE purchases SET amount = 5 WHERE id = ?1", [bought])
        .unwrap();
    analysed_then_kept(&store, &cfg, "a purchase edited");
    store.delete_purchase(bought).unwrap();
    analysed_then_kept(&store, &cfg, "a purchase deleted");
    let mut c = store.customer(at_risk).unwrap();
    c.grade = if c.grade == Grade::D { Grade::A } else { Grade::D };
    store.update_customer(&c, now(), "").unwrap();
    analysed_then_kept(&store, &cfg, "a grade changed");
    c.status = Status::NonCustomer;
    store.update_customer(&c, now(), "").unwrap();
    analysed_then_kept(&store, &cfg, "a status changed");
    assert!(
        !customers_by_risk(&store, &cfg).contains(&at_risk),
        "a non-customer is no risk"
    );
    store
        .conn
        .execute(
            "UPDATE customers SET last_contact_at = NULL
             WHERE id = (SELECT min(id) FROM customers WHERE last_contact_at IS NOT NULL)",
            [],
        )
        .unwrap();
    analysed_then_kept(&store, &cfg, "a last contact cleared");
    store.delete_customer(other).unwrap();
    analysed_then_kept(&store, &cfg, "a customer deleted");
    let mut n = crate::domain::customer::Customer::new("翟玉兰", now());
    n.status = Status::Active;
    store.insert_customer(&n).unwrap();
    analysed_then_kept(&store, &cfg, "a customer added");

    // An edit the list does not read keeps it.
    let mut c = store.customer(at_risk).unwrap();
    c.name = "王芳".into();
    store.update_customer(&c, now(), "").unwrap();
    assert!(risks(&store, &cfg).kept, "a name edited");

    // Another day or other settings are analysed again.
    let other_day = store.value_risks_from(today().succ_opt().unwrap(), &cfg, FROM).unwrap();
    assert!(!other_day.kept, "another day");
    let short = ValueConfig {
        window_days: Some(90),
        ..cfg.clone()
    };
    analysed_then_kept(&store, &short, "other settings");
}

#[test]
fn a_list_whose_triggers_are_gone_or_whose_book_is_small_is_not_used() {
    let (_dir, store) = book(300);
    let cfg = ValueConfig::default();
    analysed_then_kept(&store, &cfg, "first run");
    // A schema step that rebuilds a table drops its triggers: the list
    // cannot say what changed since, so it is not read.
    store
        .conn
        .execute_batch("DROP TRIGGER value_stamp_purchase_insert")
        .unwrap();
    analysed_then_kept(&store, &cfg, "a trigger gone");
    // A book below the threshold analyses every time and drops its triggers.
    store.conn.execute("DELETE FROM customers WHERE id = 300", []).unwrap();
    let small = store.value_risks_from(today(), &cfg, 1_000).unwrap();
    assert!(!small.kept);
    assert!(!store.value_risks_from(today(), &cfg, 1_000).unwrap().kept);
    let triggers: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'value_stamp_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 0, "a small book pays nothing on its writes");
}

#[test]
fn a_damaged_kept_list_is_analysed_again() {
    let (_dir, store) = book(200);
    let cfg = ValueConfig::default();
    analysed_then_kept(&store, &cfg, "first run");
    store
        .conn
        .execute("UPDATE value_cache SET risks = x'0102'", [])
        .unwrap();
    analysed_then_kept(&store, &cfg, "a list cut short");
    let unknown_label = format!("x'{}ff'", "00".repeat(28));
    store
        .conn
        .execute(&format!("UPDATE value_cache SET risks = {unknown_label}"), [])
        .unwrap();
    analysed_then_kept(&store, &cfg, "an entry of no known label");
}

#[test]
fn a_list_kept_while_another_connection_writes_is_not_read_stale() {
    // The counter is read before the rows: a purchase written after it
    // leaves the list naming an older counter.
    let (dir, store) = book(200);
    let cfg = ValueConfig::default();
    assert!(!risks(&store, &cfg).kept);
    let mut other = Store::open(&dir.path().join("t.db")).unwrap();
    other
        .add_purchase(&Purchase {
            id: 0,
            customer_id: 1,
            date: today(),
            product: "油漆".into(),
            quantity: 1,
            amount: 1,
            note: String::new(),
        })
        .unwrap();
    let r = risks(&store, &cfg);
    assert!(!r.kept, "a write by another connection");
    assert_eq!(r, fresh(&store, &cfg));
}

#[test]
fn a_book_whose_counter_is_gone_still_gives_its_agenda_and_keeps_nothing() {
    let (_dir, store) = book(200);
    let cfg = ValueConfig::default();
    analysed_then_kept(&store, &cfg, "first run");
    store.conn.execute("DELETE FROM value_stamp", []).unwrap();
    for _ in 0..2 {
        let r = risks(&store, &cfg);
        assert!(!r.kept, "nothing can say what changed");
        assert_eq!(r, fresh(&store, &cfg));
    }
}
