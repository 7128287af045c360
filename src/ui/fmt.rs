//! Short, translated labels for dates relative to today.

use chrono::NaiveDate;

use ratatui::style::Style;

use crate::domain::cadence::Due;
use crate::i18n::{Lang, t, tf};
use crate::theme::Theme;

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

/// "Mon", "周一".
pub fn weekday(lang: Lang, d: NaiveDate) -> &'static str {
    use chrono::Datelike;
    t(
        lang,
        [
            "agenda.wd.mon",
            "agenda.wd.tue",
            "agenda.wd.wed",
            "agenda.wd.thu",
            "agenda.wd.fri",
            "agenda.wd.sat",
            "agenda.wd.sun",
        ][d.weekday().num_days_from_monday() as usize],
    )
}

/// How a due date reads at a glance: past (red), near (a calm colour),
/// later (plain), or never due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueTone {
    Past,
    Near,
    Later,
    Never,
}

/// Days ahead that still count as near.
pub const NEAR_DAYS: i64 = 7;

impl DueTone {
    pub fn style(self, theme: &Theme) -> Style {
        match self {
            DueTone::Past => Style::new().fg(theme.danger),
            DueTone::Near => Style::new().fg(theme.accent),
            DueTone::Later | DueTone::Never => Style::new(),
        }
    }
}

/// "overdue 3d", "today", "in 5d", "—", with its tone.
pub fn due_label(lang: Lang, due: Due, today: NaiveDate) -> (String, DueTone) {
    match due {
        Due::Never => ("—".to_string(), DueTone::Never),
        Due::Now => (t(lang, "when.now").to_string(), DueTone::Near),
        Due::On(d) => match (d - today).num_days() {
            0 => (t(lang, "when.today").to_string(), DueTone::Near),
            n if n < 0 => (tf(lang, "when.overdue_days", &[("n", &-n)]), DueTone::Past),
            n if n <= NEAR_DAYS => (tf(lang, "when.in_days", &[("n", &n)]), DueTone::Near),
            n => (tf(lang, "when.in_days", &[("n", &n)]), DueTone::Later),
        },
    }
}

/// What is due and when: "call in 5d", "visit overdue 3d", "—".
pub fn next_due_label(lang: Lang, due: Due, visit: bool, today: NaiveDate) -> (String, DueTone) {
    let (when, tone) = due_label(lang, due, today);
    if tone == DueTone::Never {
        return (when, tone);
    }
    let what = t(lang, if visit { "card.due_visit" } else { "card.due_call" });
    (format!("{what} {when}"), tone)
}

/// A status-history reason as the reader reads it: one the app wrote
/// (`AppNote`) in `lang`, one typed as typed.
pub fn history_reason(lang: Lang, stored: &str) -> String {
    match crate::domain::app_note::AppNote::decode(stored) {
        Some(note) => match note.parts() {
            (key, Some(name), param) => crate::i18n::tf(lang, key, &[(name, &param)]),
            (key, None, rest) => format!("{}{rest}", crate::i18n::t(lang, key)),
        },
        None => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_due_date_reads_calm_and_a_past_one_red() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let on = |n: i64| Due::On(today + chrono::Duration::days(n));
        assert_eq!(
            next_due_label(Lang::En, on(-3), false, today),
            ("call 3d late".into(), DueTone::Past)
        );
        assert_eq!(
            next_due_label(Lang::En, on(0), true, today),
            ("visit today".into(), DueTone::Near)
        );
        assert_eq!(
            next_due_label(Lang::En, on(5), false, today),
            ("call in 5d".into(), DueTone::Near)
        );
        assert_eq!(next_due_label(Lang::En, on(30), false, today).1, DueTone::Later);
        assert_eq!(next_due_label(Lang::Zh, on(-3), true, today).0, "拜访 逾期3天");
        assert_eq!(
            next_due_label(Lang::En, Due::Never, true, today),
            ("—".into(), DueTone::Never)
        );
        let theme = Theme::default();
        assert_eq!(DueTone::Past.style(&theme).fg, Some(theme.danger));
        assert_eq!(DueTone::Near.style(&theme).fg, Some(theme.accent));
        assert_eq!(DueTone::Later.style(&theme).fg, None);
    }
}
