use super::*;
use crate::storage::SCHEMA_VERSION;
use crate::storage::migrations::create_at_version;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn cust(name: &str, phone: &str) -> Customer {
    let mut c = Customer::new(name, now());
    c.phones = vec![phone.to_string()];
    c
}

#[test]
fn an_import_is_one_transaction_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let new: Vec<Customer> = (0..1200)
        .map(|i| cust(&format!("C{i}"), &format!("1380013{i:04}")))
        .collect();
    let mut calls = 0;
    let cancelled = store
        .import_customers(&new, &[], 0, "import", now(), &mut |done, _| {
            calls += 1;
            done < 1000
        })
        .unwrap();
    assert_eq!(cancelled, None);
    assert!(calls >= 2);
    assert_eq!(store.customer_count().unwrap(), 0, "a cancelled import leaves nothing");
    let done = store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| true)
        .unwrap();
    assert_eq!(
        done,
        Some(Written {
            inserted: 1200,
            merged: 0,
            late: 0
        })
    );
    assert_eq!(store.customer_count().unwrap(), 1200);
    // Search keys, due dates and the status history are written.
    let row = store.customer_row(1).unwrap();
    assert!(row.search_key.contains("c0"));
    assert!(store.next_due_on(1).unwrap().is_some());
    assert_eq!(store.status_history(1).unwrap()[0].reason, "import");
}

#[test]
fn merges_fill_gaps_of_existing_customers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut first = cust("张伟", "13800138000");
    first.tags = vec!["VIP".into()];
    let id = store.insert_customer(&first).unwrap();
    let mut more = cust("张伟", "0755 8888 0000");
    more.email = "wei@x.cn".into();
    more.company = "华强".into();
    more.tags = vec!["华南".into()];
    let w = store
        .import_customers(&[], &[(id, vec![more])], 0, "import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    assert_eq!(w.merged, 1);
    let c = store.customer(id).unwrap();
    assert_eq!(c.phones, vec!["13800138000", "0755 8888 0000"]);
    assert_eq!((c.email.as_str(), c.company.as_str()), ("wei@x.cn", "华强"));
    assert_eq!(c.tags, vec!["VIP", "华南"]);
    assert!(store.customer_row(id).unwrap().search_key.contains("华强"));
}

#[test]
fn a_migration_keeps_a_private_copy_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        create_at_version(&conn, 1).unwrap();
        conn.execute(
            "INSERT INTO customers (name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
             VALUES ('Old Friend', 'B', 'active', 'basic', '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'old friend', 'old friend')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.customer_count().unwrap(), 1);
    let bak = dir.path().join(format!("old.db.pre-v{SCHEMA_VERSION}.bak"));
    let h = check_file(&bak).unwrap();
    assert!(h.ok(), "{h:?}");
    assert_eq!((h.schema, h.customers), (1, Some(1)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&bak).unwrap().permissions().mode() & 0o777, 0o600);
    }
    drop(store);
    // A new, empty file is created without a copy of nothing.
    let fresh = dir.path().join("new.db");
    Store::open(&fresh).unwrap();
    assert!(!dir.path().join(format!("new.db.pre-v{SCHEMA_VERSION}.bak")).exists());
}

#[test]
fn a_bulk_import_leaves_every_companys_figures_right_and_the_trigger_in_place() {
    use crate::domain::customer::Grade;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    // More rows than BULK_ROWS: the indexes and the company trigger are set
    // aside during the write and every company is computed once after it.
    let new: Vec<Customer> = (0..BULK_ROWS + 10)
        .map(|i| {
            let mut c = cust(&format!("C{i}"), &format!("139{i:08}"));
            c.company = ["Acme", "华信科技", "Bluefield"][i % 3].into();
            c.grade = if i == 7 { Grade::A } else { Grade::C };
            c
        })
        .collect();
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    let figures = |store: &Store, name: &str| -> (i64, String) {
        store
            .conn
            .query_row(
                "SELECT people, best_grade FROM companies WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let third = (BULK_ROWS + 10).div_ceil(3) as i64;
    assert_eq!(figures(&store, "华信科技"), (third, "A".to_string()));
    // Each company once, each customer at their company, each with one
    // first status-history row giving the import as the reason.
    let (companies, placed, histories, reasons): (i64, i64, i64, i64) = store
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM companies),
                (SELECT count(*) FROM customers c JOIN companies co ON co.id = c.company_id
                 WHERE co.name = CASE CAST(substr(c.name, 2) AS INTEGER) % 3
                    WHEN 0 THEN 'Acme' WHEN 1 THEN '华信科技' ELSE 'Bluefield' END),
                (SELECT count(DISTINCT customer_id) FROM status_history),
                (SELECT count(*) FROM status_history WHERE reason = 'import' AND from_status IS NULL
                    AND to_status = 'potential')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let n = (BULK_ROWS + 10) as i64;
    assert_eq!((companies, placed, histories, reasons), (3, n, n, n));
    assert_eq!(figures(&store, "Acme").1, "C");
    // Every index set aside is back, the companies' one on their figures too.
    let back: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('companies_risk', 'customers_company', 'status_history_customer') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(back, ["companies_risk", "customers_company", "status_history_customer"]);
    // The trigger is back: a customer added by hand counts at once.
    let mut one = cust("Late", "13700000000");
    one.company = "Acme".into();
    one.grade = Grade::B;
    store.insert_customer(&one).unwrap();
    assert_eq!(figures(&store, "Acme"), (third + 1, "B".to_string()));
}

#[test]
fn a_bulk_import_gives_new_and_existing_companies_the_figures_the_trigger_would() {
    use crate::domain::account::Roles;
    use crate::domain::customer::Grade;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut before = cust("Old", "13800000000");
    before.company = "Acme".into();
    before.grade = Grade::B;
    before.roles = Roles::from_bits(1);
    store.insert_customer(&before).unwrap();
    let contact = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    let new: Vec<Customer> = (0..BULK_ROWS + 10)
        .map(|i| {
            let mut c = cust(&format!("C{i}"), &format!("139{i:08}"));
            c.company = ["Acme", "华信科技", "Bluefield", "", "Solo"][i % 5].into();
            c.grade = [Grade::C, Grade::D, Grade::A][i % 3];
            // Decision makers here and there, some never contacted.
            if i % 7 == 0 {
                c.roles = Roles::from_bits(1);
                c.contact.last_contact = (i % 2 == 0).then(|| contact(1 + (i % 27) as u32));
            }
            c
        })
        .collect();
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    type Figures = (String, i64, Option<String>, i64, Option<String>);
    let read = |sql: &str| -> Vec<Figures> {
        store
            .conn
            .prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let stored = read("SELECT name, people, best_grade, deciders, decider_contact FROM companies ORDER BY name");
    let computed = read(
        "SELECT co.name, count(c.id), min(c.grade), coalesce(sum((c.roles & 1) <> 0), 0),
            max(CASE WHEN c.roles & 1 THEN coalesce(c.last_contact_at, '') END)
         FROM companies co LEFT JOIN customers c ON c.company_id = co.id AND c.left_on IS NULL
         GROUP BY co.id ORDER BY co.name",
    );
    assert_eq!(stored.len(), 4);
    assert_eq!(stored, computed);
    // The company that existed counts its earlier person too.
    let acme = &stored[0];
    assert_eq!((acme.0.as_str(), acme.2.as_deref()), ("Acme", Some("A")));
    assert!(acme.1 > (BULK_ROWS / 5) as i64);
}

#[test]
fn a_bulk_import_stores_the_due_dates_the_database_would_compute() {
    use crate::domain::customer::Grade;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    // A cadence of the rep's own, so defaults would not pass by chance.
    let cadence = crate::domain::cadence::Cadence {
        call_months: [Some(2), Some(4), None, Some(12)],
        churn_factor: 3,
        ..Default::default()
    };
    store.set_cadence(&cadence).unwrap();
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let new: Vec<Customer> = (0..BULK_ROWS + 10)
        .map(|i| {
            let mut c = cust(&format!("C{i}"), &format!("139{i:08}"));
            c.grade = [Grade::A, Grade::B, Grade::C, Grade::D][i % 4];
            c.follow_up_as_new = i % 3 != 0;
            c.created_at = day(1 + (i % 11) as u32, 1).and_hms_opt(8, 0, 0).unwrap();
            if i % 2 == 0 {
                c.contact.last_call = Some(day(1 + (i % 12) as u32, 1 + (i % 28) as u32));
                c.contact.last_contact = c.contact.last_call.map(|d| d.and_hms_opt(10, 0, 0).unwrap());
            }
            if i % 5 == 0 {
                c.contact.last_visit = Some(day(2, 1 + (i % 27) as u32));
            }
            c
        })
        .collect();
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    type Dues = Vec<(Option<String>, Option<String>)>;
    let read = |store: &Store| -> Dues {
        store
            .conn
            .prepare("SELECT next_due_on, churn_on FROM customers ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let stored = read(&store);
    store
        .conn
        .execute(&format!("UPDATE customers SET {}", crate::storage::due::REFRESH), [])
        .unwrap();
    let computed = read(&store);
    assert_eq!(stored.len(), new.len());
    assert!(stored.iter().filter(|d| d.1.is_some()).count() > 100);
    assert_eq!(stored, computed);
    // Each gets its own uid, in the database's format, in the order added.
    let uids: Vec<String> = store
        .conn
        .prepare("SELECT uid FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        uids.iter()
            .all(|u| u.len() == 32 && u.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    );
    assert!(uids.windows(2).all(|w| w[0] < w[1]), "distinct and in order");
}

#[test]
fn a_large_import_puts_back_every_setting_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let setting = |s: &Store, name: &str| -> String {
        s.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    let names = [
        "foreign_keys",
        "ignore_check_constraints",
        "cache_size",
        "mmap_size",
        "journal_mode",
    ];
    let before: Vec<String> = names.iter().map(|n| setting(&store, n)).collect();
    assert_eq!(before[0], "Integer(1)");
    let new: Vec<Customer> = (0..BULK_ROWS + 10)
        .map(|i| cust(&format!("C{i}"), &format!("1390013{i:04}")))
        .collect();
    store
        .import_customers(&new, &[], 0, "import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    let after: Vec<String> = names.iter().map(|n| setting(&store, n)).collect();
    assert_eq!(after, before);
    // Foreign keys are enforced again.
    let orphan = store.conn.execute(
        "INSERT INTO status_history (customer_id, at, from_status, to_status, reason)
         VALUES (999999, '2026-11-23 09:00:00', NULL, 'potential', 'x')",
        [],
    );
    assert!(orphan.is_err());
}
