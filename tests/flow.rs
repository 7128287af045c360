//! A rep's day that flows: logging a contact schedules the next one in the
//! same step, from the customer list and from the agenda's "done".

mod common;

use chrono::{Duration, NaiveDate};
use common::{Harness, now};
use rapport::app::Overlay;
use rapport::domain::agenda::Section;
use rapport::domain::customer::{ContactDates, Customer, Grade, Status};
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;
use rapport::storage::Store;

/// An active customer added a year ago, last called and visited `days` ago.
fn contacted(name: &str, grade: Grade, days: i64) -> Customer {
    let mut c = Customer::new(name, now() - Duration::days(365));
    c.grade = grade;
    c.status = Status::Active;
    let last = now() - Duration::days(days);
    c.contact = ContactDates {
        last_contact: Some(last),
        last_call: Some(last.date()),
        last_visit: Some(last.date()),
    };
    c
}

fn book(store: &mut Store) {
    store.insert_customer(&contacted("Anna Call", Grade::A, 40)).unwrap();
    store.insert_customer(&contacted("Ben Next", Grade::A, 40)).unwrap();
}

fn id_of(h: &Harness, name: &str) -> i64 {
    h.store.search_keys_like(&name.to_lowercase()).unwrap()[0].0
}

/// 2026-11-23 is a Monday: "next mon" is 11-30.
fn next_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

#[test]
fn logging_a_call_schedules_the_next_contact_in_one_step() {
    let mut h = Harness::with(Lang::En, book);
    let anna = id_of(&h, "anna call");
    // The list is sorted by name: Anna first. Kind, When, Note, Next, For.
    h.keys("l<Tab><Tab>Wants a quote<Tab>next mon");
    // The date shows what it resolves to while typing.
    let screen = h.screen(80, 24);
    assert!(screen.contains("→ Mon 11-30 · in 7 days"), "{screen}");
    h.keys("<Tab>send the quote<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let logged = h.store.recent_interactions(anna, 1).unwrap();
    assert_eq!(
        (logged[0].kind, logged[0].note.as_str()),
        (InteractionKind::Call, "Wants a quote")
    );
    let next = h.store.open_follow_ups(anna).unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(
        (next[0].due_on, next[0].note.as_str()),
        (next_monday(), "send the quote")
    );
    // It is on the agenda of that day.
    let a = h.store.agenda(next_monday(), now().date(), &[], 100).unwrap();
    assert!(
        a.items
            .iter()
            .any(|i| i.customer_id == anna && i.section() == Section::FollowUps)
    );
}

#[test]
fn a_bad_next_contact_keeps_the_form_and_logs_nothing() {
    for (lang, bad, says) in [
        (Lang::En, "someday", "Try"),
        (Lang::En, "2026-11-01", "passed"),
        (Lang::Zh, "不知道", "可以输入"),
    ] {
        let mut h = Harness::with(lang, book);
        let anna = id_of(&h, "anna call");
        h.keys(&format!("l<Tab><Tab>note<Tab>{bad}<C-s>"));
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the form stays open")
        };
        let err = form.fields[3].error.clone().unwrap_or_default();
        assert!(err.contains(says), "{bad}: {err}");
        assert_eq!(form.fields[2].value(), "note", "nothing typed is lost");
        assert!(h.store.recent_interactions(anna, 5).unwrap().is_empty());
        assert!(h.store.open_follow_ups(anna).unwrap().is_empty());
    }
    // What it is for, without a date: asked for the date.
    let mut h = Harness::with(Lang::En, book);
    h.keys("l<Tab><Tab>note<Tab><Tab>send the quote<C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
}

#[test]
fn done_in_the_agenda_schedules_the_next_contact_and_moves_on() {
    let mut h = Harness::with(Lang::En, book);
    let anna = id_of(&h, "anna call");
    h.keys("4");
    // Both calls are due; the cursor is on the first (Anna, by name).
    let first = h.app.agenda.agenda.items[h.app.agenda.cursor].customer_id;
    assert_eq!(first, anna);
    // Channel, note, next contact, for.
    h.keys("dCalled<Tab>+3d<Tab>confirm the order<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let next = h.store.open_follow_ups(anna).unwrap();
    assert_eq!(
        (next[0].due_on, next[0].note.as_str()),
        (now().date() + Duration::days(3), "confirm the order")
    );
    assert_eq!(h.store.recent_interactions(anna, 1).unwrap()[0].note, "Called");
    // Ready for the next item of the day.
    let at = &h.app.agenda.agenda.items[h.app.agenda.cursor];
    assert_eq!(at.customer, "Ben Next");
}

#[test]
fn the_empty_agendas_hint_names_a_key_that_works_there() {
    // A book whose only customer has nothing due today.
    let mut h = Harness::with(Lang::En, |store| {
        store.insert_customer(&contacted("Fresh Call", Grade::C, 1)).unwrap();
    });
    h.keys("4");
    let screen = h.screen(80, 24);
    assert!(screen.contains("press f to schedule"), "{screen}");
    assert!(h.app.agenda.agenda.items.is_empty());
    h.keys("f");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("f opens the follow-up form: {:?}", h.app.message)
    };
    assert!(form.subject.contains("Fresh Call"));
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let id = h.store.search_keys_like("fresh").unwrap()[0].0;
    assert_eq!(h.store.open_follow_ups(id).unwrap().len(), 1);

    // On an empty book it says what to do first instead.
    let mut h = Harness::empty(Lang::Zh);
    h.keys("4f");
    assert!(h.app.overlay.is_none());
    let msg = h.app.message.clone().unwrap().0;
    assert!(msg.contains("客户列表（1）"), "{msg}");
}

#[test]
fn a_pasted_block_keeps_its_lines_in_notes_and_joins_them_in_a_one_line_field() {
    let mut h = Harness::empty(Lang::Zh);
    // Name; then the bracketed paste the terminal hands over as one event.
    h.keys("a张三");
    h.app.type_text("\r\n（微信）");
    // Down to Notes (field 15) and paste three lines with mixed breaks.
    h.keys(&"<Tab>".repeat(14));
    h.app.type_text("第一行\r\n第二行\r第三行");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("备注 第一行") && screen.contains("第二行") && screen.contains("第三行"),
        "{screen}"
    );
    // Ctrl-J adds a line by hand.
    h.keys("<C-j>第四行<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let id = h.app.selected_id.unwrap();
    let c = h.store.customer(id).unwrap();
    assert_eq!(c.name, "张三 （微信）");
    assert_eq!(c.notes, "第一行\n第二行\n第三行\n第四行");
}

#[test]
fn letters_on_a_choice_jump_to_the_option_and_spaces_change_nothing() {
    for (lang, keys, want) in [
        // Status: l → loyal, then l again → lost; grade: b → B.
        (Lang::En, "l", rapport::domain::customer::Status::Loyal),
        (Lang::En, "ll", rapport::domain::customer::Status::Lost),
        // 现实客户 by its pinyin initial x; 忠诚客户 by z.
        (Lang::Zh, "x", rapport::domain::customer::Status::Active),
        (Lang::Zh, "z", rapport::domain::customer::Status::Loyal),
    ] {
        let mut h = Harness::empty(lang);
        h.keys(&format!("aLi Lei{}b  {}{keys}  <C-s>", "<Tab>".repeat(8), "<Tab>"));
        assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
        let c = h.store.customer(h.app.selected_id.unwrap()).unwrap();
        assert_eq!((c.grade, c.status), (Grade::B, want), "{lang:?} {keys}");
    }
}

#[test]
fn on_the_last_field_the_footer_says_where_tab_and_enter_go() {
    let mut h = Harness::empty(Lang::En);
    h.keys("a");
    assert!(!h.screen(80, 24).contains("back to the first field"));
    h.keys("<BackTab>");
    let screen = h.screen(80, 24);
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("Tab back to the first field") && footer.contains("Enter save"),
        "{footer}"
    );
    h.keys("<Tab>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        unreachable!()
    };
    assert_eq!(form.focus, 0);
}

#[test]
fn an_edit_to_a_customer_found_by_a_search_keeps_the_search() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = Harness::with(lang, |store| {
            for name in ["王芳", "王伟", "王强", "王磊", "王静"] {
                store.insert_customer(&contacted(name, Grade::B, 20)).unwrap();
            }
            store.insert_customer(&contacted("李娜", Grade::B, 20)).unwrap();
        });
        h.keys("/wang<Enter><Down><Down><Down>");
        let edited = h.app.current().unwrap().id;
        // A phone added: the customer still matches, further down the list.
        h.keys("e<Tab><Tab><Tab>13800138000<C-s>");
        assert!(h.app.overlay.is_none(), "{lang:?}: saved");
        assert_eq!(
            h.store.customer(edited).unwrap().phones,
            vec!["13800138000".to_string()]
        );
        assert_eq!(h.app.customers.query.text(), "wang", "{lang:?}: the search stays");
        assert_eq!(h.app.customers.results.len(&h.app.index), 5);
        assert_eq!(
            h.app.current().unwrap().id,
            edited,
            "{lang:?}: the cursor stays on them"
        );
        // Renamed out of the search: the whole list, the cursor on them.
        h.keys("e<C-u>李伟<C-s>");
        assert_eq!(h.app.customers.query.text(), "", "{lang:?}");
        assert_eq!(h.app.current().unwrap().id, edited, "{lang:?}");
        assert_eq!(h.app.current().unwrap().name(), "李伟");
    }
}
