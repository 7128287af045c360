//! Tests of the complaint state machine (`complaint.rs`).

use super::*;
use ComplaintError as E;
use Step::*;

pub(super) fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

const RECEIVED: &str = "2024-05-31 22:00";
const AT: &str = "2024-06-01 10:00";

fn progress(state: State) -> Progress {
    Progress {
        state,
        received_at: t(RECEIVED),
        promised_due: Some(t("2024-06-05 18:00")),
    }
}

fn run(p: &Progress, event: Event) -> Result<Transition, ComplaintError> {
    apply(p, event, t(AT), &ComplaintConfig::default())
}

fn s(text: &str) -> String {
    text.to_owned()
}

pub(super) fn complete(step: Step, note: &str) -> Event {
    Event::Complete { step, note: s(note) }
}

pub(super) fn skip(step: Step, reason: &str) -> Event {
    Event::Skip {
        step,
        reason: s(reason),
    }
}

pub(super) fn judge(valid: bool, note: &str) -> Event {
    Event::Judge { valid, note: s(note) }
}

pub(super) fn promise(due: &str, note: &str) -> Event {
    Event::SetPromise {
        due: t(due),
        note: s(note),
    }
}

pub(super) fn follow_up(satisfied: bool, satisfaction: Option<u8>, note: &str) -> Event {
    Event::FollowUp {
        satisfied,
        satisfaction,
        note: s(note),
    }
}

pub(super) fn wait(reason: &str) -> Event {
    Event::Wait { reason: s(reason) }
}

pub(super) fn resume(note: &str) -> Event {
    Event::Resume { note: s(note) }
}

/// Every state a complaint can be in.
fn all_states() -> Vec<State> {
    let mut states: Vec<State> = Step::ALL.into_iter().map(State::Open).collect();
    states.extend(Step::ALL.map(|resume| State::Waiting { resume }));
    states.push(State::ClosedResolved { satisfaction: 4 });
    states.push(State::ClosedNotValid);
    states
}

/// Every kind of event, with valid payloads.
fn all_events() -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    for step in Step::ALL {
        events.push(complete(step, "done"));
        events.push(skip(step, "by letter"));
    }
    events.extend([
        judge(true, "thanked"),
        judge(false, "used outside warranty"),
        promise("2024-06-03 12:00", "replace unit"),
        follow_up(true, Some(4), ""),
        follow_up(false, None, "still broken"),
        wait("waiting for supplier"),
        resume(""),
    ]);
    events
}

/// The legal transitions: (state, event, new state). Everything else fails.
fn legal() -> Vec<(State, Event, State)> {
    use State::{ClosedNotValid, Open, Waiting};
    let promise = || promise("2024-06-03 12:00", "replace unit");
    let mut table = vec![
        (Open(Listen), complete(Listen, "done"), Open(Record)),
        (Open(Listen), skip(Listen, "by letter"), Open(Record)),
        (Open(Record), complete(Record, "done"), Open(Judge)),
        (Open(Record), skip(Record, "by letter"), Open(Judge)),
        (Open(Judge), judge(true, "thanked"), Open(Agree)),
        (Open(Judge), judge(false, "used outside warranty"), ClosedNotValid),
        (Open(Judge), skip(Judge, "by letter"), Open(Agree)),
        (Open(Agree), complete(Agree, "done"), Open(Execute)),
        (Open(Agree), skip(Agree, "by letter"), Open(Execute)),
        (Open(Agree), promise(), Open(Agree)),
        (Open(Execute), complete(Execute, "done"), Open(FollowUp)),
        (Open(Execute), skip(Execute, "by letter"), Open(FollowUp)),
        (Open(Execute), promise(), Open(Execute)),
        (
            Open(FollowUp),
            follow_up(true, Some(4), ""),
            State::ClosedResolved { satisfaction: 4 },
        ),
        (Open(FollowUp), follow_up(false, None, "still broken"), Open(Agree)),
    ];
    for step in Step::ALL {
        table.push((Open(step), wait("waiting for supplier"), Waiting { resume: step }));
        table.push((Waiting { resume: step }, resume(""), Open(step)));
    }
    table
}

/// The error an illegal (state, event) pair must give.
fn expected_error(state: State, event: &Event) -> ComplaintError {
    let current = match state {
        State::ClosedResolved { .. } | State::ClosedNotValid => return E::Closed,
        State::Waiting { .. } => return E::Paused,
        State::Open(step) => step,
    };
    let order = |got| E::OutOfOrder { expected: current, got };
    match event {
        Event::Resume { .. } => E::NotWaiting,
        Event::Complete { step, .. } | Event::Skip { step, .. } if *step != current => order(*step),
        Event::Complete { step, .. } => E::NeedsOutcome(*step),
        Event::Skip { step, .. } => E::CannotSkip(*step),
        Event::Judge { .. } => order(Judge),
        Event::FollowUp { .. } => order(FollowUp),
        Event::SetPromise { .. } => E::PromiseNotNow(current),
        Event::Wait { .. } => unreachable!("wait on an open step is legal"),
    }
}

/// 14 states × 19 events: the 27 legal pairs give the table's new state,
/// every other pair the specified error.
#[test]
fn every_state_and_event_pair_is_legal_or_refused_as_specified() {
    let legal = legal();
    assert_eq!(legal.len(), 27);
    let mut checked_legal = 0;
    for state in all_states() {
        for event in all_events() {
            let got = run(&progress(state), event.clone());
            match legal.iter().find(|(st, ev, _)| *st == state && *ev == event) {
                Some((_, _, next)) => {
                    let tr = got.unwrap_or_else(|e| panic!("{state:?} {event:?}: {e:?}"));
                    assert_eq!(tr.state, *next, "{state:?} {event:?}");
                    assert_eq!(tr.entry.at, t(AT));
                    assert_eq!(Some(tr.entry.step), state.step());
                    checked_legal += 1;
                }
                None => {
                    let expected = expected_error(state, &event);
                    assert_eq!(got, Err(expected), "{state:?} {event:?}");
                }
            }
        }
    }
    assert_eq!(checked_legal, legal.len(), "every legal row was exercised");
}

#[test]
fn payload_rules_are_enforced() {
    use State::Open;
    let no_promise = Progress::new(t(RECEIVED));
    let at_execute = Progress {
        state: Open(Execute),
        ..no_promise
    };
    let early_promise = Progress {
        promised_due: Some(t("2024-05-30 09:00")),
        ..at_execute
    };
    let at = |step| progress(Open(step));
    let cases: Vec<(Progress, Event, ComplaintError)> = vec![
        (at(Listen), skip(Listen, "  "), E::ReasonRequired),
        (at(Agree), skip(Agree, ""), E::ReasonRequired),
        (at(Record), wait("\t"), E::ReasonRequired),
        (at(Judge), judge(false, " "), E::ExplanationRequired),
        (at_execute, complete(Execute, "done"), E::PromiseRequired),
        (early_promise, complete(Execute, "done"), E::PromiseBeforeReceipt),
        (at(Agree), promise("2024-05-31 21:59", ""), E::PromiseBeforeReceipt),
        (at(Execute), promise("2024-05-01 10:00", ""), E::PromiseBeforeReceipt),
        (at(Agree), promise("2024-06-01 09:59", ""), E::PromiseInPast),
        (at(FollowUp), follow_up(true, None, ""), E::SatisfactionRequired),
        (at(FollowUp), follow_up(true, Some(0), ""), E::SatisfactionOutOfRange(0)),
        (at(FollowUp), follow_up(true, Some(6), ""), E::SatisfactionOutOfRange(6)),
        (
            at(FollowUp),
            follow_up(false, Some(9), ""),
            E::SatisfactionOutOfRange(9),
        ),
    ];
    for (p, event, err) in cases {
        assert_eq!(run(&p, event.clone()), Err(err), "{:?} {event:?}", p.state);
    }
}

#[test]
fn events_before_receipt_are_refused() {
    let p = progress(State::Open(Listen));
    let cfg = ComplaintConfig::default();
    let early = t("2024-05-31 21:00");
    assert_eq!(apply(&p, complete(Listen, ""), early, &cfg), Err(E::BeforeReceipt));
    assert!(apply(&p, complete(Listen, ""), t(RECEIVED), &cfg).is_ok());
}

#[test]
fn boundary_values_are_accepted() {
    // Promise due exactly when it is made; a satisfied close at the lowest
    // satisfaction allowed (3 by default) and at 5.
    let tr = run(&progress(State::Open(Agree)), promise(AT, "")).unwrap();
    assert_eq!(tr.promised_due, Some(t(AT)));
    for sat in [3, 5] {
        let tr = run(&progress(State::Open(FollowUp)), follow_up(true, Some(sat), "")).unwrap();
        assert_eq!(tr.state, State::ClosedResolved { satisfaction: sat });
        assert_eq!(tr.entry.satisfaction, Some(sat));
    }
}

#[test]
fn execute_schedules_the_follow_up() {
    let p = progress(State::Open(Execute));
    let tr = run(&p, complete(Execute, "unit replaced")).unwrap();
    assert_eq!(tr.follow_up_at, Some(t("2024-06-04 10:00")));
    assert_eq!(tr.entry.kind, EntryKind::Completed);
    assert_eq!(tr.entry.text, "unit replaced");
    // Configurable, and across a month end.
    let cfg = ComplaintConfig {
        follow_up_days: 7,
        ..ComplaintConfig::default()
    };
    let tr = apply(&p, skip(Execute, "apology was enough"), t("2024-06-28 10:00"), &cfg).unwrap();
    assert_eq!(tr.follow_up_at, Some(t("2024-07-05 10:00")));
    // Nothing else schedules a follow-up.
    for state in all_states() {
        for event in all_events() {
            if let Ok(tr) = run(&progress(state), event.clone()) {
                let is_execute =
                    state == State::Open(Execute) && matches!(event, Event::Complete { .. } | Event::Skip { .. });
                assert_eq!(tr.follow_up_at.is_some(), is_execute, "{state:?} {event:?}");
            }
        }
    }
}

#[test]
fn timeline_entries_keep_kind_and_trimmed_text() {
    use EntryKind as K;
    use State::Open;
    let cases: Vec<(State, Event, EntryKind, &str)> = vec![
        (
            Open(Listen),
            complete(Listen, " calmed down "),
            K::Completed,
            "calmed down",
        ),
        (Open(Record), skip(Record, " form on file "), K::Skipped, "form on file"),
        (Open(Judge), judge(true, ""), K::JudgedValid, ""),
        (Open(Judge), judge(false, "misuse"), K::JudgedNotValid, "misuse"),
        (
            Open(Agree),
            promise("2024-06-03 12:00", "refund"),
            K::PromiseSet,
            "refund",
        ),
        (
            Open(FollowUp),
            follow_up(true, Some(5), "happy"),
            K::FollowUpSatisfied,
            "happy",
        ),
        (
            Open(FollowUp),
            follow_up(false, Some(2), "no"),
            K::FollowUpUnsatisfied,
            "no",
        ),
        (Open(Agree), wait("customer abroad"), K::Waiting, "customer abroad"),
        (State::Waiting { resume: Agree }, resume("back"), K::Resumed, "back"),
    ];
    for (state, event, kind, text) in cases {
        let tr = run(&progress(state), event).unwrap();
        assert_eq!((tr.entry.kind, tr.entry.text.as_str()), (kind, text));
    }
    let tr = run(&progress(Open(Agree)), promise("2024-06-03 12:00", "")).unwrap();
    assert_eq!(tr.entry.due, Some(t("2024-06-03 12:00")));
    assert_eq!(tr.promised_due, Some(t("2024-06-03 12:00")));
}

#[test]
fn a_satisfied_close_needs_the_configured_satisfaction() {
    let at = progress(State::Open(FollowUp));
    for sat in [1, 2] {
        assert_eq!(
            run(&at, follow_up(true, Some(sat), "")),
            Err(E::SatisfactionTooLow { got: sat, min: 3 })
        );
        // The same rating is fine for "still unsatisfied".
        assert_eq!(
            run(&at, follow_up(false, Some(sat), "")).unwrap().state,
            State::Open(Agree)
        );
    }
    let lenient = ComplaintConfig {
        min_satisfied: 1,
        ..ComplaintConfig::default()
    };
    let tr = apply(&at, follow_up(true, Some(1), ""), t(AT), &lenient).unwrap();
    assert_eq!(tr.state, State::ClosedResolved { satisfaction: 1 });
}

#[test]
fn unsatisfied_follow_up_revises_the_solution() {
    let before = progress(State::Open(FollowUp));
    let tr = run(&before, follow_up(false, Some(2), "still broken")).unwrap();
    assert_eq!(tr.state, State::Open(Agree));
    assert_eq!(tr.promised_due, None, "a revised solution needs a new promise");
    assert_eq!(tr.entry.satisfaction, Some(2));
    let back = before.after(&tr);
    assert_eq!(back.state, State::Open(Agree));
    let at_execute = Progress {
        state: State::Open(Execute),
        ..back
    };
    assert_eq!(run(&at_execute, complete(Execute, "")), Err(E::PromiseRequired));
}

/// A whole complaint, with a pause, a revision and the timeline helpers.
#[test]
fn full_walk_through() {
    let cfg = ComplaintConfig::default();
    let mut p = Progress::new(t("2024-06-01 09:00"));
    let mut timeline = Vec::new();
    let mut follow_ups = Vec::new();
    let steps = [
        ("2024-06-01 09:30", wait("customer in a meeting")),
        ("2024-06-01 11:00", resume("")),
        ("2024-06-01 11:05", complete(Listen, "apologised")),
        ("2024-06-01 11:30", complete(Record, "record filled")),
        ("2024-06-01 12:00", judge(true, "thanked")),
        ("2024-06-01 12:10", promise("2024-06-03 18:00", "replace")),
        ("2024-06-01 12:20", complete(Agree, "agreed")),
        ("2024-06-03 17:00", complete(Execute, "replaced")),
        ("2024-06-06 17:00", follow_up(false, Some(2), "noisy")),
        ("2024-06-06 17:10", promise("2024-06-08 12:00", "refund")),
        ("2024-06-06 17:20", complete(Agree, "refund agreed")),
        ("2024-06-07 10:00", complete(Execute, "refunded")),
        ("2024-06-10 10:00", follow_up(true, Some(4), "ok")),
    ];
    for (at, event) in steps {
        let tr = apply(&p, event, t(at), &cfg).unwrap();
        follow_ups.extend(tr.follow_up_at);
        p = p.after(&tr);
        timeline.push(tr.entry);
    }
    assert_eq!(p.state, State::ClosedResolved { satisfaction: 4 });
    assert_eq!(follow_ups, vec![t("2024-06-06 17:00"), t("2024-06-10 10:00")]);
    let paused = vec![(t("2024-06-01 09:30"), Some(t("2024-06-01 11:00")))];
    assert_eq!(pauses(&timeline), paused);
    assert_eq!(first_response_at(&timeline), Some(t("2024-06-01 11:05")));
    assert_eq!(closed_at(&timeline), Some(t("2024-06-10 10:00")));
}

#[test]
fn timeline_helpers_on_open_and_empty_timelines() {
    assert!(pauses(&[]).is_empty());
    assert_eq!(first_response_at(&[]), None);
    assert_eq!(closed_at(&[]), None);
    let tr = run(&Progress::new(t(RECEIVED)), wait("closed for holiday")).unwrap();
    let entries = std::slice::from_ref(&tr.entry);
    assert_eq!(pauses(entries), vec![(t(AT), None)]);
    assert_eq!(first_response_at(entries), None);
}

#[test]
fn identifiers_round_trip_and_steps_are_numbered() {
    for (i, step) in Step::ALL.into_iter().enumerate() {
        assert_eq!(usize::from(step.number()), i + 1);
        assert_eq!(Step::from_number(step.number()), Some(step));
        assert_eq!(Step::parse(step.as_str()), Some(step));
    }
    assert_eq!(Step::from_number(0), None);
    assert_eq!(Step::from_number(7), None);
    assert_eq!(FollowUp.next(), None);
    assert_eq!(Judge.next(), Some(Agree));
    for c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(c));
    }
    for k in Temperament::ALL {
        assert_eq!(Temperament::parse(k.as_str()), Some(k));
        assert_eq!(k.mistakes_key(), MISTAKES_TO_AVOID_KEY);
    }
    for k in EntryKind::ALL {
        assert_eq!(EntryKind::parse(k.as_str()), Some(k));
    }
    assert!(State::ClosedNotValid.is_closed());
    assert_eq!(State::Waiting { resume: Agree }.step(), Some(Agree));
}

#[test]
fn every_catalog_key_has_text() {
    use crate::i18n::{Lang, t};
    for key in catalog_keys() {
        for lang in [Lang::En, Lang::Zh] {
            assert_ne!(t(lang, key), key, "{key} missing");
        }
    }
}
