//! Change capture on a temporary book: which tables are covered, what a
//! change records, that nothing is recorded before syncing starts or when
//! a pulled change is applied, and that a later table is covered.

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::super::Store;
use super::super::migrations::{create_at_version, version_before};
use super::*;
use crate::domain::customer::Customer;
use crate::domain::interaction::InteractionKind;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn book() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

fn customer(name: &str, company: &str) -> Customer {
    let mut c = Customer::new(name, t("2026-01-05 10:00"));
    c.company = company.into();
    c.city = "深圳".into();
    c.tags = vec!["VIP".into()];
    c
}

/// A book that records changes, with one customer: (folder, book, the
/// customer's id, its stable id).
fn syncing_book_with_one_customer() -> (tempfile::TempDir, Store, i64, String) {
    let (d, mut store) = book();
    store.start_capture().unwrap();
    let id = store.insert_customer(&customer("张伟", "")).unwrap();
    let gid = store.stable_id("customers", id).unwrap().unwrap();
    (d, store, id, gid)
}

/// The local id of the customer with stable id `gid` in `store`.
fn local_id(store: &Store, gid: &str) -> i64 {
    store
        .conn
        .query_row("SELECT CAST(key AS INTEGER) FROM sync_ids WHERE gid = ?1", [gid], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Every change waiting to be sent, in sending order: the rows of the
/// book as it started syncing, then the recorded changes.
fn all_changes(store: &Store) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    loop {
        let after = out.last().map_or(0, |c| c.seq);
        let batch = store.outbox(after, 10_000).unwrap();
        if batch.is_empty() {
            return out;
        }
        out.extend(batch);
    }
}

/// Tables that hang off no customer and are shared by the whole team.
const TEAM_WIDE: &[&str] = &["companies", "tags"];

#[test]
fn every_table_of_the_book_is_synced_or_listed_as_local_only() {
    let (_d, mut store) = book();
    store.start_capture().unwrap();
    let conn = &store.conn;
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let all = super::tables(conn).unwrap();
    for (name, kind) in &tables {
        if LOCAL_ONLY.contains(&name.as_str()) || kind != "table" {
            continue;
        }
        for op in ["insert", "update", "delete"] {
            let trigger = format!("sync_capture_{name}_{op}");
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = ?2",
                    [&trigger, name],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{name} is neither synced ({trigger} missing) nor in LOCAL_ONLY");
        }
        // Every synced row is owned through a customer, or the table is
        // declared shared by the whole team.
        let table = all.iter().find(|x| &x.name == name).unwrap();
        assert!(
            TEAM_WIDE.contains(&name.as_str()) || anchor_sql(table, "NEW", &all, 0).is_some(),
            "{name} hangs off no customer: give it an owner or declare it team-wide"
        );
    }
    // The local-only list names real tables.
    for l in LOCAL_ONLY {
        assert!(
            tables.iter().any(|(n, _)| n == l),
            "{l} is listed as local-only but does not exist"
        );
    }
}

#[test]
fn nothing_is_recorded_before_the_book_starts_syncing() {
    let (_d, mut store) = book();
    let triggers: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_capture_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 0, "a book that never syncs carries no capture triggers");
    let id = store.insert_customer(&customer("张伟", "华强")).unwrap();
    store
        .log_interaction(id, InteractionKind::Call, t("2026-02-01 09:00"), "你好")
        .unwrap();
    assert_eq!(store.pending_changes().unwrap(), 0);
    assert!(!capturing(&store.conn).unwrap());
    assert_eq!(store.stable_id("customers", id).unwrap(), None);
}

#[test]
fn starting_gives_every_row_a_uuid_v7_and_keeps_them_when_run_again() {
    let (_d, mut store) = book();
    let a = store.insert_customer(&customer("张伟", "华强")).unwrap();
    let b = store.insert_customer(&customer("Anna", "华强")).unwrap();
    store
        .log_interaction(a, InteractionKind::Call, t("2026-02-01 09:00"), "")
        .unwrap();
    store.start_capture().unwrap();
    let ga = store.stable_id("customers", a).unwrap().unwrap();
    let gb = store.stable_id("customers", b).unwrap().unwrap();
    assert_ne!(ga, gb);
    for g in [&ga, &gb] {
        let u = uuid::Uuid::parse_str(g).unwrap();
        assert_eq!(u.get_version(), Some(uuid::Version::SortRand), "{g}");
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122, "{g}");
    }
    // Every row of every synced table has one, all different.
    let (rows, ids): (i64, i64) = store
        .conn
        .query_row("SELECT count(*), count(DISTINCT gid) FROM sync_ids", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(rows, ids);
    let expected: i64 = super::tables(&store.conn)
        .unwrap()
        .iter()
        .map(|t| {
            store
                .conn
                .query_row(&format!("SELECT count(*) FROM \"{}\"", t.name), [], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap()
        })
        .sum();
    assert_eq!(rows, expected);
    // Every row is recorded once as inserted, parents first: the first
    // sync sends the whole book.
    assert_eq!(store.pending_changes().unwrap(), rows);
    let sent = all_changes(&store);
    assert!(sent.iter().all(|c| c.op == "insert"));
    let first = |t: &str| sent.iter().position(|c| c.table == t).unwrap();
    assert!(first("companies") < first("customers") && first("customers") < first("interactions"));
    let mine = sent.iter().find(|c| c.gid == ga).unwrap();
    assert_eq!(mine.fields["name"], json!([null, "张伟"]));
    store.start_capture().unwrap();
    assert_eq!(store.stable_id("customers", a).unwrap().unwrap(), ga);
    assert_eq!(store.pending_changes().unwrap(), rows);
}

#[test]
fn a_change_records_each_changed_field_old_and_new_with_references_as_stable_ids() {
    let (_d, mut store) = book();
    store.start_capture().unwrap();
    let id = store.insert_customer(&customer("张伟", "华强")).unwrap();
    let gid = store.stable_id("customers", id).unwrap().unwrap();
    let company: i64 = store
        .conn
        .query_row("SELECT company_id FROM customers WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    let company_gid = store.stable_id("companies", company).unwrap().unwrap();
    let ins = all_changes(&store);
    let c = ins
        .iter()
        .find(|c| c.table == "customers")
        .expect("the customer's insert");
    assert_eq!((c.op.as_str(), c.gid.as_str()), ("insert", gid.as_str()));
    assert_eq!(c.anchor.as_deref(), Some(gid.as_str()));
    assert_eq!(c.fields["name"], json!([null, "张伟"]));
    assert_eq!(c.fields["company_id"], json!([null, company_gid]));
    // The local key and the computed columns do not travel.
    for local in ["id", "search_key", "sort_key", "next_due_on"] {
        assert!(!c.fields.contains_key(local), "{local}");
    }
    // The tag link, the status history, the company: all recorded, the
    // customer's rows owned by the customer, the company by no one.
    let tables: Vec<&str> = ins.iter().map(|c| c.table.as_str()).collect();
    for want in ["companies", "customers", "tags", "customer_tags", "status_history"] {
        assert!(tables.contains(&want), "{want} in {tables:?}");
    }
    let link = ins.iter().find(|c| c.table == "customer_tags").unwrap();
    assert_eq!(link.anchor.as_deref(), Some(gid.as_str()));
    assert_eq!(ins.iter().find(|c| c.table == "companies").unwrap().anchor, None);
    // Change ids are unique.
    let mut ids: Vec<&str> = ins.iter().map(|c| c.change_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ins.len());

    // An edit records only what changed.
    let last = ins.last().unwrap().seq;
    let mut edited = store.customer(id).unwrap();
    edited.city = "上海".into();
    store.update_customer(&edited, t("2026-03-01 10:00"), "").unwrap();
    let upd: Vec<Change> = store.outbox(last, 100).unwrap();
    let u = upd.iter().find(|c| c.table == "customers").unwrap();
    assert_eq!(u.op, "update");
    assert_eq!(u.fields["city"], json!(["深圳", "上海"]));
    assert!(!u.fields.contains_key("name"));

    // A delete cascades: every row that hung off the customer is recorded
    // as deleted, still owned by the customer.
    let iid = store
        .log_interaction(id, InteractionKind::Visit, t("2026-03-02 10:00"), "拜访")
        .unwrap();
    let igid = store.stable_id("interactions", iid).unwrap().unwrap();
    let last = all_changes(&store).last().unwrap().seq;
    store.delete_customer(id).unwrap();
    let del = store.outbox(last, 100).unwrap();
    let d = del.iter().find(|c| c.gid == igid).expect("the interaction's delete");
    assert_eq!((d.op.as_str(), d.anchor.as_deref()), ("delete", Some(gid.as_str())));
    assert_eq!(d.fields["note"], json!(["拜访", null]));
    assert!(del.iter().any(|c| c.gid == gid && c.op == "delete"));
    assert_eq!(store.stable_id("customers", id).unwrap(), None);
}

#[test]
fn a_timeline_entry_is_owned_by_the_customer_of_its_complaint() {
    let (_d, mut store, id, gid) = syncing_book_with_one_customer();
    store
        .write_batch(|tx| {
            tx.execute(
                "INSERT INTO complaints (customer_id, complainant, content, received_at, category, temperament,
                    state, first_response_due, last_event_at)
                 VALUES (?1, '张伟', '外壳凹陷', '2026-11-22 06:30', 'quality', 'emotional', 'open',
                    '2026-11-23 06:30', '2026-11-22 06:30')",
                [id],
            )?;
            let cid = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO complaint_timeline (complaint_id, at, step, kind, text) VALUES (?1, '2026-11-22 07:00', 1, 'note', '道歉')",
                [cid],
            )?;
            Ok(())
        })
        .unwrap();
    let entry = all_changes(&store)
        .into_iter()
        .find(|c| c.table == "complaint_timeline")
        .unwrap();
    assert_eq!(entry.anchor.as_deref(), Some(gid.as_str()));
}

#[test]
fn recomputed_columns_alone_record_nothing_and_a_failed_write_records_nothing() {
    let (_d, mut store) = book();
    let id = store.insert_customer(&customer("张伟", "")).unwrap();
    store.start_capture().unwrap();
    let sent = store.pending_changes().unwrap();
    store
        .write_batch(|tx| Ok(crate::storage::due::refresh_due_in(tx, id)?))
        .unwrap();
    store
        .write_batch(|tx| Ok(tx.execute("UPDATE customers SET next_due_on = '2030-01-01'", [])?))
        .unwrap();
    assert_eq!(store.pending_changes().unwrap(), sent);
    // The change and its record are one transaction.
    let r: crate::storage::Result<()> = store.write_batch(|tx| {
        tx.execute("UPDATE customers SET city = 'X' WHERE id = ?1", [id])?;
        Err(crate::storage::StorageError::NoSuchCustomer(0))
    });
    assert!(r.is_err());
    assert_eq!(store.pending_changes().unwrap(), sent);
}

/// Sends book `a`'s recorded changes into book `b` the way a pull does.
fn replay(a: &Store, b: &mut Store) {
    let changes = all_changes(a);
    b.write_batch(|tx| {
        with_applying(tx, |tx| {
            for c in &changes {
                if c.op == "delete" {
                    apply_delete(tx, &c.table, &c.gid)?;
                } else {
                    let fields = c.fields.iter().map(|(k, v)| (k.clone(), v[1].clone())).collect();
                    let done = apply_row(tx, &c.table, &c.gid, &fields)?;
                    assert!(matches!(done, Applied::Inserted | Applied::Updated), "{done:?}");
                }
            }
            Ok(())
        })
    })
    .unwrap();
}

#[test]
fn applied_changes_rebuild_the_rows_in_another_book_and_are_not_recorded_again() {
    let (_d, mut a) = book();
    let (_e, mut b) = book();
    a.start_capture().unwrap();
    b.start_capture().unwrap();
    let id = a.insert_customer(&customer("张伟", "华强")).unwrap();
    a.log_interaction(id, InteractionKind::Call, t("2026-02-01 09:00"), "报价")
        .unwrap();
    let mut c = a.customer(id).unwrap();
    c.notes = "晚上打电话".into();
    a.update_customer(&c, t("2026-02-02 09:00"), "").unwrap();
    replay(&a, &mut b);
    assert_eq!(
        b.pending_changes().unwrap(),
        0,
        "applied changes are not captured again"
    );
    let gid = a.stable_id("customers", id).unwrap().unwrap();
    let bid = local_id(&b, &gid);
    let (ca, cb) = (a.customer(id).unwrap(), b.customer(bid).unwrap());
    assert_eq!(
        (cb.name.as_str(), cb.company.as_str(), cb.notes.as_str()),
        ("张伟", "华强", "晚上打电话")
    );
    assert_eq!(cb.tags, ca.tags);
    let row = |s: &Store, id: i64| -> (String, String, Option<String>) {
        s.conn
            .query_row(
                "SELECT search_key, sort_key, next_due_on FROM customers WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    assert_eq!(row(&b, bid), row(&a, id), "computed columns are recomputed");
    let notes: Vec<String> = b
        .recent_interactions(bid, 5)
        .unwrap()
        .into_iter()
        .map(|i| i.note)
        .collect();
    assert_eq!(notes, vec!["报价".to_string()]);
    // What b does next is recorded as usual.
    b.log_interaction(bid, InteractionKind::Visit, t("2026-02-03 09:00"), "")
        .unwrap();
    let rec = b.outbox(0, 100).unwrap();
    assert!(rec.iter().all(|c| c.anchor.as_deref() == Some(gid.as_str())));
    assert!(rec.iter().any(|c| c.table == "interactions" && c.op == "insert"));
}

#[test]
fn a_table_added_by_a_later_step_is_captured_without_naming_it() {
    let (_d, mut store, id, gid) = syncing_book_with_one_customer();
    store
        .write_batch(|tx| {
            tx.execute_batch(
                "CREATE TABLE hobbies_log (id INTEGER PRIMARY KEY,
                    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE, text TEXT NOT NULL)",
            )?;
            install(tx)?;
            tx.execute("INSERT INTO hobbies_log (customer_id, text) VALUES (?1, '篮球')", [id])?;
            Ok(())
        })
        .unwrap();
    let c = all_changes(&store)
        .into_iter()
        .find(|c| c.table == "hobbies_log")
        .unwrap();
    assert_eq!(c.anchor.as_deref(), Some(gid.as_str()));
    assert_eq!(
        c.fields,
        serde_json::from_value::<serde_json::Map<String, Value>>(json!({
            "customer_id": [null, gid], "text": [null, "篮球"]
        }))
        .unwrap()
    );
}

#[test]
fn a_book_from_before_the_step_migrates_and_keeps_every_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = Connection::open(&path).unwrap();
        create_at_version(&conn, version_before(SCHEMA)).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
             VALUES (7, '张伟', 'C', 'potential', 'basic', '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'zw', 'zw');
             INSERT INTO interactions (customer_id, at, kind, note) VALUES (7, '2026-01-02 09:00:00', 'call', '你好');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.customer(7).unwrap().name, "张伟");
    store.start_capture().unwrap();
    let gid = store.stable_id("customers", 7).unwrap().unwrap();
    store
        .log_interaction(7, InteractionKind::Visit, t("2026-02-01 09:00"), "")
        .unwrap();
    let c = all_changes(&store)
        .into_iter()
        .find(|c| c.table == "interactions")
        .unwrap();
    assert_eq!(c.fields["customer_id"], json!([null, gid]));
    assert_eq!(store.recent_interactions(7, 5).unwrap().len(), 2);
}

#[test]
fn a_company_and_a_tag_made_on_both_books_become_one_row_with_both_ids() {
    let (_d, mut a) = book();
    let (_e, mut b) = book();
    b.start_capture().unwrap();
    let mine = b.insert_customer(&customer("李娜", "华强")).unwrap();
    a.start_capture().unwrap();
    let id = a.insert_customer(&customer("张伟", "华强")).unwrap();
    replay(&a, &mut b);
    let companies: i64 = b
        .conn
        .query_row("SELECT count(*) FROM companies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(companies, 1);
    let gid = a.stable_id("customers", id).unwrap().unwrap();
    let theirs = local_id(&b, &gid);
    assert_eq!(b.customer(theirs).unwrap().company, "华强");
    assert_eq!(b.customer(theirs).unwrap().tags, vec!["VIP".to_string()]);
    assert_eq!(b.customer(mine).unwrap().company, "华强");
    // Both books' ids of the company lead to the one row.
    let a_company: String = a
        .conn
        .query_row("SELECT min(gid) FROM sync_ids WHERE tbl = 'companies'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let keys: Vec<String> = b
        .conn
        .prepare("SELECT DISTINCT key FROM sync_ids WHERE tbl = 'companies'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert!(
        super::apply::local_key_of(&b.conn, "companies", &a_company)
            .unwrap()
            .is_some()
    );
}

#[test]
fn the_book_as_it_started_is_sent_from_its_tables_once_in_order_and_changes_after_it() {
    let (_d, mut store) = book();
    let mut ids = Vec::new();
    for n in 0..5 {
        let id = store.insert_customer(&customer(&format!("客户{n}"), "华强")).unwrap();
        store
            .log_interaction(id, InteractionKind::Call, t("2026-02-01 09:00"), "")
            .unwrap();
        ids.push(id);
    }
    store.start_capture().unwrap();
    let at_start = store.pending_changes().unwrap();
    // Nothing is copied: the outbox is empty, the rows wait in their tables.
    let copied: i64 = store
        .conn
        .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(copied, 0);
    // Changes after the start: an edit, a new customer; both recorded.
    let mut c = store.customer(ids[4]).unwrap();
    c.notes = "改".into();
    store.update_customer(&c, t("2026-02-02 09:00"), "").unwrap();
    let late = store.insert_customer(&customer("新客户", "")).unwrap();
    let late_gid = store.stable_id("customers", late).unwrap().unwrap();
    assert!(store.pending_changes().unwrap() > at_start);

    // Sent three at a time, the way a push does: read from the start,
    // tell the book the server has them, read again.
    let recorded = store.pending_changes().unwrap() - at_start;
    let mut seen: Vec<Change> = Vec::new();
    loop {
        let batch = store.outbox(0, 3).unwrap();
        let Some(last) = batch.last().map(|c| c.seq) else { break };
        assert!(batch.len() <= 3);
        assert!(
            batch.iter().all(Change::is_start) || batch.iter().all(|c| !c.is_start()),
            "one kind per batch"
        );
        seen.extend(batch);
        store.write_batch(|tx| Ok(state::sent(tx, last)?)).unwrap();
        // What waits counts down as the rows are sent.
        let start_left = at_start - seen.iter().filter(|c| c.is_start()).count() as i64;
        if start_left > 0 {
            assert_eq!(store.pending_changes().unwrap(), start_left + recorded);
        }
    }
    store.write_batch(|tx| Ok(state::all_sent(tx)?)).unwrap();
    assert_eq!(store.pending_changes().unwrap(), 0);
    let start: Vec<&Change> = seen.iter().filter(|c| c.is_start()).collect();
    assert_eq!(start.len() as i64, at_start);
    // Each row once, parents first, as inserts whose change id is the
    // row's own id; the late customer is not among them.
    let mut gids: Vec<&str> = start.iter().map(|c| c.gid.as_str()).collect();
    gids.sort();
    gids.dedup();
    assert_eq!(gids.len(), start.len());
    assert!(start.iter().all(|c| c.op == "insert" && c.change_id == c.gid));
    assert!(!start.iter().any(|c| c.gid == late_gid));
    let first = |t: &str| start.iter().position(|c| c.table == t).unwrap();
    assert!(first("companies") < first("customers") && first("customers") < first("interactions"));
    // The rows are sent as they are now (the edit included), and the
    // recorded changes follow them all.
    let edited = start
        .iter()
        .find(|c| c.gid == store.stable_id("customers", ids[4]).unwrap().unwrap())
        .unwrap();
    assert_eq!(edited.fields["notes"], json!([null, "改"]));
    let after: Vec<&Change> = seen.iter().skip(start.len()).collect();
    assert!(after.iter().all(|c| !c.is_start()));
    assert!(after.iter().any(|c| c.gid == late_gid && c.op == "insert"));
    assert!(after.iter().any(|c| c.op == "update" && c.fields.contains_key("notes")));
    // Sent is sent: nothing comes again.
    assert!(store.outbox(0, 100).unwrap().is_empty());
}

#[test]
fn ids_one_statement_gives_many_rows_follow_the_rows_order() {
    let (_d, mut store) = book();
    for n in 0..300 {
        store.insert_customer(&customer(&format!("客户{n}"), "")).unwrap();
    }
    // One statement gives every row its id, at one instant of SQLite's
    // clock: the ids still follow the rows, so indexes over them (here
    // and on the server) are written in order.
    store.start_capture().unwrap();
    let gids: Vec<String> = store
        .conn
        .prepare("SELECT gid FROM sync_ids WHERE tbl = 'customers' ORDER BY CAST(key AS INTEGER)")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(gids.len(), 300);
    assert!(gids.windows(2).all(|w| w[0] < w[1]), "in the rows' order");
    for g in &gids {
        let u = uuid::Uuid::parse_str(g).unwrap();
        assert_eq!(u.get_version(), Some(uuid::Version::SortRand), "{g}");
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122, "{g}");
    }
    // So do the change ids of one statement's many changes.
    store
        .write_batch(|tx| Ok(tx.execute("UPDATE customers SET notes = 'x'", [])?))
        .unwrap();
    let changes: Vec<String> = store
        .conn
        .prepare("SELECT change_id FROM sync_outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(changes.len(), 300);
    assert!(changes.windows(2).all(|w| w[0] < w[1]), "in the order recorded");
}
