//! Agenda items in words: "call due — grade A, last call 34 days ago",
//! "birthday tomorrow", "complaint first response overdue by 3 h".

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::agenda::{DeadlineKind, Item, Reason};
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};

/// "today", "tomorrow", "in 5 days", "3 days ago", or the date.
pub fn day_label(lang: Lang, d: NaiveDate, today: NaiveDate) -> String {
    match (d - today).num_days() {
        0 => t(lang, "agenda.when.today").to_string(),
        1 => t(lang, "agenda.when.tomorrow").to_string(),
        n if (2..=30).contains(&n) => tf(lang, "agenda.when.in_days", &[("n", &n)]),
        n if (-30..0).contains(&n) => tf(lang, "agenda.when.days_ago", &[("n", &-n)]),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

fn hours(d: chrono::Duration) -> i64 {
    (d.num_minutes() as f64 / 60.0).round() as i64
}

/// Why the item is on the agenda, in the user's language. `now` is the
/// moment the agenda is read (complaint deadlines are by the hour).
pub fn reason_text(lang: Lang, item: &Item, now: NaiveDateTime) -> String {
    let today = now.date();
    let since = |last: Option<NaiveDate>| last.map(|d| (today - d).num_days());
    match &item.reason {
        // How late it is stands once, in the lateness column.
        Reason::Complaint { kind, .. } => {
            let what = t(
                lang,
                match kind {
                    DeadlineKind::FirstResponse => "agenda.complaint.first_response",
                    DeadlineKind::Promise => "agenda.complaint.promise",
                    DeadlineKind::FollowUp => "agenda.complaint.follow_up",
                },
            );
            what.to_string()
        }
        Reason::FollowUp { note, .. } if note.is_empty() => t(lang, "agenda.reason.follow_up").to_string(),
        Reason::FollowUp { note, .. } => tf(lang, "agenda.reason.follow_up_note", &[("note", &clean(note))]),
        Reason::Call { grade, last } => match since(*last) {
            Some(n) => tf(lang, "agenda.reason.call", &[("grade", &grade.as_str()), ("n", &n)]),
            None => tf(lang, "agenda.reason.call_never", &[("grade", &grade.as_str())]),
        },
        Reason::Visit { grade, last } => match since(*last) {
            Some(n) => tf(lang, "agenda.reason.visit", &[("grade", &grade.as_str()), ("n", &n)]),
            None => tf(lang, "agenda.reason.visit_never", &[("grade", &grade.as_str())]),
        },
        Reason::Birthday { on, age } => {
            let when = day_label(lang, *on, item_day(item, today));
            match age {
                Some(a) => tf(lang, "agenda.reason.birthday_age", &[("when", &when), ("age", a)]),
                None => tf(lang, "agenda.reason.birthday", &[("when", &when)]),
            }
        }
        Reason::Holiday { holiday, on } => tf(
            lang,
            "agenda.reason.holiday",
            &[
                ("holiday", &t(lang, holiday.key())),
                ("when", &day_label(lang, *on, item_day(item, today))),
            ],
        ),
        Reason::Event { kind, on, note, years } => {
            let mut s = tf(
                lang,
                "agenda.reason.event",
                &[
                    ("event", &t(lang, kind.key())),
                    ("when", &day_label(lang, *on, item_day(item, today))),
                ],
            );
            if let Some(y) = years.filter(|y| *y > 0) {
                s.push_str(&tf(lang, "agenda.reason.event_years", &[("n", &y)]));
            }
            if !note.is_empty() {
                s.push_str(" — ");
                s.push_str(&clean(note));
            }
            s
        }
        Reason::ChurnRisk { grade, last } => tf(
            lang,
            "agenda.reason.churn",
            &[("n", &(today - *last).num_days()), ("grade", &grade.as_str())],
        ),
        Reason::WinBack { grade, last } => match since(*last) {
            Some(n) => tf(lang, "agenda.reason.win_back", &[("grade", &grade.as_str()), ("n", &n)]),
            None => tf(lang, "agenda.reason.win_back_never", &[("grade", &grade.as_str())]),
        },
        Reason::NewCustomer { added } => tf(lang, "agenda.reason.new", &[("n", &(today - *added).num_days())]),
        Reason::Coverage {
            company,
            grade,
            warning,
            last,
        } => {
            let what = match (*warning, since(*last)) {
                ("decision_maker_quiet", Some(n)) => tf(lang, "account.agenda.quiet", &[("n", &n)]),
                ("decision_maker_quiet", None) => t(lang, "account.agenda.never").to_string(),
                ("single_contact", _) => t(lang, "account.agenda.single").to_string(),
                _ => t(lang, "account.agenda.no_decision_maker").to_string(),
            };
            tf(
                lang,
                "account.agenda.reason",
                &[
                    ("company", &clean(company)),
                    ("grade", &grade.as_str()),
                    ("what", &what),
                ],
            )
        }
        Reason::ValueAtRisk {
            label_key,
            recency_days,
            amount,
            window_days,
            currency,
        } => {
            let amount = crate::domain::value::format_amount(*amount, *currency);
            let key = match window_days {
                Some(_) => "agenda.reason.value_risk",
                None => "agenda.reason.value_risk_all",
            };
            tf(
                lang,
                key,
                &[
                    ("label", &t(lang, label_key)),
                    ("n", recency_days),
                    ("amount", &amount),
                    ("days", &window_days.unwrap_or(0)),
                ],
            )
        }
    }
}

/// The day the item is read on: its due date minus how late it is.
fn item_day(item: &Item, today: NaiveDate) -> NaiveDate {
    item.due
        .checked_add_signed(chrono::Duration::days(item.days_late))
        .unwrap_or(today)
}

/// Days `item` is late (negative: ahead). A complaint deadline is an hour,
/// not a day: whole days past it, as its reason counts them.
pub fn days_late(item: &Item, now: NaiveDateTime) -> i64 {
    match item.reason {
        Reason::Complaint { due, .. } if due < now => (now - due).num_days(),
        Reason::Complaint { due, .. } if due.date() == now.date() => 0,
        _ => item.days_late,
    }
}

/// The item is past its time (a complaint deadline by the hour).
pub fn is_past(item: &Item, now: NaiveDateTime) -> bool {
    match item.reason {
        Reason::Complaint { due, .. } => due < now,
        _ => item.days_late > 0,
    }
}

/// How late the item is, the one place the agenda says so: "3d late",
/// "due today", "in 2d"; a complaint deadline within two days of now by
/// the hour ("5 h late", "in 11 h").
pub fn late_text(lang: Lang, item: &Item, now: NaiveDateTime) -> String {
    if let Reason::Complaint { due, .. } = item.reason {
        let left = due - now;
        if left < chrono::Duration::zero() && hours(-left) < 48 {
            return tf(lang, "agenda.late.hours", &[("h", &hours(-left).max(1))]);
        }
        if left >= chrono::Duration::zero() && hours(left) < 48 {
            return tf(lang, "agenda.late.in_hours", &[("h", &hours(left))]);
        }
    }
    match days_late(item, now) {
        0 => t(lang, "agenda.late.today").to_string(),
        n if n > 0 => tf(lang, "agenda.late.days", &[("n", &n)]),
        n => tf(lang, "agenda.late.ahead", &[("n", &-n)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_complaint_is_as_late_as_its_reason_says() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let due = now - Duration::hours(71);
        let item = Item {
            customer_id: 1,
            customer: "张伟".into(),
            reason: Reason::Complaint {
                kind: DeadlineKind::Promise,
                due,
                complaint_id: 7,
            },
            due: due.date(),
            // By the calendar it is three days.
            days_late: (now.date() - due.date()).num_days(),
            snoozes: 0,
        };
        assert_eq!(item.days_late, 3);
        // The reason names the deadline; how late it is stands once.
        assert_eq!(
            reason_text(Lang::En, &item, now),
            t(Lang::En, "agenda.complaint.promise")
        );
        assert_eq!(days_late(&item, now), 2);
        assert_eq!(
            late_text(Lang::En, &item, now),
            tf(Lang::En, "agenda.late.days", &[("n", &2)])
        );
        // Passed hours ago: overdue, not "due today".
        let recent = Item {
            reason: Reason::Complaint {
                kind: DeadlineKind::Promise,
                due: now - Duration::hours(5),
                complaint_id: 7,
            },
            ..item
        };
        assert_eq!(late_text(Lang::En, &recent, now), "5 h late");
        assert_eq!(late_text(Lang::Zh, &recent, now), "逾期5小时");
        let ahead = Item {
            reason: Reason::Complaint {
                kind: DeadlineKind::FirstResponse,
                due: now + Duration::hours(11),
                complaint_id: 7,
            },
            ..recent
        };
        assert_eq!(late_text(Lang::En, &ahead, now), "in 11 h");
    }
}
