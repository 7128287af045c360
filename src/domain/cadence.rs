//! Contact cadence per grade (DOMAIN §3) and care-moment lead times (§4).

use crate::domain::customer::Grade;
use crate::domain::dates::{Birthday, add_months, days_until_birthday, next_birthday};
use crate::domain::holidays::{Holiday, upcoming};
use chrono::{NaiveDate, TimeDelta};

/// When something is due. Ordered by urgency: `Now < On(earlier) < On(later)
/// < Never`, so `min` picks the most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Due {
    /// No contact yet: due immediately.
    Now,
    On(NaiveDate),
    /// This grade has no such cadence.
    Never,
}

/// Index of a grade into the per-grade arrays of [`Cadence`].
pub fn idx(g: Grade) -> usize {
    match g {
        Grade::A => 0,
        Grade::B => 1,
        Grade::C => 2,
        Grade::D => 3,
    }
}

/// The cadence table, indexed by [`idx`]. All values are user-configurable.
#[derive(Clone, Debug, PartialEq)]
pub struct Cadence {
    /// Call every N months; `None` = no call cadence.
    pub call_months: [Option<u32>; 4],
    /// Visit every N months; `None` = never visit.
    pub visit_months: [Option<u32>; 4],
    /// Days before a birthday it appears on the agenda (0 = on the day).
    pub birthday_lead_days: [i64; 4],
    /// Days before a holiday it appears (0 = on the day); `None` = no greeting.
    pub holiday_lead_days: [Option<i64>; 4],
    /// Churn risk after this many call intervals without contact.
    pub churn_factor: u32,
    /// A new customer is followed up within this many days.
    pub new_customer_days: i64,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            call_months: [Some(1), Some(3), Some(6), Some(12)],
            visit_months: [Some(3), Some(6), Some(12), None],
            birthday_lead_days: [7, 3, 0, 0],
            holiday_lead_days: [Some(7), Some(3), Some(0), None],
            churn_factor: 2,
            new_customer_days: 3,
        }
    }
}

/// What the next call counts from: the last call, or for a customer never
/// contacted, the day they were added.
fn call_baseline(last_call: Option<NaiveDate>, last_visit: Option<NaiveDate>, added: NaiveDate) -> Option<NaiveDate> {
    match (last_call, last_visit) {
        (None, None) => Some(added),
        _ => last_call,
    }
}

fn due_after(last: Option<NaiveDate>, months: Option<u32>) -> Due {
    match (months, last) {
        (None, _) => Due::Never,
        (Some(_), None) => Due::Now,
        (Some(m), Some(last)) => Due::On(add_months(last, m)),
    }
}

/// The last contact that counts as a call: the later of the last call and
/// the last visit ([`InteractionKind::counts_as_call`]: a visit also counts
/// as one).
///
/// [`InteractionKind::counts_as_call`]: crate::domain::interaction::InteractionKind::counts_as_call
pub fn last_call(last_call: Option<NaiveDate>, last_visit: Option<NaiveDate>) -> Option<NaiveDate> {
    use crate::domain::interaction::InteractionKind::{Call, Visit};
    [(Call, last_call), (Visit, last_visit)]
        .into_iter()
        .filter(|(kind, _)| kind.counts_as_call())
        .filter_map(|(_, day)| day)
        .max()
}

impl Cadence {
    /// Next call: the later of the last call and last visit (a visit also
    /// counts as a call) plus the grade's call interval, month-end clamped.
    pub fn next_call_due(&self, grade: Grade, last_call: Option<NaiveDate>, last_visit: Option<NaiveDate>) -> Due {
        due_after(self::last_call(last_call, last_visit), self.call_months[idx(grade)])
    }

    /// Next visit: last visit plus the grade's visit interval; `Never` for
    /// grades that are not visited (D by default).
    pub fn next_visit_due(&self, grade: Grade, last_visit: Option<NaiveDate>) -> Due {
        due_after(last_visit, self.visit_months[idx(grade)])
    }

    /// The earlier of the next call and next visit; `Never` only if both are.
    pub fn next_due(&self, grade: Grade, last_call: Option<NaiveDate>, last_visit: Option<NaiveDate>) -> Due {
        self.next_call_due(grade, last_call, last_visit)
            .min(self.next_visit_due(grade, last_visit))
    }

    /// Next due for a customer added on `added`. A customer never called
    /// nor visited who is followed up as new (`as_new`: everyone added by
    /// hand, imports only when the rep says so) is due within
    /// `new_customer_days` of being added (DOMAIN §4). Otherwise the next
    /// call (a visit counts as one) or the next visit, whichever is first;
    /// for a customer never contacted and not followed up as new (a book
    /// imported from elsewhere) the cadence counts from the day they were
    /// added, so a thousand imported rows are not all due at once.
    /// A customer never visited gets the first visit one visit interval
    /// after being added, not "now" (otherwise every phone-only customer
    /// would be overdue). The list, the card and the agenda all use this.
    pub fn next_due_since(
        &self,
        grade: Grade,
        last_call: Option<NaiveDate>,
        last_visit: Option<NaiveDate>,
        added: NaiveDate,
        as_new: bool,
    ) -> Due {
        if last_call.is_none() && last_visit.is_none() && as_new {
            return Due::On(self.new_customer_due(added));
        }
        self.next_call_due(grade, call_baseline(last_call, last_visit, added), last_visit)
            .min(self.next_visit_due(grade, last_visit.or(Some(added))))
    }

    /// The next due date as the list, the card and the agenda show it: a
    /// non-customer is not contacted any more (DOMAIN §1), so never due.
    pub fn due_for(
        &self,
        status: crate::domain::customer::Status,
        grade: Grade,
        last_call: Option<NaiveDate>,
        last_visit: Option<NaiveDate>,
        added: NaiveDate,
        as_new: bool,
    ) -> Due {
        if status == crate::domain::customer::Status::NonCustomer {
            return Due::Never;
        }
        self.next_due_since(grade, last_call, last_visit, added, as_new)
    }

    /// Whether the next due date is a visit (which also covers the call).
    pub fn visit_is_next(
        &self,
        grade: Grade,
        last_call: Option<NaiveDate>,
        last_visit: Option<NaiveDate>,
        added: NaiveDate,
    ) -> bool {
        let visit = self.next_visit_due(grade, last_visit.or(Some(added)));
        visit != Due::Never
            && visit <= self.next_call_due(grade, call_baseline(last_call, last_visit, added), last_visit)
    }

    /// True when `today` is more than `churn_factor` call intervals after the
    /// last contact (e.g. A: last contact Jan 15 → at risk from Mar 16).
    /// A customer never contacted is not a churn risk: they are due now
    /// instead. A grade without a call cadence is never at risk.
    pub fn is_churn_risk(&self, grade: Grade, last_contact: Option<NaiveDate>, today: NaiveDate) -> bool {
        match (self.call_months[idx(grade)], last_contact) {
            (Some(m), Some(last)) => today > add_months(last, m.saturating_mul(self.churn_factor)),
            _ => false,
        }
    }

    /// The first day a customer last contacted on `last_contact` counts as
    /// a churn risk (the day after `churn_factor` call intervals); `None`
    /// when never contacted or the grade has no call cadence.
    pub fn churn_from(&self, grade: Grade, last_contact: Option<NaiveDate>) -> Option<NaiveDate> {
        let m = self.call_months[idx(grade)]?;
        let last = last_contact?;
        add_months(last, m.saturating_mul(self.churn_factor)).succ_opt()
    }

    /// When a customer added on `added` must have had a first follow-up.
    pub fn new_customer_due(&self, added: NaiveDate) -> NaiveDate {
        TimeDelta::try_days(self.new_customer_days)
            .and_then(|delta| added.checked_add_signed(delta))
            .unwrap_or(added)
    }

    /// Birthday lead time in days for `grade`.
    pub fn birthday_lead(&self, grade: Grade) -> i64 {
        self.birthday_lead_days[idx(grade)]
    }

    /// Holiday greeting lead time for `grade`; `None` = no greeting.
    pub fn holiday_lead(&self, grade: Grade) -> Option<i64> {
        self.holiday_lead_days[idx(grade)]
    }

    /// The upcoming birthday date if it is within the grade's lead time
    /// (from the lead day up to and including the birthday).
    pub fn birthday_reminder(&self, grade: Grade, birthday: &Birthday, today: NaiveDate) -> Option<NaiveDate> {
        (days_until_birthday(birthday, today) <= self.birthday_lead(grade)).then(|| next_birthday(birthday, today))
    }

    /// Holidays this grade should be greeted for, as of `today`.
    pub fn holiday_greetings(&self, grade: Grade, today: NaiveDate) -> Vec<(Holiday, NaiveDate)> {
        self.holiday_lead(grade)
            .map(|lead| upcoming(today, lead))
            .unwrap_or_default()
    }
}

/// Days past due as of `today`: `Some(0)` for `Now` and for due today,
/// `None` when not yet due or `Never`.
pub fn days_overdue(due: Due, today: NaiveDate) -> Option<i64> {
    match due {
        Due::Now => Some(0),
        Due::On(d) if d <= today => Some((today - d).num_days()),
        Due::On(_) | Due::Never => None,
    }
}

#[cfg(test)]
mod since_tests {
    use super::*;

    #[test]
    fn the_last_call_is_the_later_of_the_last_call_and_the_last_visit() {
        let (call, visit) = (Some(d(2026, 3, 1)), Some(d(2026, 4, 2)));
        assert_eq!(last_call(call, visit), visit);
        assert_eq!(last_call(visit, call), visit);
        assert_eq!(last_call(None, visit), visit);
        assert_eq!(last_call(call, None), call);
        assert_eq!(last_call(None, None), None);
    }

    #[test]
    fn non_customers_are_never_due() {
        let c = Cadence::default();
        let added = d(2026, 1, 10);
        assert_eq!(
            c.due_for(
                crate::domain::customer::Status::NonCustomer,
                Grade::A,
                None,
                None,
                added,
                true
            ),
            Due::Never
        );
        assert_eq!(
            c.due_for(crate::domain::customer::Status::Lost, Grade::A, None, None, added, true),
            c.next_due_since(Grade::A, None, None, added, true)
        );
    }

    #[test]
    fn churn_from_agrees_with_is_churn_risk() {
        let c = Cadence::default();
        let last = d(2026, 1, 31);
        let from = c.churn_from(Grade::A, Some(last)).unwrap();
        assert_eq!(from, d(2026, 4, 1));
        assert!(c.is_churn_risk(Grade::A, Some(last), from));
        assert!(!c.is_churn_risk(Grade::A, Some(last), from.pred_opt().unwrap()));
        assert_eq!(c.churn_from(Grade::A, None), None);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn never_visited_customers_are_visited_one_interval_after_being_added() {
        let c = Cadence::default();
        let added = d(2026, 1, 10);
        // Called last in June (B: every 3 months) → call due in September.
        assert_eq!(
            c.next_due_since(Grade::B, Some(d(2026, 6, 17)), None, added, true),
            Due::On(d(2026, 7, 10))
        );
        assert_eq!(
            c.next_due_since(Grade::C, Some(d(2026, 6, 17)), None, added, true),
            Due::On(d(2026, 12, 17))
        );
        // Never called nor visited: a new customer, due within three days.
        assert_eq!(
            c.next_due_since(Grade::A, None, None, added, true),
            Due::On(d(2026, 1, 13))
        );
        // D is never visited: only the call counts.
        assert_eq!(
            c.next_due_since(Grade::D, Some(d(2026, 6, 17)), None, added, true),
            Due::On(d(2027, 6, 17))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Grade::{A, B, C, D};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn on(y: i32, m: u32, day: u32) -> Due {
        Due::On(d(y, m, day))
    }

    #[test]
    fn defaults_match_domain_table() {
        let c = Cadence::default();
        assert_eq!(c.call_months, [Some(1), Some(3), Some(6), Some(12)]);
        assert_eq!(c.visit_months, [Some(3), Some(6), Some(12), None]);
        assert_eq!(c.birthday_lead_days, [7, 3, 0, 0]);
        assert_eq!(c.holiday_lead_days, [Some(7), Some(3), Some(0), None]);
        assert_eq!((c.churn_factor, c.new_customer_days), (2, 3));
        assert_eq!([A, B, C, D].map(idx), [0, 1, 2, 3]);
    }

    #[test]
    fn next_call_due_table() {
        let c = Cadence::default();
        let none = None;
        let cases = [
            (A, none, none, Due::Now),
            (D, none, none, Due::Now),
            (A, Some(d(2026, 1, 31)), none, on(2026, 2, 28)),
            (A, Some(d(2028, 1, 31)), none, on(2028, 2, 29)),
            (A, Some(d(2028, 2, 29)), none, on(2028, 3, 29)),
            (A, Some(d(2026, 3, 31)), none, on(2026, 4, 30)),
            (A, Some(d(2026, 12, 15)), none, on(2027, 1, 15)),
            (B, Some(d(2026, 11, 30)), none, on(2027, 2, 28)),
            (C, Some(d(2027, 8, 31)), none, on(2028, 2, 29)),
            (D, Some(d(2028, 2, 29)), none, on(2029, 2, 28)),
            // A visit also satisfies the call: the later contact counts.
            (A, Some(d(2026, 1, 10)), Some(d(2026, 2, 20)), on(2026, 3, 20)),
            (A, none, Some(d(2026, 2, 20)), on(2026, 3, 20)),
            (A, Some(d(2026, 3, 1)), Some(d(2026, 2, 20)), on(2026, 4, 1)),
        ];
        for (g, call, visit, want) in cases {
            assert_eq!(c.next_call_due(g, call, visit), want, "{g:?} {call:?} {visit:?}");
        }
    }

    #[test]
    fn next_visit_due_table() {
        let c = Cadence::default();
        let cases = [
            (A, None, Due::Now),
            (A, Some(d(2026, 1, 31)), on(2026, 4, 30)),
            (A, Some(d(2027, 11, 30)), on(2028, 2, 29)),
            (B, Some(d(2026, 8, 31)), on(2027, 2, 28)),
            (C, Some(d(2028, 2, 29)), on(2029, 2, 28)),
            (C, Some(d(2026, 12, 31)), on(2027, 12, 31)),
            (D, None, Due::Never),
            (D, Some(d(2026, 1, 1)), Due::Never),
        ];
        for (g, visit, want) in cases {
            assert_eq!(c.next_visit_due(g, visit), want, "{g:?} {visit:?}");
        }
    }

    #[test]
    fn next_due_table() {
        let c = Cadence::default();
        let cases = [
            (A, None, None, Due::Now),
            (A, Some(d(2026, 5, 20)), Some(d(2026, 2, 10)), on(2026, 5, 10)),
            (A, Some(d(2026, 5, 1)), Some(d(2026, 3, 1)), on(2026, 6, 1)),
            (D, None, None, Due::Now),
            (D, Some(d(2026, 1, 1)), None, on(2027, 1, 1)),
            (B, Some(d(2026, 12, 31)), None, Due::Now), // never visited: visit due now
        ];
        for (g, call, visit, want) in cases {
            assert_eq!(c.next_due(g, call, visit), want, "{g:?} {call:?} {visit:?}");
        }
        let silent = Cadence {
            call_months: [None; 4],
            visit_months: [None; 4],
            ..Cadence::default()
        };
        assert_eq!(silent.next_due(A, None, None), Due::Never);
        assert_eq!(silent.next_due(A, Some(d(2026, 1, 1)), None), Due::Never);
    }

    #[test]
    fn grade_change_runs_new_cadence_from_last_contact() {
        let c = Cadence::default();
        let last_call = Some(d(2026, 1, 10));
        // As C the next call is in July; upgraded to A on Mar 1 it was due Feb 10.
        assert_eq!(c.next_call_due(C, last_call, None), on(2026, 7, 10));
        let due = c.next_call_due(A, last_call, None);
        assert_eq!(due, on(2026, 2, 10));
        assert_eq!(days_overdue(due, d(2026, 3, 1)), Some(19));
        assert!(c.is_churn_risk(A, last_call, d(2026, 3, 11)));
        assert!(!c.is_churn_risk(C, last_call, d(2026, 3, 11)));
        // Downgraded to D: a yearly call and no visits.
        assert_eq!(c.next_due(D, last_call, Some(d(2025, 6, 1))), on(2027, 1, 10));
        assert_eq!(c.next_visit_due(D, Some(d(2025, 6, 1))), Due::Never);
    }

    #[test]
    fn churn_risk_table() {
        let c = Cadence::default();
        let cases = [
            (A, Some(d(2026, 1, 15)), d(2026, 3, 15), false),
            (A, Some(d(2026, 1, 15)), d(2026, 3, 16), true),
            (A, Some(d(2026, 12, 31)), d(2027, 2, 28), false),
            (A, Some(d(2026, 12, 31)), d(2027, 3, 1), true),
            (A, Some(d(2027, 12, 29)), d(2028, 2, 29), false),
            (A, Some(d(2027, 12, 29)), d(2028, 3, 1), true),
            (B, Some(d(2026, 1, 15)), d(2026, 7, 15), false),
            (B, Some(d(2026, 1, 15)), d(2026, 7, 16), true),
            (D, Some(d(2026, 1, 15)), d(2028, 1, 15), false),
            (D, Some(d(2026, 1, 15)), d(2028, 1, 16), true),
            (A, None, d(2030, 1, 1), false),
        ];
        for (g, last, today, want) in cases {
            assert_eq!(c.is_churn_risk(g, last, today), want, "{g:?} {last:?} {today}");
        }
        let no_calls = Cadence {
            call_months: [None; 4],
            ..Cadence::default()
        };
        assert!(!no_calls.is_churn_risk(A, Some(d(2000, 1, 1)), d(2030, 1, 1)));
        let patient = Cadence {
            churn_factor: 3,
            ..Cadence::default()
        };
        assert!(!patient.is_churn_risk(A, Some(d(2026, 1, 15)), d(2026, 4, 15)));
        assert!(patient.is_churn_risk(A, Some(d(2026, 1, 15)), d(2026, 4, 16)));
    }

    #[test]
    fn days_overdue_table() {
        let t = d(2026, 3, 1);
        assert_eq!(days_overdue(Due::Now, t), Some(0));
        assert_eq!(days_overdue(on(2026, 3, 1), t), Some(0));
        assert_eq!(days_overdue(on(2026, 2, 1), t), Some(28));
        assert_eq!(days_overdue(on(2025, 12, 31), t), Some(60));
        assert_eq!(days_overdue(on(2026, 3, 2), t), None);
        assert_eq!(days_overdue(Due::Never, t), None);
    }

    #[test]
    fn new_customer_and_lead_times() {
        let c = Cadence::default();
        assert_eq!(c.new_customer_due(d(2026, 12, 30)), d(2027, 1, 2));
        let b = Birthday {
            calendar: crate::domain::dates::Calendar::Gregorian,
            month: 3,
            day: 12,
            year: Some(1985),
        };
        assert_eq!(c.birthday_reminder(A, &b, d(2026, 3, 5)), Some(d(2026, 3, 12)));
        assert_eq!(c.birthday_reminder(A, &b, d(2026, 3, 4)), None);
        assert_eq!(c.birthday_reminder(B, &b, d(2026, 3, 8)), None);
        assert_eq!(c.birthday_reminder(B, &b, d(2026, 3, 9)), Some(d(2026, 3, 12)));
        assert_eq!(c.birthday_reminder(C, &b, d(2026, 3, 11)), None);
        assert_eq!(c.birthday_reminder(D, &b, d(2026, 3, 12)), Some(d(2026, 3, 12)));
        assert_eq!(c.birthday_reminder(A, &b, d(2026, 3, 13)), None);

        let mid_autumn = vec![(Holiday::MidAutumn, d(2026, 9, 25))];
        assert_eq!(c.holiday_greetings(A, d(2026, 9, 18)), mid_autumn);
        assert_eq!(c.holiday_greetings(B, d(2026, 9, 18)), vec![]);
        assert_eq!(c.holiday_greetings(B, d(2026, 9, 22)), mid_autumn);
        assert_eq!(c.holiday_greetings(C, d(2026, 9, 24)), vec![]);
        assert_eq!(c.holiday_greetings(C, d(2026, 9, 25)), mid_autumn);
        assert_eq!(c.holiday_greetings(D, d(2026, 9, 25)), vec![]);
        assert_eq!(
            c.holiday_greetings(A, d(2026, 12, 28)),
            vec![(Holiday::NewYear, d(2027, 1, 1))]
        );
    }

    fn opt_date() -> impl Strategy<Value = Option<NaiveDate>> {
        prop::option::of((0i64..100_000).prop_map(|n| d(1950, 1, 1) + TimeDelta::days(n)))
    }

    fn grade() -> impl Strategy<Value = Grade> {
        prop::sample::select(vec![A, B, C, D])
    }

    proptest! {
        #[test]
        fn call_due_follows_latest_contact(g in grade(), call in opt_date(), visit in opt_date()) {
            let c = Cadence::default();
            let latest = call.max(visit);
            match (c.next_call_due(g, call, visit), latest) {
                (Due::Now, None) => {}
                (Due::On(due), Some(last)) => {
                    let months = c.call_months[idx(g)].unwrap();
                    let days = (due - last).num_days();
                    prop_assert!(days >= i64::from(months) * 28 && days <= i64::from(months) * 31);
                }
                (due, last) => prop_assert!(false, "{due:?} for {last:?}"),
            }
            let next = c.next_due(g, call, visit);
            prop_assert!(next <= c.next_call_due(g, call, visit));
            prop_assert!(next <= c.next_visit_due(g, visit));
        }

        #[test]
        fn churn_implies_overdue(g in grade(), last in opt_date(), offset in 0i64..2000) {
            let c = Cadence::default();
            if let Some(l) = last {
                let today = l + TimeDelta::days(offset);
                if c.is_churn_risk(g, last, today) {
                    prop_assert!(days_overdue(c.next_call_due(g, last, None), today).unwrap() > 0);
                }
            }
        }
    }
}
