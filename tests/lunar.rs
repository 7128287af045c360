//! Lunar birthdays (农历生日) through the form, the agenda, the card, the
//! CSV import, `find --json` and the iCalendar export.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::Duration;
use common::{Harness, now};
use rapport::domain::agenda::{Reason, Section};
use rapport::domain::dates::Calendar;
use rapport::domain::lunar::lunar_of;
use rapport::i18n::Lang;

#[test]
fn a_lunar_birthday_typed_in_the_form_reaches_the_agenda_and_the_card() {
    let mut h = Harness::empty(Lang::Zh);
    // The lunar date that falls four days from now, as a rep would type it.
    let on = now().date() + Duration::days(4);
    let (_, lunar) = lunar_of(on).unwrap();
    let typed = format!("农历1980年{}", lunar.chinese());
    // Name, company, five more fields, birthday; grade A (greeted 7 days ahead).
    h.keys(&format!(
        "a王秋月<Tab>中秋贸易<Tab><Tab><Tab><Tab><Tab><Tab>{typed}<Tab><Left><Left><C-s>"
    ));
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let id = h.app.selected_id.unwrap();
    let c = h.store.customer(id).unwrap();
    let b = c.birthday.unwrap();
    assert_eq!((b.month, b.day, b.year), (lunar.month, lunar.day, Some(1980)));
    assert_eq!(b.calendar, Calendar::Lunar { leap: lunar.leap });
    assert_eq!(b.to_string(), typed);
    // In the database: lunar month and day, and the calendar.
    let stored: (u32, u32, i64) = rusqlite::Connection::open(h.store.path())
        .unwrap()
        .query_row(
            "SELECT birth_month, birth_day, birth_calendar FROM customers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(stored, (lunar.month, lunar.day, if lunar.leap { 2 } else { 1 }));

    // The agenda greets it on its Gregorian date this year.
    let a = h.store.agenda(now().date(), now().date(), &[], 100).unwrap();
    let item = a
        .items
        .iter()
        .find(|i| i.customer == "王秋月" && matches!(i.reason, Reason::Birthday { .. }))
        .expect("lunar birthday on the agenda");
    assert_eq!(item.section(), Section::Care);
    assert_eq!(item.due, on);
    // Not on the Gregorian day of the same numbers.
    assert!(a.items.iter().all(|i| i.customer != "王秋月" || i.due == on));

    // The card shows both dates.
    h.keys("<Enter>");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains(&format!("{typed} · 公历 {}", on.format("%m-%d"))) && screen.contains("还有 4 天"),
        "{screen}"
    );
}

#[test]
fn a_bad_lunar_birthday_is_refused_and_the_form_kept() {
    let mut h = Harness::empty(Lang::En);
    h.keys("aLi Qiu<Tab><Tab><Tab><Tab><Tab><Tab><Tab>lunar 13-40<C-s>");
    assert!(h.app.overlay.is_some(), "the form stays open");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("lunar 13-40") && screen.contains("lunar 8-15"),
        "{screen}"
    );
    assert_eq!(h.store.customer_count().unwrap(), 0);
}

fn rapport(db: &Path) -> Command {
    common::pty::command(db, "2026-09-20 09:00")
}

#[test]
fn a_column_headed_lunar_birthday_imports_as_lunar_and_shows_in_find_and_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "姓名,农历生日,生日\n秋月,八月十五,\n冬生,,农历闰四月初八\n春花,,1985-03-12\n",
    )
    .unwrap();
    let out = rapport(&db).args(["import", csv.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let find = |q: &str| -> serde_json::Value {
        let out = rapport(&db).args(["find", "--json", q]).output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()[0].clone()
    };
    let qiuyue = find("秋月");
    assert_eq!(qiuyue["birthday"], "农历八月十五");
    assert_eq!(qiuyue["birthday_lunar"], true);
    // Mid-Autumn 2026 is on 09-25.
    assert_eq!(qiuyue["next_birthday"], "2026-09-25");
    let dongsheng = find("冬生");
    assert_eq!(dongsheng["birthday"], "农历闰四月初八");
    assert_eq!(dongsheng["birthday_lunar"], true);
    let chunhua = find("春花");
    assert_eq!(chunhua["birthday"], "1985-03-12");
    assert_eq!(chunhua["birthday_lunar"], false);

    // The calendar: one event per year on that year's date, no yearly rule.
    let out = rapport(&db).args(["export", "--format", "ics"]).output().unwrap();
    let ics = String::from_utf8(out.stdout).unwrap();
    let id = qiuyue["id"].as_i64().unwrap();
    for (year, date) in [(2026, "20260925"), (2027, "20270915"), (2028, "20281003")] {
        let uid = format!("UID:birthday-{id}-{year}@rapport");
        let at = ics.find(&uid).unwrap_or_else(|| panic!("{uid} missing"));
        assert!(ics[at..].lines().nth(1).unwrap().ends_with(date), "{year}");
    }
    assert_eq!(ics.matches(&format!("UID:birthday-{id}-")).count(), 10);
    // The CSV export writes it as entered, and it reads back as lunar.
    let out = rapport(&db).args(["export", "--format", "csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("农历八月十五"));
}
