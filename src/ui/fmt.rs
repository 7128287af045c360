//! Short, translated labels for dates relative to today.

use chrono::NaiveDate;

use crate::domain::cadence::Due;
use crate::i18n::{Lang, t, tf};

/// "today", "3d ago", "never".
pub fn last_contact_label(lang: Lang, last: Option<NaiveDate>, today: NaiveDate) -> String {
    match last {
        None => t(lang, "when.never").to_string(),
        Some(d) => match (today - d).num_days() {
            0 => t(lang, "when.today").to_string(),
            n if n < 0 => d.format("%Y-%m-%d").to_string(),
            n => tf(lang, "when.days_ago", &[("n", &n)]),
        },
    }
}

/// "overdue 3d", "today", "in 5d", "—"; the bool says it is overdue.
pub fn due_label(lang: Lang, due: Due, today: NaiveDate) -> (String, bool) {
    match due {
        Due::Never => ("—".to_string(), false),
        Due::Now => (t(lang, "when.now").to_string(), true),
        Due::On(d) => match (d - today).num_days() {
            0 => (t(lang, "when.today").to_string(), false),
            n if n < 0 => (tf(lang, "when.overdue_days", &[("n", &-n)]), true),
            n => (tf(lang, "when.in_days", &[("n", &n)]), false),
        },
    }
}
