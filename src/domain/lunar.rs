//! Lunar birthdays (农历生日, DOMAIN §4): many customers keep their
//! birthday by the Chinese lunar calendar, which falls on a different
//! Gregorian date each year.
//!
//! The rules, each year:
//! - a birthday in a leap month (闰四月初八) falls in that leap month when
//!   the year has it, and in the ordinary month of the same number when it
//!   does not;
//! - the 30th of a month that has only 29 days this year falls on its 29th.
//!
//! Lunar years are those of the `tyme4rs` calendar ([`LUNAR_YEARS`]).

use chrono::{Datelike, NaiveDate};
use tyme4rs::tyme::lunar::{LunarDay, LunarMonth, LunarYear};
use tyme4rs::tyme::solar::SolarDay;

use super::holidays::LUNAR_YEARS;

/// A lunar month and day, and whether the month is the leap one (闰月).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LunarDate {
    pub month: u32,
    pub day: u32,
    pub leap: bool,
}

/// Chinese month names, 正月 … 腊月.
const MONTHS: [&str; 12] = [
    "正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月",
];
const DAY_TENS: [&str; 4] = ["初", "十", "廿", "三十"];
const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

impl LunarDate {
    /// A valid lunar month (1–12) and day (1–30).
    pub fn new(month: u32, day: u32, leap: bool) -> Option<LunarDate> {
        ((1..=12).contains(&month) && (1..=30).contains(&day)).then_some(LunarDate { month, day, leap })
    }

    /// "闰四月初八", "八月十五", "腊月三十".
    pub fn chinese(&self) -> String {
        let month = MONTHS[(self.month.clamp(1, 12) - 1) as usize];
        let day = match self.day {
            10 => "初十".to_string(),
            20 => "二十".to_string(),
            30 => "三十".to_string(),
            d => format!("{}{}", DAY_TENS[(d / 10) as usize], DIGITS[(d % 10) as usize]),
        };
        format!("{}{month}{day}", if self.leap { "闰" } else { "" })
    }

    /// The Gregorian date of this month and day in lunar year `year`, by
    /// the rules above; `None` outside the calendar's years.
    pub fn in_lunar_year(&self, year: i32) -> Option<NaiveDate> {
        if !LUNAR_YEARS.contains(&year) {
            return None;
        }
        let y = year as isize;
        let has_leap = LunarYear::new(y).ok()?.get_leap_month() == self.month as usize;
        let m = if self.leap && has_leap {
            -(self.month as isize)
        } else {
            self.month as isize
        };
        let days = LunarMonth::new(y, m).ok()?.get_day_count() as u32;
        let solar = LunarDay::new(y, m, self.day.min(days) as usize).ok()?.get_solar_day();
        NaiveDate::from_ymd_opt(
            i32::try_from(solar.get_year()).ok()?,
            u32::try_from(solar.get_month()).ok()?,
            u32::try_from(solar.get_day()).ok()?,
        )
    }

    /// The first day on or after `from` this birthday falls on.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        // A lunar year starts in late January or February: the occurrence
        // on or after `from` lies in the lunar year of `from` or the next.
        let ly = lunar_of(from)?.0;
        (ly..=ly + 1).filter_map(|y| self.in_lunar_year(y)).find(|d| *d >= from)
    }

    /// Age in whole lunar years on `date` of someone born in lunar year
    /// `born` on this month and day.
    pub fn age_on(&self, born: i32, date: NaiveDate) -> Option<u32> {
        let (ly, _) = lunar_of(date)?;
        let observed = self.in_lunar_year(ly)?;
        u32::try_from(i64::from(ly) - i64::from(born) - i64::from(date < observed)).ok()
    }
}

/// The lunar year and date of Gregorian `d`; `None` outside the calendar.
pub fn lunar_of(d: NaiveDate) -> Option<(i32, LunarDate)> {
    if !LUNAR_YEARS.contains(&d.year()) {
        return None;
    }
    let lunar = SolarDay::new(d.year() as isize, d.month() as usize, d.day() as usize)
        .ok()?
        .get_lunar_day();
    let month = lunar.get_lunar_month();
    let year = i32::try_from(month.get_year()).ok()?;
    Some((
        year,
        LunarDate {
            month: month.get_month() as u32,
            day: lunar.get_day() as u32,
            leap: month.is_leap(),
        },
    ))
}

/// Every lunar birthday that falls on Gregorian `d`: the day itself, a
/// leap-month birthday in a year without that leap month, and the 30th
/// when the month has only 29 days.
pub fn birthdays_on(d: NaiveDate) -> Vec<LunarDate> {
    static KNOWN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<NaiveDate, Vec<LunarDate>>>> =
        std::sync::OnceLock::new();
    super::memo::cached(&KNOWN, d, || lunar_birthdays_on(d))
}

fn lunar_birthdays_on(d: NaiveDate) -> Vec<LunarDate> {
    let Some((year, today)) = lunar_of(d) else {
        return Vec::new();
    };
    let mut out = vec![today];
    let y = year as isize;
    let leap_month = LunarYear::new(y).map(|l| l.get_leap_month()).unwrap_or(0);
    if !today.leap && leap_month != today.month as usize {
        out.push(LunarDate { leap: true, ..today });
    }
    let m = if today.leap {
        -(today.month as isize)
    } else {
        today.month as isize
    };
    let days = LunarMonth::new(y, m).map(|m| m.get_day_count() as u32).unwrap_or(30);
    if today.day == days && days == 29 {
        let more: Vec<LunarDate> = out.iter().map(|l| LunarDate { day: 30, ..*l }).collect();
        out.extend(more);
    }
    out
}

/// Chinese numerals for a lunar month or day: 八, 十五, 廿三, 初八, 正, 冬, 腊.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
    let s = s.trim_start_matches('初');
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['正'] => Some(1),
        ['冬'] => Some(11),
        ['腊'] | ['臘'] => Some(12),
        ['十'] => Some(10),
        ['廿'] => Some(20),
        ['卅'] => Some(30),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        ['廿', u] => Some(20 + digit(*u)?),
        ['卅', u] => Some(30 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// What a lunar birthday entry says: the date and, if given, the lunar
/// year of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarEntry {
    pub date: LunarDate,
    pub year: Option<i32>,
}

/// Why an entry marked lunar was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LunarError {
    Unrecognised,
    NoSuchDate,
}

/// `Some` when `s` is marked lunar (`农历…`, `阴历…`, `lunar …`), with
/// what it says: `农历八月十五`, `农历闰四月初八`, `农历 8-15`,
/// `lunar 8-15`, `lunar 1985-8-15`, `农历1985年八月十五`, `lunar leap 4-8`.
pub fn parse_entry(s: &str) -> Option<Result<LunarEntry, LunarError>> {
    let t = s.trim();
    let lower = t.to_lowercase();
    let rest = ["农历", "阴历", "農曆", "lunar"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?
        .trim()
        .to_string();
    Some(parse_rest(&rest))
}

fn parse_rest(rest: &str) -> Result<LunarEntry, LunarError> {
    let mut r = rest.trim().trim_start_matches(':').trim().to_string();
    let mut leap = false;
    for p in ["leap", "闰", "閏"] {
        if let Some(x) = r.strip_prefix(p) {
            leap = true;
            r = x.trim().to_string();
        }
    }
    // A year in front: "1985-8-15", "1985年八月十五".
    let mut year = None;
    let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 4 {
        year = digits.parse::<i32>().ok();
        r = r[4..].trim_start_matches(['-', '/', '.', '年', ' ']).to_string();
    }
    for p in ["leap", "闰", "閏"] {
        if let Some(x) = r.strip_prefix(p) {
            leap = true;
            r = x.trim().to_string();
        }
    }
    let (month, day) = if let Some((m, d)) = r.split_once(['-', '/', '.']) {
        let m = m.trim().parse::<u32>().map_err(|_| LunarError::Unrecognised)?;
        let d = d.trim().parse::<u32>().map_err(|_| LunarError::Unrecognised)?;
        (m, d)
    } else if let Some((m, d)) = r.split_once('月') {
        let m = m.trim().parse::<u32>().ok().or_else(|| chinese_number(m.trim()));
        let d = d.trim().trim_end_matches(['日', '号']);
        let d = d.parse::<u32>().ok().or_else(|| chinese_number(d));
        (m.ok_or(LunarError::Unrecognised)?, d.ok_or(LunarError::Unrecognised)?)
    } else {
        return Err(LunarError::Unrecognised);
    };
    let date = LunarDate::new(month, day, leap).ok_or(LunarError::NoSuchDate)?;
    if let Some(y) = year {
        if !LUNAR_YEARS.contains(&y) {
            return Err(LunarError::NoSuchDate);
        }
        // A leap month given with a year must exist in that year.
        if leap && LunarYear::new(y as isize).map(|l| l.get_leap_month()).unwrap_or(0) != month as usize {
            return Err(LunarError::NoSuchDate);
        }
    }
    Ok(LunarEntry { date, year })
}

#[cfg(test)]
mod tests;
