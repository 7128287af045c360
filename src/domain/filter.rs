//! Filters on the customer list (TUI and `rapport find`): grade, status,
//! city, tag, MAN verdict, an open complaint, overdue, due today, not
//! contacted for N days. They combine with each other, with search and
//! with the sort.

use chrono::NaiveDate;

use super::cadence::Due;
use super::customer::{Grade, Status};
use super::qualification::Verdict;

/// The active filters; the default keeps everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub city: Option<String>,
    pub tag: Option<String>,
    pub verdict: Option<Verdict>,
    pub open_complaint: bool,
    pub overdue: bool,
    pub due_today: bool,
    /// Not contacted for at least this many days (never contacted counts).
    pub silent_days: Option<u32>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Whether any filter needs the database (the rest reads the list row).
    pub fn needs_store(&self) -> bool {
        self.city.is_some() || self.tag.is_some() || self.verdict.is_some() || self.open_complaint
    }

    /// The filters that a list row decides: grade, status, due dates and
    /// the days since the last contact.
    pub fn keeps(
        &self,
        grade: Grade,
        status: Status,
        last_contact: Option<NaiveDate>,
        next_due: Due,
        today: NaiveDate,
    ) -> bool {
        if self.grade.is_some_and(|g| g != grade) || self.status.is_some_and(|s| s != status) {
            return false;
        }
        let due_on = match next_due {
            Due::Now => Some(today),
            Due::On(d) => Some(d),
            Due::Never => None,
        };
        if self.overdue && !(matches!(next_due, Due::On(d) if d < today)) {
            return false;
        }
        if self.due_today && due_on != Some(today) {
            return false;
        }
        if let Some(n) = self.silent_days
            && last_contact.is_some_and(|d| (today - d).num_days() < i64::from(n))
        {
            return false;
        }
        true
    }

    /// `(label key, value)` of each active filter, to show above the list.
    pub fn labels(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(g) = self.grade {
            out.push(("field.grade", g.as_str().to_string()));
        }
        if let Some(s) = self.status {
            out.push(("field.status", s.key().to_string()));
        }
        if let Some(c) = &self.city {
            out.push(("field.city", c.clone()));
        }
        if let Some(t) = &self.tag {
            out.push(("field.tags", t.clone()));
        }
        if let Some(v) = self.verdict {
            out.push(("filter.verdict", v.key().to_string()));
        }
        if self.open_complaint {
            out.push(("filter.open_complaint", String::new()));
        }
        if self.overdue {
            out.push(("filter.overdue", String::new()));
        }
        if self.due_today {
            out.push(("filter.due_today", String::new()));
        }
        if let Some(n) = self.silent_days {
            out.push(("filter.silent", n.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn row_filters_combine() {
        let today = d(3, 10);
        let f = Filters {
            grade: Some(Grade::A),
            overdue: true,
            ..Filters::default()
        };
        assert!(f.keeps(Grade::A, Status::Active, None, Due::On(d(3, 9)), today));
        assert!(!f.keeps(Grade::B, Status::Active, None, Due::On(d(3, 9)), today));
        assert!(!f.keeps(Grade::A, Status::Active, None, Due::On(d(3, 10)), today));
        let f = Filters {
            due_today: true,
            ..Filters::default()
        };
        assert!(f.keeps(Grade::C, Status::Lost, None, Due::Now, today));
        assert!(f.keeps(Grade::C, Status::Lost, None, Due::On(today), today));
        assert!(!f.keeps(Grade::C, Status::Lost, None, Due::Never, today));
        let f = Filters {
            silent_days: Some(30),
            status: Some(Status::Loyal),
            ..Filters::default()
        };
        assert!(f.keeps(Grade::C, Status::Loyal, Some(d(2, 8)), Due::Never, today));
        assert!(f.keeps(Grade::C, Status::Loyal, None, Due::Never, today));
        assert!(!f.keeps(Grade::C, Status::Loyal, Some(d(2, 9)), Due::Never, today));
        assert!(!f.keeps(Grade::C, Status::Active, Some(d(1, 1)), Due::Never, today));
        assert!(Filters::default().is_empty() && !f.is_empty() && !f.needs_store());
        assert_eq!(f.labels().len(), 2);
    }
}
