//! Short, translated labels for the time left on a complaint; shared by
//! the list, the open complaint, the pre-call card and the CLI.

use chrono::{Duration, NaiveDateTime};

use crate::domain::complaint::deadline::Deadline;
use crate::domain::complaint::record::Complaint;
use crate::i18n::{Lang, t, tf};

/// "2d 4h", "3d", "5h 30m", "6h", "45m" (rounded down to the minute).
pub fn span_label(lang: Lang, span: Duration) -> String {
    let minutes = span.num_minutes().abs();
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => tf(lang, "complaints.span.m", &[("m", &m)]),
        (0, h, 0) => tf(lang, "complaints.span.h", &[("h", &h)]),
        (0, h, m) => tf(lang, "complaints.span.hm", &[("h", &h), ("m", &m)]),
        (d, 0, _) => tf(lang, "complaints.span.d", &[("d", &d)]),
        (d, h, _) => tf(lang, "complaints.span.dh", &[("d", &d), ("h", &h)]),
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

/// A record correction as the timeline shows it, in the reader's
/// language: "What happened: 冰柜不制冷 → 冰柜不制冷，食品变质".
pub fn edit_line(lang: Lang, text: &str) -> Option<String> {
    use crate::domain::complaint::edit::{EditedField, RecordEdit};
    use crate::domain::complaint::{Category, Temperament};
    let e = RecordEdit::from_text(text)?;
    let shown = |v: &str| -> String {
        let label = match e.field {
            EditedField::Category => Category::parse(v).map(|c| t(lang, c.key()).to_string()),
            EditedField::Temperament => Temperament::parse(v).map(|c| t(lang, c.key()).to_string()),
            _ => None,
        };
        match label {
            Some(l) => l,
            None if v.is_empty() => t(lang, "complaints.edit.empty").to_string(),
            None => crate::domain::text::clean(v).replace('\n', " / "),
        }
    };
    Some(tf(
        lang,
        "complaints.edit.line",
        &[
            ("field", &t(lang, e.field.key())),
            ("old", &shown(&e.old)),
            ("new", &shown(&e.new)),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally_in_both_languages() {
        let cases = [
            (Duration::minutes(45), "45m", "45分钟"),
            (Duration::hours(6), "6h", "6小时"),
            (Duration::minutes(21 * 60 + 30), "21h 30m", "21小时30分"),
            (Duration::days(3), "3d", "3天"),
            (Duration::hours(57) + Duration::minutes(59), "2d 9h", "2天9小时"),
            (-Duration::hours(6), "6h", "6小时"),
        ];
        for (span, en, zh) in cases {
            assert_eq!(span_label(Lang::En, span), en);
            assert_eq!(span_label(Lang::Zh, span), zh);
        }
    }
}
