//! Exports: JSON that restores a book identically, CSV and vCard that
//! import back, an iCalendar feed read back by an independent parser, and
//! no control character in any of them.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use icalendar::Component;
use rapport::domain::customer::Customer;
use rapport::domain::dates::Birthday;
use rapport::domain::text::is_unsafe;
use rapport::i18n::Lang;
use rapport::io::csvout;
use rapport::io::load::load_bytes;
use rapport::io::{Source, ics, vcard};
use rapport::storage::Store;
use rapport::storage::io::{Refusal, TransferError};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn demo_book(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    rapport::demo::generate(&mut store, n, 7, now()).unwrap();
    (dir, store)
}

fn dump(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    store.dump_json(&mut out, "2026-11-23 09:00:00").unwrap();
    out
}

#[test]
fn json_export_restores_into_an_empty_database_identically() {
    let (dir, mut a) = demo_book(150);
    let c = a.customer(3).unwrap();
    let to = if c.grade == rapport::domain::customer::Grade::A {
        rapport::domain::customer::Grade::B
    } else {
        rapport::domain::customer::Grade::A
    };
    a.apply_grade_changes(&[rapport::domain::value::GradeChange {
        customer_id: 3,
        at: now(),
        from: c.grade,
        to,
        reason: rapport::domain::value::GradeReason::Lapsed(40),
    }])
    .unwrap();
    let first = dump(&a);
    let parsed: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let tables = parsed["tables"].as_object().unwrap();
    // Everything the panes keep is there, with rows.
    for t in [
        "customers",
        "companies",
        "interactions",
        "status_history",
        "qualification",
        "complaints",
        "complaint_timeline",
        "follow_ups",
        "purchases",
        "grade_history",
    ] {
        assert!(
            tables
                .get(t)
                .and_then(|v| v.as_array())
                .is_some_and(|rows| !rows.is_empty()),
            "{t} is missing or empty"
        );
    }
    let mut b = Store::open(&dir.path().join("b.db")).unwrap();
    let restored = b.restore_json(&first).unwrap();
    assert_eq!(restored.rows("customers"), a.customer_count().unwrap());
    let second = dump(&b);
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap(),
        "the restored book dumps to the same bytes"
    );
    // Same ids: a customer's card reads the same in both books.
    for id in [1, 75, 150] {
        assert_eq!(a.customer(id).unwrap(), b.customer(id).unwrap());
    }
    assert_eq!(a.complaint_count().unwrap(), b.complaint_count().unwrap());
}

#[test]
fn json_import_refuses_and_leaves_nothing() {
    let (dir, a) = demo_book(20);
    let bytes = dump(&a);
    // Into a book that already has customers.
    let mut full = Store::open(&dir.path().join("full.db")).unwrap();
    full.insert_customer(&Customer::new("Someone", now())).unwrap();
    match full.restore_json(&bytes) {
        Err(TransferError::Refused(Refusal::NotEmpty { customers: 1 })) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(full.customer_count().unwrap(), 1);
    // Damaged files: a truncated one, an unknown table at the end, a
    // newer schema, something else entirely. Nothing is written.
    let mut empty = Store::open(&dir.path().join("empty.db")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let truncated = &bytes[..bytes.len() * 2 / 3];
    let unknown = text.replacen("\"tables\":{", "\"tables\":{\"customers_v9\":[{\"id\":1}],", 1);
    let unknown_late = format!(
        "{}, \"zzz\":[{{\"id\":1}}]}}}}\n",
        text.trim_end().trim_end_matches("}}")
    );
    let bad_column = text.replacen("\"name\":", "\"nmae\":", 1);
    let newer = text.replacen("\"schema\":", "\"schema\":99, \"was\":", 1);
    for (what, input) in [
        ("truncated", truncated.to_vec()),
        ("unknown table", unknown.into_bytes()),
        ("unknown table at the end", unknown_late.into_bytes()),
        ("bad column", bad_column.into_bytes()),
        ("newer", newer.into_bytes()),
        ("not json", b"name,phone\n".to_vec()),
    ] {
        let r = empty.restore_json(&input);
        assert!(matches!(r, Err(TransferError::Refused(_))), "{what}: {r:?}");
        assert_eq!(empty.customer_count().unwrap(), 0, "{what}");
        let dumped: serde_json::Value = serde_json::from_slice(&dump(&empty)).unwrap();
        for (t, rows) in dumped["tables"].as_object().unwrap() {
            if t != "meta" {
                assert!(rows.as_array().unwrap().is_empty(), "{what}: {t} has rows");
            }
        }
    }
    // After all that the good file still restores.
    assert!(empty.restore_json(&bytes).is_ok());
}

#[test]
fn csv_and_vcard_exports_import_back_row_by_row() {
    let (_dir, a) = demo_book(60);
    let exported = a.export_customers().unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let csv = csvout::customers(lang, &exported);
        let loaded = load_bytes(Source::Csv, csv, None, now()).unwrap();
        let back = loaded.convert(now());
        assert!(back.rejects.is_empty(), "{lang:?}: {:?}", back.rejects);
        assert_eq!(back.incoming.len(), exported.len());
        for (orig, got) in exported.iter().zip(&back.incoming) {
            let (o, g) = (&orig.customer, &got.customer);
            assert_eq!(
                (&g.name, &g.company, &g.role, &g.phones, &g.wechat, &g.email, &g.city),
                (&o.name, &o.company, &o.role, &o.phones, &o.wechat, &o.email, &o.city),
                "{lang:?}"
            );
            assert_eq!(
                (g.birthday, g.grade, g.status, g.relationship, g.personality),
                (o.birthday, o.grade, o.status, o.relationship, o.personality)
            );
            assert_eq!(
                (&g.tags, &g.hobbies, &g.family, &g.notes),
                (&o.tags, &o.hobbies, &o.family, &o.notes)
            );
        }
    }
    let customers: Vec<Customer> = exported.iter().map(|e| e.customer.clone()).collect();
    let vcf = vcard::cards(&customers);
    let back = vcard::parse(&vcf, now());
    assert!(back.rejects.is_empty(), "{:?}", back.rejects);
    for (o, got) in customers.iter().zip(&back.incoming) {
        let g = &got.customer;
        assert_eq!(
            (
                &g.name, &g.company, &g.role, &g.phones, &g.email, &g.city, &g.wechat, g.birthday, &g.tags, &g.notes
            ),
            (
                &o.name, &o.company, &o.role, &o.phones, &o.email, &o.city, &o.wechat, o.birthday, &o.tags, &o.notes
            )
        );
    }
}

#[test]
fn control_characters_never_reach_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut c = Customer::new("Evil\x1b]0;pwned\x07\u{202E}Name", now());
    c.company = "Bell\x07\x00Corp\r".into();
    c.notes = "line\x1b[2J one\nline\x08 two".into();
    c.tags = vec!["t\x1bag".into()];
    c.birthday = Some(Birthday {
        calendar: rapport::domain::dates::Calendar::Gregorian,
        month: 6,
        day: 1,
        year: None,
    });
    let id = store.insert_customer(&c).unwrap();
    store
        .add_follow_up(
            id,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            "note\x1b[31m",
            "manual",
            now(),
        )
        .unwrap();
    let list = store.export_customers().unwrap();
    let csv = String::from_utf8(csvout::customers(Lang::En, &list)).unwrap();
    let vcf = vcard::cards(&[list[0].customer.clone()]);
    let cal = ics::calendar(Lang::En, &store.agenda_feed().unwrap(), now());
    for (what, text, name) in [
        ("csv", csv, "Evil]0;pwnedName"),
        ("vcf", vcf, "Evil]0\\;pwnedName"),
        ("ics", cal, "Evil]0\\;pwnedName"),
    ] {
        let bad: Vec<char> = text
            .chars()
            .filter(|c| is_unsafe(*c) && !matches!(c, '\r' | '\n'))
            .collect();
        assert!(bad.is_empty(), "{what} holds {bad:?}");
        assert!(text.replace("\r\n ", "").contains(name), "{what}: {text}");
    }
    // The JSON export escapes them, so the stored text comes back whole.
    let json = String::from_utf8(dump(&store)).unwrap();
    let bad: Vec<char> = json.chars().filter(|c| is_unsafe(*c) && *c != '\n').collect();
    assert!(bad.is_empty(), "json holds {bad:?}");
    let mut back = Store::open(&dir.path().join("back.db")).unwrap();
    back.restore_json(json.as_bytes()).unwrap();
    let again = back.customer(id).unwrap();
    assert_eq!(again.name, "Evil\x1b]0;pwned\x07\u{202E}Name");
    assert_eq!(again.company, "Bell\x07\x00Corp\r");
    assert_eq!(again.notes, "line\x1b[2J one\nline\x08 two");
}

/// A strict reading of RFC 5545 §3.1: CRLF line ends, at most 75 octets,
/// continuation lines start with one space.
fn strict_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
    }
}

#[test]
fn the_calendar_feed_reads_back_with_an_independent_parser() {
    let (_dir, store) = demo_book(120);
    let feed = store.agenda_feed().unwrap();
    let text = ics::calendar(Lang::Zh, &feed, now());
    strict_lines(&text);
    let cal: icalendar::Calendar = text.parse().expect("icalendar parses the feed");
    let events: Vec<&icalendar::Event> = cal.events().collect();
    assert_eq!(events.len(), feed.entries.len());
    let uids: std::collections::HashSet<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    let kinds = |p: &str| events.iter().filter(|e| e.get_uid().unwrap().starts_with(p)).count();
    assert!(
        kinds("follow-up-") > 0 && kinds("birthday-") > 0 && kinds("complaint-") > 0,
        "{}",
        text.len()
    );
    for e in &events {
        assert!(e.get_summary().is_some_and(|s| !s.is_empty()));
        assert!(e.get_start().is_some() && e.property_value("DTSTAMP").is_some());
    }
    // Follow-ups fall on their stored day, complaint deadlines at their hour.
    for (who, entry) in &feed.entries {
        let uid = match entry {
            ics::Entry::FollowUp { id, .. } => format!("follow-up-{id}@rapport"),
            ics::Entry::Birthday(_) => format!("birthday-{}@rapport", who.id),
            _ => continue,
        };
        let e = events.iter().find(|e| e.get_uid() == Some(uid.as_str())).unwrap();
        match (entry, e.get_start().unwrap()) {
            (ics::Entry::FollowUp { due, .. }, icalendar::DatePerhapsTime::Date(d)) => assert_eq!(*due, d),
            (ics::Entry::Birthday(b), icalendar::DatePerhapsTime::Date(d)) => {
                assert_eq!((d.month(), d.day()), (b.month, b.day));
                assert_eq!(
                    e.property_value("RRULE").map(|r| r.starts_with("FREQ=YEARLY")),
                    Some(true)
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_feb_29_birthday_recurs_on_the_last_day_of_february() {
    let who = ics::Who {
        id: 1,
        name: "高家豪".into(),
        company: String::new(),
        phone: String::new(),
    };
    let feed = ics::Feed {
        entries: vec![(
            who,
            ics::Entry::Birthday(Birthday {
                calendar: rapport::domain::dates::Calendar::Gregorian,
                month: 2,
                day: 29,
                year: Some(1992),
            }),
        )],
    };
    let cal: icalendar::Calendar = ics::calendar(Lang::En, &feed, now()).parse().unwrap();
    let ev = cal.calendar_events().next().unwrap();
    let dates: Vec<NaiveDate> = ev
        .get_recurrence()
        .unwrap()
        .all(6)
        .dates
        .iter()
        .map(|d| d.date_naive())
        .collect();
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        dates,
        vec![
            ymd(1992, 2, 29),
            ymd(1993, 2, 28),
            ymd(1994, 2, 28),
            ymd(1995, 2, 28),
            ymd(1996, 2, 29),
            ymd(1997, 2, 28)
        ]
    );
}
