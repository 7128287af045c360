//! The book the accounts tests share, and their ways in through the keys.

#![allow(dead_code)]

use chrono::Duration;
use rapport::domain::account::{Role, Roles};
use rapport::domain::customer::{ContactDates, Customer, Grade, Status};
use rapport::i18n::Lang;
use rapport::storage::Store;

use super::common::{Harness, now};

/// 华信科技: a decision maker last contacted 100 days ago, a user and a
/// payer. Acme Ltd: a key account with one contact and no known roles.
pub fn book(store: &mut Store) {
    let add = |store: &mut Store, name: &str, company: &str, grade: Grade, roles: &[Role], days: Option<i64>| {
        let mut c = Customer::new(name, now() - Duration::days(400));
        c.company = company.into();
        c.grade = grade;
        c.status = Status::Active;
        c.roles = Roles::of(roles);
        c.role = match roles.first() {
            Some(Role::DecisionMaker) => "总经理".into(),
            _ => String::new(),
        };
        if let Some(d) = days {
            let at = now() - Duration::days(d);
            c.contact = ContactDates {
                last_contact: Some(at),
                last_call: Some(at.date()),
                last_visit: Some(at.date()),
            };
        }
        store.insert_customer(&c).unwrap()
    };
    add(store, "李娜", "华信科技", Grade::A, &[Role::DecisionMaker], Some(100));
    add(store, "王强", "华信科技", Grade::B, &[Role::User], Some(10));
    add(store, "张伟", "华信科技", Grade::C, &[Role::Payer], Some(20));
    add(store, "Anna Berg", "Acme Ltd", Grade::A, &[], Some(5));
}

pub fn harness(lang: Lang) -> Harness {
    Harness::with(lang, book)
}

pub fn id_of(h: &Harness, name: &str) -> i64 {
    let rows = h.store.first_page(100).unwrap().rows;
    rows.iter().find(|r| r.name == name).unwrap().id
}

/// Searches `name`, opens the card, then the account.
pub fn open_account(h: &mut Harness, name: &str) {
    h.keys(&format!("/{name}<Enter><Enter>"));
    assert!(h.app.customers.card.is_some(), "card open");
    h.keys("A");
    assert!(h.app.accounts.view.is_some(), "account open");
}
