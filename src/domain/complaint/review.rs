//! Complaint review statistics (DOMAIN §5: "review causes afterwards,
//! counts by category"). Times are `NaiveDateTime` in UTC; durations are
//! plain elapsed time (pauses are not subtracted).

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Category, State};

/// The close target used for [`Review::closed_within_24h`].
pub const CLOSE_TARGET_HOURS: i64 = 24;

/// What storage provides per complaint (see `complaint::first_response_at`
/// and `complaint::closed_at` to derive the times from a timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewInput {
    pub category: Category,
    pub state: State,
    pub received_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    /// Used only when `state` is closed.
    pub closed_at: Option<NaiveDateTime>,
}

/// How a complaint ended (so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Open or waiting.
    InProgress,
    Resolved,
    NotValid,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::InProgress, Outcome::Resolved, Outcome::NotValid];

    pub fn of(state: State) -> Self {
        match state {
            State::Open(_) | State::Waiting { .. } => Outcome::InProgress,
            State::ClosedResolved { .. } => Outcome::Resolved,
            State::ClosedNotValid => Outcome::NotValid,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::InProgress => "in_progress",
            Outcome::Resolved => "resolved",
            Outcome::NotValid => "not_valid",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Outcome::InProgress => "complaint.outcome.in_progress",
            Outcome::Resolved => "complaint.outcome.resolved",
            Outcome::NotValid => "complaint.outcome.not_valid",
        }
    }
}

/// Statistics over the complaints received in `from..=to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// `now - days`.
    pub from: NaiveDateTime,
    /// `now`.
    pub to: NaiveDateTime,
    /// Complaints received in the window.
    pub total: usize,
    /// Every category in `Category::ALL` order, zeros included.
    pub by_category: Vec<(Category, usize)>,
    /// Every outcome in `Outcome::ALL` order, zeros included.
    pub by_outcome: Vec<(Outcome, usize)>,
    /// Median receipt → first response, over those responded to.
    pub median_first_response: Option<Duration>,
    /// Median receipt → close (resolved or not valid), over those closed.
    pub median_to_close: Option<Duration>,
    /// Share (0.0–1.0) closed within 24 h of receipt, over the complaints
    /// whose 24 h are decided: closed ones, and open ones received at least
    /// 24 h before `now` (an open complaint younger than that may still make
    /// it, so it is left out). `None` when there are none.
    pub closed_within_24h: Option<f64>,
    /// Mean satisfaction (1–5) of the resolved complaints.
    pub average_satisfaction: Option<f64>,
}

impl Review {
    pub fn count_category(&self, category: Category) -> usize {
        self.by_category
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(0, |(_, n)| *n)
    }

    pub fn count_outcome(&self, outcome: Outcome) -> usize {
        self.by_outcome
            .iter()
            .find(|(o, _)| *o == outcome)
            .map_or(0, |(_, n)| *n)
    }
}

/// The median; for an even count, the mean of the two middle values.
pub fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// Elapsed time from receipt to a later instant; `None` for inconsistent
/// data (before receipt).
fn since_receipt(c: &ReviewInput, at: Option<NaiveDateTime>) -> Option<Duration> {
    at.map(|at| at - c.received_at).filter(|d| *d >= Duration::zero())
}

fn close_time(c: &ReviewInput) -> Option<Duration> {
    if c.state.is_closed() {
        since_receipt(c, c.closed_at)
    } else {
        None
    }
}

/// Review of the complaints received in the last `days` days
/// (`now - days <= received_at <= now`).
pub fn review(complaints: &[ReviewInput], now: NaiveDateTime, days: i64) -> Review {
    let from = now - Duration::days(days.max(0));
    let window: Vec<&ReviewInput> = complaints
        .iter()
        .filter(|c| c.received_at >= from && c.received_at <= now)
        .collect();

    let by_category = Category::ALL
        .into_iter()
        .map(|cat| (cat, window.iter().filter(|c| c.category == cat).count()))
        .collect();
    let by_outcome = Outcome::ALL
        .into_iter()
        .map(|o| (o, window.iter().filter(|c| Outcome::of(c.state) == o).count()))
        .collect();

    let first_responses = window
        .iter()
        .filter_map(|c| since_receipt(c, c.first_response_at))
        .collect();
    let close_times: Vec<Duration> = window.iter().filter_map(|c| close_time(c)).collect();

    let target = Duration::hours(CLOSE_TARGET_HOURS);
    let mut decided = 0usize;
    let mut within = 0usize;
    for c in &window {
        match close_time(c) {
            Some(d) => {
                decided += 1;
                if d <= target {
                    within += 1;
                }
            }
            None if !c.state.is_closed() && now - c.received_at >= target => decided += 1,
            None => {}
        }
    }

    let satisfactions: Vec<u8> = window
        .iter()
        .filter_map(|c| match c.state {
            State::ClosedResolved { satisfaction } => Some(satisfaction),
            _ => None,
        })
        .collect();

    Review {
        from,
        to: now,
        total: window.len(),
        by_category,
        by_outcome,
        median_first_response: median(first_responses),
        median_to_close: median(close_times),
        closed_within_24h: ratio(within, decided),
        average_satisfaction: ratio(satisfactions.iter().map(|s| usize::from(*s)).sum(), satisfactions.len()),
    }
}

fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// Every catalog key this module can return.
pub fn catalog_keys() -> Vec<&'static str> {
    Outcome::ALL.map(Outcome::key).to_vec()
}

#[cfg(test)]
mod tests {
    use super::super::Step;
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn c(category: Category, state: State, received: &str, first: Option<&str>, closed: Option<&str>) -> ReviewInput {
        ReviewInput {
            category,
            state,
            received_at: t(received),
            first_response_at: first.map(t),
            closed_at: closed.map(t),
        }
    }

    fn data() -> Vec<ReviewInput> {
        use Category::*;
        let resolved = |s| State::ClosedResolved { satisfaction: s };
        vec![
            // 1 h to respond, 11 h to close.
            c(
                Quality,
                resolved(4),
                "2024-06-01 09:00",
                Some("2024-06-01 10:00"),
                Some("2024-06-01 20:00"),
            ),
            // 4 h, 48 h.
            c(
                Quality,
                resolved(5),
                "2024-06-10 09:00",
                Some("2024-06-10 13:00"),
                Some("2024-06-12 09:00"),
            ),
            // 2 h, 23 h, not valid.
            c(
                Delayed,
                State::ClosedNotValid,
                "2024-06-20 09:00",
                Some("2024-06-20 11:00"),
                Some("2024-06-21 08:00"),
            ),
            // 8 h, open for more than 24 h.
            c(
                Attitude,
                State::Open(Step::Agree),
                "2024-06-29 09:00",
                Some("2024-06-29 17:00"),
                None,
            ),
            // Received 4 h before now, not yet answered: 24 h not decided.
            c(Misled, State::NEW, "2024-06-30 08:00", None, None),
            // Outside the window (too old, and in the future).
            c(
                Quality,
                resolved(1),
                "2024-05-01 09:00",
                Some("2024-05-01 09:10"),
                Some("2024-05-01 09:20"),
            ),
            c(Quality, State::NEW, "2024-07-01 09:00", None, None),
            // 30 min, waiting.
            c(
                OwnCause,
                State::Waiting { resume: Step::Record },
                "2024-06-25 09:00",
                Some("2024-06-25 09:30"),
                None,
            ),
            // Exactly at the window start; 1 h, closed in exactly 24 h.
            c(
                Quality,
                resolved(3),
                "2024-05-31 12:00",
                Some("2024-05-31 13:00"),
                Some("2024-06-01 12:00"),
            ),
        ]
    }

    const NOW: &str = "2024-06-30 12:00";

    #[test]
    fn thirty_day_review_of_a_fixed_data_set() {
        let r = review(&data(), t(NOW), 30);
        assert_eq!(r.from, t("2024-05-31 12:00"));
        assert_eq!(r.total, 7);
        use Category::*;
        let cats: Vec<usize> = r.by_category.iter().map(|(_, n)| *n).collect();
        assert_eq!(r.by_category.iter().map(|(c, _)| *c).collect::<Vec<_>>(), Category::ALL);
        assert_eq!(cats, vec![3, 1, 1, 1, 1]);
        assert_eq!(r.count_category(Quality), 3);
        assert_eq!(r.count_outcome(Outcome::InProgress), 3);
        assert_eq!(r.count_outcome(Outcome::Resolved), 3);
        assert_eq!(r.count_outcome(Outcome::NotValid), 1);
        // First responses 30m, 1h, 1h, 2h, 4h, 8h: mean of 1h and 2h.
        assert_eq!(r.median_first_response, Some(Duration::minutes(90)));
        // Close times 11h, 23h, 24h, 48h: mean of 23h and 24h.
        assert_eq!(r.median_to_close, Some(Duration::minutes(23 * 60 + 30)));
        // Decided: 4 closed + 2 open older than 24 h; within: 11h, 23h, 24h.
        assert_eq!(r.closed_within_24h, Some(0.5));
        assert_eq!(r.average_satisfaction, Some(4.0));
    }

    #[test]
    fn odd_counts_take_the_middle_value() {
        let r = review(&data(), t(NOW), 12);
        assert_eq!(r.total, 4);
        // 30m, 2h, 8h.
        assert_eq!(r.median_first_response, Some(Duration::hours(2)));
        assert_eq!(r.median_to_close, Some(Duration::hours(23)));
        assert_eq!(r.closed_within_24h, Some(1.0 / 3.0));
        assert_eq!(r.average_satisfaction, None);
    }

    #[test]
    fn empty_input_gives_zeros_and_no_averages() {
        for input in [vec![], data()] {
            let r = review(&input, t("2030-01-01 00:00"), 30);
            assert_eq!(r.total, 0);
            assert!(r.by_category.iter().all(|(_, n)| *n == 0));
            assert_eq!(r.by_category.len(), Category::ALL.len());
            assert!(r.by_outcome.iter().all(|(_, n)| *n == 0));
            assert_eq!(r.median_first_response, None);
            assert_eq!(r.median_to_close, None);
            assert_eq!(r.closed_within_24h, None);
            assert_eq!(r.average_satisfaction, None);
        }
    }

    #[test]
    fn only_young_open_complaints_leave_the_24h_share_undecided() {
        let r = review(&data(), t(NOW), 0);
        assert_eq!(r.total, 0);
        let young = [c(Category::Misled, State::NEW, "2024-06-30 08:00", None, None)];
        let r = review(&young, t(NOW), 30);
        assert_eq!(r.total, 1);
        assert_eq!(r.closed_within_24h, None);
        assert_eq!(r.median_first_response, None);
    }

    #[test]
    fn medians() {
        let h = Duration::hours;
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![h(5)]), Some(h(5)));
        assert_eq!(median(vec![h(9), h(1), h(4)]), Some(h(4)));
        assert_eq!(median(vec![h(4), h(1), h(2), h(9)]), Some(h(3)));
        assert_eq!(median(vec![h(1), h(2)]), Some(Duration::minutes(90)));
    }

    #[test]
    fn inconsistent_times_are_ignored() {
        let bad = [c(
            Category::Quality,
            State::ClosedNotValid,
            "2024-06-10 09:00",
            Some("2024-06-10 08:00"),
            None,
        )];
        let r = review(&bad, t(NOW), 30);
        assert_eq!(r.total, 1);
        assert_eq!(r.median_first_response, None);
        assert_eq!(r.median_to_close, None);
        assert_eq!(r.closed_within_24h, None);
    }
}
