//! One complaint as a whole: the record of DOMAIN §5 (投诉要点), where it
//! stands, and its deadlines. [`Complaint::apply`] runs an event through the
//! state machine and returns the complaint as it must be written, with its
//! timeline line, so storage writes both in one transaction.
//!
//! All times are UTC (see [`super::zone`] for the wall clock).

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::deadline::Deadline;
use super::review::ReviewInput;
use super::zone::Zone;
use super::{Category, ComplaintConfig, ComplaintError, EntryKind, Event, Progress, State, Step, Temperament};
use super::{TimelineEntry, apply};
use crate::domain::agenda::DeadlineKind;
use crate::domain::validate::{self, FieldError};

/// How far ahead of the clock an entry may be (clock skew between devices).
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// What the customer said (投诉要点): everything but the times.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// Who complains.
    pub complainant: String,
    /// What or whom the complaint is about.
    pub about: String,
    /// What happened, in the customer's words.
    pub content: String,
    /// When the customer bought the product, if known.
    pub purchase_date: Option<NaiveDate>,
    /// How they used it.
    pub product_use: String,
    /// What they demand.
    pub demand: String,
    /// How they want it solved.
    pub wanted_solution: String,
    /// How to reach them.
    pub reach: String,
}

/// A complaint as typed into the record form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub customer_id: i64,
    pub details: Details,
    pub category: Category,
    pub temperament: Temperament,
    pub received_at: NaiveDateTime,
}

/// The fields of the record form that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordField {
    Complainant,
    About,
    Content,
    ReceivedAt,
    PurchaseDate,
    ProductUse,
    Demand,
    WantedSolution,
    Reach,
}

/// Why a field of the record form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    Field(FieldError),
    /// Received more than a few minutes in the future.
    ReceivedInFuture,
    /// Bought after the complaint was received.
    PurchaseAfterReceipt,
}

impl RecordProblem {
    pub fn key(&self) -> &'static str {
        match self {
            RecordProblem::Field(e) => e.key(),
            RecordProblem::ReceivedInFuture => "complaint.error.received_in_future",
            RecordProblem::PurchaseAfterReceipt => "complaint.error.purchase_after_receipt",
        }
    }
}

impl NewComplaint {
    /// Checks the record against `now` (UTC): the complainant and the
    /// content are required, texts are length-limited, receipt is not in
    /// the future (a complaint received yesterday is fine) and the purchase
    /// is not after the receipt (compared as dates in `zone`). Returns the
    /// record with trimmed texts, or every problem found.
    pub fn checked(&self, now: NaiveDateTime, zone: Zone) -> Result<NewComplaint, Vec<(RecordField, RecordProblem)>> {
        use RecordField as F;
        let mut problems = Vec::new();
        let mut out = self.clone();
        let d = &mut out.details;
        let texts: [(F, &mut String, usize, bool); 7] = [
            (F::Complainant, &mut d.complainant, validate::MAX_NAME, true),
            (F::About, &mut d.about, validate::MAX_FIELD, false),
            (F::Content, &mut d.content, validate::MAX_NOTE, true),
            (F::ProductUse, &mut d.product_use, validate::MAX_NOTE, false),
            (F::Demand, &mut d.demand, validate::MAX_NOTE, false),
            (F::WantedSolution, &mut d.wanted_solution, validate::MAX_NOTE, false),
            (F::Reach, &mut d.reach, validate::MAX_FIELD, false),
        ];
        for (field, value, max, required) in texts {
            match validate::limit(value, max) {
                Ok(v) if required && v.is_empty() => problems.push((field, RecordProblem::Field(FieldError::Required))),
                Ok(v) => *value = v,
                Err(e) => problems.push((field, RecordProblem::Field(e))),
            }
        }
        if self.received_at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            problems.push((F::ReceivedAt, RecordProblem::ReceivedInFuture));
        }
        let received_on = zone.to_local(self.received_at).date();
        if self.details.purchase_date.is_some_and(|p| p > received_on) {
            problems.push((F::PurchaseDate, RecordProblem::PurchaseAfterReceipt));
        }
        if problems.is_empty() { Ok(out) } else { Err(problems) }
    }
}

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: i64,
    pub customer_id: i64,
    pub details: Details,
    pub category: Category,
    pub temperament: Temperament,
    pub received_at: NaiveDateTime,
    pub state: State,
    /// The first-response deadline, extended by the time spent waiting
    /// before it.
    pub first_response_due: NaiveDateTime,
    /// When step 1 was completed or skipped.
    pub responded_at: Option<NaiveDateTime>,
    /// The promised due date of the current solution (step 4/5).
    pub promised_due: Option<NaiveDateTime>,
    /// The follow-up call, scheduled when step 5 is done.
    pub follow_up_at: Option<NaiveDateTime>,
    /// Since when the complaint waits (the clock is paused).
    pub waiting_since: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    /// The time of the latest timeline line; a new one may not be earlier.
    pub last_event_at: NaiveDateTime,
}

/// The deadline a complaint is worked against next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextDeadline {
    pub kind: DeadlineKind,
    pub deadline: Deadline,
}

/// Moves `due` by a pause that began at `from` and ended at `to`, when the
/// pause began before the deadline (the clock stood still meanwhile).
fn extend(due: NaiveDateTime, from: NaiveDateTime, to: NaiveDateTime) -> NaiveDateTime {
    if from < due { due + (to - from) } else { due }
}

impl Complaint {
    /// The complaint as first recorded: at step 1, first response due
    /// `first_response_hours` after receipt; with its timeline line.
    pub fn received(id: i64, new: NewComplaint, config: &ComplaintConfig) -> (Complaint, TimelineEntry) {
        let at = new.received_at;
        let complaint = Complaint {
            id,
            customer_id: new.customer_id,
            details: new.details,
            category: new.category,
            temperament: new.temperament,
            received_at: at,
            state: State::NEW,
            first_response_due: at + Duration::hours(config.first_response_hours.max(0)),
            responded_at: None,
            promised_due: None,
            follow_up_at: None,
            waiting_since: None,
            closed_at: None,
            last_event_at: at,
        };
        let entry = TimelineEntry {
            step: Step::Listen,
            kind: EntryKind::Received,
            at,
            text: String::new(),
            due: None,
            satisfaction: None,
        };
        (complaint, entry)
    }

    pub fn progress(&self) -> Progress {
        Progress {
            state: self.state,
            received_at: self.received_at,
            promised_due: self.promised_due,
        }
    }

    /// Applies `event` at `at`, checked against `now` (both UTC): the state
    /// machine's rules, plus no time in the future and none before the
    /// previous line of the timeline. Returns the complaint to write and its
    /// timeline line.
    pub fn apply(
        &self,
        event: Event,
        at: NaiveDateTime,
        now: NaiveDateTime,
        config: &ComplaintConfig,
    ) -> Result<(Complaint, TimelineEntry), ComplaintError> {
        let unsatisfied = matches!(event, Event::FollowUp { satisfied: false, .. });
        let resumed = matches!(event, Event::Resume { .. });
        let tr = apply(&self.progress(), event, at, config)?;
        if at < self.last_event_at {
            return Err(ComplaintError::BeforePrevious);
        }
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(ComplaintError::InFuture);
        }
        let mut next = self.clone();
        next.state = tr.state;
        next.promised_due = tr.promised_due;
        next.last_event_at = at;
        if let Some(f) = tr.follow_up_at {
            next.follow_up_at = Some(f);
        }
        if unsatisfied {
            next.follow_up_at = None;
        }
        if next.responded_at.is_none()
            && tr.entry.step == Step::Listen
            && matches!(tr.entry.kind, EntryKind::Completed | EntryKind::Skipped)
        {
            next.responded_at = Some(at);
        }
        match tr.state {
            State::Waiting { .. } => next.waiting_since = Some(at),
            _ => next.waiting_since = None,
        }
        if resumed && let Some(from) = self.waiting_since {
            if self.responded_at.is_none() {
                next.first_response_due = extend(self.first_response_due, from, at);
            }
            next.promised_due = next.promised_due.map(|d| extend(d, from, at));
            next.follow_up_at = next.follow_up_at.map(|d| extend(d, from, at));
        }
        if tr.state.is_closed() {
            next.closed_at = Some(at);
        }
        Ok((next, tr.entry))
    }

    /// The next deadline: the first response while step 1 is not done, else
    /// the promised due date (steps 4–5), else the follow-up call (step 6).
    /// Frozen while waiting; `None` when closed or nothing is due.
    pub fn next_deadline(&self) -> Option<NextDeadline> {
        let step = self.state.step()?;
        let (kind, due) = if self.responded_at.is_none() {
            (DeadlineKind::FirstResponse, self.first_response_due)
        } else if step <= Step::Execute
            && let Some(p) = self.promised_due
        {
            (DeadlineKind::Promise, p)
        } else if step == Step::FollowUp
            && let Some(f) = self.follow_up_at
        {
            (DeadlineKind::FollowUp, f)
        } else {
            return None;
        };
        // While waiting the time left is frozen where the clock stopped
        // (negative when it was already overdue then).
        let deadline = match self.waiting_since {
            Some(since) => Deadline::Paused { remaining: due - since },
            None => Deadline::At(due),
        };
        Some(NextDeadline { kind, deadline })
    }

    /// Overdue now (never while waiting).
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        self.next_deadline().is_some_and(|d| d.deadline.is_overdue(now))
    }

    pub fn is_waiting(&self) -> bool {
        matches!(self.state, State::Waiting { .. })
    }

    pub fn review_input(&self) -> ReviewInput {
        ReviewInput {
            category: self.category,
            state: self.state,
            received_at: self.received_at,
            first_response_at: self.responded_at,
            closed_at: self.closed_at,
        }
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
