//! Short, translated labels for the time left on a complaint; shared by
//! the list, the open complaint, the pre-call card and the CLI.

use chrono::{Duration, NaiveDateTime};

use crate::domain::complaint::deadline::Deadline;
use crate::domain::complaint::record::Complaint;
use crate::i18n::{Lang, t, tf};

/// "2d 4h", "5h 30m", "45m" (rounded down to the minute).
pub fn span_label(lang: Lang, span: Duration) -> String {
    let minutes = span.num_minutes().abs();
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    if d > 0 {
        tf(lang, "complaints.span.dh", &[("d", &d), ("h", &h)])
    } else if h > 0 {
        tf(lang, "complaints.span.hm", &[("h", &h), ("m", &m)])
    } else {
        tf(lang, "complaints.span.m", &[("m", &m)])
    }
}

/// The time left on a complaint's next deadline at `now` (UTC): "in 5h",
/// "overdue 2d 4h", "waiting · 21h left", "closed", "—"; the bool says it
/// is overdue (shown in red).
pub fn time_left_label(lang: Lang, c: &Complaint, now: NaiveDateTime) -> (String, bool) {
    if c.state.is_closed() {
        return (t(lang, c.state.key()).to_string(), false);
    }
    let Some(next) = c.next_deadline() else {
        let key = if c.is_waiting() {
            "complaints.left.waiting_no_deadline"
        } else {
            "complaints.left.none"
        };
        return (t(lang, key).to_string(), false);
    };
    match next.deadline {
        Deadline::Paused { remaining } if remaining < Duration::zero() => (
            tf(
                lang,
                "complaints.left.waiting_overdue",
                &[("span", &span_label(lang, remaining))],
            ),
            false,
        ),
        Deadline::Paused { remaining } => (
            tf(
                lang,
                "complaints.left.waiting",
                &[("span", &span_label(lang, remaining))],
            ),
            false,
        ),
        Deadline::At(due) if due < now => (
            tf(
                lang,
                "complaints.left.overdue",
                &[("span", &span_label(lang, now - due))],
            ),
            true,
        ),
        Deadline::At(due) => (
            tf(lang, "complaints.left.in", &[("span", &span_label(lang, due - now))]),
            false,
        ),
    }
}
