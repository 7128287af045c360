//! The complaints pane: real keys through the real keymap over a fixed
//! book and clock, snapshots of the list, the record form and the timeline
//! (80×24 and 120×40, English and Chinese), then the database checked; the
//! review statistics on a fixed data set; the CLI as a whole process.
//!
//! The book is written in the system's zone, like the app reads it, so the
//! screens show the same wall-clock times whatever `TZ` the tests run in
//! (no daylight-saving change falls inside the data). The zone conversion
//! itself is tested with fixed offsets and named zones in the unit tests and
//! below with `TZ` set for the CLI.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::{Book, NOW, book, t, utc};
use chrono::{Duration, NaiveDate};
use common::Harness;
use rapport::app::Overlay;
use rapport::app::complaints::{StateFilter, View};
use rapport::domain::agenda::DeadlineKind;
use rapport::domain::complaint::review::Outcome;
use rapport::domain::complaint::{Category, ComplaintConfig, EntryKind, State, Step, Temperament};
use rapport::i18n::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in SIZES {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

fn harness(lang: Lang) -> (Harness, Book) {
    let mut ids = Book::default();
    let h = Harness::with(lang, |s| ids = book(s));
    (h, ids)
}

fn shown_ids(h: &Harness) -> Vec<i64> {
    let s = &h.app.complaints;
    s.shown.iter().map(|&i| s.rows[i].complaint.id).collect()
}

fn form_error(h: &Harness, label: &str) -> Option<String> {
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("the form closed: {:?}", h.app.message)
    };
    form.fields
        .iter()
        .find(|f| f.label == label)
        .and_then(|f| f.error.clone())
}

#[test]
fn the_list_sorts_by_nearest_deadline_overdue_in_red_waiting_last() {
    for (lang, tag) in LANGS {
        let (mut h, b) = harness(lang);
        h.keys("3");
        assert_eq!(shown_ids(&h), vec![b.a, b.b, b.c, b.d]);
        snap(&format!("complaints_list_{tag}"), &mut h);
    }
    // Overdue is drawn in the theme's danger colour.
    let (mut h, _) = harness(Lang::En);
    h.keys("3");
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| rapport::ui::render(&h.app, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let starts = |x: u16, y: u16, word: &str| {
        word.chars()
            .enumerate()
            .all(|(i, c)| buf[(x + i as u16, y)].symbol() == c.to_string())
    };
    let x = (0..70).find(|&x| starts(x, 4, "overdue")).expect("first row overdue");
    assert_eq!(buf[(x, 4)].fg, h.app.theme.danger);
    let x = (0..70).find(|&x| starts(x, 5, "in ")).expect("second row on time");
    assert_ne!(buf[(x, 5)].fg, h.app.theme.danger);
}

#[test]
fn filters_by_state_category_and_customer_and_searches_pinyin() {
    let (mut h, b) = harness(Lang::En);
    h.keys("3f");
    assert_eq!(h.app.complaints.filters.state, StateFilter::Overdue);
    assert_eq!(shown_ids(&h), vec![b.a]);
    h.keys("f");
    assert_eq!(shown_ids(&h), vec![b.d]);
    h.keys("f");
    assert_eq!(shown_ids(&h), vec![b.f, b.e, b.g], "closed: latest first");
    h.keys("f");
    assert_eq!(shown_ids(&h).len(), 7);
    h.keys("c");
    assert_eq!(shown_ids(&h), vec![b.a, b.f]);
    // The highlighted one stayed F (Amelia) through the filters.
    h.keys("u");
    assert_eq!(shown_ids(&h), vec![b.f]);
    h.keys("u");
    assert_eq!(shown_ids(&h), vec![b.a, b.f]);
    // Esc clears the filters; then pinyin search.
    h.keys("<Esc>");
    assert_eq!(shown_ids(&h), vec![b.a, b.b, b.c, b.d]);
    h.keys("/zw");
    assert_eq!(shown_ids(&h), vec![b.a]);
    h.keys("<C-u>lina");
    assert_eq!(shown_ids(&h), vec![b.c]);
    h.keys("<C-u>挂断");
    assert_eq!(shown_ids(&h), vec![b.c], "the content is searched too");
    h.keys("<Enter>");
    assert!(!h.app.complaints.searching);
    h.keys("<Esc>");
    assert_eq!(shown_ids(&h).len(), 4);
}

#[test]
fn the_timeline_of_a_complaint_and_carrying_it_out() {
    for (lang, tag) in LANGS {
        let (mut h, b) = harness(lang);
        h.keys("3jj<Enter>");
        assert_eq!(h.app.complaints.view, View::Detail);
        assert_eq!(h.app.complaints.detail.as_ref().unwrap().row.complaint.id, b.c);
        snap(&format!("complaints_timeline_{tag}"), &mut h);
    }
    let (mut h, b) = harness(Lang::En);
    h.keys("3jj<Enter>n");
    h.keys("Supervisor apologised, invoice corrected<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = h.store.complaint(b.c).unwrap();
    assert_eq!(c.state, State::Open(Step::FollowUp));
    assert_eq!(c.follow_up_at, Some(utc(NOW) + Duration::days(3)));
    let timeline = h.store.complaint_timeline(b.c).unwrap();
    let last = timeline.last().unwrap();
    assert_eq!(
        (last.step, last.kind, last.text.as_str()),
        (
            Step::Execute,
            EntryKind::Completed,
            "Supervisor apologised, invoice corrected"
        )
    );
    assert_eq!(h.store.customer(b.li).unwrap().contact.last_contact, Some(t(NOW)));
    let deadlines = h.store.complaint_deadlines().unwrap();
    let mine = deadlines.iter().find(|d| d.complaint_id == b.c).unwrap();
    assert_eq!((mine.kind, mine.due), (DeadlineKind::FollowUp, t("2026-11-26 09:00")));
    // j/k move between complaints; Esc goes back to the list.
    h.keys("j");
    assert_eq!(h.app.complaints.detail.as_ref().unwrap().row.complaint.id, b.d);
    h.keys("<Esc>");
    assert_eq!(h.app.complaints.view, View::List);
}

#[test]
fn recording_a_complaint_for_the_selected_customer() {
    for (lang, tag) in LANGS {
        let (mut h, _) = harness(lang);
        h.keys("/zw<Enter>3a");
        snap(&format!("complaints_record_form_{tag}"), &mut h);
    }
    let (mut h, b) = harness(Lang::En);
    h.keys("/zw<Enter>3a");
    h.keys("Fridge door does not close<Tab><Tab>10-01<Tab>Shop display<Tab>Repair<Tab>Technician this week");
    h.keys("<Tab><Tab><Right><Tab><Right><C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let rows = h.store.complaint_rows(true).unwrap();
    let new = rows.iter().map(|r| &r.complaint).max_by_key(|c| c.id).unwrap();
    assert_eq!(new.customer_id, b.zhang);
    assert_eq!(new.details.complainant, "张伟");
    assert_eq!(new.details.content, "Fridge door does not close");
    assert_eq!(
        new.details.purchase_date,
        NaiveDate::from_ymd_opt(2026, 10, 1),
        "10-01 is the last one"
    );
    assert_eq!(new.details.product_use, "Shop display");
    assert_eq!(new.details.demand, "Repair");
    assert_eq!(new.details.wanted_solution, "Technician this week");
    assert_eq!(new.details.reach, "138 0013 8000");
    assert_eq!(new.category, Category::Attitude);
    assert_eq!(new.temperament, Temperament::Stubborn);
    assert_eq!(new.received_at, utc(NOW));
    assert_eq!(new.first_response_due, utc(NOW) + Duration::hours(24));
    assert_eq!(h.store.complaint_timeline(new.id).unwrap()[0].kind, EntryKind::Received);
    // It counts as contact, and the customer list shows it.
    assert_eq!(h.store.customer(b.zhang).unwrap().contact.last_contact, Some(t(NOW)));
    h.keys("1");
    assert_eq!(h.app.current().map(|e| e.last_contact), Some(Some(t(NOW).date())));
    // The new complaint is under the cursor in the list.
    h.keys("3");
    assert_eq!(h.app.complaints.current().map(|r| r.complaint.id), Some(new.id));
}

#[test]
fn the_record_form_says_which_namesake_it_picked_and_asks_when_a_name_picks_several() {
    let mut b = Book::default();
    let mut other = 0;
    let mut h = Harness::with(Lang::En, |s| {
        b = book(s);
        other = book::customer(s, "张伟", "上海重工机械有限公司", "021 5555 4321");
    });
    let note = |h: &Harness| match &h.app.overlay {
        Some(Overlay::Form(form)) => form.fields[0].note.clone().unwrap_or_default(),
        _ => panic!("the form closed: {:?}", h.app.message),
    };
    // Opened on the selected 张伟: the line under the field says which.
    h.keys("/zw 深圳<Enter>3a");
    assert_eq!(note(&h), "张伟 · 深圳市华强电子有限公司 · ···8000");
    assert!(h.screen(80, 24).contains("→ 张伟 · 深圳市华强电子有限公司 · ···8000"));
    // The other one, by name and city.
    h.keys("<BackTab><BackTab><BackTab><C-u>zw 上海");
    assert_eq!(note(&h), "张伟 · 上海重工机械有限公司 · ···4321");
    // A name both share: said before saving, and saving asks.
    h.keys("<C-u>zhangwei");
    assert_eq!(
        note(&h),
        "2 customers match: add the company, city or last digits of the phone"
    );
    h.keys("<Tab><Tab><Tab>Delivery late<C-s>");
    assert!(
        form_error(&h, "complaints.field.customer")
            .unwrap()
            .contains("2 customers match")
    );
    assert_eq!(h.store.complaint_count().unwrap(), 7, "nothing written");
    // The name alone keeps the one picked last, and says so (the refusal
    // left the focus on the customer).
    h.keys("<C-u>张伟");
    assert_eq!(note(&h), "张伟 · 上海重工机械有限公司 · ···4321");
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = h.store.customer_complaints(other).unwrap();
    assert_eq!(c.len(), 1, "recorded on the 张伟 the form named");
    assert_eq!(c[0].details.content, "Delivery late");
    assert!(h.store.customer_complaints(b.zhang).unwrap().len() < 7);
}

#[test]
fn the_record_form_picks_another_customer_and_refuses_what_makes_no_sense() {
    let (mut h, b) = harness(Lang::Zh);
    h.keys("3a");
    // Typed over: search picks another customer.
    h.keys("<BackTab><BackTab><BackTab><C-u>nobody<Tab><C-u>王先生<Tab><Tab>门店冰柜不制冷<Tab><C-u>2026-11-24 10:00<Tab>2026-12-01<C-s>");
    assert!(form_error(&h, "complaints.field.customer").unwrap().contains("nobody"));
    assert_eq!(
        form_error(&h, "complaints.field.received_at").unwrap(),
        "受理时间不能晚于现在。"
    );
    assert_eq!(
        form_error(&h, "complaints.field.purchase_date").unwrap(),
        "购买日期晚于投诉受理时间。"
    );
    assert_eq!(h.store.complaint_count().unwrap(), 7, "nothing written");
    // Fix two (the focus is on the first mistake); the purchase is still
    // after the receipt.
    h.keys("<C-u>amelia<Tab><Tab><Tab><Tab><C-u>昨天 15:30<C-s>");
    assert_eq!(
        form_error(&h, "complaints.field.purchase_date").unwrap(),
        "购买日期晚于投诉受理时间。"
    );
    h.keys("<C-u>2026-11-20<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = h
        .store
        .customer_complaints(b.amelia)
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.id)
        .unwrap();
    assert_eq!(c.details.complainant, "王先生");
    assert_eq!(c.details.content, "门店冰柜不制冷");
    assert_eq!(
        c.received_at,
        utc("2026-11-22 15:30"),
        "a complaint received yesterday is fine"
    );
}

#[test]
fn working_through_the_steps_with_refusals_in_the_users_language() {
    let (mut h, b) = harness(Lang::Zh);
    h.keys("3n已道歉，让客户把话说完<C-s>");
    let a = h.store.complaint(b.a).unwrap();
    assert_eq!(a.state, State::Open(Step::Record));
    assert_eq!(a.responded_at, Some(utc(NOW)));
    // Step 2 dated before the receipt: refused next to the time, draft kept.
    h.keys("n要点已记录<Tab><C-u>2026-11-21 10:00<C-s>");
    assert_eq!(
        form_error(&h, "complaints.field.at").unwrap(),
        "该时间早于投诉受理时间。"
    );
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        unreachable!()
    };
    assert_eq!(form.fields[0].value(), "要点已记录");
    h.keys("<C-u>now<C-s>");
    assert_eq!(h.store.complaint(b.a).unwrap().state, State::Open(Step::Judge));
    // Not valid needs the explanation.
    h.keys("n<Right><C-s>");
    assert_eq!(
        form_error(&h, "complaints.field.explanation").unwrap(),
        "请记录向客户所作的解释。"
    );
    h.keys("外壳凹陷系客户自提运输造成，已说明运输条款<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let a = h.store.complaint(b.a).unwrap();
    assert_eq!(a.state, State::ClosedNotValid);
    assert_eq!(a.closed_at, Some(utc(NOW)));
    let timeline = h.store.complaint_timeline(b.a).unwrap();
    let kinds: Vec<EntryKind> = timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EntryKind::Received,
            EntryKind::Completed,
            EntryKind::Completed,
            EntryKind::JudgedNotValid
        ]
    );
    assert_eq!(timeline[3].text, "外壳凹陷系客户自提运输造成，已说明运输条款");
    // Closed: gone from the open list.
    assert!(!shown_ids(&h).contains(&b.a));
}

#[test]
fn waiting_pauses_the_clock_and_skipping_needs_a_reason() {
    let (mut h, b) = harness(Lang::En);
    // B: put on waiting at 09:00 with 21 h left, resume 2 h later.
    h.keys("3j<Enter>w<C-s>");
    assert_eq!(
        form_error(&h, "complaints.field.reason").unwrap(),
        "Please give a reason."
    );
    h.keys("Customer in a meeting all morning<C-s>");
    let c = h.store.complaint(b.b).unwrap();
    assert!(c.is_waiting());
    assert!(
        !h.store
            .complaint_deadlines()
            .unwrap()
            .iter()
            .any(|d| d.complaint_id == b.b)
    );
    let screen = h.screen(120, 40);
    assert!(screen.contains("waiting · 21h left"), "{screen}");
    h.clock = rapport::clock::Clock::Fixed(t("2026-11-23 11:00"));
    h.keys("w<C-s>");
    let c = h.store.complaint(b.b).unwrap();
    assert!(!c.is_waiting());
    assert_eq!(
        c.first_response_due,
        utc("2026-11-24 08:00"),
        "two hours later than before"
    );
    // Skipping step 1 needs a reason, which is kept.
    h.keys("s<C-s>");
    assert!(form_error(&h, "complaints.field.reason").is_some());
    h.keys("Answered by e-mail<C-s>");
    let c = h.store.complaint(b.b).unwrap();
    assert_eq!(c.state, State::Open(Step::Record));
    let last = h.store.complaint_timeline(b.b).unwrap().pop().unwrap();
    assert_eq!(
        (last.kind, last.text.as_str()),
        (EntryKind::Skipped, "Answered by e-mail")
    );
}

#[test]
fn review_statistics_on_the_fixed_book() {
    for (lang, tag) in LANGS {
        let (mut h, _) = harness(lang);
        h.keys("3r");
        snap(&format!("complaints_review_{tag}"), &mut h);
    }
    let (mut h, _) = harness(Lang::En);
    h.keys("3r");
    assert_eq!(h.app.complaints.view, View::Review);
    let r = h.app.complaints.review.clone().unwrap();
    assert_eq!(r.total, 6);
    let cats: Vec<usize> = r.by_category.iter().map(|(_, n)| *n).collect();
    assert_eq!(cats, vec![2, 1, 1, 1, 1]);
    assert_eq!(r.count_outcome(Outcome::InProgress), 4);
    assert_eq!(r.count_outcome(Outcome::Resolved), 1);
    assert_eq!(r.count_outcome(Outcome::NotValid), 1);
    // First responses 15, 20, 30, 30 minutes.
    assert_eq!(r.median_first_response, Some(Duration::minutes(25)));
    // Closed after 6 h (not valid) and 10 d 1 h (resolved).
    assert_eq!(r.median_to_close, Some((Duration::hours(6) + Duration::hours(241)) / 2));
    // Decided: 2 closed + 3 open for more than 24 h; within 24 h: one.
    assert_eq!(r.closed_within_24h, Some(0.2));
    assert_eq!(r.average_satisfaction, Some(4.0));
    h.keys("t");
    let r = h.app.complaints.review.clone().unwrap();
    assert_eq!((h.app.complaints.review_days, r.total), (90, 7));
    assert_eq!(r.average_satisfaction, Some(4.5));
    assert_eq!(r.closed_within_24h, Some(2.0 / 6.0));
    h.keys("t");
    assert_eq!(h.app.complaints.review_days, 365);
    h.keys("<Left><Esc>");
    assert_eq!((h.app.complaints.review_days, h.app.complaints.view), (90, View::List));
}

#[test]
fn the_pre_call_card_shows_open_complaints_with_time_left() {
    let (mut h, _) = harness(Lang::En);
    h.keys("/zw<Enter><Enter>");
    let card = h.app.customers.card.as_ref().expect("card open");
    let section = card
        .sections
        .iter()
        .find(|s| s.title == "Complaints")
        .expect("complaints section");
    assert_eq!(section.lines.len(), 2);
    assert!(section.lines[0].text.contains("overdue 6h"), "{:?}", section.lines);
    assert!(section.lines[0].alert);
    assert_eq!(section.lines[1].text, "1 closed");
}

#[test]
fn the_config_sets_the_deadlines() {
    use rapport::config::Config;
    let c = Config::parse("[complaints]\nfirst_response_hours = 4\nfollow_up_days = 7\n").unwrap();
    let d = c.complaints.to_domain().unwrap();
    assert_eq!((d.first_response_hours, d.follow_up_days), (4, 7));
    assert_eq!(
        Config::parse("").unwrap().complaints.to_domain().unwrap(),
        ComplaintConfig::default()
    );
    let err = Config::parse("[complaints]\nfirst_response_hours = 0\n").unwrap_err();
    assert!(err.contains("first_response_hours"), "{err}");
    let (mut h, b) = harness(Lang::En);
    h.app.complaints.config = d;
    h.keys("3jj<Enter>n<C-s>");
    let c = h.store.complaint(b.c).unwrap();
    assert_eq!(c.follow_up_at, Some(utc(NOW) + Duration::days(7)));
}

/// Moves the complaint list's cursor to complaint `id`.
#[test]
fn a_complaint_not_yet_answered_says_so_beside_its_deadline() {
    for (lang, want) in [
        (Lang::En, "First response: none yet (due 2026-11-23 03:00)"),
        (Lang::Zh, "首次回应：尚未回应（须在 2026-11-23 03:00 前）"),
    ] {
        let (mut h, b) = harness(lang);
        h.keys("3");
        point_at_complaint(&mut h, b.a);
        h.keys("<Enter>");
        let screen = h.screen(120, 40);
        assert!(screen.contains(want), "{lang:?}:\n{screen}");
    }
}

fn point_at_complaint(h: &mut Harness, id: i64) {
    let ids = shown_ids(h);
    let pos = ids.iter().position(|&c| c == id).unwrap();
    h.keys(&format!("{}{}", "k".repeat(ids.len()), "j".repeat(pos)));
}

#[test]
fn a_satisfied_close_needs_three_and_a_low_rating_asks_to_agree_again() {
    let (mut h, b) = harness(Lang::En);
    h.keys("3");
    point_at_complaint(&mut h, b.c);
    // Step 5 done: the follow-up comes next.
    h.keys("nReplaced the manager's rota<C-s>");
    assert_eq!(h.store.complaint(b.c).unwrap().state, State::Open(Step::FollowUp));
    point_at_complaint(&mut h, b.c);
    // Satisfied, and → twice raises the rating from none to 2.
    h.keys("n<Tab><Right><Right><C-s>");
    let Some(Overlay::Confirm(_)) = &h.app.overlay else {
        panic!("asks first: {:?} {:?}", h.app.overlay, h.app.message)
    };
    assert!(h.screen(80, 24).contains("Satisfaction 2 is below 3"));
    // "No" goes back to the form as it was typed.
    h.keys("n");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("the form came back")
    };
    assert_eq!(form.fields[1].value(), "2");
    // "Yes": recorded as still unsatisfied, back to agreeing a solution.
    h.keys("<C-s>y");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = h.store.complaint(b.c).unwrap();
    assert_eq!(c.state, State::Open(Step::Agree));
    let last = h.store.complaint_timeline(b.c).unwrap().pop().unwrap();
    assert_eq!(
        (last.kind, last.satisfaction),
        (EntryKind::FollowUpUnsatisfied, Some(2))
    );
}

#[test]
fn a_saved_record_stays_editable_and_keeps_each_old_value_in_the_timeline() {
    let (mut h, b) = harness(Lang::Zh);
    h.keys("3");
    point_at_complaint(&mut h, b.a);
    let before = h.store.complaint(b.a).unwrap();
    // e opens the record; correct what happened (field 3) and the category.
    h.keys("e");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("the record opens for correction")
    };
    assert_eq!(form.fields[0].value(), before.details.complainant);
    h.keys(&format!(
        "<Tab><Tab><C-u>{}，已影响销售<Tab><Tab><Tab><Tab><Tab><Tab><Right><C-s>",
        before.details.content
    ));
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let after = h.store.complaint(b.a).unwrap();
    assert_eq!(after.details.content, format!("{}，已影响销售", before.details.content));
    assert_ne!(after.category, before.category);
    // The workflow and its clock are untouched.
    assert_eq!(
        (after.state, after.first_response_due, after.received_at),
        (before.state, before.first_response_due, before.received_at)
    );
    let edited: Vec<_> = h
        .store
        .complaint_timeline(b.a)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntryKind::Edited)
        .collect();
    assert_eq!(edited.len(), 2);
    // Shown with the old value, in the reader's language.
    h.keys("<Enter>");
    let screen = h.screen(120, 40);
    assert!(screen.contains("更正记录"), "{screen}");
    assert!(
        screen.contains(&format!("投诉内容：{} →", before.details.content)),
        "{screen}"
    );
    // Saving it unchanged writes nothing.
    h.keys("e<C-s>");
    assert!(h.app.overlay.is_none());
    let count = |h: &Harness, id| {
        h.store
            .complaint_timeline(id)
            .unwrap()
            .iter()
            .filter(|e| e.kind == EntryKind::Edited)
            .count()
    };
    assert_eq!(count(&h, b.a), 2);
    // A closed complaint's record can be corrected too.
    let closed = h.store.complaint(b.e).unwrap();
    let mut d = closed.details.clone();
    d.reach = "微信 zw_88".into();
    let edits = h
        .store
        .edit_complaint_record(b.e, &d, closed.category, closed.temperament, utc(NOW))
        .unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(h.store.complaint(b.e).unwrap().state, closed.state);
    assert_eq!(count(&h, b.e), 1);
}

#[test]
fn a_record_corrected_in_two_rapports_keeps_both_and_asks_about_a_clash() {
    let (mut h, b) = harness(Lang::En);
    let mut other = rapport::storage::Store::open(&h.dir.path().join("t.db")).unwrap();
    let elsewhere = |other: &mut rapport::storage::Store, demand: &str| {
        let c = other.complaint(b.a).unwrap();
        let mut d = c.details.clone();
        d.demand = demand.into();
        other
            .edit_complaint_record(b.a, &d, c.category, c.temperament, utc(NOW))
            .unwrap();
    };
    h.keys("3");
    point_at_complaint(&mut h, b.a);
    // A opens the record; B corrects the demand meanwhile.
    h.keys("e");
    elsewhere(&mut other, "A new unit");
    // A corrects who complains (field 1) and saves: B's demand is kept.
    h.keys("<C-u>Mr Wang<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = other.complaint(b.a).unwrap();
    assert_eq!(
        (c.details.complainant.as_str(), c.details.demand.as_str()),
        ("Mr Wang", "A new unit")
    );
    // Both change the demand: A's form shows B's value and asks.
    h.keys("e");
    elsewhere(&mut other, "A refund");
    h.keys("<Tab><Tab><Tab><Tab><Tab><C-u>A repair<C-s>");
    assert!(h.app.open_form().is_some(), "the form stays open");
    assert_eq!(other.complaint(b.a).unwrap().details.demand, "A refund");
    let screen = h.screen(120, 40);
    assert!(screen.contains("changed elsewhere to “A refund”"), "{screen}");
    // Saving again keeps what the form shows.
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert_eq!(other.complaint(b.a).unwrap().details.demand, "A repair");
}
