//! The daily agenda (DOMAIN §3–4): what is due, for whom, and why, in the
//! order a rep works through it:
//!
//! 1. complaint deadlines, overdue then due today;
//! 2. follow-ups the rep scheduled, overdue then today;
//! 3. calls and visits due by grade cadence;
//! 4. care moments: birthdays, major holidays, business events;
//! 5. churn risks and lost customers worth a win-back call;
//! 6. new customers not followed up within their first days.
//!
//! Within a section the latest item comes first, then by customer name;
//! calls and visits due put key customers first (grade A before B…), then
//! the latest.

use chrono::{NaiveDate, NaiveDateTime};

use super::customer::Grade;
use super::holidays::Holiday;
use crate::str_enum;

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

/// The six sections, in agenda order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Complaints,
    FollowUps,
    Cadence,
    Care,
    Churn,
    NewCustomers,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Complaints,
        Section::FollowUps,
        Section::Cadence,
        Section::Care,
        Section::Churn,
        Section::NewCustomers,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Complaints => "agenda.section.complaints",
            Section::FollowUps => "agenda.section.follow_ups",
            Section::Cadence => "agenda.section.cadence",
            Section::Care => "agenda.section.care",
            Section::Churn => "agenda.section.churn",
            Section::NewCustomers => "agenda.section.new",
        }
    }
}

str_enum!(
    /// Business events the rep enters for a customer (DOMAIN §4).
    EventKind, "agenda.event" {
        StoreOpening => "store_opening",
        Anniversary => "anniversary",
        ProjectDone => "project_done",
        Promotion => "promotion",
        Other => "other",
    }
);

/// Why an item is on the agenda, with what the sentence needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Complaint {
        kind: DeadlineKind,
        due: NaiveDateTime,
        complaint_id: i64,
    },
    FollowUp {
        note: String,
        follow_up_id: i64,
    },
    /// A call due by cadence; `last` is the last call or visit.
    Call {
        grade: Grade,
        last: Option<NaiveDate>,
    },
    Visit {
        grade: Grade,
        last: Option<NaiveDate>,
    },
    Birthday {
        on: NaiveDate,
        age: Option<u32>,
    },
    Holiday {
        holiday: Holiday,
        on: NaiveDate,
    },
    Event {
        kind: EventKind,
        on: NaiveDate,
        note: String,
        years: Option<i32>,
    },
    ChurnRisk {
        grade: Grade,
        last: NaiveDate,
    },
    WinBack {
        grade: Grade,
        last: Option<NaiveDate>,
    },
    NewCustomer {
        added: NaiveDate,
    },
    /// A grade-A or -B account at risk (DOMAIN §6): the company, the
    /// account's grade, the warning's id (`no_decision_maker`,
    /// `decision_maker_quiet`, `single_contact`) and the decision
    /// maker's last contact.
    Coverage {
        company: String,
        grade: Grade,
        warning: &'static str,
        last: Option<NaiveDate>,
    },
    /// A valuable customer at risk (DOMAIN §9): catalog key of the segment
    /// or class that says so, days since the last purchase, and the amount
    /// bought in the analysis window (minor units of `currency`).
    ValueAtRisk {
        label_key: &'static str,
        recency_days: i64,
        amount: i64,
        window_days: Option<i64>,
        currency: super::value::Currency,
    },
}

impl Reason {
    pub fn section(&self) -> Section {
        match self {
            Reason::Complaint { .. } => Section::Complaints,
            Reason::FollowUp { .. } => Section::FollowUps,
            Reason::Call { .. } | Reason::Visit { .. } => Section::Cadence,
            Reason::Birthday { .. } | Reason::Holiday { .. } | Reason::Event { .. } => Section::Care,
            Reason::ChurnRisk { .. }
            | Reason::WinBack { .. }
            | Reason::ValueAtRisk { .. }
            | Reason::Coverage { .. } => Section::Churn,
            Reason::NewCustomer { .. } => Section::NewCustomers,
        }
    }

    /// The stable name of the kind of item, used for snoozes and in JSON.
    pub fn kind(&self) -> String {
        match self {
            Reason::Complaint { kind, .. } => match kind {
                DeadlineKind::FirstResponse => "complaint_first_response".into(),
                DeadlineKind::Promise => "complaint_promise".into(),
                DeadlineKind::FollowUp => "complaint_follow_up".into(),
            },
            Reason::FollowUp { .. } => "follow_up".into(),
            Reason::Call { .. } => "call".into(),
            Reason::Visit { .. } => "visit".into(),
            Reason::Birthday { .. } => "birthday".into(),
            Reason::Holiday { holiday, .. } => format!("holiday_{}", holiday.key().trim_start_matches("holiday.")),
            Reason::Event { kind, .. } => format!("event_{}", kind.as_str()),
            Reason::ChurnRisk { .. } => "churn_risk".into(),
            Reason::WinBack { .. } => "win_back".into(),
            Reason::ValueAtRisk { .. } => VALUE_AT_RISK.into(),
            Reason::NewCustomer { .. } => "new_customer".into(),
            Reason::Coverage { .. } => COVERAGE.into(),
        }
    }
}

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub customer_id: i64,
    pub customer: String,
    pub reason: Reason,
    /// The day it is due (the day of a care moment itself).
    pub due: NaiveDate,
    /// Days past due on the agenda's day (0 = due that day; negative =
    /// still ahead, as for a birthday next week).
    pub days_late: i64,
    /// How often the rep postponed it.
    pub snoozes: u32,
}

impl Item {
    pub fn section(&self) -> Section {
        self.reason.section()
    }
}

/// The kind of an account's coverage warning (snoozes, JSON).
pub const COVERAGE: &str = "coverage";

/// The kind of a valuable customer at risk (snoozes, JSON).
pub const VALUE_AT_RISK: &str = "value_at_risk";

/// Sorts items into agenda order; in the churn section valuable customers
/// at risk come first, the largest buyers first.
pub fn order(items: &mut [Item]) {
    let value = |i: &Item| match &i.reason {
        Reason::ValueAtRisk { amount, .. } => -*amount,
        _ => 1,
    };
    items.sort_by(|a, b| {
        a.section()
            .cmp(&b.section())
            .then_with(|| cadence_grade(a).cmp(&cadence_grade(b)))
            .then(value(a).cmp(&value(b)))
            .then(b.days_late.cmp(&a.days_late))
            .then_with(|| complaint_due(a).cmp(&complaint_due(b)))
            .then_with(|| a.customer.cmp(&b.customer))
            .then(a.customer_id.cmp(&b.customer_id))
    });
}

/// The grade of a call or visit due (key customers first); other items
/// have none and keep their order.
fn cadence_grade(i: &Item) -> Option<Grade> {
    match &i.reason {
        Reason::Call { grade, .. } | Reason::Visit { grade, .. } => Some(*grade),
        _ => None,
    }
}

fn complaint_due(i: &Item) -> Option<NaiveDateTime> {
    match &i.reason {
        Reason::Complaint { due, .. } => Some(*due),
        _ => None,
    }
}

/// How a snooze or a reschedule moves an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    Days(i64),
    Until(NaiveDate),
}

impl Snooze {
    pub fn until(self, today: NaiveDate) -> NaiveDate {
        match self {
            Snooze::Days(n) => today + chrono::Duration::days(n),
            Snooze::Until(d) => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn item(name: &str, reason: Reason, days_late: i64) -> Item {
        Item {
            customer_id: 1,
            customer: name.into(),
            reason,
            due: d(11, 23),
            days_late,
            snoozes: 0,
        }
    }

    #[test]
    fn sections_first_then_key_customers_then_most_late_then_name() {
        let at = d(11, 23).and_hms_opt(9, 0, 0).unwrap();
        let mut items = vec![
            item("B", Reason::NewCustomer { added: d(11, 1) }, 19),
            item(
                "Z",
                Reason::Call {
                    grade: Grade::A,
                    last: Some(d(9, 1)),
                },
                3,
            ),
            item(
                "A",
                Reason::Call {
                    grade: Grade::A,
                    last: Some(d(8, 1)),
                },
                30,
            ),
            item(
                "C",
                Reason::Complaint {
                    kind: DeadlineKind::FirstResponse,
                    due: at,
                    complaint_id: 1,
                },
                0,
            ),
            item(
                "D",
                Reason::FollowUp {
                    note: String::new(),
                    follow_up_id: 1,
                },
                0,
            ),
            // A grade D never called, far later than any grade A, still
            // comes after them.
            item(
                "Y",
                Reason::Call {
                    grade: Grade::D,
                    last: None,
                },
                562,
            ),
        ];
        order(&mut items);
        let names: Vec<&str> = items.iter().map(|i| i.customer.as_str()).collect();
        assert_eq!(names, vec!["C", "D", "A", "Z", "Y", "B"]);
    }

    #[test]
    fn kinds_are_stable_names() {
        assert_eq!(
            Reason::Holiday {
                holiday: Holiday::SpringFestival,
                on: d(2, 17)
            }
            .kind(),
            "holiday_spring_festival"
        );
        assert_eq!(
            Reason::Event {
                kind: EventKind::StoreOpening,
                on: d(1, 1),
                note: String::new(),
                years: None
            }
            .kind(),
            "event_store_opening"
        );
        assert_eq!(Snooze::Days(3).until(d(11, 23)), d(11, 26));
    }
}
