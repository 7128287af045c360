//! Wall-clock (local) time ↔ UTC.
//!
//! Complaint times are stored and computed in UTC, so "24 hours" is always
//! 24 elapsed hours, whatever a daylight-saving change does to the wall
//! clock; people type and read local time. The conversions are generic over
//! chrono's `TimeZone`, so tests can use a fixed offset or a named zone, and
//! the app uses [`Zone`]: the system's zone, or a fixed offset.

use chrono::{Duration, FixedOffset, Local, LocalResult, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};

/// The zone wall-clock times are read and shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// The system's zone (`TZ`, `/etc/localtime`), with its daylight saving.
    #[default]
    Local,
    /// A fixed offset from UTC (tests, and places without daylight saving).
    Fixed(FixedOffset),
}

impl Zone {
    /// A fixed offset of `hours` east of UTC (`Zone::east(8)` is China).
    pub fn east(hours: i32) -> Zone {
        Zone::Fixed(FixedOffset::east_opt(hours * 3600).unwrap_or(Utc.fix()))
    }

    pub fn utc() -> Zone {
        Zone::east(0)
    }

    /// The UTC instant of a wall-clock time.
    pub fn to_utc(self, local: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Local => local_to_utc(&Local, local),
            Zone::Fixed(offset) => local_to_utc(&offset, local),
        }
    }

    /// The wall-clock time of a UTC instant.
    pub fn to_local(self, utc: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Local => utc_to_local(&Local, utc),
            Zone::Fixed(offset) => utc_to_local(&offset, utc),
        }
    }

    /// A UTC instant as RFC 3339 wall-clock time with its offset
    /// (`2026-11-23T09:00:00+08:00`), for JSON.
    pub fn rfc3339(self, utc: NaiveDateTime) -> String {
        match self {
            Zone::Local => Local.from_utc_datetime(&utc).to_rfc3339_opts(SecondsFormat::Secs, true),
            Zone::Fixed(offset) => offset
                .from_utc_datetime(&utc)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }
}

/// The UTC instant of wall-clock time `local` in `tz`. A time that occurs
/// twice (the hour repeated when clocks go back) is read as the first; a
/// time that does not exist (skipped when clocks go forward) is read with
/// the offset in force before the jump, so 02:30 on a night that jumps from
/// 02:00 to 03:00 is the instant the clock shows 03:30.
pub fn local_to_utc<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.naive_utc(),
        LocalResult::Ambiguous(first, _) => first.naive_utc(),
        LocalResult::None => {
            let before = local - Duration::hours(24);
            let offset = match tz.offset_from_local_datetime(&before) {
                LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => o.fix(),
                LocalResult::None => Utc.fix(),
            };
            local - Duration::seconds(i64::from(offset.local_minus_utc()))
        }
    }
}

/// The wall-clock time in `tz` of the UTC instant `utc`.
pub fn utc_to_local<Tz: TimeZone>(tz: &Tz, utc: NaiveDateTime) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn fixed_offsets_round_trip() {
        let z = Zone::east(8);
        assert_eq!(z.to_utc(t("2026-11-23 09:00")), t("2026-11-23 01:00"));
        assert_eq!(z.to_local(t("2026-11-23 01:00")), t("2026-11-23 09:00"));
        // Across midnight and a month end.
        assert_eq!(z.to_utc(t("2026-12-01 03:00")), t("2026-11-30 19:00"));
        assert_eq!(Zone::utc().to_utc(t("2026-11-23 09:00")), t("2026-11-23 09:00"));
        assert_eq!(z.rfc3339(t("2026-11-23 01:00")), "2026-11-23T09:00:00+08:00");
        let west = Zone::east(-5);
        assert_eq!(west.to_local(t("2027-01-01 02:00")), t("2026-12-31 21:00"));
    }

    #[test]
    fn the_system_zone_round_trips_outside_transitions() {
        let local = t("2026-07-15 12:00");
        assert_eq!(Zone::Local.to_local(Zone::Local.to_utc(local)), local);
    }

    #[test]
    fn a_skipped_hour_is_read_after_the_jump() {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
        let utc = local_to_utc(&New_York, t("2026-03-08 02:30"));
        assert_eq!(utc, t("2026-03-08 07:30"));
        assert_eq!(utc_to_local(&New_York, utc), t("2026-03-08 03:30"));
    }

    #[test]
    fn a_repeated_hour_is_read_as_the_first() {
        // New York, 2026-11-01: 02:00 EDT goes back to 01:00 EST.
        assert_eq!(local_to_utc(&New_York, t("2026-11-01 01:30")), t("2026-11-01 05:30"));
        assert_eq!(utc_to_local(&New_York, t("2026-11-01 06:30")), t("2026-11-01 01:30"));
    }

    #[test]
    fn twenty_four_hours_across_daylight_saving_changes_are_24_elapsed_hours() {
        use crate::domain::complaint::deadline::first_response_due;
        // Spring forward (Berlin, 2026-03-29 02:00 → 03:00): received 10:00
        // the day before, due 11:00 wall-clock time the next day.
        let received = local_to_utc(&Berlin, t("2026-03-28 10:00"));
        let due = first_response_due(received, 24, &[]).due().unwrap();
        assert_eq!(utc_to_local(&Berlin, due), t("2026-03-29 11:00"));
        // Fall back (Berlin, 2026-10-25 03:00 → 02:00): due 09:00.
        let received = local_to_utc(&Berlin, t("2026-10-24 10:00"));
        let due = first_response_due(received, 24, &[]).due().unwrap();
        assert_eq!(utc_to_local(&Berlin, due), t("2026-10-25 09:00"));
        assert_eq!(due - received, Duration::hours(24));
    }
}
