//! `rapport agenda`: the same agenda as the Agenda pane, for cron or a
//! login shell.

use std::process::ExitCode;

use chrono::Duration;
use serde::Serialize;

use super::Context;
use crate::app::agenda::{days_late, deadlines, late_text, reason_text};
use crate::domain::dates;
use crate::domain::text::clean;
use crate::i18n::{t, tf};
use crate::storage::{COUNT_CAP, Store};

#[derive(Serialize)]
struct JsonItem {
    date: String,
    customer_id: i64,
    customer: String,
    section: &'static str,
    kind: String,
    reason: String,
    due: String,
    days_overdue: i64,
    snoozes: u32,
}

/// Items listed per section, day and kind, as in the Agenda pane (the
/// churn section gathers three kinds); the counts say how many there are.
const LIMIT: usize = COUNT_CAP;

/// The longest span `--days` shows: a year, leap day included (checked
/// before the book is opened, see `super::refused`).
pub const MAX_DAYS: u32 = 366;

pub fn run(ctx: &Context, store: &Store, date: Option<&str>, days: u32, json: bool) -> ExitCode {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    let today = now.date();
    let from = match date {
        None => today,
        Some(s) => match dates::parse_date_entry(s, today) {
            Ok(d) => d,
            Err(e) => return super::fail(e.message(lang.is_zh())),
        },
    };
    let deadlines = match deadlines(store) {
        Ok(d) => d,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    // Valuable customers at risk (DOMAIN §9) lead the churn section.
    let (value_cfg, cur) = match (ctx.config.value.to_domain(), ctx.config.value.currency()) {
        (Ok(v), Ok(c)) => (v, c),
        (Err(e), _) | (_, Err(e)) => return super::fail(e),
    };
    let accounts = match ctx.config.accounts.checked() {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    // Kept in a large book between runs (`storage::value_cache`).
    let kept = match store.value_risks(today, &value_cfg) {
        Ok(a) => a,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    let mut out = String::new();
    let mut items_json = Vec::new();
    for i in 0..days.max(1) as i64 {
        let day = from + Duration::days(i);
        let agenda = store.agenda(day, today, &deadlines, LIMIT).and_then(|mut a| {
            crate::app::agenda::localize_notes(store, lang, &mut a)?;
            let risks = (kept.risks.as_slice(), kept.window_days);
            crate::app::insights::add_value_risks(store, &mut a, risks, cur, day, LIMIT)?;
            crate::app::accounts::add_coverage(store, &mut a, accounts, today, LIMIT)?;
            Ok(a)
        });
        let agenda = match agenda {
            Ok(a) => a,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };
        let at = if day == today {
            now
        } else {
            day.and_hms_opt(9, 0, 0).unwrap_or(now)
        };
        // A section that reached the cap says so, and how many it lists
        // (on stderr beside JSON).
        let capped: Vec<_> = crate::domain::agenda::Section::ALL
            .into_iter()
            .filter(|s| agenda.counts[*s as usize] >= COUNT_CAP)
            .map(|s| {
                let listed = agenda.items.iter().filter(|i| i.section() == s).count();
                tf(
                    lang,
                    "agenda.cli.capped",
                    &[("section", &t(lang, s.key())), ("n", &listed)],
                )
            })
            .collect();
        if json {
            for note in &capped {
                crate::stderr::warnln!("rapport: {day} {note}");
            }
            for item in &agenda.items {
                items_json.push(JsonItem {
                    date: day.to_string(),
                    customer_id: item.customer_id,
                    customer: clean(&item.customer).into_owned(),
                    section: section_name(item.section()),
                    kind: item.reason.kind(),
                    reason: reason_text(lang, item, at),
                    due: item.due.to_string(),
                    days_overdue: days_late(item, at),
                    snoozes: item.snoozes,
                });
            }
            continue;
        }
        out.push_str(&tf(
            lang,
            "agenda.cli.day",
            &[("date", &day), ("n", &agenda.total_label())],
        ));
        out.push('\n');
        let mut section = None;
        for item in &agenda.items {
            if section != Some(item.section()) {
                section = Some(item.section());
                out.push_str(&format!("  {}\n", t(lang, item.section().key())));
            }
            let snooze = if item.snoozes > 0 {
                format!(" ⏰{}", item.snoozes)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "    {}  {}  [{}]{snooze}\n",
                clean(&item.customer),
                reason_text(lang, item, at),
                late_text(lang, item, at)
            ));
        }
        for note in &capped {
            out.push_str(&format!("  {note}\n"));
        }
        if agenda.total() == 0 {
            out.push_str(&format!("  {}\n", t(lang, "agenda.cli.empty")));
        }
    }
    if json {
        super::print(&serde_json::to_string_pretty(&items_json).unwrap_or_else(|_| "[]".into()));
    } else {
        super::print(out.trim_end());
    }
    ExitCode::SUCCESS
}

fn section_name(s: crate::domain::agenda::Section) -> &'static str {
    use crate::domain::agenda::Section::*;
    match s {
        Complaints => "complaints",
        FollowUps => "follow_ups",
        Cadence => "cadence",
        Care => "care",
        Churn => "churn",
        NewCustomers => "new_customers",
    }
}
