use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::super::migrations::{create_at_version, version_before};
use super::super::{SCHEMA_VERSION, Store};
use super::*;
use crate::domain::account::{self, Role, Warning};
use crate::domain::customer::Customer;
use crate::domain::interaction::InteractionKind;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("{s}:00"), "%Y-%m-%d %H:%M:%S").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(store: &mut Store, name: &str, company: &str, grade: Grade, roles: &[Role]) -> i64 {
    let mut c = Customer::new(name, at("2026-01-05 09:00"));
    c.company = company.into();
    c.grade = grade;
    c.roles = Roles::of(roles);
    c.status = Status::Active;
    store.insert_customer(&c).unwrap()
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

/// Every schema before this step, with a company, two people and (where
/// the schema has it) a MAN "who decides" link, migrates keeping all.
#[test]
fn every_earlier_schema_keeps_companies_customers_and_decider_links() {
    for version in 1..=version_before(crate::storage::company_schema::SCHEMA) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            create_at_version(&conn, version).unwrap();
            conn.execute(
                "INSERT INTO companies (id, name, created_at) VALUES (7, '华信科技有限公司', '2026-01-01 09:00:00')",
                [],
            )
            .unwrap();
            for (id, name, grade) in [(1, "李娜", "A"), (2, "王强", "B"), (3, "Anna", "C")] {
                conn.execute(
                    "INSERT INTO customers (id, name, company_id, grade, status, relationship, created_at,
                        updated_at, search_key, sort_key, last_contact_at)
                     VALUES (?1, ?2, CASE WHEN ?1 < 3 THEN 7 END, ?3, 'potential', 'basic',
                        '2026-01-01 09:00:00', '2026-01-01 09:00:00', ?2, ?2, '2026-11-20 10:00:00')",
                    rusqlite::params![id, name, grade],
                )
                .unwrap();
            }
            if version >= 2 {
                conn.execute(
                    "INSERT INTO qualification (customer_id, decider_customer_id, decider_name) VALUES (2, 1, '李娜')",
                    [],
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        let v: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION, "from {version}");
        assert_eq!(store.customer_count().unwrap(), 3, "from {version}");
        let co = store.company(7).unwrap().expect("company kept");
        assert_eq!(co.company.name, "华信科技有限公司");
        assert_eq!(co.people, 2);
        assert_eq!(co.best_grade, Some(Grade::A));
        assert_eq!(store.customer(1).unwrap().company, "华信科技有限公司");
        let members = store.members(7).unwrap();
        assert_eq!(members.len(), 2);
        if version >= 2 {
            assert!(
                store.customer(1).unwrap().roles.has(Role::DecisionMaker),
                "from {version}"
            );
            assert_eq!(store.qualification(2).unwrap().decider.customer_id, Some(1));
            assert!(account::coverage(&members, day("2026-12-01"), 90).is_empty());
            // Covered: not at risk.
            assert!(store.accounts_at_risk(day("2026-09-02"), 10, 200).unwrap().0.is_empty());
        } else {
            assert_eq!(store.accounts_at_risk(day("2026-09-02"), 10, 200).unwrap().0, vec![7]);
        }
    }
}

#[test]
fn a_company_is_edited_on_its_own_and_names_stay_unique() {
    let (_d, mut store) = open();
    let a = person(&mut store, "张伟", "华信科技", Grade::B, &[]);
    person(&mut store, "Bo", "Other Ltd", Grade::C, &[]);
    let cid = store.company_id_of(a).unwrap().unwrap();
    let mut co = store.company(cid).unwrap().unwrap().company;
    assert_eq!(co.business, BusinessStatus::Normal);
    co.industry = "软件".into();
    co.size = Some(Size::Medium);
    co.city = "上海".into();
    co.address = "浦东新区世纪大道 100 号".into();
    co.website = "https://huaxin.example".into();
    co.business = BusinessStatus::Expanding;
    co.transaction = TransactionStatus::Buying;
    co.notes = "新工厂明年投产".into();
    co.name = "华信科技有限公司".into();
    assert!(store.save_company(&co, at("2026-11-02 10:00")).unwrap());
    let back = store.company(cid).unwrap().unwrap();
    assert_eq!(back.company, co);
    // The person's search key follows the new name.
    let key: String = store
        .conn
        .query_row("SELECT search_key FROM customers WHERE id = ?1", [a], |r| r.get(0))
        .unwrap();
    assert!(key.contains("华信科技有限公司"), "{key}");
    // Another company's name is refused and nothing changes.
    co.name = "Other Ltd".into();
    assert!(!store.save_company(&co, at("2026-11-02 10:05")).unwrap());
    assert_eq!(store.company(cid).unwrap().unwrap().company.name, "华信科技有限公司");
    assert_eq!(store.companies().unwrap().len(), 2);
}

#[test]
fn roles_are_stored_with_the_customer_and_set_on_their_own() {
    let (_d, mut store) = open();
    let a = person(
        &mut store,
        "李娜",
        "华信",
        Grade::A,
        &[Role::DecisionMaker, Role::Payer],
    );
    assert_eq!(
        store.customer(a).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::Payer])
    );
    store
        .set_roles(a, Roles::of(&[Role::User]), at("2026-11-02 10:00"))
        .unwrap();
    assert_eq!(store.customer(a).unwrap().roles, Roles::of(&[Role::User]));
    assert!(matches!(
        store.set_roles(999, Roles::NONE, at("2026-11-02 10:00")),
        Err(StorageError::NoSuchCustomer(999))
    ));
}

#[test]
fn coverage_figures_follow_every_write_and_the_risky_accounts_come_first() {
    let (_d, mut store) = open();
    let today = day("2026-12-01");
    let since = today - chrono::Duration::days(90);
    // A: one contact at a key account.
    let solo = person(&mut store, "Solo", "Alpha", Grade::A, &[Role::DecisionMaker]);
    store
        .log_interaction(solo, InteractionKind::Call, at("2026-11-30 10:00"), "")
        .unwrap();
    // B: a decision maker contacted long ago, and a user.
    let dm = person(&mut store, "Dee", "Beta", Grade::B, &[Role::DecisionMaker]);
    person(&mut store, "Uma", "Beta", Grade::B, &[Role::User]);
    store
        .log_interaction(dm, InteractionKind::Call, at("2026-06-01 10:00"), "")
        .unwrap();
    // C: fine (two people, decision maker contacted lately).
    let ok = person(&mut store, "Oz", "Gamma", Grade::A, &[Role::DecisionMaker]);
    person(&mut store, "Pat", "Gamma", Grade::C, &[]);
    store
        .log_interaction(ok, InteractionKind::Visit, at("2026-11-10 10:00"), "")
        .unwrap();
    // D: grade C, no decision maker: not on the agenda.
    person(&mut store, "Cee", "Delta", Grade::C, &[]);
    let co = |store: &Store, id| store.company_id_of(id).unwrap().unwrap();
    let (alpha, beta, gamma) = (co(&store, solo), co(&store, dm), co(&store, ok));
    let (ids, n) = store.accounts_at_risk(since, 10, 200).unwrap();
    assert_eq!((ids.clone(), n), (vec![alpha, beta], 2));
    // Contacting the decision maker covers Beta again.
    store
        .log_interaction(dm, InteractionKind::Call, at("2026-11-28 10:00"), "")
        .unwrap();
    assert_eq!(store.accounts_at_risk(since, 10, 200).unwrap().0, vec![alpha]);
    // The limit keeps the count.
    let more = person(&mut store, "Moe", "Epsilon", Grade::B, &[]);
    let (ids, n) = store.accounts_at_risk(since, 1, 200).unwrap();
    assert_eq!((ids.len(), n), (1, 2));
    // Taking the role away, or grading down, moves the account.
    store.set_roles(ok, Roles::NONE, at("2026-11-30 09:00")).unwrap();
    let mut c = store.customer(more).unwrap();
    c.grade = Grade::C;
    store.update_customer(&c, at("2026-11-30 09:00"), "").unwrap();
    let (ids, _) = store.accounts_at_risk(since, 10, 200).unwrap();
    assert_eq!(ids, vec![alpha, gamma]);
}

fn leaving(person_id: i64, successor: Successor, stay: bool) -> Leaving {
    Leaving {
        person_id,
        on: day("2026-11-28"),
        to: "Acme Ltd".into(),
        note: "retired early".into(),
        successor,
        stay_contact: stay,
        rebuild_on: day("2026-12-05"),
        rebuild_note: "Rebuild the relationship (took over from {name})".into(),
    }
}

#[test]
fn a_person_who_leaves_hands_over_roles_and_the_successor_gets_the_agenda_item() {
    let (_d, mut store) = open();
    let old = person(
        &mut store,
        "李娜",
        "华信",
        Grade::A,
        &[Role::DecisionMaker, Role::Payer],
    );
    let succ = person(&mut store, "王强", "华信", Grade::B, &[Role::User]);
    store
        .log_interaction(old, InteractionKind::Call, at("2026-10-01 10:00"), "")
        .unwrap();
    store
        .add_follow_up(
            old,
            day("2026-12-03"),
            "send the quote",
            "manual",
            at("2026-11-01 09:00"),
        )
        .unwrap();
    let left = store
        .mark_left(&leaving(old, Successor::Existing(succ), false), at("2026-12-01 09:00"))
        .unwrap();
    assert_eq!(left.successor_id, Some(succ));
    // Roles moved.
    assert!(store.customer(old).unwrap().roles.is_empty());
    assert_eq!(
        store.customer(succ).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::User, Role::Payer])
    );
    // The leaver: marked, no cadence, no open follow-up; still in the book.
    let dep = store.departure(old).unwrap().unwrap();
    assert_eq!(
        (dep.on, dep.to.as_str(), dep.successor_id),
        (day("2026-11-28"), "Acme Ltd", Some(succ))
    );
    assert_eq!(store.next_due_on(old).unwrap(), None);
    assert!(store.open_follow_ups(old).unwrap().is_empty());
    // Logging with the leaver later does not bring the cadence back.
    store
        .log_interaction(old, InteractionKind::Message, at("2026-12-01 11:00"), "farewell")
        .unwrap();
    assert_eq!(store.next_due_on(old).unwrap(), None);
    // The successor's agenda item.
    let f = store.open_follow_ups(succ).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].due_on, day("2026-12-05"));
    assert!(f[0].note.contains("李娜"), "{}", f[0].note);
    // The history on both people and on the account.
    let h_old = store.personnel_changes(old).unwrap();
    let h_succ = store.personnel_changes(succ).unwrap();
    assert_eq!(h_old, h_succ);
    assert_eq!(h_old[0].roles, Roles::of(&[Role::DecisionMaker, Role::Payer]));
    assert_eq!(
        (h_old[0].person.as_str(), h_old[0].successor.as_str()),
        ("李娜", "王强")
    );
    let cid = store.company_id_of(old).unwrap().unwrap();
    assert_eq!(store.company_changes(cid).unwrap(), h_old);
    let members = store.members(cid).unwrap();
    assert_eq!(members.len(), 2);
    assert!(members[1].left.is_some() && members[0].present());
    assert_eq!(store.company(cid).unwrap().unwrap().people, 1);
}

#[test]
fn a_new_successor_is_added_at_the_company() {
    let (_d, mut store) = open();
    let old = person(&mut store, "Anna Berg", "Nordic AB", Grade::A, &[Role::DecisionMaker]);
    let left = store
        .mark_left(
            &leaving(
                old,
                Successor::New {
                    name: "Erik Lund".into(),
                    title: "CFO".into(),
                },
                false,
            ),
            at("2026-12-01 09:00"),
        )
        .unwrap();
    let s = store.customer(left.successor_id.unwrap()).unwrap();
    assert_eq!(
        (s.name.as_str(), s.company.as_str(), s.role.as_str()),
        ("Erik Lund", "Nordic AB", "CFO")
    );
    assert!(s.roles.has(Role::DecisionMaker));
    assert_eq!(s.grade, Grade::A);
    assert!(left.follow_up_id.is_some());
}

#[test]
fn someone_who_moves_can_stay_a_contact_at_the_new_company() {
    let (_d, mut store) = open();
    let old = person(&mut store, "李娜", "华信", Grade::A, &[Role::DecisionMaker]);
    let succ = person(&mut store, "王强", "华信", Grade::B, &[]);
    let cid = store.company_id_of(old).unwrap().unwrap();
    store
        .mark_left(&leaving(old, Successor::Existing(succ), true), at("2026-12-01 09:00"))
        .unwrap();
    let moved = store.customer(old).unwrap();
    assert_eq!(moved.company, "Acme Ltd");
    assert!(moved.roles.is_empty());
    assert!(store.departure(old).unwrap().is_none(), "a contact, not a leaver");
    // The old account still shows them, as gone.
    let members = store.members(cid).unwrap();
    let gone = members.iter().find(|m| m.id == old).unwrap();
    assert_eq!(gone.left.as_ref().unwrap().to, "Acme Ltd");
    assert_eq!(store.personnel_changes(old).unwrap().len(), 1);
}

#[test]
fn a_departure_about_nobody_or_oneself_writes_nothing() {
    let (_d, mut store) = open();
    let a = person(&mut store, "A", "X", Grade::B, &[Role::DecisionMaker]);
    assert!(
        store
            .mark_left(&leaving(999, Successor::None, false), at("2026-12-01 09:00"))
            .is_err()
    );
    assert!(
        store
            .mark_left(&leaving(a, Successor::Existing(a), false), at("2026-12-01 09:00"))
            .is_err()
    );
    assert!(
        store
            .mark_left(&leaving(a, Successor::Existing(4242), false), at("2026-12-01 09:00"))
            .is_err()
    );
    assert!(store.departure(a).unwrap().is_none());
    assert!(store.customer(a).unwrap().roles.has(Role::DecisionMaker));
    assert!(store.personnel_changes(a).unwrap().is_empty());
    // No successor: the leaver is marked, nothing goes on the agenda.
    let l = store
        .mark_left(&leaving(a, Successor::None, false), at("2026-12-01 09:00"))
        .unwrap();
    assert_eq!((l.successor_id, l.follow_up_id), (None, None));
    let cid = store.company_id_of(a).unwrap().unwrap();
    assert!(matches!(
        account::coverage(&store.members(cid).unwrap(), day("2026-12-01"), 90).as_slice(),
        []
    ));
    let _ = Warning::NoDecisionMaker;
}

#[test]
fn naming_a_colleague_who_decides_gives_them_the_role() {
    let (_d, mut store) = open();
    let asker = person(&mut store, "王芳", "华强", Grade::B, &[]);
    let boss = person(&mut store, "李娜", "华强", Grade::B, &[Role::Payer]);
    let elsewhere = person(&mut store, "Bo", "Other", Grade::B, &[]);
    let d = crate::domain::qualification::Decider {
        customer_id: Some(boss),
        name: "李娜".into(),
        role: String::new(),
    };
    store.set_decider(asker, d, at("2026-11-02 10:00")).unwrap();
    assert_eq!(
        store.customer(boss).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::Payer])
    );
    // Someone at another company is not made a decision maker here.
    let d = crate::domain::qualification::Decider {
        customer_id: Some(elsewhere),
        name: "Bo".into(),
        role: String::new(),
    };
    store.set_decider(asker, d, at("2026-11-02 10:05")).unwrap();
    assert!(store.customer(elsewhere).unwrap().roles.is_empty());
}

#[test]
fn someone_who_left_gets_no_care_moments_on_the_agenda() {
    use crate::domain::dates::{Birthday, Calendar};
    let (_d, mut store) = open();
    let mut c = Customer::new("Birgit", at("2025-01-05 09:00"));
    c.company = "Acme".into();
    c.grade = Grade::A;
    c.status = Status::Active;
    c.birthday = Some(Birthday {
        calendar: Calendar::Gregorian,
        month: 12,
        day: 1,
        year: None,
    });
    let id = store.insert_customer(&c).unwrap();
    let today = day("2026-12-01");
    let on_agenda = |store: &Store| {
        store
            .agenda(today, today, &[], 50)
            .unwrap()
            .items
            .iter()
            .any(|i| i.customer_id == id)
    };
    assert!(on_agenda(&store));
    store
        .mark_left(&leaving(id, Successor::None, false), at("2026-12-01 08:00"))
        .unwrap();
    assert!(!on_agenda(&store));
}
