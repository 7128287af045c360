//! A failed read shows a message and the rest of the screen still works.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::book;
use common::Harness;
use rapport::app::{Level, Pane};
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
    (h, ids)
}

#[test]
fn an_unreadable_complaint_is_said_and_the_agenda_still_shows() {
    for lang in [Lang::En, Lang::Zh] {
        let (mut h, _) = broken(lang);
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
