//! A failed read shows a message and the rest of the screen still works.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::book;
use common::Harness;
use rapport::app::{Level, Pane};
use rapport::domain::agenda::Reason;
use rapport::domain::complaint::zone::Zone;
use rapport::i18n::{Lang, t};

/// The book of the complaint tests with complaint `id` made unreadable
/// (a category no version of Rapport writes).
fn broken(lang: Lang) -> (Harness, book::Book) {
    let mut ids = None;
    let h = Harness::with(lang, |s| ids = Some(book(s)));
    let ids = ids.unwrap();
    let conn = rusqlite::Connection::open(h.dir.path().join("t.db")).unwrap();
    conn.execute("UPDATE complaints SET category = 'garbled' WHERE id = ?1", [ids.a])
        .unwrap();
    // Another complaint overdue today besides the unreadable one.
    conn.execute(
        "UPDATE complaints SET first_response_due = '2026-11-23 00:00:00' WHERE id = ?1",
        [ids.b],
    )
    .unwrap();
    (h, ids)
}

#[test]
fn an_unreadable_complaint_is_said_and_the_agenda_still_shows() {
    for lang in [Lang::En, Lang::Zh] {
        let (mut h, ids) = broken(lang);
        h.keys("4");
        assert_eq!(h.app.pane, Pane::AGENDA);
        let (msg, level) = h.app.message.clone().expect("a message");
        assert_eq!(level, Level::Error, "{msg}");
        // The rest of the agenda loaded (the day, its other sections).
        assert_eq!(h.app.agenda.day, Some(common::now().date()));
        let screen = h.screen(80, 24);
        assert!(
            screen.contains(msg.chars().take(10).collect::<String>().as_str()),
            "{screen}"
        );
        // The message names the unreadable complaint, in the user's
        // language; the other complaints' deadlines are still listed.
        assert!(msg.contains(&format!("#{}", ids.a)), "{msg}");
        let listed: Vec<i64> = h
            .app
            .agenda
            .agenda
            .items
            .iter()
            .filter_map(|i| match &i.reason {
                Reason::Complaint { complaint_id, .. } => Some(*complaint_id),
                _ => None,
            })
            .collect();
        assert!(!listed.contains(&ids.a), "{listed:?}");
        let (readable, unreadable) = h.store.complaint_deadlines_each(Zone::Local).unwrap();
        assert_eq!(unreadable.len(), 1);
        let due: Vec<i64> = readable
            .iter()
            .filter(|d| d.due.date() <= common::now().date())
            .map(|d| d.complaint_id)
            .collect();
        assert!(!due.is_empty(), "the book has other complaints due");
        for other in due {
            assert!(listed.contains(&other), "complaint {other} missing from {listed:?}");
        }
        // And it keeps working: the week ahead opens.
        h.keys("w");
        assert!(h.app.agenda.week.is_some());
    }
}

#[test]
fn a_card_section_that_cannot_be_read_says_so() {
    let (mut h, ids) = broken(Lang::En);
    h.app.open_card(&h.store, ids.zhang);
    let card = h.app.customers.card.as_ref().expect("the card opens");
    let title = t(Lang::En, "complaints.card.title");
    let section = card
        .sections
        .iter()
        .find(|s| s.title == title)
        .expect("the complaints section");
    assert!(section.lines[0].alert);
    assert!(
        section.lines[0].text.starts_with("Could not read"),
        "{:?}",
        section.lines
    );
    // The other parts of the card are there.
    assert_eq!(card.customer.id, ids.zhang);
}

/// The value section of the card (purchases, grade history) says when it
/// cannot be read instead of vanishing; the other sections stay.
#[test]
fn an_unreadable_purchase_is_said_on_the_card() {
    for (lang, said) in [(Lang::En, "Could not read"), (Lang::Zh, "无法读取")] {
        let (mut h, ids) = broken(lang);
        let conn = rusqlite::Connection::open(h.dir.path().join("t.db")).unwrap();
        conn.execute(
            "INSERT INTO purchases (customer_id, day, product, amount) VALUES (?1, '2026-11-01', 'x', 'garbled')",
            [ids.amelia],
        )
        .unwrap();
        h.app.open_card(&h.store, ids.amelia);
        let card = h.app.customers.card.as_ref().expect("the card opens");
        let title = t(lang, "value.card.title");
        let section = card
            .sections
            .iter()
            .find(|s| s.title == title)
            .unwrap_or_else(|| panic!("the value section: {:?}", card.sections));
        assert!(section.lines[0].alert);
        assert!(section.lines[0].text.starts_with(said), "{:?}", section.lines);
        assert!(card.sections.len() > 1, "the other sections stay");
    }
}

#[test]
fn a_sync_status_that_cannot_be_read_is_said_and_the_list_still_works() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = Harness::with(lang, |s| {
            s.insert_customer(&rapport::domain::customer::Customer::new("张伟", common::now()))
                .unwrap();
        });
        let conn = rusqlite::Connection::open(h.dir.path().join("t.db")).unwrap();
        conn.execute_batch("ALTER TABLE sync_outbox RENAME TO sync_outbox_gone")
            .unwrap();
        rapport::app::teamsync::configure(&mut h.app, &h.store, "postgres://team.example/rapport");
        let (msg, level) = h.app.message.clone().expect("a message");
        assert_eq!(level, Level::Error, "{msg}");
        assert!(msg.starts_with(t(lang, "storage.sql")), "{msg}");
        // The list still answers keys.
        h.keys("/zw");
        assert_eq!(h.app.customers.results.len(&h.app.index), 1);
    }
}
