//! The six-step complaint workflow (DOMAIN §5, 处理客户投诉) as a state
//! machine.
//!
//! [`apply`] checks one [`Event`] against a complaint's [`Progress`] and
//! returns a [`Transition`]: the new state, the promised due date, a
//! [`TimelineEntry`] and any follow-up to schedule, so storage can write all
//! of it in one transaction. Time is always a parameter. All times are
//! `NaiveDateTime` in **UTC**; the caller converts to local time for display.
//!
//! No user-visible text: every enum and error has a `key()` into the
//! catalogs (`complaint.*`).
//!
//! Submodules: [`kinds`] (the vocabulary), [`deadline`] (clocks with
//! pauses), [`record`] (the whole complaint and its next deadline),
//! [`review`] (statistics), [`when`] (typed times) and [`zone`] (UTC ↔
//! local wall-clock time).

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod deadline;
pub mod edit;
pub mod kinds;
pub mod record;
pub mod review;
pub mod when;
pub mod zone;

pub use kinds::{Category, EntryKind, MISTAKES_TO_AVOID_KEY, Step, Temperament};

/// Default days between completing step 5 and the follow-up call.
pub const DEFAULT_FOLLOW_UP_DAYS: i64 = 3;
/// The lowest satisfaction a complaint closes as satisfied with.
pub const DEFAULT_MIN_SATISFIED: u8 = 3;
/// Default hours for the first response (service standard: 24 h).
pub const DEFAULT_FIRST_RESPONSE_HOURS: i64 = 24;

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// In progress; the step is the one to do next.
    Open(Step),
    /// Paused (waiting for the customer, a supplier, …): the clock stops
    /// and `Resume` returns to `resume`.
    Waiting { resume: Step },
    /// Closed after a satisfied follow-up; satisfaction 1–5.
    ClosedResolved { satisfaction: u8 },
    /// Closed at step 3: the complaint was judged not valid.
    ClosedNotValid,
}

impl State {
    /// A new complaint starts at step 1.
    pub const NEW: State = State::Open(Step::Listen);

    /// The state's kind: "open", "waiting", "closed_resolved", "closed_not_valid".
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open(_) => "open",
            State::Waiting { .. } => "waiting",
            State::ClosedResolved { .. } => "closed_resolved",
            State::ClosedNotValid => "closed_not_valid",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            State::Open(_) => "complaint.state.open",
            State::Waiting { .. } => "complaint.state.waiting",
            State::ClosedResolved { .. } => "complaint.state.closed_resolved",
            State::ClosedNotValid => "complaint.state.closed_not_valid",
        }
    }

    /// The step in progress or waiting to resume; `None` when closed.
    pub fn step(self) -> Option<Step> {
        match self {
            State::Open(step) | State::Waiting { resume: step } => Some(step),
            State::ClosedResolved { .. } | State::ClosedNotValid => None,
        }
    }

    pub fn is_closed(self) -> bool {
        self.step().is_none()
    }
}

/// Something the rep records on a complaint. Texts are trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Completes Listen, Record, Agree or Execute (Execute needs a promise).
    /// The note may be empty.
    Complete { step: Step, note: String },
    /// Skips the next step with a reason (required). FollowUp cannot be
    /// skipped; skipping Judge proceeds as valid.
    Skip { step: Step, reason: String },
    /// Completes step 3. `note` is the thanks (may be empty) or, when not
    /// valid, the explanation given to the customer (required).
    Judge { valid: bool, note: String },
    /// Records the promised action and its due date, while at step 4 or 5.
    SetPromise { due: NaiveDateTime, note: String },
    /// Completes step 6. Satisfied closes (satisfaction 1–5 required);
    /// unsatisfied goes back to step 4 (satisfaction optional, 1–5).
    FollowUp {
        satisfied: bool,
        satisfaction: Option<u8>,
        note: String,
    },
    /// Pauses the clock at the current step; reason required.
    Wait { reason: String },
    /// Returns from waiting to the paused step.
    Resume { note: String },
}

/// One line of a complaint's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// The step the entry belongs to (for Wait/Resume: the paused step).
    pub step: Step,
    pub kind: EntryKind,
    /// When it was recorded (UTC).
    pub at: NaiveDateTime,
    /// The note, the skip/wait reason, or the not-valid explanation.
    pub text: String,
    /// The promised due date (PromiseSet only).
    pub due: Option<NaiveDateTime>,
    /// Satisfaction 1–5 recorded at a follow-up.
    pub satisfaction: Option<u8>,
}

/// The workflow data of one complaint that [`apply`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub state: State,
    /// When the complaint was received (UTC).
    pub received_at: NaiveDateTime,
    /// The promised due date of the current solution, if recorded.
    pub promised_due: Option<NaiveDateTime>,
}

impl Progress {
    /// A complaint just received: at step 1, no promise.
    pub fn new(received_at: NaiveDateTime) -> Self {
        Progress {
            state: State::NEW,
            received_at,
            promised_due: None,
        }
    }

    /// The progress after `transition`.
    pub fn after(&self, transition: &Transition) -> Self {
        Progress {
            state: transition.state,
            received_at: self.received_at,
            promised_due: transition.promised_due,
        }
    }
}

/// Configurable numbers (DOMAIN: every number is a default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintConfig {
    /// Days from completing step 5 to the follow-up call (default 3).
    pub follow_up_days: i64,
    /// Hours for the first response (default 24); see
    /// `complaint_deadline::first_response_due`.
    pub first_response_hours: i64,
    /// The lowest satisfaction (1–5) a complaint closes as satisfied with
    /// (default 3); below it the rep is asked to agree a new solution.
    pub min_satisfied: u8,
}

impl Default for ComplaintConfig {
    fn default() -> Self {
        ComplaintConfig {
            follow_up_days: DEFAULT_FOLLOW_UP_DAYS,
            first_response_hours: DEFAULT_FIRST_RESPONSE_HOURS,
            min_satisfied: DEFAULT_MIN_SATISFIED,
        }
    }
}

/// The result of one accepted event: write all of it in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub state: State,
    /// The promised due date after the event (cleared when an unsatisfied
    /// follow-up sends the complaint back to step 4).
    pub promised_due: Option<NaiveDateTime>,
    pub entry: TimelineEntry,
    /// Set when step 5 is completed or skipped: when to call the customer.
    pub follow_up_at: Option<NaiveDateTime>,
}

/// Why an event was refused. `key()` gives the message to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ComplaintError {
    #[error("the complaint is closed")]
    Closed,
    #[error("the event is dated before the complaint was received")]
    BeforeReceipt,
    #[error("the complaint is waiting; resume it first")]
    Paused,
    #[error("the complaint is not waiting")]
    NotWaiting,
    #[error("steps go in order: the next step is {expected:?}, not {got:?}")]
    OutOfOrder { expected: Step, got: Step },
    #[error("step {0:?} is completed by recording its result")]
    NeedsOutcome(Step),
    #[error("step {0:?} cannot be skipped")]
    CannotSkip(Step),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("an explanation is required when the complaint is not valid")]
    ExplanationRequired,
    #[error("a promised due date is required before step 5 is completed")]
    PromiseRequired,
    #[error("the promised due date is before the complaint was received")]
    PromiseBeforeReceipt,
    #[error("the promised due date is already past when the promise is made")]
    PromiseInPast,
    #[error("a promise is recorded at step 4 or 5, not at {0:?}")]
    PromiseNotNow(Step),
    #[error("closing needs the customer's satisfaction (1-5)")]
    SatisfactionRequired,
    #[error("satisfaction must be 1-5, got {0}")]
    SatisfactionOutOfRange(u8),
    /// Satisfied, yet rated below the configured minimum.
    #[error("a satisfied close needs a satisfaction of at least {min}, got {got}")]
    SatisfactionTooLow { got: u8, min: u8 },
    #[error("the time is before the previous line of the timeline")]
    BeforePrevious,
    #[error("the time is in the future")]
    InFuture,
}

impl ComplaintError {
    pub fn key(self) -> &'static str {
        match self {
            ComplaintError::Closed => "complaint.error.closed",
            ComplaintError::BeforeReceipt => "complaint.error.before_receipt",
            ComplaintError::Paused => "complaint.error.paused",
            ComplaintError::NotWaiting => "complaint.error.not_waiting",
            ComplaintError::OutOfOrder { .. } => "complaint.error.out_of_order",
            ComplaintError::NeedsOutcome(_) => "complaint.error.needs_outcome",
            ComplaintError::CannotSkip(_) => "complaint.error.cannot_skip",
            ComplaintError::ReasonRequired => "complaint.error.reason_required",
            ComplaintError::ExplanationRequired => "complaint.error.explanation_required",
            ComplaintError::PromiseRequired => "complaint.error.promise_required",
            ComplaintError::PromiseBeforeReceipt => "complaint.error.promise_before_receipt",
            ComplaintError::PromiseInPast => "complaint.error.promise_in_past",
            ComplaintError::PromiseNotNow(_) => "complaint.error.promise_not_now",
            ComplaintError::SatisfactionRequired => "complaint.error.satisfaction_required",
            ComplaintError::SatisfactionOutOfRange(_) => "complaint.error.satisfaction_out_of_range",
            ComplaintError::SatisfactionTooLow { .. } => "complaint.error.satisfaction_too_low",
            ComplaintError::BeforePrevious => "complaint.error.before_previous",
            ComplaintError::InFuture => "complaint.error.in_future",
        }
    }
}

fn check_satisfaction(value: Option<u8>) -> Result<Option<u8>, ComplaintError> {
    match value {
        Some(v) if !(1..=5).contains(&v) => Err(ComplaintError::SatisfactionOutOfRange(v)),
        other => Ok(other),
    }
}

fn required(text: &str, error: ComplaintError) -> Result<String, ComplaintError> {
    let text = text.trim();
    if text.is_empty() {
        Err(error)
    } else {
        Ok(text.to_owned())
    }
}

/// Checks `event` against `progress` and returns the transition.
///
/// Rules: steps go in order; a skip needs a reason; Judge not valid closes
/// with the explanation; step 5 needs a promised due date (not before
/// receipt); completing or skipping step 5 schedules the follow-up at
/// `at + follow_up_days`; an unsatisfied follow-up returns to step 4 and
/// clears the promise; closing needs satisfaction 1–5, at least
/// `config.min_satisfied`; while waiting only
/// `Resume` is accepted. `at` must not be before the receipt.
pub fn apply(
    progress: &Progress,
    event: Event,
    at: NaiveDateTime,
    config: &ComplaintConfig,
) -> Result<Transition, ComplaintError> {
    use ComplaintError as E;
    let current = match progress.state {
        State::ClosedResolved { .. } | State::ClosedNotValid => return Err(E::Closed),
        State::Open(step) | State::Waiting { resume: step } => step,
    };
    if at < progress.received_at {
        return Err(E::BeforeReceipt);
    }
    let waiting = matches!(progress.state, State::Waiting { .. });
    match (&event, waiting) {
        (Event::Resume { .. }, false) => return Err(E::NotWaiting),
        (Event::Resume { .. }, true) => {}
        (_, true) => return Err(E::Paused),
        (_, false) => {}
    }
    let in_order = |step: Step| {
        if step == current {
            Ok(())
        } else {
            Err(E::OutOfOrder {
                expected: current,
                got: step,
            })
        }
    };
    let mut out = Transition {
        state: progress.state,
        promised_due: progress.promised_due,
        entry: TimelineEntry {
            step: current,
            kind: EntryKind::Completed,
            at,
            text: String::new(),
            due: None,
            satisfaction: None,
        },
        follow_up_at: None,
    };
    // The state after finishing `current` (completed or skipped).
    let advance = |out: &mut Transition| {
        // FollowUp is never finished by Complete/Skip, so `next` exists.
        let next = current.next().unwrap_or(Step::FollowUp);
        out.state = State::Open(next);
        if current == Step::Execute {
            out.follow_up_at = Some(at + Duration::days(config.follow_up_days.max(0)));
        }
    };
    match event {
        Event::Complete { step, note } => {
            in_order(step)?;
            if step.has_outcome() {
                return Err(E::NeedsOutcome(step));
            }
            if step == Step::Execute {
                match progress.promised_due {
                    None => return Err(E::PromiseRequired),
                    Some(due) if due < progress.received_at => return Err(E::PromiseBeforeReceipt),
                    Some(_) => {}
                }
            }
            out.entry.text = note.trim().to_owned();
            advance(&mut out);
        }
        Event::Skip { step, reason } => {
            in_order(step)?;
            if step == Step::FollowUp {
                return Err(E::CannotSkip(step));
            }
            out.entry.kind = EntryKind::Skipped;
            out.entry.text = required(&reason, E::ReasonRequired)?;
            advance(&mut out);
        }
        Event::Judge { valid, note } => {
            in_order(Step::Judge)?;
            if valid {
                out.entry.kind = EntryKind::JudgedValid;
                out.entry.text = note.trim().to_owned();
                advance(&mut out);
            } else {
                out.entry.kind = EntryKind::JudgedNotValid;
                out.entry.text = required(&note, E::ExplanationRequired)?;
                out.state = State::ClosedNotValid;
            }
        }
        Event::SetPromise { due, note } => {
            if !matches!(current, Step::Agree | Step::Execute) {
                return Err(E::PromiseNotNow(current));
            }
            if due < progress.received_at {
                return Err(E::PromiseBeforeReceipt);
            }
            // A promise is about the future of the moment it is made.
            if due < at {
                return Err(E::PromiseInPast);
            }
            out.entry.kind = EntryKind::PromiseSet;
            out.entry.text = note.trim().to_owned();
            out.entry.due = Some(due);
            out.promised_due = Some(due);
        }
        Event::FollowUp {
            satisfied,
            satisfaction,
            note,
        } => {
            in_order(Step::FollowUp)?;
            out.entry.satisfaction = check_satisfaction(satisfaction)?;
            out.entry.text = note.trim().to_owned();
            if satisfied {
                let satisfaction = satisfaction.ok_or(E::SatisfactionRequired)?;
                if satisfaction < config.min_satisfied {
                    return Err(E::SatisfactionTooLow {
                        got: satisfaction,
                        min: config.min_satisfied,
                    });
                }
                out.entry.kind = EntryKind::FollowUpSatisfied;
                out.state = State::ClosedResolved { satisfaction };
            } else {
                out.entry.kind = EntryKind::FollowUpUnsatisfied;
                out.state = State::Open(Step::Agree);
                out.promised_due = None;
            }
        }
        Event::Wait { reason } => {
            out.entry.kind = EntryKind::Waiting;
            out.entry.text = required(&reason, E::ReasonRequired)?;
            out.state = State::Waiting { resume: current };
        }
        Event::Resume { note } => {
            out.entry.kind = EntryKind::Resumed;
            out.entry.text = note.trim().to_owned();
            out.state = State::Open(current);
        }
    }
    Ok(out)
}

/// The paused intervals recorded in a timeline (Waiting … Resumed), in
/// order; the last one is open (`None`) while the complaint is waiting.
/// Feed them to the deadline functions.
pub fn pauses(entries: &[TimelineEntry]) -> Vec<(NaiveDateTime, Option<NaiveDateTime>)> {
    let mut out: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = Vec::new();
    for e in entries {
        match e.kind {
            EntryKind::Waiting => out.push((e.at, None)),
            EntryKind::Resumed => {
                if let Some(last) = out.last_mut().filter(|p| p.1.is_none()) {
                    last.1 = Some(e.at);
                }
            }
            _ => {}
        }
    }
    out
}

/// When the complaint was first responded to: step 1 completed or skipped.
pub fn first_response_at(entries: &[TimelineEntry]) -> Option<NaiveDateTime> {
    entries
        .iter()
        .find(|e| e.step == Step::Listen && matches!(e.kind, EntryKind::Completed | EntryKind::Skipped))
        .map(|e| e.at)
}

/// When the complaint was closed (resolved or not valid), if it was.
pub fn closed_at(entries: &[TimelineEntry]) -> Option<NaiveDateTime> {
    entries
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EntryKind::JudgedNotValid | EntryKind::FollowUpSatisfied))
        .map(|e| e.at)
}

/// Every catalog key this module can return.
pub fn catalog_keys() -> Vec<&'static str> {
    use ComplaintError as E;
    let mut keys = kinds::catalog_keys();
    let states = [
        State::NEW,
        State::Waiting { resume: Step::Listen },
        State::ClosedResolved { satisfaction: 5 },
        State::ClosedNotValid,
    ];
    keys.extend(states.map(State::key));
    let s = Step::Listen;
    let errors = [
        E::Closed,
        E::BeforeReceipt,
        E::Paused,
        E::NotWaiting,
        E::OutOfOrder { expected: s, got: s },
        E::NeedsOutcome(s),
        E::CannotSkip(s),
        E::ReasonRequired,
        E::ExplanationRequired,
        E::PromiseRequired,
        E::PromiseBeforeReceipt,
        E::PromiseInPast,
        E::PromiseNotNow(s),
        E::SatisfactionRequired,
        E::SatisfactionOutOfRange(0),
        E::BeforePrevious,
        E::InFuture,
    ];
    keys.extend(errors.map(E::key));
    keys.extend(deadline::catalog_keys());
    keys.extend(review::catalog_keys());
    keys.extend([
        record::RecordProblem::ReceivedInFuture.key(),
        record::RecordProblem::PurchaseAfterReceipt.key(),
        when::WhenError::BAD_TIME_KEY,
    ]);
    keys
}

#[cfg(test)]
mod tests;
