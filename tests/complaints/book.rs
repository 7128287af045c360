//! The fixed book of the complaints tests: four customers and seven
//! complaints in every state, written in the system's zone.

use chrono::NaiveDateTime;
use rapport::domain::complaint::record::{Details, NewComplaint};
use rapport::domain::complaint::zone::Zone;
use rapport::domain::complaint::{Category, ComplaintConfig, Event, Step, Temperament};
use rapport::domain::customer::Customer;
use rapport::storage::Store;

pub fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A local time as stored (UTC).
pub fn utc(s: &str) -> NaiveDateTime {
    Zone::Local.to_utc(t(s))
}

pub const NOW: &str = "2026-11-23 09:00";

/// The fixed book: four customers and seven complaints.
#[derive(Debug, Default, Clone, Copy)]
pub struct Book {
    pub zhang: i64,
    pub amelia: i64,
    pub li: i64,
    pub hiroshi: i64,
    /// 张伟, quality, received 30 h ago: first response overdue by 6 h.
    pub a: i64,
    /// Amelia Lopez, delayed, received 3 h ago.
    pub b: i64,
    /// 李娜, attitude, at step 5, promise due in 2 d 9 h.
    pub c: i64,
    /// Hiroshi Tan, misled, waiting for the customer at step 2.
    pub d: i64,
    /// 张伟, customer's own cause, closed as not valid.
    pub e: i64,
    /// Amelia Lopez, quality, resolved (4/5) after a revised solution.
    pub f: i64,
    /// 李娜, delayed, resolved (5/5) within 24 h, in September.
    pub g: i64,
}

pub fn customer(store: &mut Store, name: &str, company: &str, phone: &str) -> i64 {
    let mut c = Customer::new(name, t("2026-01-05 10:00"));
    c.company = company.into();
    c.phones = vec![phone.into()];
    store.insert_customer(&c).unwrap()
}

pub fn book(store: &mut Store) -> Book {
    let cfg = ComplaintConfig::default();
    let mut b = Book {
        zhang: customer(store, "张伟", "深圳市华强电子有限公司", "138 0013 8000"),
        amelia: customer(store, "Amelia Lopez", "Westbrook Seafood BV", "+31 20 555 0101"),
        li: customer(store, "李娜", "北京华联商贸", "139 1111 2222"),
        hiroshi: customer(store, "Hiroshi Tan", "Maple Ridge Electronics", "+65 6555 0199"),
        ..Book::default()
    };
    let add = |store: &mut Store, who: i64, cat, temp, at: &str, about: &str, content: &str| {
        let new = NewComplaint {
            customer_id: who,
            details: Details {
                complainant: String::new(),
                about: about.into(),
                content: content.into(),
                ..Details::default()
            },
            category: cat,
            temperament: temp,
            received_at: utc(at),
        };
        let mut new = new;
        new.details.complainant = store.customer(who).unwrap().name;
        store.add_complaint(new, &cfg, Zone::Local).unwrap().id
    };
    use Category as C;
    use Temperament as T;
    b.a = add(
        store,
        b.zhang,
        C::Quality,
        T::Emotional,
        "2026-11-22 03:00",
        "冰箱 BCD-450",
        "送货时外壳凹陷",
    );
    b.b = add(
        store,
        b.amelia,
        C::Delayed,
        T::Stubborn,
        "2026-11-23 06:00",
        "Order SO-5531",
        "Two weeks late",
    );
    b.c = add(
        store,
        b.li,
        C::Attitude,
        T::Prepared,
        "2026-11-20 10:00",
        "客服热线",
        "客服两次挂断电话",
    );
    b.d = add(
        store,
        b.hiroshi,
        C::Misled,
        T::Emotional,
        "2026-11-21 09:00",
        "Maintenance plan",
        "24 h repair took five days",
    );
    b.e = add(
        store,
        b.zhang,
        C::OwnCause,
        T::Stubborn,
        "2026-11-10 09:00",
        "已安装设备",
        "接错电压后损坏",
    );
    b.f = add(
        store,
        b.amelia,
        C::Quality,
        T::Prepared,
        "2026-11-01 09:00",
        "Cold-chain cabinet",
        "Stops cooling at night",
    );
    b.g = add(
        store,
        b.li,
        C::Delayed,
        T::Emotional,
        "2026-09-01 09:00",
        "备件",
        "水泵未发货",
    );
    let ev = |store: &mut Store, id: i64, at: &str, e: Event| {
        store
            .complaint_events(id, vec![e], utc(at), utc(NOW), &cfg, Zone::Local)
            .unwrap()
            .unwrap_or_else(|err| panic!("{id} {at}: {err:?}"));
    };
    let done = |step: Step, note: &str| Event::Complete {
        step,
        note: note.into(),
    };
    let valid = || Event::Judge {
        valid: true,
        note: String::new(),
    };
    let promise = |due: &str, note: &str| Event::SetPromise {
        due: utc(due),
        note: note.into(),
    };
    for (at, e) in [
        ("2026-11-20 10:30", done(Step::Listen, "已道歉，客户情绪平复")),
        ("2026-11-20 11:00", done(Step::Record, "")),
        ("2026-11-20 11:30", valid()),
        (
            "2026-11-20 12:00",
            promise("2026-11-25 18:00", "客服主管上门道歉并处理发票"),
        ),
        ("2026-11-20 12:10", done(Step::Agree, "客户同意")),
    ] {
        ev(store, b.c, at, e);
    }
    ev(store, b.d, "2026-11-21 09:20", done(Step::Listen, "Apologised"));
    let wait = Event::Wait {
        reason: "Customer abroad until Monday".into(),
    };
    ev(store, b.d, "2026-11-21 10:00", wait);
    for (at, e) in [
        ("2026-11-10 09:15", done(Step::Listen, "")),
        (
            "2026-11-10 10:00",
            Event::Skip {
                step: Step::Record,
                reason: "书面报告已收到".into(),
            },
        ),
        (
            "2026-11-10 15:00",
            Event::Judge {
                valid: false,
                note: "接错电压造成，已耐心解释保修条款".into(),
            },
        ),
    ] {
        ev(store, b.e, at, e);
    }
    for (at, e) in [
        ("2026-11-01 09:30", done(Step::Listen, "")),
        ("2026-11-01 10:00", done(Step::Record, "")),
        ("2026-11-01 11:00", valid()),
        (
            "2026-11-01 11:10",
            promise("2026-11-03 18:00", "Replace the compressor"),
        ),
        ("2026-11-01 11:20", done(Step::Agree, "")),
        ("2026-11-03 10:00", done(Step::Execute, "Compressor replaced")),
        (
            "2026-11-06 10:00",
            Event::FollowUp {
                satisfied: false,
                satisfaction: Some(2),
                note: "Still warm at night".into(),
            },
        ),
        ("2026-11-06 11:00", promise("2026-11-08 18:00", "New cabinet")),
        ("2026-11-06 11:10", done(Step::Agree, "")),
        ("2026-11-08 10:00", done(Step::Execute, "New cabinet installed")),
        (
            "2026-11-11 10:00",
            Event::FollowUp {
                satisfied: true,
                satisfaction: Some(4),
                note: "Works".into(),
            },
        ),
    ] {
        ev(store, b.f, at, e);
    }
    for (at, e) in [
        ("2026-09-01 09:10", done(Step::Listen, "")),
        ("2026-09-01 09:20", done(Step::Record, "")),
        ("2026-09-01 09:30", valid()),
        ("2026-09-01 09:40", promise("2026-09-01 16:00", "加急发货")),
        ("2026-09-01 09:50", done(Step::Agree, "")),
        ("2026-09-01 15:00", done(Step::Execute, "")),
        (
            "2026-09-02 05:00",
            Event::FollowUp {
                satisfied: true,
                satisfaction: Some(5),
                note: String::new(),
            },
        ),
    ] {
        ev(store, b.g, at, e);
    }
    b
}
