//! Complaint deadlines with a clock that pauses while the complaint waits.
//!
//! All times are `NaiveDateTime` in **UTC**: the arithmetic is plain
//! elapsed time (24 h is always 24 h, whatever the local calendar or a
//! daylight-saving change does). The caller converts to local time only for
//! display. Nothing here reads the clock: `now` is a parameter.

use chrono::{Duration, NaiveDateTime};

/// A paused interval: start and, once resumed, end. `None` = still paused.
/// `complaint::pauses` builds these from a timeline.
pub type Pause = (NaiveDateTime, Option<NaiveDateTime>);

/// A deadline on a clock that may be paused right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Due at this instant (UTC).
    At(NaiveDateTime),
    /// The clock is paused (an open pause began before the deadline): the
    /// due time is not known until it resumes; `remaining` (> 0) is frozen.
    Paused { remaining: Duration },
}

impl Deadline {
    /// The due time, unless the clock is paused.
    pub fn due(self) -> Option<NaiveDateTime> {
        match self {
            Deadline::At(due) => Some(due),
            Deadline::Paused { .. } => None,
        }
    }

    /// Time left; negative when overdue; frozen while paused.
    pub fn time_left(self, now: NaiveDateTime) -> Duration {
        match self {
            Deadline::At(due) => time_left(due, now),
            Deadline::Paused { remaining } => remaining,
        }
    }

    /// Overdue (shown in red on the agenda). Never while paused.
    pub fn is_overdue(self, now: NaiveDateTime) -> bool {
        match self {
            Deadline::At(due) => is_overdue(due, now),
            Deadline::Paused { .. } => false,
        }
    }

    /// Catalog key of the deadline's status at `now`.
    pub fn status_key(self, now: NaiveDateTime) -> &'static str {
        match self {
            Deadline::Paused { .. } => "complaint.deadline.paused",
            d if d.is_overdue(now) => "complaint.deadline.overdue",
            _ => "complaint.deadline.on_time",
        }
    }
}

/// The instant `span` of running clock after `start`, where the clock
/// stands still during `pauses` (in any order, possibly overlapping; parts
/// before `start` and empty intervals are ignored). A pause that begins at
/// or after the deadline does not move it.
pub fn deadline_after(start: NaiveDateTime, span: Duration, pauses: &[Pause]) -> Deadline {
    let mut sorted: Vec<Pause> = pauses
        .iter()
        .copied()
        .filter(|(s, e)| e.is_none_or(|e| e > *s))
        .collect();
    sorted.sort_by_key(|(s, _)| *s);
    // `cursor`: the latest instant the running clock has reached so far;
    // `remaining`: the running time still to go after `cursor`.
    let mut cursor = start;
    let mut remaining = span;
    for (pause_start, pause_end) in sorted {
        if pause_end.is_some_and(|e| e <= cursor) {
            continue; // entirely before the clock position: already counted
        }
        let pause_start = pause_start.max(cursor);
        let run = pause_start - cursor;
        if run >= remaining {
            break; // the deadline comes before this pause
        }
        remaining -= run;
        match pause_end {
            None => return Deadline::Paused { remaining },
            Some(end) => cursor = end,
        }
    }
    Deadline::At(cursor + remaining)
}

/// First response due: `hours` (default 24) after receipt, extended by the
/// time spent paused before the deadline.
pub fn first_response_due(received_at: NaiveDateTime, hours: i64, pauses: &[Pause]) -> Deadline {
    deadline_after(received_at, Duration::hours(hours), pauses)
}

/// `due - now`: positive while there is time left, negative when overdue.
pub fn time_left(due: NaiveDateTime, now: NaiveDateTime) -> Duration {
    due - now
}

/// True once `now` is past `due` (at exactly `due` it is not yet overdue).
pub fn is_overdue(due: NaiveDateTime, now: NaiveDateTime) -> bool {
    now > due
}

/// Every catalog key this module can return.
pub fn catalog_keys() -> Vec<&'static str> {
    vec![
        "complaint.deadline.on_time",
        "complaint.deadline.overdue",
        "complaint.deadline.paused",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn due(received: &str, pauses: &[Pause]) -> Deadline {
        first_response_due(t(received), 24, pauses)
    }

    #[test]
    fn deadline_across_midnight() {
        assert_eq!(due("2024-03-10 23:30", &[]), Deadline::At(t("2024-03-11 23:30")));
        let d = deadline_after(t("2024-03-10 20:00"), Duration::hours(6), &[]);
        assert_eq!(d, Deadline::At(t("2024-03-11 02:00")));
    }

    #[test]
    fn deadline_across_month_and_year_end() {
        assert_eq!(due("2024-01-31 15:00", &[]), Deadline::At(t("2024-02-01 15:00")));
        assert_eq!(due("2024-02-28 10:00", &[]), Deadline::At(t("2024-02-29 10:00")));
        assert_eq!(due("2023-02-28 10:00", &[]), Deadline::At(t("2023-03-01 10:00")));
        assert_eq!(due("2024-04-30 18:00", &[]), Deadline::At(t("2024-05-01 18:00")));
        assert_eq!(due("2024-12-31 23:59", &[]), Deadline::At(t("2025-01-01 23:59")));
    }

    #[test]
    fn a_pause_extends_the_deadline_by_its_length() {
        let p = [(t("2024-05-01 12:00"), Some(t("2024-05-01 18:00")))];
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-02 15:00")));
    }

    #[test]
    fn a_pause_across_month_end() {
        let p = [(t("2024-06-30 20:00"), Some(t("2024-07-01 08:00")))];
        assert_eq!(due("2024-06-30 10:00", &p), Deadline::At(t("2024-07-01 22:00")));
    }

    #[test]
    fn pauses_after_the_deadline_or_before_receipt_do_not_count() {
        let after = [(t("2024-05-02 09:00"), Some(t("2024-05-03 09:00")))];
        assert_eq!(due("2024-05-01 09:00", &after), Deadline::At(t("2024-05-02 09:00")));
        let later = [(t("2024-05-03 09:00"), None)];
        assert_eq!(due("2024-05-01 09:00", &later), Deadline::At(t("2024-05-02 09:00")));
        let before = [(t("2024-04-30 09:00"), Some(t("2024-05-01 09:00")))];
        assert_eq!(due("2024-05-01 09:00", &before), Deadline::At(t("2024-05-02 09:00")));
    }

    #[test]
    fn a_pause_straddling_receipt_counts_from_receipt() {
        let p = [(t("2024-05-01 08:00"), Some(t("2024-05-01 11:00")))];
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-02 11:00")));
    }

    #[test]
    fn overlapping_and_unsorted_pauses_count_once() {
        let p = [
            (t("2024-05-01 15:00"), Some(t("2024-05-01 20:00"))),
            (t("2024-05-01 10:00"), Some(t("2024-05-01 16:00"))),
            (t("2024-05-01 11:00"), Some(t("2024-05-01 12:00"))),
            (t("2024-05-01 13:00"), Some(t("2024-05-01 13:00"))), // empty
        ];
        // Paused 10:00–20:00 = 10 h.
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-02 19:00")));
    }

    #[test]
    fn an_extended_deadline_catches_a_later_pause() {
        // First pause: 5 h, moving the deadline to 14:00 the next day; the
        // second pause begins at 10:00, before the extended deadline.
        let p = [
            (t("2024-05-01 10:00"), Some(t("2024-05-01 15:00"))),
            (t("2024-05-02 10:00"), Some(t("2024-05-02 12:00"))),
        ];
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-02 16:00")));
    }

    #[test]
    fn a_pause_at_exactly_the_deadline_does_not_move_it() {
        let p = [(t("2024-05-02 09:00"), Some(t("2024-05-02 12:00")))];
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-02 09:00")));
    }

    #[test]
    fn an_open_pause_freezes_the_remaining_time() {
        let p = [(t("2024-05-01 12:00"), None)];
        let d = due("2024-05-01 09:00", &p);
        assert_eq!(
            d,
            Deadline::Paused {
                remaining: Duration::hours(21)
            }
        );
        assert_eq!(d.due(), None);
        let much_later = t("2024-06-01 00:00");
        assert_eq!(d.time_left(much_later), Duration::hours(21));
        assert!(!d.is_overdue(much_later));
        assert_eq!(d.status_key(much_later), "complaint.deadline.paused");
    }

    #[test]
    fn resuming_restarts_the_clock_where_it_stopped() {
        let p = [(t("2024-05-01 12:00"), Some(t("2024-05-03 12:00")))];
        // 3 h ran before the pause, 21 h remain after resuming.
        assert_eq!(due("2024-05-01 09:00", &p), Deadline::At(t("2024-05-04 09:00")));
    }

    #[test]
    fn time_left_and_overdue() {
        let d = t("2024-05-02 09:00");
        assert_eq!(time_left(d, t("2024-05-01 21:30")), Duration::minutes(11 * 60 + 30));
        assert_eq!(time_left(d, t("2024-05-02 10:00")), Duration::hours(-1));
        assert!(!is_overdue(d, t("2024-05-02 08:59")));
        assert!(!is_overdue(d, d));
        assert!(is_overdue(d, t("2024-05-02 09:01")));
        let deadline = Deadline::At(d);
        assert_eq!(deadline.due(), Some(d));
        assert_eq!(deadline.time_left(t("2024-05-02 08:00")), Duration::hours(1));
        assert_eq!(deadline.status_key(d), "complaint.deadline.on_time");
        assert_eq!(deadline.status_key(t("2024-05-03 00:00")), "complaint.deadline.overdue");
    }

    #[test]
    fn default_hours_is_24() {
        let received = NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let hours = super::super::DEFAULT_FIRST_RESPONSE_HOURS;
        let d = first_response_due(received, hours, &[]);
        assert_eq!(d, Deadline::At(t("2024-01-02 00:00")));
    }
}
