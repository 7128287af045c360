//! The one place that reads the wall clock; tests and `--now` fix it.

use chrono::{Local, NaiveDateTime, Timelike};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
}

impl Clock {
    /// Local wall-clock time, to the second.
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => {
                let n = Local::now().naive_local();
                n.with_nanosecond(0).unwrap_or(n)
            }
            Clock::Fixed(t) => t,
        }
    }

    /// Parses `--now` ("2026-11-23 09:30" or "2026-11-23").
    pub fn parse_fixed(s: &str) -> Option<Clock> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .ok()
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(9, 0, 0))
            })
            .map(Clock::Fixed)
    }
}
