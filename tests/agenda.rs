//! The Agenda pane: ordering on a fixed data set, acting on items through
//! real keys, follow-ups, region care, the week ahead, snapshots; then the
//! database checked.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::{Harness, now};
use rapport::app::{Overlay, Pane};
use rapport::domain::agenda::{Reason, Section};
use rapport::domain::customer::{ContactDates, Customer, Grade, Status};
use rapport::domain::dates::Birthday;
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;
use rapport::storage::Store;

fn today() -> NaiveDate {
    now().date()
}

fn days_ago(n: i64) -> NaiveDateTime {
    now() - Duration::days(n)
}

/// A customer added a year ago, last called `called` days ago (if any).
fn customer(store: &mut Store, name: &str, grade: Grade, called: Option<i64>) -> i64 {
    let mut c = Customer::new(name, days_ago(365));
    c.grade = grade;
    c.status = Status::Active;
    if let Some(n) = called {
        c.contact = ContactDates {
            last_contact: Some(days_ago(n)),
            last_call: Some(days_ago(n).date()),
            last_visit: Some(days_ago(n.max(20)).date()),
        };
    }
    store.insert_customer(&c).unwrap()
}

/// A small book where every section of the agenda has an item.
fn fixed_book(store: &mut Store) {
    customer(store, "Anna Call", Grade::A, Some(40));
    customer(store, "Ben Fine", Grade::A, Some(5));
    let mut b = Customer::new("Birgit Birthday", days_ago(365));
    b.grade = Grade::A;
    b.birthday = Some(Birthday {
        calendar: rapport::domain::dates::Calendar::Gregorian,
        month: 11,
        day: 25,
        year: Some(1980),
    });
    b.contact = ContactDates {
        last_contact: Some(days_ago(3)),
        last_call: Some(days_ago(3).date()),
        last_visit: Some(days_ago(3).date()),
    };
    store.insert_customer(&b).unwrap();
    let mut n = Customer::new("Nina New", days_ago(5));
    n.grade = Grade::C;
    store.insert_customer(&n).unwrap();
    customer(store, "Chen Churn", Grade::A, Some(70));
    let mut l = Customer::new("Lars Lost", days_ago(400));
    l.grade = Grade::A;
    l.status = Status::Lost;
    l.contact = ContactDates {
        last_contact: Some(days_ago(90)),
        last_call: Some(days_ago(90).date()),
        last_visit: Some(days_ago(90).date()),
    };
    store.insert_customer(&l).unwrap();
    let f = customer(store, "Fiona Follow", Grade::D, Some(2));
    store
        .add_follow_up(f, today() - Duration::days(1), "send the quote", "manual", days_ago(3))
        .unwrap();
    let mut x = Customer::new("Xavier Ignored", days_ago(5));
    x.status = Status::NonCustomer;
    store.insert_customer(&x).unwrap();
}

#[test]
fn the_agenda_lists_each_section_in_order_with_reasons() {
    let mut h = Harness::with(Lang::En, fixed_book);
    let a = h.store.agenda(today(), today(), &[], 100).unwrap();
    let got: Vec<(Section, &str, i64)> = a
        .items
        .iter()
        .map(|i| (i.section(), i.customer.as_str(), i.days_late))
        .collect();
    // Anna: called 2026-10-14, grade A calls monthly → due 11-14, 9 days
    // late. Chen: last contact 09-14, churn after two months → from 11-15.
    assert_eq!(
        got,
        vec![
            (Section::FollowUps, "Fiona Follow", 1),
            (Section::Cadence, "Anna Call", 9),
            (Section::Care, "Birgit Birthday", -2),
            (Section::Churn, "Lars Lost", 59),
            (Section::Churn, "Chen Churn", 8),
            (Section::NewCustomers, "Nina New", 2),
        ]
    );
    assert_eq!(a.counts, [0, 1, 1, 1, 2, 1]);
    let text: Vec<String> = a
        .items
        .iter()
        .map(|i| rapport::app::agenda::reason_text(Lang::En, i, now()))
        .collect();
    assert_eq!(text[1], "call due — grade A, last call 40 days ago");
    assert_eq!(text[2], "birthday in 2 days (turns 46)");
    assert_eq!(text[5], "new customer added 5 days ago, not followed up yet");
    h.keys("4");
    snap("agenda_fixed_en", &mut h);
}

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in [(80, 24), (120, 40)] {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

fn agenda_harness(lang: Lang) -> Harness {
    let mut h = Harness::demo(lang, 120);
    h.keys("4");
    assert_eq!(h.app.pane, Pane::AGENDA);
    h
}

#[test]
fn demo_agenda_snapshots_in_both_languages() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = agenda_harness(lang);
        snap(&format!("agenda_demo_{tag}"), &mut h);
        h.keys("w");
        assert!(h.app.agenda.week.is_some());
        snap(&format!("agenda_week_{tag}"), &mut h);
    }
}

/// Puts the agenda's cursor on the first item `pick` chooses.
fn point_at(h: &mut Harness, pick: impl Fn(&rapport::domain::agenda::Item) -> bool) {
    h.app.agenda.cursor = h.app.agenda.agenda.items.iter().position(pick).unwrap();
}

#[test]
fn done_on_a_follow_up_logs_the_interaction_and_closes_it() {
    let mut h = agenda_harness(Lang::En);
    let someone = h.store.search_keys_like("a").unwrap()[0].0;
    h.store
        .add_follow_up(someone, today(), "ask about the order", "manual", days_ago(2))
        .unwrap();
    h.keys("t");
    point_at(&mut h, |i| i.section() == Section::FollowUps);
    let item = h.app.agenda.current().cloned().expect("an item");
    let Reason::FollowUp { follow_up_id, .. } = item.reason else {
        panic!("first item should be a follow-up: {item:?}")
    };
    h.keys("dCalled, they pay next week<C-s>");
    assert!(h.app.overlay.is_none(), "{:?} {:?}", h.app.overlay, h.app.message);
    let f = h.store.follow_up(follow_up_id).unwrap();
    assert!(f.done_at.is_some());
    let recent = h.store.recent_interactions(item.customer_id, 1).unwrap();
    assert_eq!(recent[0].note, "Called, they pay next week");
    assert_eq!(recent[0].at, now());
    assert!(h.app.agenda.agenda.items.iter().all(|i| i.reason != item.reason));
}

/// `name`'s item on the agenda `days` from today, seen as that day.
fn on_day(store: &Store, days: i64, name: &str) -> Option<rapport::domain::agenda::Item> {
    let d = today() + Duration::days(days);
    store
        .agenda(d, d, &[], 100)
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.customer == name)
}

#[test]
fn done_on_a_call_restarts_the_cadence() {
    let mut h = Harness::with(Lang::En, fixed_book);
    h.keys("4");
    point_at(&mut h, |i| i.customer == "Anna Call");
    h.keys("d<C-s>");
    assert!(h.app.overlay.is_none());
    let id = h.app.agenda.agenda.items.iter().all(|i| i.customer != "Anna Call");
    assert!(id, "Anna is no longer due");
    let anna = h.store.search_keys_like("anna").unwrap()[0].0;
    // A month after today's call (grade A).
    assert_eq!(
        h.store.next_due_on(anna).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 23)
    );
}

#[test]
fn snoozing_hides_the_item_and_counts() {
    let mut h = Harness::with(Lang::En, fixed_book);
    h.keys("4");
    point_at(&mut h, |i| i.customer == "Anna Call");
    h.keys("z<Right><C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert!(h.app.agenda.agenda.items.iter().all(|i| i.customer != "Anna Call"));
    let anna = on_day(&h.store, 3, "Anna Call").expect("back after three days");
    assert_eq!(anna.snoozes, 1);
    // A date typed in is used even with "+1 day" chosen, and checked.
    point_at(&mut h, |i| i.customer == "Nina New");
    h.keys("z<Tab>2026-02-30<C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))), "a bad date is refused");
    h.keys("<C-u>+5d<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert!(on_day(&h.store, 1, "Nina New").is_none(), "snoozed past tomorrow");
    assert!(on_day(&h.store, 5, "Nina New").is_some(), "back on the typed date");
}

#[test]
fn complaint_items_cannot_be_snoozed_here() {
    let h = Harness::with(Lang::En, fixed_book);
    let fiona = h.store.search_keys_like("fiona").unwrap()[0].0;
    let deadline = rapport::domain::agenda::ComplaintDeadline {
        complaint_id: 1,
        customer_id: fiona,
        kind: rapport::domain::agenda::DeadlineKind::FirstResponse,
        due: now() - Duration::hours(3),
    };
    let a = h.store.agenda(today(), today(), &[deadline], 100).unwrap();
    assert_eq!(a.items[0].section(), Section::Complaints);
    assert_eq!(
        rapport::app::agenda::reason_text(Lang::En, &a.items[0], now()),
        "complaint first response"
    );
    assert_eq!(
        rapport::app::agenda::late_text(Lang::En, &a.items[0], now()),
        "3 h late"
    );
}

#[test]
fn the_most_urgent_complaints_are_listed_and_every_one_counted() {
    let h = Harness::with(Lang::En, fixed_book);
    let fiona = h.store.search_keys_like("fiona").unwrap()[0].0;
    // Earliest first, as the deadlines come; the first is the most overdue.
    let deadlines: Vec<_> = (0..7)
        .map(|i| rapport::domain::agenda::ComplaintDeadline {
            complaint_id: i + 1,
            customer_id: fiona,
            kind: rapport::domain::agenda::DeadlineKind::FirstResponse,
            due: now() - Duration::hours(10 - i),
        })
        .collect();
    let a = h.store.agenda(today(), today(), &deadlines, 3).unwrap();
    let listed: Vec<i64> = a
        .items
        .iter()
        .filter_map(|i| match i.reason {
            Reason::Complaint { complaint_id, .. } => Some(complaint_id),
            _ => None,
        })
        .collect();
    assert_eq!(listed, [1, 2, 3]);
    assert_eq!(a.counts[Section::Complaints as usize], 7);
    assert_eq!(a.hidden(Section::Complaints), 4);
}

#[test]
fn follow_ups_accept_natural_dates_and_refuse_bad_ones() {
    let mut h = Harness::with(Lang::Zh, fixed_book);
    h.keys("f<C-u>下周三<Tab>带样品去<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let id = h.app.selected_id.unwrap();
    let f = h.store.open_follow_ups(id).unwrap();
    let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    assert!(f.iter().any(|f| f.due_on == wed && f.note == "带样品去"), "{f:?}");
    h.keys("f<C-u>someday<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed on a bad date")
    };
    let err = form.fields[0].error.clone().unwrap();
    assert!(err.contains("2026-12-01") && err.contains("明天"), "{err}");
    h.keys("<C-u>2026-01-01<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed on a past date")
    };
    assert!(form.fields[0].error.is_some());
}

#[test]
fn region_care_puts_a_call_on_everyone_in_the_city_after_confirmation() {
    let mut h = Harness::with(Lang::En, |s| {
        for (name, city) in [("Wang Wei", "深圳"), ("Li Na", "深圳"), ("Anna Berg", "Hamburg")] {
            let mut c = Customer::new(name, days_ago(30));
            c.city = city.into();
            c.contact = ContactDates {
                last_contact: Some(days_ago(2)),
                last_call: Some(days_ago(2).date()),
                last_visit: Some(days_ago(2).date()),
            };
            s.insert_customer(&c).unwrap();
        }
    });
    h.keys("4gshenzhen<C-s>");
    assert!(
        matches!(h.app.overlay, Some(Overlay::Confirm(_))),
        "{:?}",
        h.app.message
    );
    h.keys("y");
    let a = h.store.agenda(today(), today(), &[], 100).unwrap();
    let names: Vec<&str> = a
        .items
        .iter()
        .filter(|i| i.section() == Section::FollowUps)
        .map(|i| i.customer.as_str())
        .collect();
    assert_eq!(names, vec!["Li Na", "Wang Wei"]);
    // "no" changes nothing.
    h.keys("ghamburg<C-s>n");
    assert_eq!(h.store.agenda(today(), today(), &[], 100).unwrap().counts[1], 2);
    // The same region care again adds no second call.
    h.keys("gshenzhen<C-s>y");
    assert_eq!(h.store.agenda(today(), today(), &[], 100).unwrap().counts[1], 2);
    let msg = &h.app.message.as_ref().unwrap().0;
    assert!(msg.contains("2 had that call already"), "{msg}");
}

#[test]
fn week_ahead_counts_each_day_and_opens_one() {
    let mut h = Harness::with(Lang::En, fixed_book);
    let fiona = h.store.search_keys_like("fiona").unwrap()[0].0;
    h.store
        .add_follow_up(fiona, today() + Duration::days(2), "", "manual", now())
        .unwrap();
    h.keys("4w");
    let week = h.app.agenda.week.clone().unwrap();
    assert_eq!(week.len(), 7);
    assert_eq!(week[0].0, today());
    assert_eq!(week[2].1[Section::FollowUps as usize], 1);
    h.keys("jj<Enter>");
    assert!(h.app.agenda.week.is_none());
    assert_eq!(h.app.agenda.day, Some(today() + Duration::days(2)));
    assert_eq!(h.app.agenda.agenda.counts[Section::FollowUps as usize], 1);
}

#[test]
fn a_visit_satisfies_the_call_and_a_grade_change_keeps_the_last_contact() {
    let mut h = Harness::with(Lang::En, fixed_book);
    let anna = h.store.search_keys_like("anna").unwrap()[0].0;
    h.store
        .log_interaction(anna, InteractionKind::Visit, days_ago(1), "visit")
        .unwrap();
    assert_eq!(
        h.store.next_due_on(anna).unwrap(),
        Some(today() - Duration::days(1) + chrono::Months::new(1))
    );
    let mut c = h.store.customer(anna).unwrap();
    c.grade = Grade::C;
    h.store.update_customer(&c, now(), "").unwrap();
    // C: call every 6 months, from the same last contact.
    assert_eq!(
        h.store.next_due_on(anna).unwrap(),
        Some(today() - Duration::days(1) + chrono::Months::new(6))
    );
}

#[test]
fn birthdays_on_29_february_show_on_the_28th_in_common_years() {
    let mut h = Harness::with(Lang::En, |s| {
        let mut c = Customer::new("Leap Day", days_ago(30));
        c.grade = Grade::C;
        c.birthday = Some(Birthday {
            calendar: rapport::domain::dates::Calendar::Gregorian,
            month: 2,
            day: 29,
            year: None,
        });
        c.contact = ContactDates {
            last_contact: Some(days_ago(1)),
            last_call: Some(days_ago(1).date()),
            last_visit: Some(days_ago(1).date()),
        };
        s.insert_customer(&c).unwrap();
    });
    let feb28 = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
    let a = h.store.agenda(feb28, feb28, &[], 100).unwrap();
    assert!(
        a.items.iter().any(|i| matches!(i.reason, Reason::Birthday { .. })),
        "{a:?}"
    );
    let feb27 = NaiveDate::from_ymd_opt(2027, 2, 27).unwrap();
    let a = h.store.agenda(feb27, feb27, &[], 100).unwrap();
    assert!(
        !a.items.iter().any(|i| matches!(i.reason, Reason::Birthday { .. })),
        "grade C greets on the day"
    );
    h.keys("");
}

#[test]
fn spring_festival_shows_from_its_lead_time_for_key_customers() {
    let h = Harness::with(Lang::En, |s| {
        for (name, grade) in [("Ava Key", Grade::A), ("Dan Small", Grade::D)] {
            let mut c = Customer::new(name, days_ago(30));
            c.grade = grade;
            c.contact = ContactDates {
                last_contact: Some(days_ago(1)),
                last_call: Some(days_ago(1).date()),
                last_visit: Some(days_ago(1).date()),
            };
            s.insert_customer(&c).unwrap();
        }
    });
    // Spring Festival 2027 is on 6 February; grade A greets 7 days ahead.
    let holiday_items = |d: NaiveDate| -> Vec<String> {
        let a = h.store.agenda(d, d, &[], 100).unwrap();
        a.items
            .iter()
            .filter(|i| matches!(i.reason, Reason::Holiday { .. }))
            .map(|i| i.customer.clone())
            .collect()
    };
    assert!(holiday_items(NaiveDate::from_ymd_opt(2027, 1, 29).unwrap()).is_empty());
    assert_eq!(
        holiday_items(NaiveDate::from_ymd_opt(2027, 1, 30).unwrap()),
        vec!["Ava Key"]
    );
    assert_eq!(
        holiday_items(NaiveDate::from_ymd_opt(2027, 2, 6).unwrap()),
        vec!["Ava Key"]
    );
    assert!(holiday_items(NaiveDate::from_ymd_opt(2027, 2, 7).unwrap()).is_empty());
}

#[test]
fn an_overdue_item_snoozed_to_a_later_day_shows_and_counts_on_that_day() {
    let mut h = Harness::with(Lang::En, fixed_book);
    let id = |h: &Harness, name: &str| h.store.search_keys_like(name).unwrap()[0].0;
    let (anna, chen, nina) = (id(&h, "anna"), id(&h, "chen"), id(&h, "nina"));
    // Overdue today (a call, a churn risk, a new customer), all snoozed
    // a week ahead, to 2026-11-30.
    let until = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert_eq!(until, today() + Duration::days(7));
    for (customer, kind) in [(anna, "cadence"), (chen, "churn_risk"), (nina, "new_customer")] {
        assert_eq!(h.store.snooze(customer, kind, until).unwrap(), 1);
    }
    let snoozed = ["Anna Call", "Chen Churn", "Nina New"];
    let shown = |day: NaiveDate| -> Vec<String> {
        let a = h.store.agenda(day, today(), &[], 100).unwrap();
        a.items
            .iter()
            .filter(|i| snoozed.contains(&i.customer.as_str()))
            .map(|i| i.customer.clone())
            .collect()
    };
    for n in 0..7 {
        let day = today() + Duration::days(n);
        assert!(shown(day).is_empty(), "{day}: {:?}", shown(day));
    }

    let a = h.store.agenda(until, today(), &[], 100).unwrap();
    let got: Vec<(Section, &str, i64, u32)> = a
        .items
        .iter()
        .filter(|i| snoozed.contains(&i.customer.as_str()))
        .map(|i| (i.section(), i.customer.as_str(), i.days_late, i.snoozes))
        .collect();
    assert_eq!(
        got,
        vec![
            (Section::Cadence, "Anna Call", 16, 1),
            (Section::Churn, "Chen Churn", 15, 1),
            (Section::NewCustomers, "Nina New", 9, 1),
        ]
    );
    let anna_item = a.items.iter().find(|i| i.customer == "Anna Call").unwrap();
    assert!(matches!(anna_item.reason, Reason::Call { .. }), "{anna_item:?}");
    // The same items and counts as when that day is today.
    let then = h.store.agenda(until, until, &[], 100).unwrap();
    assert_eq!(
        a.counts[Section::Cadence as usize],
        then.counts[Section::Cadence as usize]
    );
    assert_eq!(
        a.counts[Section::NewCustomers as usize],
        then.counts[Section::NewCustomers as usize]
    );
    assert!(then.items.iter().any(|i| i.customer == "Chen Churn"));

    // The week ahead counts them on that day, not before.
    let week = h.store.week(today(), 8, &[]).unwrap();
    assert_eq!(week[7].0, until);
    for (day, counts) in &week[..7] {
        assert_eq!(counts[Section::Cadence as usize], 0, "{day}");
        assert_eq!(counts[Section::NewCustomers as usize], 0, "{day}");
    }
    assert_eq!(week[7].1[Section::Cadence as usize], 1);
    assert_eq!(week[7].1[Section::Churn as usize], a.counts[Section::Churn as usize]);
    assert!(week[7].1[Section::Churn as usize] >= 1);
    assert_eq!(week[7].1[Section::NewCustomers as usize], 1);
    assert_eq!(week[7].1, a.counts);
}

#[test]
fn key_customers_come_first_among_calls_due_even_past_the_cap() {
    let mut h = Harness::with(Lang::En, |store| {
        // 250 grade D customers, each far later than the one grade A.
        for i in 0..250 {
            customer(store, &format!("Dora Small {i:03}"), Grade::D, Some(400 + i));
        }
        customer(store, "Anna Key", Grade::A, Some(40));
        customer(store, "Bert Second", Grade::B, Some(120));
    });
    let cap = rapport::storage::COUNT_CAP;
    assert!(cap < 250);
    let a = h.store.agenda(today(), today(), &[], cap).unwrap();
    let cadence: Vec<(&str, i64)> = a
        .items
        .iter()
        .filter(|i| i.section() == Section::Cadence)
        .map(|i| (i.customer.as_str(), i.days_late))
        .collect();
    assert_eq!(cadence.len(), cap);
    assert_eq!(cadence[0].0, "Anna Key");
    assert_eq!(cadence[1].0, "Bert Second");
    // Then the grade D ones, latest first.
    assert_eq!(cadence[2].0, "Dora Small 249");
    assert!(cadence[2].1 > cadence[3].1);
    assert_eq!(a.counts[Section::Cadence as usize], cap);
    // On screen, through the pane's key: the first line of the section is
    // the key customer, and lateness is said once (in the right column).
    h.keys("4");
    let screen = h.screen(80, 24);
    let first = screen
        .lines()
        .skip_while(|l| !l.contains("Calls and visits due"))
        .nth(1)
        .unwrap()
        .to_string();
    assert!(
        first.contains("Anna Key") && first.contains("grade A") && first.contains("9d late"),
        "{first}"
    );
    assert_eq!(first.matches("late").count(), 1, "{first}");
}

#[test]
fn a_win_back_counts_from_the_last_call_as_its_lateness_does() {
    let h = Harness::with(Lang::En, |store| {
        let mut l = Customer::new("Lena Lapsed", days_ago(400));
        l.grade = Grade::B;
        l.status = Status::Lost;
        // A message six days ago is contact, but not a call: the win-back
        // is due from the last call, 150 days ago.
        l.contact = ContactDates {
            last_contact: Some(days_ago(6)),
            last_call: Some(days_ago(150).date()),
            last_visit: Some(days_ago(150).date()),
        };
        store.insert_customer(&l).unwrap();
    });
    let a = h.store.agenda(today(), today(), &[], 100).unwrap();
    let item = a.items.iter().find(|i| i.customer == "Lena Lapsed").unwrap();
    assert_eq!(
        rapport::app::agenda::reason_text(Lang::En, item, now()),
        "lost customer worth a win-back call — grade B, last call 150 days ago"
    );
}

#[test]
fn the_snooze_dates_hint_is_whole_at_80_columns() {
    let mut h = Harness::with(Lang::En, fixed_book);
    h.keys("4");
    point_at(&mut h, |i| i.customer == "Anna Call");
    h.keys("z<Tab>");
    let screen = h.screen(80, 24);
    assert!(screen.contains("next mon"), "{screen}");
    assert!(screen.contains("下周一"), "the hint is cut:\n{screen}");
}
