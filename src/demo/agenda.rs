//! Sample follow-ups and business events, so the Agenda pane has all its
//! sections on the first run.

use chrono::{Datelike, Duration, NaiveDateTime};
use rusqlite::{Transaction, params};

use super::{DemoCustomer, Rng};
use crate::domain::agenda::EventKind;

const NOTES_ZH: &[&str] = &[
    "确认新报价",
    "回访样品试用情况",
    "约下周拜访时间",
    "跟进合同盖章",
    "问问付款进度",
];
const NOTES_EN: &[&str] = &[
    "Confirm the new quote",
    "Ask how the samples worked",
    "Book next week's visit",
    "Chase the signed contract",
    "Check on payment",
];

/// Business events dated within the next three weeks.
const SOON_EVENTS: usize = 40;

/// Adds follow-ups (overdue, today, the coming days, some snoozed) and
/// business events for a share of the customers.
pub fn fill(
    tx: &Transaction<'_>,
    rng: &mut Rng,
    customers: &[DemoCustomer],
    now: NaiveDateTime,
) -> rusqlite::Result<()> {
    let today = now.date();
    // Events fall on dates through the year, as a real book's do; the first
    // few are put in the coming weeks so the agenda shows some at once.
    let mut soon = 0;
    for c in customers {
        if c.status.as_str() == "non_customer" {
            continue;
        }
        if rng.chance(8) {
            let due = today + Duration::days(rng.range(-6, 9));
            let note = if c.zh { *rng.pick(NOTES_ZH) } else { *rng.pick(NOTES_EN) };
            let id = crate::storage::add_follow_up_in(tx, c.id, due, note, "manual", now - Duration::days(10))?;
            if rng.chance(25) {
                tx.execute(
                    "UPDATE follow_ups SET snoozes = ?2 WHERE id = ?1",
                    params![id, rng.range(1, 4)],
                )?;
            }
        }
        if rng.chance(4) {
            let kind = *rng.pick(EventKind::ALL);
            let ahead = if soon < SOON_EVENTS {
                rng.range(0, 20)
            } else {
                rng.range(0, 366)
            };
            soon += 1;
            let on = today + Duration::days(ahead);
            let year = (kind == EventKind::Anniversary || kind == EventKind::StoreOpening)
                .then(|| on.year() - rng.range(1, 15) as i32);
            let note = if c.zh { c.company.as_str() } else { "" };
            tx.execute(
                "INSERT INTO business_events (customer_id, kind, month, day, year, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![c.id, kind.as_str(), on.month(), on.day(), year, note],
            )?;
        }
    }
    Ok(())
}
