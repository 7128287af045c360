//! `Esc` goes back to where you came from, with the selection where it was.

mod common;

use common::Harness;
use rapport::app::Pane;
use rapport::i18n::Lang;

#[test]
fn esc_on_a_card_opened_from_the_agenda_returns_to_the_same_item() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = Harness::demo(lang, 80);
        h.screen(80, 24);
        h.keys("4jjj");
        assert_eq!(h.app.pane, Pane::AGENDA);
        let item = h.app.agenda.current().cloned().expect("an agenda item");
        h.keys("<Enter>");
        assert_eq!(h.app.pane, Pane::CUSTOMERS);
        let card = h.app.customers.card.as_ref().map(|c| c.customer.id);
        assert_eq!(card, Some(item.customer_id));
        h.keys("<Esc>");
        assert_eq!(h.app.pane, Pane::AGENDA, "{lang:?}");
        assert!(h.app.customers.card.is_none());
        assert_eq!(h.app.agenda.cursor, 3);
        assert_eq!(h.app.agenda.current(), Some(&item));
        // The next customer of the day is one key away.
        h.keys("j<Enter>");
        assert_eq!(h.app.pane, Pane::CUSTOMERS);
        h.keys("<Esc>");
        assert_eq!(h.app.agenda.cursor, 4);
    }
}

#[test]
fn a_card_reached_by_choosing_the_pane_closes_into_the_list() {
    let mut h = Harness::demo(Lang::En, 80);
    h.keys("4<Enter>");
    // The user chose the Customers pane by hand meanwhile.
    h.keys("41");
    assert!(h.app.customers.card.is_some());
    h.keys("<Esc>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    assert!(h.app.customers.card.is_none());
}
