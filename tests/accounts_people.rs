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

/// The accounts book with a prospect at 华信科技, 陈静, whose MAN
/// checklist is open.
fn checklist_of_a_prospect(lang: Lang) -> (common::Harness, i64) {
    let mut h = common::Harness::with(lang, |store| {
        accounts_book::book(store);
        let mut c = rapport::domain::customer::Customer::new("陈静", now() - Duration::days(30));
        c.company = "华信科技".into();
        c.status = rapport::domain::customer::Status::Potential;
        store.insert_customer(&c).unwrap();
    });
    let id = id_of(&h, "陈静");
    h.keys("2/陈静<Enter><Enter>");
    let list = h.app.qual.checklist.as_ref().expect("checklist open");
    assert_eq!(list.customer.id, id);
    (h, id)
}

fn count(h: &common::Harness) -> usize {
    h.store.first_page(1000).unwrap().rows.len()
}

#[test]
fn who_decides_picks_one_of_the_companys_people_or_adds_a_new_one() {
    let (mut h, zhang) = checklist_of_a_prospect(Lang::En);
    let (li, n) = (id_of(&h, "李娜"), count(&h));
    // The account's decision maker is offered: saved as it is, linked,
    // nobody added.
    h.keys("d");
    let form = h.screen(80, 24);
    assert!(form.contains("李娜"), "{form}");
    assert!(form.contains("总经理"), "{form}");
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    let q = h.store.qualification(zhang).unwrap();
    assert_eq!((q.decider.customer_id, q.decider.name.as_str()), (Some(li), "李娜"));
    assert_eq!(count(&h), n);
    // Another of the company's people, by name.
    h.keys("d<C-u>王强<Tab><C-u><C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    let q = h.store.qualification(zhang).unwrap();
    assert_eq!(q.decider.customer_id, Some(id_of(&h, "王强")));
    assert_eq!(count(&h), n);
    // A new name: added at 华信科技 as its decision maker, with the title
    // typed, and linked — in the same form.
    h.keys("d<C-u>赵敏<Tab><C-u>采购总监");
    let form = h.screen(80, 24);
    assert!(form.contains("add them at the company as its decision maker"), "{form}");
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    assert_eq!(count(&h), n + 1);
    let zhao = id_of(&h, "赵敏");
    let c = h.store.customer(zhao).unwrap();
    assert_eq!((c.company.as_str(), c.role.as_str()), ("华信科技", "采购总监"));
    assert!(c.roles.has(rapport::domain::account::Role::DecisionMaker));
    let q = h.store.qualification(zhang).unwrap();
    assert_eq!(q.decider.customer_id, Some(zhao));
    // The checklist and the account show them.
    assert!(h.screen(120, 40).contains("赵敏, 采购总监 · in the book"));
    h.keys("1<Esc>A");
    let v = h.app.accounts.view.as_ref().unwrap();
    assert!(
        v.people
            .iter()
            .any(|m| m.id == zhao && m.roles.has(rapport::domain::account::Role::DecisionMaker))
    );
    // The list finds them.
    h.keys("<Esc>/zhaomin<Enter>");
    assert_eq!(h.app.current().map(|e| e.id), Some(zhao));
}

#[test]
fn who_decides_can_only_note_a_name_and_a_bad_one_keeps_the_draft() {
    let (mut h, zhang) = checklist_of_a_prospect(Lang::Zh);
    let n = count(&h);
    // A name too long: the reason by the field, the draft kept, nothing written.
    let long = "长".repeat(200);
    h.keys(&format!("d<C-u>{long}<Tab><C-u>老板<C-s>"));
    assert!(matches!(h.app.overlay, Some(rapport::app::Overlay::Form(_))));
    assert_eq!(count(&h), n);
    assert!(h.store.qualification(zhang).unwrap().decider.is_empty());
    // "Only note the name": nobody added, the name kept as typed.
    h.keys("<C-u>陈总<Tab><Tab><Right>");
    let form = h.screen(80, 24);
    assert!(form.contains("只记下名字"), "{form}");
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    assert_eq!(count(&h), n);
    let q = h.store.qualification(zhang).unwrap();
    assert_eq!(
        (q.decider.customer_id, q.decider.name.as_str(), q.decider.role.as_str()),
        (None, "陈总", "老板")
    );
}

#[test]
fn people_who_left_brought_in_by_an_import_are_marked() {
    // A book where 李娜 left, exported as JSON…
    let mut from = harness(Lang::En);
    li_leaves(&mut from);
    let json = from.dir.path().join("book.json");
    let out = common::rapport_cmd(&from.dir.path().join("t.db"))
        .args(["export", "--format", "json", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // …imported into an empty book through the import overlay.
    let mut h = common::Harness::empty(Lang::En);
    h.keys("i<C-u>");
    h.app.type_text(&json.display().to_string());
    h.keys("<Enter>");
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    // Every pane follows the new book as soon as it is written, while the
    // import's summary is still open.
    assert!(h.app.overlay.is_some());
    let li = id_of(&h, "李娜");
    assert!(h.app.accounts.left.contains(&li));
    h.keys("<Esc>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    h.app.wait_for_index();
    h.keys("/李娜<Enter>");
    let screen = h.screen(80, 24);
    assert!(row_of(&screen, "李娜").contains("left"), "{screen}");
}

#[test]
fn rapport_find_gives_someone_who_left_no_next_due_as_the_card_does() {
    let mut h = harness(Lang::En);
    li_leaves(&mut h);
    let db = h.store.path().to_path_buf();
    let out = common::rapport_cmd(&db)
        .args(["find", "李娜", "--json"])
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let li = &found.as_array().unwrap()[0];
    assert_eq!(li["name"], "李娜");
    assert!(li["next_due"].is_null(), "{li}");
    let out = common::rapport_cmd(&db).args(["find", "李娜"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or_default();
    assert!(!line.contains("late") && !line.contains("call in"), "{line}");
}
