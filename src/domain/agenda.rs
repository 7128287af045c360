//! The daily agenda (DOMAIN §3–4): what is due, for whom, and why, in the
//! order a rep works through it.

use chrono::NaiveDateTime;

/// Which complaint deadline (DOMAIN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineKind {
    /// First response, 24 hours after receipt.
    FirstResponse,
    /// The promised fix of step 5.
    Promise,
    /// The follow-up call scheduled when step 5 was done.
    FollowUp,
}

/// An open complaint's next deadline, as the agenda shows it. Times are
/// local wall-clock times.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintDeadline {
    pub complaint_id: i64,
    pub customer_id: i64,
    pub kind: DeadlineKind,
    pub due: NaiveDateTime,
}
