//! The major holidays that call for a greeting (DOMAIN §4).

use chrono::{Datelike, Days, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;

/// A holiday on which key customers get a visit, greeting or gift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holiday {
    /// 元旦, January 1.
    NewYear,
    /// 春节, lunar 1st month 1st day.
    SpringFestival,
    /// 中秋节, lunar 8th month 15th day.
    MidAutumn,
    /// 国庆节, October 1.
    NationalDay,
}

/// Gregorian years for which lunar holidays are computed (tyme4rs uses the
/// Julian calendar before 1583 and stops at lunar year 9999).
pub const LUNAR_YEARS: std::ops::RangeInclusive<i32> = 1583..=9999;

impl Holiday {
    /// All holidays, in calendar order within a year.
    pub const ALL: [Holiday; 4] = [
        Holiday::NewYear,
        Holiday::SpringFestival,
        Holiday::MidAutumn,
        Holiday::NationalDay,
    ];

    /// The holiday's date in `year`, or `None` if it cannot be computed
    /// (lunar holidays outside [`LUNAR_YEARS`], or outside chrono's range).
    pub fn try_date_in(self, year: i32) -> Option<NaiveDate> {
        match self {
            Holiday::NewYear => NaiveDate::from_ymd_opt(year, 1, 1),
            Holiday::NationalDay => NaiveDate::from_ymd_opt(year, 10, 1),
            Holiday::SpringFestival => lunar_to_solar(year, 1, 1),
            Holiday::MidAutumn => lunar_to_solar(year, 8, 15),
        }
    }

    /// The holiday's date in `year`.
    ///
    /// # Panics
    /// For lunar holidays outside [`LUNAR_YEARS`]; use [`Holiday::try_date_in`]
    /// when the year is not known to be sane.
    pub fn date_in(self, year: i32) -> NaiveDate {
        self.try_date_in(year)
            .unwrap_or_else(|| panic!("{self:?} not computable for year {year}"))
    }

    /// i18n key, e.g. `"holiday.new_year"`.
    pub fn key(self) -> &'static str {
        match self {
            Holiday::NewYear => "holiday.new_year",
            Holiday::SpringFestival => "holiday.spring_festival",
            Holiday::MidAutumn => "holiday.mid_autumn",
            Holiday::NationalDay => "holiday.national_day",
        }
    }
}

/// Lunar `month`/`day` of lunar year `year` as a Gregorian date. The lunar
/// months used here (1 and 8) always fall within the same Gregorian year.
fn lunar_to_solar(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    type Known = std::collections::HashMap<(i32, isize, usize), Option<NaiveDate>>;
    static KNOWN: std::sync::OnceLock<std::sync::Mutex<Known>> = std::sync::OnceLock::new();
    super::memo::cached(&KNOWN, (year, month, day), || convert(year, month, day))
}

fn convert(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    if !LUNAR_YEARS.contains(&year) {
        return None;
    }
    let solar = LunarDay::new(year as isize, month, day).ok()?.get_solar_day();
    NaiveDate::from_ymd_opt(
        i32::try_from(solar.get_year()).ok()?,
        u32::try_from(solar.get_month()).ok()?,
        u32::try_from(solar.get_day()).ok()?,
    )
}

/// Holidays dated `today <= d <= today + lead_days`, sorted by date, across
/// year boundaries. So a holiday shows from its lead time up to and including
/// the day itself. A negative lead gives nothing; lead 0 means "on the day".
pub fn upcoming(today: NaiveDate, lead_days: i64) -> Vec<(Holiday, NaiveDate)> {
    let Ok(lead) = u64::try_from(lead_days) else {
        return Vec::new();
    };
    let end = today.checked_add_days(Days::new(lead)).unwrap_or(NaiveDate::MAX);
    let mut out: Vec<(Holiday, NaiveDate)> = (today.year()..=end.year())
        .flat_map(|y| Holiday::ALL.into_iter().map(move |h| (h, h.try_date_in(y))))
        .filter_map(|(h, d)| Some((h, d?)))
        .filter(|&(_, d)| today <= d && d <= end)
        .collect();
    out.sort_by_key(|&(h, d)| (d, h));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Published dates (Hong Kong Observatory / Purple Mountain Observatory
    /// calendars) for 春节 and 中秋节.
    type MonthDay = (u32, u32);
    const LUNAR: &[(i32, MonthDay, MonthDay)] = &[
        (2019, (2, 5), (9, 13)),
        (2020, (1, 25), (10, 1)),
        (2021, (2, 12), (9, 21)),
        (2022, (2, 1), (9, 10)),
        (2023, (1, 22), (9, 29)),
        (2024, (2, 10), (9, 17)),
        (2025, (1, 29), (10, 6)),
        (2026, (2, 17), (9, 25)),
        (2027, (2, 6), (9, 15)),
        (2028, (1, 26), (10, 3)),
        (2029, (2, 13), (9, 22)),
        (2030, (2, 3), (9, 12)),
    ];

    #[test]
    fn lunar_holidays_match_published_calendars() {
        for &(y, (sm, sd), (mm, md)) in LUNAR {
            assert_eq!(Holiday::SpringFestival.date_in(y), d(y, sm, sd), "春节 {y}");
            assert_eq!(Holiday::MidAutumn.date_in(y), d(y, mm, md), "中秋 {y}");
        }
    }

    #[test]
    fn fixed_holidays_and_keys() {
        assert_eq!(Holiday::NewYear.date_in(2027), d(2027, 1, 1));
        assert_eq!(Holiday::NationalDay.date_in(2026), d(2026, 10, 1));
        let keys: Vec<_> = Holiday::ALL.iter().map(|h| h.key()).collect();
        assert_eq!(
            keys,
            [
                "holiday.new_year",
                "holiday.spring_festival",
                "holiday.mid_autumn",
                "holiday.national_day"
            ]
        );
    }

    #[test]
    fn unsupported_years_are_none() {
        assert_eq!(Holiday::SpringFestival.try_date_in(1582), None);
        assert_eq!(Holiday::MidAutumn.try_date_in(10_000), None);
        assert!(Holiday::SpringFestival.try_date_in(9999).is_some());
        assert!(Holiday::MidAutumn.try_date_in(1583).is_some());
        assert_eq!(Holiday::NewYear.try_date_in(1000), Some(d(1000, 1, 1)));
    }

    #[test]
    fn upcoming_windows() {
        // Year wrap.
        assert_eq!(upcoming(d(2026, 12, 28), 7), vec![(Holiday::NewYear, d(2027, 1, 1))]);
        // Up to and including the day itself; lead 0 = on the day.
        assert_eq!(upcoming(d(2026, 9, 25), 0), vec![(Holiday::MidAutumn, d(2026, 9, 25))]);
        assert_eq!(upcoming(d(2026, 9, 26), 4), vec![]);
        assert_eq!(
            upcoming(d(2026, 9, 26), 5),
            vec![(Holiday::NationalDay, d(2026, 10, 1))]
        );
        assert_eq!(upcoming(d(2026, 9, 18), 6), vec![]);
        assert_eq!(upcoming(d(2026, 9, 18), 7), vec![(Holiday::MidAutumn, d(2026, 9, 25))]);
        // 2020: Mid-Autumn and National Day on the same day, both listed.
        assert_eq!(
            upcoming(d(2020, 9, 30), 1),
            vec![
                (Holiday::MidAutumn, d(2020, 10, 1)),
                (Holiday::NationalDay, d(2020, 10, 1))
            ]
        );
        assert_eq!(upcoming(d(2026, 1, 1), -1), vec![]);
        // Long leads span several years, in date order.
        let two_years = upcoming(d(2026, 1, 2), 730);
        assert_eq!(two_years.len(), 8);
        assert!(two_years.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[test]
    fn upcoming_never_panics_at_edges() {
        assert_eq!(upcoming(NaiveDate::MAX, 30), vec![]);
        assert_eq!(upcoming(NaiveDate::MIN, 0), vec![(Holiday::NewYear, NaiveDate::MIN)]);
    }

    proptest! {
        #[test]
        fn lunar_dates_in_plausible_range(y in 1900i32..2100) {
            let sf = Holiday::SpringFestival.date_in(y);
            prop_assert!(d(y, 1, 21) <= sf && sf <= d(y, 2, 20), "{sf}");
            let ma = Holiday::MidAutumn.date_in(y);
            prop_assert!(d(y, 9, 7) <= ma && ma <= d(y, 10, 8), "{ma}");
            let lunar = tyme4rs::tyme::solar::SolarDay::from_ymd(
                y as isize, ma.month() as usize, ma.day() as usize).get_lunar_day();
            prop_assert_eq!((lunar.get_month(), lunar.get_day()), (8, 15));
        }

        #[test]
        fn upcoming_is_exactly_the_window(offset in 0i64..80_000, lead in 0i64..400) {
            let today = d(1900, 1, 1) + chrono::Duration::days(offset);
            let got = upcoming(today, lead);
            let end = today + chrono::Duration::days(lead);
            prop_assert!(got.iter().all(|&(_, x)| today <= x && x <= end));
            for y in today.year()..=end.year() {
                for h in Holiday::ALL {
                    let x = h.date_in(y);
                    prop_assert_eq!(got.contains(&(h, x)), today <= x && x <= end);
                }
            }
        }
    }
}
