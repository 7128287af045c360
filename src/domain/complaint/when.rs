//! Times typed into complaint forms: a date as `dates::parse_date_entry`
//! accepts it (2026-12-01, 12-01, +3d, tomorrow, 明天, 下周一 …), optionally
//! followed by a time (`14:30`), or a time alone (today), or `now`/`现在`.
//! Everything here is wall-clock (local) time.

use chrono::{NaiveDateTime, NaiveTime, Timelike};

use crate::domain::dates::{self, DateEntryError};

/// Why a typed time was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// The date part was not understood (its message has examples).
    Date(DateEntryError),
    /// `25:00`, `9:75`.
    BadTime(String),
}

impl WhenError {
    /// Catalog key of the message for a bad time (`{time}` is the entry);
    /// a bad date carries its own message (`DateEntryError::message`).
    pub const BAD_TIME_KEY: &'static str = "complaint.error.bad_time";
}

/// The trailing `H:MM` / `HH:MM` of an entry (full-width colon allowed),
/// and the rest before it.
fn split_time(s: &str) -> (&str, Option<&str>) {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ':' || *c == '：')
        .last()
        .map(|(i, _)| i);
    match start {
        Some(i) if s[i..].contains([':', '：']) => (s[..i].trim(), Some(&s[i..])),
        _ => (s, None),
    }
}

fn parse_time(s: &str) -> Result<NaiveTime, WhenError> {
    let ascii = s.replace('：', ":");
    NaiveTime::parse_from_str(&ascii, "%H:%M").map_err(|_| WhenError::BadTime(s.to_string()))
}

/// `at` to the minute, as times are typed and shown: `now` typed for one
/// step and the next step's time shown as `HH:MM` in the same minute are
/// the same time, not one before the other.
pub fn to_minute(at: NaiveDateTime) -> NaiveDateTime {
    at.date()
        .and_time(NaiveTime::from_hms_opt(at.hour(), at.minute(), 0).unwrap_or(at.time()))
}

/// Parses a typed time relative to `now` (local), to the minute. A date
/// without a time takes `default_time`.
pub fn parse_when(input: &str, now: NaiveDateTime, default_time: NaiveTime) -> Result<NaiveDateTime, WhenError> {
    let s = input.trim();
    if matches!(s.to_lowercase().as_str(), "now" | "现在") {
        return Ok(to_minute(now));
    }
    let (date_part, time_part) = split_time(s);
    let time = match time_part {
        Some(t) => parse_time(t)?,
        None => default_time,
    };
    let date = if date_part.is_empty() && time_part.is_some() {
        now.date()
    } else {
        dates::parse_date_entry(date_part, now.date()).map_err(WhenError::Date)?
    };
    Ok(date.and_time(time))
}

/// How a time is shown in forms and lists (24-hour clock).
pub const SHOWN: &str = "%Y-%m-%d %H:%M";

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, SHOWN).unwrap()
    }

    fn noon() -> NaiveTime {
        NaiveTime::from_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn now_is_read_to_the_minute_like_a_time_typed() {
        let now = NaiveDateTime::parse_from_str("2026-11-23 09:00:37", "%Y-%m-%d %H:%M:%S").unwrap();
        for typed in ["now", "现在", "NOW"] {
            assert_eq!(parse_when(typed, now, noon()), Ok(t("2026-11-23 09:00")), "{typed}");
        }
        // The next step shown as 09:00 is then not before it.
        assert_eq!(parse_when("09:00", now, noon()), parse_when("now", now, noon()));
    }

    #[test]
    fn accepted_shapes() {
        let now = t("2026-11-23 09:00"); // a Monday
        let cases = [
            ("2026-11-20 14:30", "2026-11-20 14:30"),
            ("2026-11-20", "2026-11-20 12:00"),
            ("  14:05 ", "2026-11-23 14:05"),
            ("8:15", "2026-11-23 08:15"),
            ("yesterday 17:45", "2026-11-22 17:45"),
            ("昨天17:45", "2026-11-22 17:45"),
            ("明天 10：00", "2026-11-24 10:00"),
            ("+3d", "2026-11-26 12:00"),
            ("下周一 9:30", "2026-11-30 09:30"),
            ("12-01", "2026-12-01 12:00"),
            ("now", "2026-11-23 09:00"),
            ("现在", "2026-11-23 09:00"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_when(input, now, noon()), Ok(t(want)), "{input}");
        }
    }

    #[test]
    fn refused_shapes_say_why() {
        let now = t("2026-11-23 09:00");
        for bad in ["", "soon", "2026-02-30 10:00"] {
            let e = parse_when(bad, now, noon()).unwrap_err();
            assert!(matches!(e, WhenError::Date(_)), "{bad}: {e:?}");
        }
        let e = parse_when("2026-11-20 25:00", now, noon()).unwrap_err();
        assert_eq!(e, WhenError::BadTime("25:00".into()));
    }
}
