//! How days and timestamps are written in the database and read back: a
//! leaf module every other module of the storage may use.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

pub(crate) const TS: &str = "%Y-%m-%d %H:%M:%S";
pub(crate) const DAY: &str = "%Y-%m-%d";

pub fn ts(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    let d = t.date();
    if (0..=9999).contains(&d.year()) {
        let mut s = String::with_capacity(19);
        put_day(&mut s, d);
        for (sep, n) in [(' ', t.hour()), (':', t.minute()), (':', t.second())] {
            s.push(sep);
            put_digits(&mut s, n, 2);
        }
        return s;
    }
    t.format(TS).to_string()
}

/// A day as stored (`DAY`), written directly (bulk writes format two per
/// customer; chrono's formatter reads its pattern each time, and `format!`
/// its padding).
pub(crate) fn day_str(d: NaiveDate) -> String {
    if (0..=9999).contains(&d.year()) {
        let mut s = String::with_capacity(10);
        put_day(&mut s, d);
        return s;
    }
    d.format(DAY).to_string()
}

/// `YYYY-MM-DD` of a day of years 0 to 9999.
fn put_day(s: &mut String, d: NaiveDate) {
    put_digits(s, d.year() as u32, 4);
    s.push('-');
    put_digits(s, d.month(), 2);
    s.push('-');
    put_digits(s, d.day(), 2);
}

/// The last `width` decimal digits of `n`, zero-padded.
fn put_digits(s: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

/// Reads a timestamp as stored (`TS`). Stored values are canonical, so
/// they are read by position; anything else goes through chrono's parser.
pub(crate) fn parse_ts(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() == 19 && b[10] == b' ' && b[13] == b':' && b[16] == b':' {
        let (h, m, sec) = (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19]));
        if let (Some(d), Some(h), Some(m), Some(sec)) = (parse_day(&s[..10]), h, m, sec)
            && let Some(t) = d.and_hms_opt(h, m, sec)
        {
            return Some(t);
        }
    }
    NaiveDateTime::parse_from_str(s, TS).ok()
}

/// Reads a day as stored (`DAY`), by position when canonical.
pub(crate) fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..10]))
        && let Some(day) = NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Some(day);
    }
    NaiveDate::parse_from_str(s, DAY).ok()
}

/// The value of a run of ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    proptest::proptest! {
        /// Writing directly gives exactly what chrono's formatter gives.
        #[test]
        fn stored_dates_write_as_chrono_writes_them(days in -800_000i64..3_000_000, secs in 0u32..86_400) {
            let d = NaiveDate::from_num_days_from_ce_opt(days as i32).unwrap();
            let t = d.and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60).unwrap();
            proptest::prop_assert_eq!(day_str(d), d.format(DAY).to_string());
            proptest::prop_assert_eq!(ts(t), t.format(TS).to_string());
        }

        /// Reading by position gives exactly what chrono's parser gives.
        #[test]
        fn stored_dates_read_as_chrono_reads_them(
            y in "[0-9+-]{4}", mo in "[0-9]{2}", d in "[0-9 ]{2}",
            h in "[0-9]{2}", mi in "[0-9]{2}", s in "[0-9]{2}",
        ) {
            let day = format!("{y}-{mo}-{d}");
            proptest::prop_assert_eq!(parse_day(&day), NaiveDate::parse_from_str(&day, DAY).ok());
            let t = format!("{day} {h}:{mi}:{s}");
            proptest::prop_assert_eq!(parse_ts(&t), NaiveDateTime::parse_from_str(&t, TS).ok());
        }
    }

    #[test]
    fn canonical_values_round_trip() {
        let t = NaiveDate::from_ymd_opt(2028, 2, 29)
            .unwrap()
            .and_hms_opt(23, 59, 7)
            .unwrap();
        assert_eq!(parse_ts(&ts(t)), Some(t));
        assert_eq!(parse_day("2028-02-29"), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(parse_day("2027-02-29"), None);
        assert_eq!(parse_ts("2026-11-23 24:00:00"), None);
    }
}
