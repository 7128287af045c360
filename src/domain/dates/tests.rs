use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Wednesday 2026-06-17.
const WED: (i32, u32, u32) = (2026, 6, 17);

fn today() -> NaiveDate {
    d(WED.0, WED.1, WED.2)
}

#[test]
fn today_is_a_wednesday() {
    assert_eq!(today().weekday(), Weekday::Wed);
}

#[test]
fn accepted_entries() {
    let cases: &[(&str, NaiveDate)] = &[
        ("2026-12-01", d(2026, 12, 1)),
        ("2026/12/01", d(2026, 12, 1)),
        ("2026/1/5", d(2026, 1, 5)),
        ("  2027-02-28 ", d(2027, 2, 28)),
        ("2028-02-29", d(2028, 2, 29)),
        ("12-01", d(2026, 12, 1)),
        ("12/01", d(2026, 12, 1)),
        ("06-17", d(2026, 6, 17)), // today counts as this year
        ("06-16", d(2027, 6, 16)), // already past: next year
        ("1/5", d(2027, 1, 5)),
        ("+3d", d(2026, 6, 20)),
        ("+3D", d(2026, 6, 20)),
        ("+ 3 d", d(2026, 6, 20)),
        ("+3", d(2026, 6, 20)),
        ("+0d", d(2026, 6, 17)),
        ("+2w", d(2026, 7, 1)),
        ("+1m", d(2026, 7, 17)),
        ("+12m", d(2027, 6, 17)),
        // Days before today, as a purchase or a contact is dated.
        ("-3d", d(2026, 6, 14)),
        ("-2w", d(2026, 6, 3)),
        ("-1m", d(2026, 5, 17)),
        ("3 days ago", d(2026, 6, 14)),
        ("1 day ago", d(2026, 6, 16)),
        ("2 weeks ago", d(2026, 6, 3)),
        ("1 month ago", d(2026, 5, 17)),
        ("3d ago", d(2026, 6, 14)),
        ("3天前", d(2026, 6, 14)),
        ("３天前", d(2026, 6, 14)),
        ("2周前", d(2026, 6, 3)),
        ("2个星期前", d(2026, 6, 3)),
        ("1个月前", d(2026, 5, 17)),
        ("today", today()),
        ("TODAY", today()),
        ("tomorrow", d(2026, 6, 18)),
        ("Yesterday", d(2026, 6, 16)),
        ("mon", d(2026, 6, 22)),
        ("monday", d(2026, 6, 22)),
        ("wed", d(2026, 6, 24)), // strictly after today
        ("Wednesday", d(2026, 6, 24)),
        ("thu", d(2026, 6, 18)),
        ("sun", d(2026, 6, 21)),
        ("next mon", d(2026, 6, 22)),
        ("next  Monday", d(2026, 6, 22)),
        ("next wed", d(2026, 6, 24)),
        ("next fri", d(2026, 6, 19)),
        ("今天", today()),
        ("明天", d(2026, 6, 18)),
        ("后天", d(2026, 6, 19)),
        ("昨天", d(2026, 6, 16)),
        ("下周一", d(2026, 6, 22)),
        ("下周三", d(2026, 6, 24)),
        ("下周五", d(2026, 6, 26)),
        ("下周日", d(2026, 6, 28)),
        ("下周天", d(2026, 6, 28)),
        ("下星期二", d(2026, 6, 23)),
        ("周一", d(2026, 6, 22)),
        ("周三", d(2026, 6, 24)),
        ("周五", d(2026, 6, 19)),
        ("周日", d(2026, 6, 21)),
        ("星期四", d(2026, 6, 18)),
        ("星期日", d(2026, 6, 21)),
        ("星期天", d(2026, 6, 21)),
        ("3天后", d(2026, 6, 20)),
        ("3 天后", d(2026, 6, 20)),
        ("2周后", d(2026, 7, 1)),
        ("2个星期后", d(2026, 7, 1)),
        ("1个月后", d(2026, 7, 17)),
        ("12月1日", d(2026, 12, 1)),
        ("12月1号", d(2026, 12, 1)),
        ("1月5日", d(2027, 1, 5)),
        ("2026年12月1日", d(2026, 12, 1)),
        ("２０２６年１２月１日", d(2026, 12, 1)), // full-width IME digits
        ("＋３ｄ", d(2026, 6, 20)),
    ];
    for (input, want) in cases {
        assert_eq!(parse_date_entry(input, today()), Ok(*want), "input {input:?}");
    }
}

#[test]
fn next_calendar_week_vs_next_occurrence() {
    // 周五 on a Wednesday is this Friday; 下周五 is Friday of next week.
    assert_eq!(parse_date_entry("周五", today()), Ok(d(2026, 6, 19)));
    assert_eq!(parse_date_entry("下周五", today()), Ok(d(2026, 6, 26)));
    // On a Sunday (end of a Monday-start week) both mean tomorrow.
    let sunday = d(2026, 6, 21);
    assert_eq!(parse_date_entry("周一", sunday), Ok(d(2026, 6, 22)));
    assert_eq!(parse_date_entry("下周一", sunday), Ok(d(2026, 6, 22)));
    assert_eq!(parse_date_entry("下周日", sunday), Ok(d(2026, 6, 28)));
    let monday = d(2026, 6, 22);
    assert_eq!(parse_date_entry("下周一", monday), Ok(d(2026, 6, 29)));
    assert_eq!(parse_date_entry("下周日", monday), Ok(d(2026, 7, 5)));
    assert_eq!(parse_date_entry("周日", monday), Ok(d(2026, 6, 28)));
}

#[test]
fn month_offsets_clamp_to_month_end() {
    assert_eq!(parse_date_entry("+1m", d(2026, 1, 31)), Ok(d(2026, 2, 28)));
    assert_eq!(parse_date_entry("+1m", d(2028, 1, 31)), Ok(d(2028, 2, 29)));
    assert_eq!(parse_date_entry("1个月后", d(2026, 3, 31)), Ok(d(2026, 4, 30)));
    assert_eq!(add_months(d(2026, 1, 31), 1), d(2026, 2, 28));
    assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
    assert_eq!(add_months(d(2026, 12, 31), 2), d(2027, 2, 28));
    assert_eq!(add_months(d(2026, 5, 15), 0), d(2026, 5, 15));
    assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
}

#[test]
fn month_day_wraps_year() {
    assert_eq!(parse_date_entry("01-02", d(2026, 12, 28)), Ok(d(2027, 1, 2)));
    assert_eq!(parse_date_entry("12-31", d(2026, 12, 31)), Ok(d(2026, 12, 31)));
    assert_eq!(parse_date_entry("02-29", d(2027, 3, 1)), Ok(d(2028, 2, 29)));
}

#[test]
fn rejected_entries() {
    let t = today();
    let err = |s: &str| parse_date_entry(s, t).unwrap_err();
    for s in ["2026-02-30", "13-01", "00-10", "04-31", "2026年2月30日", "02-29"] {
        assert!(matches!(err(s), DateEntryError::NoSuchDate { .. }), "{s:?}");
    }
    for s in [
        "xyz",
        "+",
        "+d",
        "-",
        "-d",
        "3天之前",
        "daysago",
        "+3x",
        "next",
        "next xyz",
        "周八",
        "下周",
        "26-12-01",
        "2026-12-01-01",
        "2026-12/01",
        "12",
        "1201",
        "+1234567d",
        "3天",
        "天后",
    ] {
        assert!(matches!(err(s), DateEntryError::Unrecognised { .. }), "{s:?}");
    }
    assert_eq!(
        parse_date_entry("   ", t),
        Err(DateEntryError::Empty { field: DateField::Date })
    );
    assert!(matches!(
        parse_date_entry("+999999d", NaiveDate::MAX),
        Err(DateEntryError::OutOfRange { .. })
    ));
    assert!(matches!(
        parse_date_entry("yesterday", NaiveDate::MIN),
        Err(DateEntryError::OutOfRange { .. })
    ));
}

#[test]
fn messages() {
    let e = parse_date_entry("xyz", today()).unwrap_err();
    assert_eq!(
        e.message(false),
        "Unrecognised date \"xyz\". Try 2026-12-01, 12-01, +3d, +2w, tomorrow, next mon"
    );
    assert_eq!(
        e.message(true),
        "无法识别的日期“xyz”。可以输入 2026-12-01、12-01、+3d、+2w、明天、下周一"
    );
    assert_eq!(e.to_string(), e.message(false));
    let e = parse_date_entry("2026-02-30", today()).unwrap_err();
    assert!(e.message(false).starts_with("There is no such date as \"2026-02-30\"."));
    assert!(e.message(true).starts_with("日期“2026-02-30”不存在。"));
    let e = parse_birthday("abc").unwrap_err();
    assert_eq!(e.field(), DateField::Birthday);
    assert!(e.message(true).contains("3月12日"));
    // Control characters are not echoed; long input is shortened.
    let e = parse_date_entry("a\u{1b}[2J", today()).unwrap_err();
    assert_eq!(e.input(), "a\u{FFFD}[2J");
    let e = parse_date_entry(&"x".repeat(100), today()).unwrap_err();
    assert_eq!(e.input().chars().count(), MAX_ECHO_CHARS + 1);
}

#[test]
fn birthdays_parse_and_display() {
    let cases: &[(&str, Birthday, &str)] = &[
        ("1985-03-12", bd(3, 12, Some(1985)), "1985-03-12"),
        ("1985/3/12", bd(3, 12, Some(1985)), "1985-03-12"),
        ("03-12", bd(3, 12, None), "03-12"),
        ("3-12", bd(3, 12, None), "03-12"),
        ("3/12", bd(3, 12, None), "03-12"),
        ("1985年3月12日", bd(3, 12, Some(1985)), "1985-03-12"),
        ("3月12日", bd(3, 12, None), "03-12"),
        ("02-29", bd(2, 29, None), "02-29"),
        ("2000-02-29", bd(2, 29, Some(2000)), "2000-02-29"),
    ];
    for (input, want, shown) in cases {
        assert_eq!(parse_birthday(input), Ok(*want), "{input:?}");
        assert_eq!(want.to_string(), *shown);
        assert_eq!(parse_birthday(shown), Ok(*want));
    }
    for s in ["1985-02-29", "02-30", "13-01", "0-5", "1900-02-29"] {
        assert!(
            matches!(parse_birthday(s), Err(DateEntryError::NoSuchDate { .. })),
            "{s:?}"
        );
    }
    for s in ["", "tomorrow", "85-3-12", "3月", "1985年3月"] {
        assert!(parse_birthday(s).is_err(), "{s:?}");
    }
}

fn bd(month: u32, day: u32, year: Option<i32>) -> Birthday {
    Birthday::gregorian(month, day, year)
}

#[test]
fn next_birthday_and_days_until() {
    let b = bd(3, 12, Some(1985));
    assert_eq!(next_birthday(&b, d(2026, 3, 12)), d(2026, 3, 12)); // today counts
    assert_eq!(days_until_birthday(&b, d(2026, 3, 12)), 0);
    assert_eq!(next_birthday(&b, d(2026, 3, 13)), d(2027, 3, 12));
    assert_eq!(days_until_birthday(&b, d(2026, 3, 5)), 7);
    assert_eq!(days_until_birthday(&b, d(2026, 12, 31)), 71);
    let leap = bd(2, 29, None);
    assert_eq!(next_birthday(&leap, d(2026, 1, 1)), d(2026, 2, 28));
    assert_eq!(next_birthday(&leap, d(2026, 3, 1)), d(2027, 2, 28));
    assert_eq!(next_birthday(&leap, d(2027, 3, 1)), d(2028, 2, 29));
    assert_eq!(next_birthday(&leap, d(2028, 2, 29)), d(2028, 2, 29));
    // Hand-built out-of-range fields are clamped, not a panic.
    assert_eq!(next_birthday(&bd(14, 40, None), d(2026, 1, 1)), d(2026, 12, 31));
}

#[test]
fn ages() {
    let b = bd(3, 12, Some(1985));
    assert_eq!(age_on(&b, d(2026, 3, 11)), Some(40));
    assert_eq!(age_on(&b, d(2026, 3, 12)), Some(41));
    assert_eq!(age_on(&b, d(1985, 3, 12)), Some(0));
    assert_eq!(age_on(&b, d(1985, 3, 11)), None);
    assert_eq!(age_on(&bd(3, 12, None), d(2026, 3, 12)), None);
    let leap = bd(2, 29, Some(2000));
    assert_eq!(age_on(&leap, d(2001, 2, 27)), Some(0));
    assert_eq!(age_on(&leap, d(2001, 2, 28)), Some(1));
    assert_eq!(age_on(&leap, d(2004, 2, 28)), Some(3));
    assert_eq!(age_on(&leap, d(2004, 2, 29)), Some(4));
}

fn date_strategy() -> impl Strategy<Value = NaiveDate> {
    let lo = d(1900, 1, 1).num_days_from_ce();
    let hi = d(2199, 12, 31).num_days_from_ce();
    (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// Strings built from the characters the parser cares about, plus noise.
fn tricky_string() -> impl Strategy<Value = String> {
    let pieces: Vec<&'static str> = vec![
        "0", "1", "2", "9", "12", "2026", "-", "/", "+", "d", "w", "m", "next", "mon", "年", "月", "日", "号", "天",
        "周", "星期", "下", "后", "个", "一", "日", "\u{0}", "\u{1b}", "\t", " ", "\u{3000}", "２", "ｄ", "İ", "é",
        "\u{FFFF}", "🎂",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..10).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parse_never_panics(s in any::<String>(), today in date_strategy()) {
        let _ = parse_date_entry(&s, today);
        let _ = parse_birthday(&s);
    }

    #[test]
    fn parse_never_panics_on_tricky(s in tricky_string(), today in date_strategy()) {
        if let Err(e) = parse_date_entry(&s, today) {
            prop_assert!(!e.message(true).is_empty());
            prop_assert!(!e.input().chars().any(char::is_control));
        }
    }

    #[test]
    fn parse_never_panics_at_calendar_edges(s in tricky_string(), max in any::<bool>()) {
        let today = if max { NaiveDate::MAX } else { NaiveDate::MIN };
        let _ = parse_date_entry(&s, today);
    }

    #[test]
    fn iso_dates_round_trip(day in date_strategy(), today in date_strategy()) {
        prop_assert_eq!(parse_date_entry(&day.format("%Y-%m-%d").to_string(), today), Ok(day));
        prop_assert_eq!(parse_date_entry(&day.format("%Y/%m/%d").to_string(), today), Ok(day));
        prop_assert_eq!(parse_date_entry(&day.format("%Y年%-m月%-d日").to_string(), today), Ok(day));
    }

    #[test]
    fn month_day_is_on_or_after_today_within_a_year(day in date_strategy(), today in date_strategy()) {
        if let Ok(got) = parse_date_entry(&day.format("%m-%d").to_string(), today) {
            prop_assert!(got >= today);
            prop_assert!((got - today).num_days() < 366);
            prop_assert_eq!((got.month(), got.day()), (day.month(), day.day()));
        }
    }

    #[test]
    fn weekdays_are_one_to_seven_days_ahead(today in date_strategy(), wd in 0u8..7) {
        let wd = Weekday::try_from(wd).unwrap();
        let name = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][wd.num_days_from_monday() as usize];
        let got = parse_date_entry(name, today).unwrap();
        prop_assert_eq!(got.weekday(), wd);
        prop_assert!((1..=7).contains(&(got - today).num_days()));
        let zh = ["一", "二", "三", "四", "五", "六", "日"][wd.num_days_from_monday() as usize];
        let next_week = parse_date_entry(&format!("下周{zh}"), today).unwrap();
        prop_assert_eq!(next_week.weekday(), wd);
        prop_assert_eq!(next_week.iso_week().week0(), (today + Days::new(7)).iso_week().week0());
    }

    #[test]
    fn birthday_round_trips_parsed(s in tricky_string()) {
        if let Ok(b) = parse_birthday(&s) {
            prop_assert_eq!(parse_birthday(&b.to_string()), Ok(b));
        }
    }

    #[test]
    fn birthday_round_trips(m in 1u32..=12, day in 1u32..=31, year in prop::option::of(1000i32..=9999)) {
        let b = Birthday::gregorian(m, day, year);
        match parse_birthday(&b.to_string()) {
            Ok(parsed) => prop_assert_eq!(parsed, b),
            Err(_) => prop_assert!(day > days_in_month(year.unwrap_or(2000), m)),
        }
    }

    #[test]
    fn next_birthday_within_a_year(m in 1u32..=12, day in 1u32..=31, today in date_strategy()) {
        let b = Birthday::gregorian(m, day, None);
        let n = days_until_birthday(&b, today);
        prop_assert!((0..366).contains(&n));
    }
}

#[test]
fn a_birthday_after_today_is_refused_in_the_users_language() {
    let today = d(2026, 12, 3);
    for s in ["2099-01-01", "2026-12-04", "2027年1月1日", "农历2030年八月十五"] {
        let e = parse_birthday_entry(s, today).unwrap_err();
        assert!(matches!(e, DateEntryError::InFuture { .. }), "{s}: {e:?}");
        assert!(e.message(false).contains("is after today"), "{s}");
        assert!(e.message(true).contains("晚于今天"), "{s}");
    }
    for s in [
        "2026-12-03",
        "1985-03-12",
        "03-12",
        "12-25",
        "农历八月十五",
        "农历2026年腊月初八",
    ] {
        assert!(parse_birthday_entry(s, today).is_ok(), "{s}");
    }
}
