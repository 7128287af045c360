//! Accounts, the people: someone who left stays searchable with a "left"
//! mark and no cadence; MAN "who decides" picks one of the company's
//! people or adds a new one. Through real keys, the database checked
//! after every step.

mod accounts_book;
mod common;

use accounts_book::{harness, id_of, open_account};
use chrono::Duration;
use common::now;
use rapport::i18n::Lang;

/// 李娜 leaves 华信科技 for Northwind, 王强 takes over.
fn li_leaves(h: &mut common::Harness) {
    open_account(h, "李娜");
    h.keys("<Up><Up><Up>L<C-u>2026-11-22<Tab>Northwind<Tab><Tab><C-u>王强<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    h.keys("<Esc><Esc>");
    assert!(h.app.accounts.view.is_none() && h.app.customers.card.is_none());
}

/// The list's row of `name` (not the search line).
fn row_of(screen: &str, name: &str) -> String {
    let row = screen.lines().find(|l| l.contains(name) && !l.contains("│/ "));
    row.unwrap_or_else(|| panic!("{screen}")).to_string()
}

#[test]
fn a_person_who_left_stays_searchable_with_a_left_mark_and_no_cadence() {
    for (lang, mark, none) in [
        (Lang::En, "left", "none — left the company 2026-11-22"),
        (Lang::Zh, "已离职", "无（2026-11-22 已离职）"),
    ] {
        let mut h = harness(lang);
        let li = id_of(&h, "李娜");
        // Before: her row shows her status and a due call.
        h.keys("/李娜<Enter>");
        let before = h.screen(80, 24);
        let row = row_of(&before, "李娜");
        assert!(!row.contains(mark), "{row}");
        h.keys("<Esc>");
        li_leaves(&mut h);
        assert!(h.app.accounts.left.contains(&li));
        // Found by name and by pinyin, marked, with no next due.
        for q in ["李娜", "lina"] {
            h.keys(&format!("/<C-u>{q}<Enter>"));
            for (w, hh) in [(80, 24), (120, 40)] {
                let screen = h.screen(w, hh);
                let row = row_of(&screen, "李娜");
                assert!(row.contains(mark), "{row}");
                assert!(row.contains('—'), "{row}");
            }
            h.keys("<Esc>");
        }
        // Others at the account are not marked.
        h.keys("/王强<Enter>");
        let screen = h.screen(80, 24);
        let row = row_of(&screen, "王强");
        assert!(!row.contains(mark), "{row}");
        // The card says why there is no next contact.
        h.keys("<Esc>/李娜<Enter><Enter>");
        let card = h.screen(120, 40);
        assert!(card.contains(none), "{card}");
        // Logging a call with her keeps her cadence stopped.
        h.keys("l<C-u>met at a fair<C-s>");
        assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
        assert_eq!(h.store.next_due_on(li).unwrap(), None);
        assert!(h.screen(120, 40).contains(none));
        // Neither today's agenda nor the next two months call her.
        for d in 0..60 {
            let day = now().date() + Duration::days(d);
            let agenda = h.store.agenda(day, now().date(), &[], 200).unwrap();
            assert!(agenda.items.iter().all(|i| i.customer_id != li), "{day}");
        }
    }
}
