//! Tests of the whole-complaint rules (`record.rs`).

use super::*;
use crate::domain::complaint::deadline::first_response_due;
use crate::domain::complaint::pauses;
use crate::domain::complaint::tests::{complete, follow_up, judge, promise, resume, wait};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn new_at(received: &str) -> NewComplaint {
    NewComplaint {
        customer_id: 7,
        details: Details {
            complainant: " Wang Fang ".into(),
            content: "The fridge arrived dented".into(),
            ..Details::default()
        },
        category: Category::Quality,
        temperament: Temperament::Emotional,
        received_at: t(received),
    }
}

fn cfg() -> ComplaintConfig {
    ComplaintConfig::default()
}

fn note(s: &str) -> String {
    s.to_string()
}

#[test]
fn a_new_complaint_is_due_for_a_first_response_24_hours_later() {
    let (c, entry) = Complaint::received(1, new_at("2026-01-31 23:30"), &cfg());
    assert_eq!(c.state, State::NEW);
    assert_eq!(c.first_response_due, t("2026-02-01 23:30"));
    assert_eq!(entry.kind, EntryKind::Received);
    assert_eq!(entry.at, t("2026-01-31 23:30"));
    let d = c.next_deadline().unwrap();
    assert_eq!(d.kind, DeadlineKind::FirstResponse);
    assert_eq!(d.deadline, Deadline::At(t("2026-02-01 23:30")));
    let four = ComplaintConfig {
        first_response_hours: 4,
        ..cfg()
    };
    let (c, _) = Complaint::received(1, new_at("2026-12-31 22:00"), &four);
    assert_eq!(c.first_response_due, t("2027-01-01 02:00"));
}

#[test]
fn the_record_is_checked() {
    let now = t("2026-11-23 09:00");
    let ok = new_at("2026-11-22 15:00").checked(now, Zone::utc()).unwrap();
    assert_eq!(ok.details.complainant, "Wang Fang", "texts are trimmed");
    // A few minutes ahead is clock skew, more is the future.
    assert!(new_at("2026-11-23 09:04").checked(now, Zone::utc()).is_ok());
    let mut bad = new_at("2026-11-24 09:00");
    bad.details.complainant = "  ".into();
    bad.details.content = String::new();
    bad.details.reach = "x".repeat(validate::MAX_FIELD + 1);
    bad.details.purchase_date = NaiveDate::from_ymd_opt(2026, 11, 25);
    let problems = bad.checked(now, Zone::utc()).unwrap_err();
    let fields: Vec<RecordField> = problems.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        vec![
            RecordField::Complainant,
            RecordField::Content,
            RecordField::Reach,
            RecordField::ReceivedAt,
            RecordField::PurchaseDate
        ]
    );
    assert_eq!(problems[3].1.key(), "complaint.error.received_in_future");
    assert_eq!(problems[4].1.key(), "complaint.error.purchase_after_receipt");
}

#[test]
fn purchase_dates_are_compared_on_the_local_calendar() {
    // Received 2026-11-22 20:00 UTC = 2026-11-23 04:00 in UTC+8: bought
    // "today" in Beijing is fine.
    let now = t("2026-11-23 09:00");
    let mut c = new_at("2026-11-22 20:00");
    c.details.purchase_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    assert!(c.checked(now, Zone::east(8)).is_ok());
    assert!(c.checked(now, Zone::utc()).is_err());
}

/// Runs events in order, keeping the timeline.
fn walk(start: &str, events: Vec<(&str, Event)>) -> (Complaint, Vec<TimelineEntry>) {
    let (mut c, first) = Complaint::received(1, new_at(start), &cfg());
    let mut timeline = vec![first];
    for (at, e) in events {
        let (next, entry) = c
            .apply(e.clone(), t(at), t(at), &cfg())
            .unwrap_or_else(|err| panic!("{at} {e:?}: {err:?}"));
        c = next;
        timeline.push(entry);
    }
    (c, timeline)
}

#[test]
fn deadlines_follow_the_steps() {
    let (c, _) = walk(
        "2026-06-01 09:00",
        vec![("2026-06-01 10:00", complete(Step::Listen, "sorry"))],
    );
    assert_eq!(c.responded_at, Some(t("2026-06-01 10:00")));
    assert_eq!(c.next_deadline(), None, "no deadline while recording and judging");
    let (c, _) = walk(
        "2026-06-01 09:00",
        vec![
            (
                "2026-06-01 10:00",
                Event::Skip {
                    step: Step::Listen,
                    reason: note("by letter"),
                },
            ),
            ("2026-06-01 11:00", complete(Step::Record, "")),
            ("2026-06-01 12:00", judge(true, "thanked")),
            ("2026-06-01 13:00", promise("2026-06-30 18:00", "replace")),
        ],
    );
    assert_eq!(
        c.responded_at,
        Some(t("2026-06-01 10:00")),
        "a skipped step 1 counts as answered"
    );
    let d = c.next_deadline().unwrap();
    assert_eq!(
        (d.kind, d.deadline),
        (DeadlineKind::Promise, Deadline::At(t("2026-06-30 18:00")))
    );
    let (c2, _) = walk(
        "2026-06-01 09:00",
        vec![
            ("2026-06-01 10:00", complete(Step::Listen, "")),
            ("2026-06-01 11:00", complete(Step::Record, "")),
            ("2026-06-01 12:00", judge(true, "")),
            ("2026-06-01 13:00", promise("2026-06-30 18:00", "")),
            ("2026-06-01 14:00", complete(Step::Agree, "")),
            ("2026-06-29 17:00", complete(Step::Execute, "done")),
        ],
    );
    // Follow-up three days later, across the month end.
    let d = c2.next_deadline().unwrap();
    assert_eq!(
        (d.kind, d.deadline),
        (DeadlineKind::FollowUp, Deadline::At(t("2026-07-02 17:00")))
    );
    // Unsatisfied: back to agreeing, no promise, no follow-up, no deadline.
    let (c3, entry) = c2
        .apply(
            follow_up(false, Some(2), "still dented"),
            t("2026-07-02 16:00"),
            t("2026-07-02 16:00"),
            &cfg(),
        )
        .unwrap();
    assert_eq!(entry.kind, EntryKind::FollowUpUnsatisfied);
    assert_eq!(c3.state, State::Open(Step::Agree));
    assert_eq!((c3.promised_due, c3.follow_up_at), (None, None));
    assert_eq!(c3.next_deadline(), None);
    assert_eq!(c3.closed_at, None);
}

#[test]
fn closing_stamps_the_close() {
    let (c, _) = walk(
        "2026-06-01 09:00",
        vec![
            ("2026-06-01 10:00", complete(Step::Listen, "")),
            ("2026-06-01 11:00", complete(Step::Record, "")),
            ("2026-06-01 12:00", judge(false, "used outside warranty")),
        ],
    );
    assert_eq!(c.state, State::ClosedNotValid);
    assert_eq!(c.closed_at, Some(t("2026-06-01 12:00")));
    assert_eq!(c.next_deadline(), None);
    assert!(!c.is_overdue(t("2027-01-01 00:00")));
    let r = c.review_input();
    assert_eq!(
        (r.first_response_at, r.closed_at),
        (Some(t("2026-06-01 10:00")), Some(t("2026-06-01 12:00")))
    );
}

#[test]
fn waiting_freezes_the_clock_and_resuming_moves_the_deadline() {
    let received = "2026-03-31 20:00";
    let (waiting, _) = walk(received, vec![("2026-03-31 23:00", wait("customer abroad"))]);
    assert!(waiting.is_waiting());
    let d = waiting.next_deadline().unwrap();
    assert_eq!(
        d.deadline,
        Deadline::Paused {
            remaining: Duration::hours(21)
        }
    );
    assert!(
        !waiting.is_overdue(t("2026-05-01 00:00")),
        "never overdue while waiting"
    );
    // Resumed two days later: 21 h still to go.
    let (c, timeline) = walk(
        received,
        vec![
            ("2026-03-31 23:00", wait("customer abroad")),
            ("2026-04-02 23:00", resume("back")),
        ],
    );
    assert_eq!(c.waiting_since, None);
    assert_eq!(c.first_response_due, t("2026-04-03 20:00"));
    // The same answer as the deadline computed from the whole timeline.
    let from_timeline = first_response_due(t(received), 24, &pauses(&timeline));
    assert_eq!(from_timeline, Deadline::At(c.first_response_due));
    assert!(c.is_overdue(t("2026-04-03 20:01")));
    assert!(!c.is_overdue(t("2026-04-03 20:00")));
}

#[test]
fn a_pause_moves_the_promise_and_the_follow_up_too() {
    let base = vec![
        ("2026-06-01 10:00", complete(Step::Listen, "")),
        ("2026-06-01 11:00", complete(Step::Record, "")),
        ("2026-06-01 12:00", judge(true, "")),
        ("2026-06-01 13:00", promise("2026-06-05 18:00", "")),
        ("2026-06-02 09:00", wait("waiting for the customer's photos")),
        ("2026-06-04 09:00", resume("")),
    ];
    let (c, _) = walk("2026-06-01 09:00", base);
    assert_eq!(c.promised_due, Some(t("2026-06-07 18:00")));
    // The first response was already given: its deadline stays history.
    assert_eq!(c.first_response_due, t("2026-06-02 09:00"));
    // A pause that starts after the deadline does not move it.
    let (late, _) = walk(
        "2026-06-01 09:00",
        vec![("2026-06-03 09:00", wait("x")), ("2026-06-04 09:00", resume(""))],
    );
    assert_eq!(late.first_response_due, t("2026-06-02 09:00"));
    assert!(late.is_overdue(t("2026-06-04 09:00")));
}

#[test]
fn times_out_of_order_or_in_the_future_are_refused() {
    let (c, _) = walk(
        "2026-06-01 09:00",
        vec![("2026-06-01 12:00", complete(Step::Listen, ""))],
    );
    let record = || complete(Step::Record, "");
    let now = t("2026-06-02 09:00");
    assert_eq!(
        c.apply(record(), t("2026-05-31 09:00"), now, &cfg()),
        Err(ComplaintError::BeforeReceipt)
    );
    assert_eq!(
        c.apply(record(), t("2026-06-01 11:00"), now, &cfg()),
        Err(ComplaintError::BeforePrevious)
    );
    assert_eq!(
        c.apply(record(), t("2026-06-02 10:00"), now, &cfg()),
        Err(ComplaintError::InFuture)
    );
    assert!(c.apply(record(), t("2026-06-01 12:00"), now, &cfg()).is_ok());
    // The state machine's own refusals come first.
    assert_eq!(
        c.apply(
            Event::Judge {
                valid: true,
                note: note("")
            },
            t("2026-06-01 11:00"),
            now,
            &cfg()
        ),
        Err(ComplaintError::OutOfOrder {
            expected: Step::Record,
            got: Step::Judge
        })
    );
}
