//! Lunar birthdays against dates published in ordinary Chinese calendars
//! (independent of the calendar library the code uses), then the rules.

use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn l(month: u32, day: u32, leap: bool) -> LunarDate {
    LunarDate::new(month, day, leap).unwrap()
}

/// (lunar year, lunar month, day, leap, Gregorian date), from printed
/// calendars: festivals, leap months and a year-end of 29 days.
type Published = (i32, u32, u32, bool, (i32, u32, u32));

const PUBLISHED: &[Published] = &[
    (2021, 8, 15, false, (2021, 9, 21)),
    (2022, 8, 15, false, (2022, 9, 10)),
    (2023, 8, 15, false, (2023, 9, 29)),
    (2024, 8, 15, false, (2024, 9, 17)),
    (2025, 8, 15, false, (2025, 10, 6)),
    (2026, 8, 15, false, (2026, 9, 25)),
    (2023, 1, 1, false, (2023, 1, 22)),
    (2024, 1, 1, false, (2024, 2, 10)),
    (2025, 1, 1, false, (2025, 1, 29)),
    (2026, 1, 1, false, (2026, 2, 17)),
    (2023, 5, 5, false, (2023, 6, 22)),
    (2024, 5, 5, false, (2024, 6, 10)),
    (2025, 5, 5, false, (2025, 5, 31)),
    (2024, 7, 7, false, (2024, 8, 10)),
    (2025, 7, 7, false, (2025, 8, 29)),
    (2024, 9, 9, false, (2024, 10, 11)),
    (2025, 9, 9, false, (2025, 10, 29)),
    (2024, 12, 8, false, (2025, 1, 7)),
    (2024, 12, 29, false, (2025, 1, 28)),
    (2020, 4, 1, true, (2020, 5, 23)),
    (2020, 4, 8, true, (2020, 5, 30)),
    (2023, 2, 1, true, (2023, 3, 22)),
    (2025, 6, 1, true, (2025, 7, 25)),
    (2025, 6, 1, false, (2025, 6, 25)),
];

#[test]
fn lunar_dates_agree_with_published_calendars() {
    for &(y, m, day, leap, (gy, gm, gd)) in PUBLISHED {
        let lunar = l(m, day, leap);
        assert_eq!(lunar.in_lunar_year(y), Some(d(gy, gm, gd)), "{y} {}", lunar.chinese());
        assert_eq!(lunar_of(d(gy, gm, gd)), Some((y, lunar)), "{gy}-{gm}-{gd}");
        assert!(birthdays_on(d(gy, gm, gd)).contains(&lunar));
    }
}

#[test]
fn the_30th_falls_on_the_29th_when_the_month_is_short() {
    // Lunar 2024 ended on 腊月廿九 (2025-01-28): no 三十 that year.
    assert_eq!(l(12, 30, false).in_lunar_year(2024), Some(d(2025, 1, 28)));
    assert!(birthdays_on(d(2025, 1, 28)).contains(&l(12, 30, false)));
    assert!(!birthdays_on(d(2025, 1, 27)).contains(&l(12, 30, false)));
}

#[test]
fn a_leap_month_birthday_falls_in_the_ordinary_month_without_that_leap_month() {
    // Born 闰四月初八 (2020); 2026 has no leap fourth month.
    let b = l(4, 8, true);
    assert_eq!(b.in_lunar_year(2020), Some(d(2020, 5, 30)));
    assert_eq!(b.in_lunar_year(2026), l(4, 8, false).in_lunar_year(2026));
    // In a year with a leap sixth month, an ordinary 六月 birthday stays in
    // the ordinary month.
    assert_eq!(l(6, 1, false).in_lunar_year(2025), Some(d(2025, 6, 25)));
}

#[test]
fn next_birthday_and_age_count_lunar_years() {
    let mid_autumn = l(8, 15, false);
    assert_eq!(mid_autumn.next_on_or_after(d(2025, 10, 1)), Some(d(2025, 10, 6)));
    assert_eq!(mid_autumn.next_on_or_after(d(2025, 10, 6)), Some(d(2025, 10, 6)));
    assert_eq!(mid_autumn.next_on_or_after(d(2025, 10, 7)), Some(d(2026, 9, 25)));
    // 腊月 birthdays fall in January or February of the next Gregorian year.
    assert_eq!(l(12, 8, false).next_on_or_after(d(2024, 12, 1)), Some(d(2025, 1, 7)));
    assert_eq!(mid_autumn.age_on(1985, d(2025, 10, 5)), Some(39));
    assert_eq!(mid_autumn.age_on(1985, d(2025, 10, 6)), Some(40));
}

#[test]
fn entries_in_both_languages() {
    let ok = |s: &str| parse_entry(s).unwrap().unwrap();
    assert_eq!(
        ok("农历八月十五"),
        LunarEntry {
            date: l(8, 15, false),
            year: None
        }
    );
    assert_eq!(
        ok("农历 8-15"),
        LunarEntry {
            date: l(8, 15, false),
            year: None
        }
    );
    assert_eq!(
        ok("lunar 8-15"),
        LunarEntry {
            date: l(8, 15, false),
            year: None
        }
    );
    assert_eq!(
        ok("Lunar 1985-08-15"),
        LunarEntry {
            date: l(8, 15, false),
            year: Some(1985)
        }
    );
    assert_eq!(
        ok("农历1985年八月十五"),
        LunarEntry {
            date: l(8, 15, false),
            year: Some(1985)
        }
    );
    assert_eq!(
        ok("农历闰四月初八"),
        LunarEntry {
            date: l(4, 8, true),
            year: None
        }
    );
    assert_eq!(
        ok("农历2020年闰四月初八"),
        LunarEntry {
            date: l(4, 8, true),
            year: Some(2020)
        }
    );
    assert_eq!(
        ok("农历正月初一"),
        LunarEntry {
            date: l(1, 1, false),
            year: None
        }
    );
    assert_eq!(
        ok("农历腊月廿三"),
        LunarEntry {
            date: l(12, 23, false),
            year: None
        }
    );
    assert_eq!(
        ok("农历冬月三十"),
        LunarEntry {
            date: l(11, 30, false),
            year: None
        }
    );
    assert_eq!(
        ok("lunar leap 4-8"),
        LunarEntry {
            date: l(4, 8, true),
            year: None
        }
    );
    assert_eq!(parse_entry("1985-08-15"), None);
    assert_eq!(parse_entry("农历八月"), Some(Err(LunarError::Unrecognised)));
    assert_eq!(parse_entry("lunar 13-01"), Some(Err(LunarError::NoSuchDate)));
    assert_eq!(parse_entry("lunar 8-31"), Some(Err(LunarError::NoSuchDate)));
    // 2021 had no leap fourth month.
    assert_eq!(parse_entry("农历2021年闰四月初八"), Some(Err(LunarError::NoSuchDate)));
}

#[test]
fn chinese_names_read_back() {
    for m in 1..=12 {
        for day in 1..=30 {
            for leap in [false, true] {
                let x = l(m, day, leap);
                let text = format!("农历{}", x.chinese());
                assert_eq!(
                    parse_entry(&text),
                    Some(Ok(LunarEntry { date: x, year: None })),
                    "{text}"
                );
            }
        }
    }
    assert_eq!(l(8, 15, false).chinese(), "八月十五");
    assert_eq!(l(4, 8, true).chinese(), "闰四月初八");
    assert_eq!(l(12, 20, false).chinese(), "腊月二十");
    assert_eq!(l(1, 10, false).chinese(), "正月初十");
}

proptest! {
    /// A lunar birthday falls on exactly the days `birthdays_on` lists for
    /// it: what the agenda asks each day agrees with the card's next date.
    #[test]
    fn birthdays_on_agrees_with_each_years_date(m in 1u32..=12, day in 1u32..=30, leap: bool, y in 1901i32..2099) {
        let b = l(m, day, leap);
        let on = b.in_lunar_year(y).unwrap();
        prop_assert!(birthdays_on(on).contains(&b));
        let before = on.pred_opt().unwrap();
        prop_assert!(!birthdays_on(before).contains(&b) || b.in_lunar_year(lunar_of(before).unwrap().0) == Some(before));
        prop_assert_eq!(b.next_on_or_after(on), Some(on));
    }
}
