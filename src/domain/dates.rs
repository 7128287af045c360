//! Natural date entry (English and Chinese) and birthdays.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::fmt;

use super::lunar::{self, LunarDate, LunarError};
use crate::i18n::{Lang, t, tf};

/// Which kind of entry failed, so the message can show fitting examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    /// A follow-up / agenda date.
    Date,
    /// A contact's birthday.
    Birthday,
    /// A day every year (`12-01`) or once (`2026-12-01`, `next mon`): a
    /// business event.
    Yearly,
}

/// Why a typed date was rejected. `input` is the trimmed entry, shortened
/// and with control characters replaced, safe to echo in the UI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateEntryError {
    #[error("{}", self.message(false))]
    Empty { field: DateField },
    #[error("{}", self.message(false))]
    Unrecognised { field: DateField, input: String },
    /// The shape was understood but the date does not exist (2026-02-30, 13-01).
    #[error("{}", self.message(false))]
    NoSuchDate { field: DateField, input: String },
    /// The date would fall outside the supported calendar range.
    #[error("{}", self.message(false))]
    OutOfRange { field: DateField, input: String },
    /// A day that cannot be ahead of today (a birthday with its year).
    #[error("{}", self.message(false))]
    InFuture { field: DateField, input: String },
}

impl DateEntryError {
    /// The field this error is about.
    pub fn field(&self) -> DateField {
        match self {
            Self::Empty { field }
            | Self::Unrecognised { field, .. }
            | Self::NoSuchDate { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::InFuture { field, .. } => *field,
        }
    }

    /// The (sanitised) input that was rejected; empty for `Empty`.
    pub fn input(&self) -> &str {
        match self {
            Self::Empty { .. } => "",
            Self::Unrecognised { input, .. }
            | Self::NoSuchDate { input, .. }
            | Self::OutOfRange { input, .. }
            | Self::InFuture { input, .. } => input,
        }
    }

    /// User-facing message in Chinese (`zh`) or English, with working
    /// examples; the words are the catalog's (`date.error.*`).
    pub fn message(&self, zh: bool) -> String {
        let lang = if zh { Lang::Zh } else { Lang::En };
        let field = match self.field() {
            DateField::Date => "date",
            DateField::Birthday => "birthday",
            DateField::Yearly => "yearly",
        };
        let head = match self {
            Self::Empty { .. } => format!("date.error.empty.{field}"),
            Self::Unrecognised { .. } => format!("date.error.unrecognised.{field}"),
            Self::NoSuchDate { .. } => "date.error.no_such_date".to_string(),
            Self::OutOfRange { .. } => "date.error.out_of_range".to_string(),
            Self::InFuture { .. } => "date.error.in_future".to_string(),
        };
        let head = tf(lang, &head, &[("input", &self.input())]);
        head + t(lang, &format!("date.examples.{field}"))
    }

    fn new(kind: Kind, field: DateField, raw: &str) -> Self {
        let input = sanitise(raw);
        match kind {
            Kind::Unrecognised => Self::Unrecognised { field, input },
            Kind::NoSuchDate => Self::NoSuchDate { field, input },
            Kind::OutOfRange => Self::OutOfRange { field, input },
            Kind::InFuture => Self::InFuture { field, input },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unrecognised,
    NoSuchDate,
    OutOfRange,
    InFuture,
}

const MAX_ECHO_CHARS: usize = 40;

fn sanitise(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .take(MAX_ECHO_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if raw.chars().nth(MAX_ECHO_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Lower-case, full-width to ASCII (IME input), all whitespace removed.
fn normalise(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// ASCII digits only, `min..=max` of them.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Adds calendar months, clamping to the month end (Jan 31 + 1 = Feb 28/29).
/// Saturates at `NaiveDate::MAX`.
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` of `year` (0 for an invalid month).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A date shape found in the text, before it is resolved against `today`.
enum Shape {
    Full(u32, u32, u32),
    MonthDay(u32, u32),
}

/// `2026-12-01`, `2026/12/01`, `12-01`, `12/01` (one separator kind).
fn numeric_shape(s: &str) -> Option<Shape> {
    let sep = if s.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = s.split(sep).collect();
    match parts.as_slice() {
        [y, m, d] => Some(Shape::Full(digits(y, 4, 4)?, digits(m, 1, 2)?, digits(d, 1, 2)?)),
        [m, d] => Some(Shape::MonthDay(digits(m, 1, 2)?, digits(d, 1, 2)?)),
        _ => None,
    }
}

/// `2026年12月1日`, `12月1日` (`号` or nothing instead of `日` also accepted).
fn chinese_shape(s: &str) -> Option<Shape> {
    let (year, rest) = match s.split_once('年') {
        Some((y, rest)) => (Some(digits(y, 4, 4)?), rest),
        None => (None, s),
    };
    let (m, d) = rest.split_once('月')?;
    let d = d.strip_suffix('日').or_else(|| d.strip_suffix('号')).unwrap_or(d);
    let (m, d) = (digits(m, 1, 2)?, digits(d, 1, 2)?);
    Some(match year {
        Some(y) => Shape::Full(y, m, d),
        None => Shape::MonthDay(m, d),
    })
}

fn resolve_shape(shape: Shape, today: NaiveDate) -> Result<NaiveDate, Kind> {
    match shape {
        Shape::Full(y, m, d) => {
            let y = i32::try_from(y).map_err(|_| Kind::OutOfRange)?;
            NaiveDate::from_ymd_opt(y, m, d).ok_or(Kind::NoSuchDate)
        }
        Shape::MonthDay(m, d) => {
            let year = if (m, d) < (today.month(), today.day()) {
                today.year() + 1
            } else {
                today.year()
            };
            if NaiveDate::from_ymd_opt(year, 1, 1).is_none() {
                return Err(Kind::OutOfRange);
            }
            NaiveDate::from_ymd_opt(year, m, d).ok_or(Kind::NoSuchDate)
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
}

fn add_offset(today: NaiveDate, n: u32, unit: Unit) -> Result<NaiveDate, Kind> {
    let r = match unit {
        Unit::Day => today.checked_add_days(Days::new(n.into())),
        Unit::Week => today.checked_add_days(Days::new(u64::from(n) * 7)),
        Unit::Month => today.checked_add_months(Months::new(n)),
    };
    r.ok_or(Kind::OutOfRange)
}

fn sub_offset(today: NaiveDate, n: u32, unit: Unit) -> Result<NaiveDate, Kind> {
    let r = match unit {
        Unit::Day => today.checked_sub_days(Days::new(n.into())),
        Unit::Week => today.checked_sub_days(Days::new(u64::from(n) * 7)),
        Unit::Month => today.checked_sub_months(Months::new(n)),
    };
    r.ok_or(Kind::OutOfRange)
}

/// `-3d`, `-2w`, `-1m`, `-3` (days), and, spaces taken out, `3daysago`,
/// `1dayago`, `2weeksago`, `1monthago`, `3dago`.
fn minus_offset(s: &str) -> Option<(u32, Unit)> {
    if let Some(rest) = s.strip_prefix('-') {
        return plus_offset(&format!("+{rest}"));
    }
    let rest = s.strip_suffix("ago")?;
    const UNITS: [(&str, Unit); 8] = [
        ("days", Unit::Day),
        ("day", Unit::Day),
        ("d", Unit::Day),
        ("weeks", Unit::Week),
        ("week", Unit::Week),
        ("w", Unit::Week),
        ("months", Unit::Month),
        ("month", Unit::Month),
    ];
    count_of(rest, &UNITS)
}

/// A count of one of `units` (`3` then `天`, `3` then `days`): `rest` ends
/// with the unit's word and the rest of it is the count.
fn count_of(rest: &str, units: &[(&str, Unit)]) -> Option<(u32, Unit)> {
    units.iter().find_map(|&(suffix, unit)| {
        rest.strip_suffix(suffix)
            .and_then(|num| digits(num, 1, 6))
            .map(|n| (n, unit))
    })
}

/// `+3d`, `+2w`, `+1m`, `+3` (days).
fn plus_offset(s: &str) -> Option<(u32, Unit)> {
    let rest = s.strip_prefix('+')?;
    let (num, unit) = match rest.char_indices().last()? {
        (i, 'd') => (&rest[..i], Unit::Day),
        (i, 'w') => (&rest[..i], Unit::Week),
        (i, 'm') => (&rest[..i], Unit::Month),
        _ => (rest, Unit::Day),
    };
    Some((digits(num, 1, 6)?, unit))
}

/// `3天后`, `3日后`, `2周后`, `2星期后`, `2个星期后`, `1个月后`; with `前`
/// instead of `后` (`3天前`), as many before.
fn chinese_offset(s: &str, after: char) -> Option<(u32, Unit)> {
    let rest = s.strip_suffix(after)?;
    const UNITS: [(&str, Unit); 6] = [
        ("天", Unit::Day),
        ("日", Unit::Day),
        ("个星期", Unit::Week),
        ("星期", Unit::Week),
        ("周", Unit::Week),
        ("个月", Unit::Month),
    ];
    count_of(rest, &UNITS)
}

fn english_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `一`..`六`, `日`/`天` (also `1`..`7`).
fn chinese_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "一" | "1" => Weekday::Mon,
        "二" | "2" => Weekday::Tue,
        "三" | "3" => Weekday::Wed,
        "四" | "4" => Weekday::Thu,
        "五" | "5" => Weekday::Fri,
        "六" | "6" => Weekday::Sat,
        "日" | "天" | "7" => Weekday::Sun,
        _ => return None,
    })
}

/// Strips `周`, `星期` or `礼拜` and reads the weekday after it.
fn chinese_week_prefixed(s: &str) -> Option<Weekday> {
    ["周", "星期", "礼拜"]
        .iter()
        .find_map(|p| s.strip_prefix(p).and_then(chinese_weekday))
}

/// Next `wd` strictly after `today` (1..=7 days ahead).
fn next_weekday(today: NaiveDate, wd: Weekday) -> Result<NaiveDate, Kind> {
    let ahead = (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today.checked_add_days(Days::new(ahead.into())).ok_or(Kind::OutOfRange)
}

/// `wd` in the calendar week (Monday start) after the one containing `today`.
fn weekday_of_next_week(today: NaiveDate, wd: Weekday) -> Result<NaiveDate, Kind> {
    let ahead = 7 - today.weekday().num_days_from_monday() + wd.num_days_from_monday();
    today.checked_add_days(Days::new(ahead.into())).ok_or(Kind::OutOfRange)
}

fn parse_entry(s: &str, today: NaiveDate) -> Result<NaiveDate, Kind> {
    let plus = |n: u64| today.checked_add_days(Days::new(n)).ok_or(Kind::OutOfRange);
    match s {
        "today" | "今天" => return Ok(today),
        "tomorrow" | "明天" => return plus(1),
        "后天" => return plus(2),
        "yesterday" | "昨天" => return today.pred_opt().ok_or(Kind::OutOfRange),
        _ => {}
    }
    if let Some(wd) = english_weekday(s.strip_prefix("next").unwrap_or(s)) {
        return next_weekday(today, wd);
    }
    if let Some(wd) = s.strip_prefix('下').and_then(chinese_week_prefixed) {
        return weekday_of_next_week(today, wd);
    }
    if let Some(wd) = chinese_week_prefixed(s) {
        return next_weekday(today, wd);
    }
    if let Some((n, unit)) = plus_offset(s).or_else(|| chinese_offset(s, '后')) {
        return add_offset(today, n, unit);
    }
    if let Some((n, unit)) = minus_offset(s).or_else(|| chinese_offset(s, '前')) {
        return sub_offset(today, n, unit);
    }
    if let Some(shape) = numeric_shape(s).or_else(|| chinese_shape(s)) {
        return resolve_shape(shape, today);
    }
    Err(Kind::Unrecognised)
}

/// Parses a follow-up date typed by a rep (trimmed, case-insensitive,
/// whitespace and full-width IME characters tolerated).
///
/// Accepted: `2026-12-01`, `2026/12/01`, `2026年12月1日`; `12-01`, `12/01`,
/// `12月1日` (this year, or next year if that day is already past today;
/// today itself counts as this year; `02-29` landing on a common year is
/// `NoSuchDate`); `+3d`, `+2w`, `+1m` (month-end clamped), `+3` (days),
/// `3天后`, `2周后`, `1个月后`; `-3d`, `3 days ago`, `3天前`, `2周前`,
/// `1个月前`; `today`/`今天`, `tomorrow`/`明天`, `后天`,
/// `yesterday`/`昨天`; `mon`, `monday`, `next mon`, `周一`, `星期一` (the next
/// such day strictly after today); `下周一`..`下周日`/`下周天` (that weekday in
/// the next Monday-start calendar week).
pub fn parse_date_entry(input: &str, today: NaiveDate) -> Result<NaiveDate, DateEntryError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(DateEntryError::Empty { field: DateField::Date });
    }
    parse_entry(&normalise(trimmed), today).map_err(|k| DateEntryError::new(k, DateField::Date, trimmed))
}

/// A birthday, with or without the birth year, by the Gregorian or the
/// lunar calendar (农历生日; then month, day and year are lunar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Birthday {
    pub month: u32,
    pub day: u32,
    pub year: Option<i32>,
    pub calendar: Calendar,
}

/// Which calendar a birthday is kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Calendar {
    #[default]
    Gregorian,
    /// Lunar; `leap` for a birthday in a leap month (闰月).
    Lunar { leap: bool },
}

impl Calendar {
    /// How the calendar is stored: 0 Gregorian, 1 lunar, 2 lunar leap month.
    pub fn code(self) -> i64 {
        match self {
            Calendar::Gregorian => 0,
            Calendar::Lunar { leap: false } => 1,
            Calendar::Lunar { leap: true } => 2,
        }
    }

    pub fn from_code(code: i64) -> Calendar {
        match code {
            1 => Calendar::Lunar { leap: false },
            2 => Calendar::Lunar { leap: true },
            _ => Calendar::Gregorian,
        }
    }
}

impl Birthday {
    /// A Gregorian birthday.
    pub fn gregorian(month: u32, day: u32, year: Option<i32>) -> Birthday {
        Birthday {
            month,
            day,
            year,
            calendar: Calendar::Gregorian,
        }
    }

    /// The lunar month and day of a lunar birthday.
    pub fn lunar(&self) -> Option<LunarDate> {
        match self.calendar {
            Calendar::Lunar { leap } => LunarDate::new(self.month, self.day, leap),
            Calendar::Gregorian => None,
        }
    }

    /// The day the birthday is observed in `year`: Feb 29 falls on Feb 28 in
    /// common years. Out-of-range fields are clamped. `None` only if `year`
    /// is outside chrono's range.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        let month = self.month.clamp(1, 12);
        let day = self.day.clamp(1, days_in_month(year, month));
        NaiveDate::from_ymd_opt(year, month, day)
    }
}

impl fmt::Display for Birthday {
    /// `1985-03-12`, or `03-12` without a year; a lunar one as the Chinese
    /// calendar writes it, `农历1985年八月十五` or `农历闰四月初八`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.lunar() {
            return match self.year {
                Some(y) => write!(f, "农历{y}年{}", l.chinese()),
                None => write!(f, "农历{}", l.chinese()),
            };
        }
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "{:02}-{:02}", self.month, self.day),
        }
    }
}

/// Parses `1985-03-12`, `1985/3/12`, `03-12`, `3-12`, `1985年3月12日`, `3月12日`.
/// Feb 29 without a year is allowed; with a year it must be a leap year.
pub fn parse_birthday(s: &str) -> Result<Birthday, DateEntryError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(DateEntryError::Empty {
            field: DateField::Birthday,
        });
    }
    let err = |k| DateEntryError::new(k, DateField::Birthday, trimmed);
    if let Some(lunar) = lunar::parse_entry(trimmed) {
        return match lunar {
            Ok(e) => Ok(Birthday {
                month: e.date.month,
                day: e.date.day,
                year: e.year,
                calendar: Calendar::Lunar { leap: e.date.leap },
            }),
            Err(LunarError::Unrecognised) => Err(err(Kind::Unrecognised)),
            Err(LunarError::NoSuchDate) => Err(err(Kind::NoSuchDate)),
        };
    }
    let norm = normalise(trimmed);
    let (month, day, year) = match numeric_shape(&norm).or_else(|| chinese_shape(&norm)) {
        Some(Shape::Full(y, m, d)) => (m, d, Some(i32::try_from(y).map_err(|_| err(Kind::OutOfRange))?)),
        Some(Shape::MonthDay(m, d)) => (m, d, None),
        None => return Err(err(Kind::Unrecognised)),
    };
    // Year 2000 is a leap year, so Feb 29 is allowed without a year.
    if day == 0 || day > days_in_month(year.unwrap_or(2000), month) {
        return Err(err(Kind::NoSuchDate));
    }
    Ok(Birthday::gregorian(month, day, year))
}

/// A day that recurs or happens once (a business event): `12-01` or
/// `12月1日` every year; a full date (`2026-12-01`) or any word a date
/// field takes (`today`, `next mon`, `+3d`, `下周一`) once, that year.
/// Gregorian only.
pub fn parse_yearly(s: &str, today: NaiveDate) -> Result<Birthday, DateEntryError> {
    let trimmed = s.trim();
    let err = |k| DateEntryError::new(k, DateField::Yearly, trimmed);
    if trimmed.is_empty() {
        return Err(DateEntryError::Empty {
            field: DateField::Yearly,
        });
    }
    if lunar::parse_entry(trimmed).is_some() {
        return Err(err(Kind::Unrecognised));
    }
    let norm = normalise(trimmed);
    match parse_birthday(trimmed) {
        Ok(b) => Ok(b),
        Err(DateEntryError::Unrecognised { .. }) => match parse_entry(&norm, today) {
            Ok(d) => Ok(Birthday::gregorian(d.month(), d.day(), Some(d.year()))),
            Err(k) => Err(err(k)),
        },
        Err(DateEntryError::NoSuchDate { .. }) => Err(err(Kind::NoSuchDate)),
        Err(DateEntryError::OutOfRange { .. }) => Err(err(Kind::OutOfRange)),
        Err(DateEntryError::InFuture { .. }) => Err(err(Kind::InFuture)),
        Err(DateEntryError::Empty { .. }) => Err(DateEntryError::Empty {
            field: DateField::Yearly,
        }),
    }
}

/// A birthday as typed: every form [`parse_birthday`] reads (lunar too),
/// or any word a date field takes (`today`, `昨天`, `2026-12-01`), which
/// gives the day with its year.
pub fn parse_birthday_entry(s: &str, today: NaiveDate) -> Result<Birthday, DateEntryError> {
    let b = match parse_birthday(s) {
        Err(e @ DateEntryError::Unrecognised { .. }) => match parse_entry(&normalise(s.trim()), today) {
            Ok(d) => Birthday::gregorian(d.month(), d.day(), Some(d.year())),
            Err(_) => return Err(e),
        },
        other => other?,
    };
    // Nobody is born after today (a lunar date counts by its year alone).
    let born = b.year.map(|y| match b.lunar() {
        Some(_) => (y, 0, 0),
        None => (y, b.month, b.day),
    });
    if born.is_some_and(|born| born > (today.year(), today.month(), today.day())) {
        return Err(DateEntryError::new(Kind::InFuture, DateField::Birthday, s.trim()));
    }
    Ok(b)
}

/// The next day the birthday is observed, on or after `today`.
pub fn next_birthday(b: &Birthday, today: NaiveDate) -> NaiveDate {
    if let Some(l) = b.lunar() {
        return l.next_on_or_after(today).unwrap_or(today);
    }
    match b.in_year(today.year()) {
        Some(d) if d >= today => d,
        _ => b.in_year(today.year() + 1).unwrap_or(today),
    }
}

/// Days from `today` to [`next_birthday`] (0 on the day).
pub fn days_until_birthday(b: &Birthday, today: NaiveDate) -> i64 {
    (next_birthday(b, today) - today).num_days()
}

/// Age in whole years on `date`; `None` without a birth year or before birth.
/// A Feb 29 birthday turns a year older on Feb 28 in common years.
pub fn age_on(b: &Birthday, date: NaiveDate) -> Option<u32> {
    let born = b.year?;
    if let Some(l) = b.lunar() {
        return l.age_on(born, date);
    }
    let observed = b.in_year(date.year())?;
    let age = i64::from(date.year()) - i64::from(born) - i64::from(date < observed);
    u32::try_from(age).ok()
}

#[cfg(test)]
mod tests;
