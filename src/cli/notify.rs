//! `rapport agenda --notify`: today's agenda as one desktop notification,
//! for cron or a systemd timer — the counts per section and the first
//! three items, in the user's language — sent through the system's
//! notification service (freedesktop D-Bus on Linux, the notification
//! centre on macOS) by notify-rust. With no service it says so on stderr,
//! prints the same text on stdout and exits 1, so cron mails the text.

use std::process::ExitCode;

use chrono::NaiveDateTime;

use super::Context;
use crate::app::agenda::{deadlines, late_text, reason_text};
use crate::domain::agenda::Section;
use crate::domain::dates;
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};
use crate::storage::{Agenda, Store};

/// Items named in the notification.
pub const FIRST_ITEMS: usize = 3;

/// The notification's title and body for `agenda` seen at `at`.
pub fn summary(lang: Lang, agenda: &Agenda, at: NaiveDateTime) -> (String, String) {
    let title = tf(
        lang,
        "tools.notify_title",
        &[("date", &agenda.day), ("n", &agenda.total_label())],
    );
    if agenda.total() == 0 {
        return (title, t(lang, "agenda.cli.empty").to_string());
    }
    let counts: Vec<String> = Section::ALL
        .into_iter()
        .filter(|s| agenda.counts[*s as usize] > 0)
        .map(|s| {
            format!(
                "{} {}",
                t(lang, s.key()),
                Agenda::count_label(agenda.counts[s as usize])
            )
        })
        .collect();
    let mut lines = vec![counts.join(" · ")];
    for item in agenda.items.iter().take(FIRST_ITEMS) {
        lines.push(format!(
            "• {} — {} [{}]",
            clean(&item.customer),
            reason_text(lang, item, at),
            late_text(lang, item, at)
        ));
    }
    let more = agenda.total().saturating_sub(FIRST_ITEMS.min(agenda.items.len()));
    if more > 0 {
        lines.push(tf(lang, "tools.notify_more", &[("n", &more)]));
    }
    (title, lines.join("\n"))
}

/// Sends the notification; the error says why no service took it.
pub fn send(title: &str, body: &str) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("Rapport")
        .summary(title)
        .body(body)
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub fn run(ctx: &Context, store: &Store, date: Option<&str>) -> ExitCode {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    let day = match date {
        None => now.date(),
        Some(s) => match dates::parse_date_entry(s, now.date()) {
            Ok(d) => d,
            Err(e) => return super::fail(e.message(lang.is_zh())),
        },
    };
    let agenda = deadlines(store)
        .and_then(|d| store.agenda(day, now.date(), &d, FIRST_ITEMS))
        .and_then(|mut a| crate::app::agenda::localize_notes(store, lang, &mut a).map(|()| a));
    let agenda = match agenda {
        Ok(a) => a,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    let at = if day == now.date() {
        now
    } else {
        day.and_hms_opt(9, 0, 0).unwrap_or(now)
    };
    let (title, body) = summary(lang, &agenda, at);
    match send(&title, &body) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::stderr::warnln!("rapport: {}", tf(lang, "tools.notify_failed", &[("error", &clean(&e))]));
            super::print(&format!("{title}\n{body}"));
            ExitCode::from(1)
        }
    }
}
