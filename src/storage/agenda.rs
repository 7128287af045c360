//! The agenda's records (DOMAIN §3–4): follow-ups the rep scheduled,
//! business events, snoozes, and each customer's next due date and
//! churn date kept in indexed columns, so today's agenda is a handful of
//! indexed range queries rather than a pass over every customer.
//!
//! The due dates follow the configured cadence: two SQL functions,
//! `rapport_next_due` and `rapport_churn_on`, run the domain rules inside
//! SQLite, and every write that changes a contact date, a grade or the
//! cadence itself recomputes them.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Transaction, params};

use super::due::{REFRESH, fingerprint, register};
use super::stamps::{DAY, parse_day, parse_ts, ts};
use super::{Result, StorageError, Store};
use crate::domain::cadence::Cadence;

/// Schema step 4.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        due_on TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT 'manual',
        complaint_id INTEGER REFERENCES complaints(id) ON DELETE CASCADE,
        snoozes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        done_at TEXT
    );
    CREATE INDEX follow_ups_open ON follow_ups(done_at, due_on);
    CREATE INDEX follow_ups_customer ON follow_ups(customer_id);
    CREATE TABLE business_events (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        month INTEGER NOT NULL,
        day INTEGER NOT NULL,
        year INTEGER,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX business_events_day ON business_events(month, day);
    CREATE TABLE agenda_snoozes (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        until_on TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (customer_id, kind)
    );
    ALTER TABLE customers ADD COLUMN next_due_on TEXT;
    ALTER TABLE customers ADD COLUMN churn_on TEXT;
    CREATE INDEX customers_next_due ON customers(next_due_on);
    CREATE INDEX customers_churn ON customers(churn_on);
    CREATE INDEX customers_birthday ON customers(birth_month, birth_day, grade, status, birth_year);
    CREATE INDEX customers_new ON customers(next_due_on) WHERE last_contact_at IS NULL;
    CREATE INDEX customers_cadence ON customers(next_due_on, churn_on)
        WHERE last_contact_at IS NOT NULL AND status NOT IN ('non_customer', 'lost');
    CREATE INDEX customers_win_back ON customers(next_due_on) WHERE status = 'lost' AND grade IN ('A', 'B');
    CREATE INDEX customers_status ON customers(status);
    CREATE INDEX customers_grade_sort ON customers(grade, sort_key);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
"#;

/// Schema step: the agenda's birthday read finds the grades and status it
/// wants in the index itself, so a day a week ahead (grade A only) reads
/// no other customer's row; the older birthday index no query uses goes.
pub(super) const CARE_INDEX: &str = "
    DROP INDEX customers_birthday;
    DROP INDEX customers_birth_calendar;
    CREATE INDEX customers_care ON customers(birth_calendar, birth_month, birth_day, grade, status)
        WHERE left_on IS NULL;
";

/// Schema step: indexes no query reads (checked by `EXPLAIN QUERY PLAN` on
/// every statement the tests run) go, and the birthday and churn indexes
/// leave out the customers they can never list (no birthday, never
/// contacted), so every write of a customer and every bulk import
/// maintains less: the agenda reads due dates per grade
/// (`customers_grade_due`) and the list sorts in memory.
pub(super) const LEAN_INDEXES: &str = "
    DROP INDEX customers_last_contact;
    DROP INDEX customers_next_due;
    DROP INDEX customers_cadence;
    DROP INDEX customers_care;
    CREATE INDEX customers_care ON customers(birth_calendar, birth_month, birth_day, grade, status)
        WHERE left_on IS NULL AND birth_month IS NOT NULL;
    DROP INDEX customers_churn;
    CREATE INDEX customers_churn ON customers(churn_on) WHERE churn_on IS NOT NULL;
";

/// Schema step: a customer's business events by the customer (the card
/// reads them; deleting a customer deletes them), instead of a pass over
/// every event of the book; the birthdays index holds the name and year
/// the agenda shows (and `left_on`, always empty there, which the query
/// names), so a day's birthdays are read from it alone (at a million
/// customers, two thousand a day: 32 → 3 ms cold).
pub(super) const BOOK_SCALE_INDEXES: &str = "
    CREATE INDEX business_events_customer ON business_events(customer_id);
    DROP INDEX customers_care;
    CREATE INDEX customers_care
        ON customers(birth_calendar, birth_month, birth_day, grade, status, name, birth_year, left_on)
        WHERE left_on IS NULL AND birth_month IS NOT NULL;
";

/// A customer's open follow-ups, by the customer's index: the open
/// follow-ups' index (which also gives the order) reads every open
/// follow-up of the book.
pub(super) const OPEN_FOLLOW_UPS: &str = "SELECT id FROM follow_ups INDEXED BY follow_ups_customer
    WHERE customer_id = ?1 AND done_at IS NULL ORDER BY due_on, id";

/// A customer's business events.
pub(super) const EVENTS_OF: &str = "SELECT id, customer_id, kind, month, day, year, note FROM business_events WHERE customer_id = ?1 ORDER BY month, day";

/// A follow-up the rep scheduled.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub customer_id: i64,
    pub due_on: NaiveDate,
    pub note: String,
    pub source: String,
    pub snoozes: u32,
    pub done_at: Option<NaiveDateTime>,
}

/// A business event the rep entered (store opening, anniversary ...).
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessEvent {
    pub id: i64,
    pub customer_id: i64,
    pub kind: String,
    pub month: u32,
    pub day: u32,
    pub year: Option<i32>,
    pub note: String,
}

impl Store {
    /// Uses `cadence` for due dates from now on; recomputes every
    /// customer's due dates when it differs from the one they were
    /// computed with (one transaction).
    pub fn set_cadence(&mut self, cadence: &Cadence) -> Result<()> {
        register(&self.conn, cadence)?;
        let fp = fingerprint(cadence);
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'cadence'", [], |r| r.get(0))
            .optional()?;
        if stored.as_deref() != Some(fp.as_str()) && self.health().writable() {
            self.writable()?;
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(&format!("UPDATE customers SET {REFRESH}"), [])?;
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('cadence', ?1)", [&fp])?;
            tx.commit()?;
        }
        self.cadence = cadence.clone();
        Ok(())
    }

    pub fn cadence(&self) -> &Cadence {
        &self.cadence
    }

    /// Schedules a follow-up; returns its id.
    pub fn add_follow_up(
        &mut self,
        customer_id: i64,
        due_on: NaiveDate,
        note: &str,
        source: &str,
        now: NaiveDateTime,
    ) -> Result<i64> {
        self.write_batch(|tx| Ok(add_follow_up_in(tx, customer_id, due_on, note, source, now)?))
    }

    /// Logs one interaction and, when `follow` is given, schedules the
    /// follow-up (day, what for) in the same transaction; returns both ids.
    pub fn log_with_follow_up(
        &mut self,
        customer_id: i64,
        kind: crate::domain::interaction::InteractionKind,
        at: NaiveDateTime,
        note: &str,
        follow: Option<(chrono::NaiveDate, &str)>,
        now: NaiveDateTime,
    ) -> Result<(i64, Option<i64>)> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, customer_id)?;
            let id = super::interactions::log_in(tx, customer_id, kind, at, note)?;
            let next = match follow {
                Some((day, what)) => Some(add_follow_up_in(tx, customer_id, day, what, "manual", now)?),
                None => None,
            };
            Ok((id, next))
        })
    }

    /// Schedules the same follow-up for many customers in one transaction
    /// (region care after a storm or an epidemic). A customer who already
    /// has that open follow-up on that day is not given a second one;
    /// returns how many were added.
    pub fn add_follow_ups(
        &mut self,
        customer_ids: &[i64],
        due_on: NaiveDate,
        note: &str,
        source: &str,
        now: NaiveDateTime,
    ) -> Result<usize> {
        self.write_batch(|tx| {
            let mut added = 0;
            for id in customer_ids {
                let has: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM follow_ups WHERE customer_id = ?1 AND done_at IS NULL
                         AND due_on = ?2 AND note = ?3 AND source = ?4)",
                    )?
                    .query_row(params![id, due_on.format(DAY).to_string(), note, source], |r| r.get(0))?;
                if !has {
                    add_follow_up_in(tx, *id, due_on, note, source, now)?;
                    added += 1;
                }
            }
            Ok(added)
        })
    }

    pub fn follow_up(&self, id: i64) -> Result<FollowUp> {
        self.conn
            .query_row(
                "SELECT id, customer_id, due_on, note, source, snoozes, done_at FROM follow_ups WHERE id = ?1",
                [id],
                |r| {
                    Ok(FollowUp {
                        id: r.get(0)?,
                        customer_id: r.get(1)?,
                        due_on: parse_day(&r.get::<_, String>(2)?).unwrap_or_default(),
                        note: r.get(3)?,
                        source: r.get(4)?,
                        snoozes: r.get(5)?,
                        done_at: r.get::<_, Option<String>>(6)?.as_deref().and_then(parse_ts),
                    })
                },
            )
            .optional()?
            .ok_or(StorageError::NoSuchCustomer(id))
    }

    /// Open follow-ups of one customer, soonest first.
    pub fn open_follow_ups(&self, customer_id: i64) -> Result<Vec<FollowUp>> {
        let mut stmt = self.conn.prepare_cached(OPEN_FOLLOW_UPS)?;
        let ids: Vec<i64> = stmt
            .query_map([customer_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.follow_up(id)).collect()
    }

    /// Moves a follow-up to `due_on`; a snooze also counts it.
    pub fn move_follow_up(&mut self, id: i64, due_on: NaiveDate, snooze: bool) -> Result<()> {
        self.writable()?;
        self.conn.execute(
            "UPDATE follow_ups SET due_on = ?2, snoozes = snoozes + ?3 WHERE id = ?1",
            params![id, due_on.format(DAY).to_string(), snooze as i64],
        )?;
        Ok(())
    }

    /// Logs an interaction and, if given, schedules the next contact as a
    /// follow-up (its day and what it is for), in one transaction.
    pub fn log_and_schedule(&mut self, customer_id: i64, c: &Contact<'_>, now: NaiveDateTime) -> Result<i64> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, customer_id)?;
            let id = super::interactions::log_in(tx, customer_id, c.kind, c.at, c.note)?;
            schedule_in(tx, customer_id, c.next, now)?;
            Ok(id)
        })
    }

    /// Marks a follow-up done and logs the interaction that did it, in one
    /// transaction.
    pub fn complete_follow_up(&mut self, id: i64, c: &Contact<'_>) -> Result<()> {
        let Contact { kind, at, note, next } = *c;
        self.write_batch(|tx| {
            let customer: Option<i64> = tx
                .query_row("SELECT customer_id FROM follow_ups WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            let customer = customer.ok_or(StorageError::NoSuchCustomer(id))?;
            tx.execute("UPDATE follow_ups SET done_at = ?2 WHERE id = ?1", params![id, ts(at)])?;
            super::interactions::log_in(tx, customer, kind, at, note)?;
            schedule_in(tx, customer, next, at)?;
            Ok(())
        })
    }

    /// Hides a customer's agenda item of `kind` until `until` and counts
    /// the snooze, so chronic postponing shows.
    pub fn snooze(&mut self, customer_id: i64, kind: &str, until: NaiveDate) -> Result<u32> {
        self.write_batch(|tx| {
            tx.execute(
                "INSERT INTO agenda_snoozes (customer_id, kind, until_on, count) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT(customer_id, kind) DO UPDATE SET until_on = excluded.until_on, count = count + 1",
                params![customer_id, kind, until.format(DAY).to_string()],
            )?;
            Ok(tx.query_row(
                "SELECT count FROM agenda_snoozes WHERE customer_id = ?1 AND kind = ?2",
                params![customer_id, kind],
                |r| r.get(0),
            )?)
        })
    }

    /// Marks a care moment done for this year: logs the interaction and
    /// hides the item until the day after the moment, in one transaction.
    pub fn complete_moment(&mut self, customer_id: i64, kind: &str, moment: NaiveDate, c: &Contact<'_>) -> Result<()> {
        let Contact {
            kind: interaction,
            at,
            note,
            next,
        } = *c;
        let after = moment.succ_opt().unwrap_or(moment).format(DAY).to_string();
        self.write_batch(|tx| {
            super::interactions::log_in(tx, customer_id, interaction, at, note)?;
            schedule_in(tx, customer_id, next, at)?;
            tx.execute(
                "INSERT INTO agenda_snoozes (customer_id, kind, until_on, count) VALUES (?1, ?2, ?3, 0)
                 ON CONFLICT(customer_id, kind) DO UPDATE SET until_on = excluded.until_on",
                params![customer_id, kind, after],
            )?;
            Ok(())
        })
    }

    pub fn add_event(
        &mut self,
        customer_id: i64,
        kind: &str,
        month: u32,
        day: u32,
        year: Option<i32>,
        note: &str,
    ) -> Result<i64> {
        self.writable()?;
        self.conn.execute(
            "INSERT INTO business_events (customer_id, kind, month, day, year, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![customer_id, kind, month, day, year, note],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn events_of(&self, customer_id: i64) -> Result<Vec<BusinessEvent>> {
        let mut stmt = self.conn.prepare_cached(EVENTS_OF)?;
        let v = stmt
            .query_map([customer_id], |r| {
                Ok(BusinessEvent {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    kind: r.get(2)?,
                    month: r.get(3)?,
                    day: r.get(4)?,
                    year: r.get(5)?,
                    note: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// The stored next due date of a customer (what the agenda reads).
    pub fn next_due_on(&self, customer_id: i64) -> Result<Option<NaiveDate>> {
        let v: Option<Option<String>> = self
            .conn
            .query_row("SELECT next_due_on FROM customers WHERE id = ?1", [customer_id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(v.flatten().as_deref().and_then(parse_day))
    }
}

pub fn add_follow_up_in(
    tx: &Transaction<'_>,
    customer_id: i64,
    due_on: NaiveDate,
    note: &str,
    source: &str,
    now: NaiveDateTime,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO follow_ups (customer_id, due_on, note, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        customer_id,
        due_on.format(DAY).to_string(),
        note,
        source,
        ts(now)
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A contact being logged: its channel, time and note, and the next
/// contact to schedule with it.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    pub kind: crate::domain::interaction::InteractionKind,
    pub at: NaiveDateTime,
    pub note: &'a str,
    pub next: Option<&'a NextContact>,
}

/// The next contact to schedule when logging one: the day and what for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextContact {
    pub on: chrono::NaiveDate,
    pub what: String,
}

/// Schedules `next` (if any) as a follow-up of the customer, inside `tx`.
pub(crate) fn schedule_in(
    tx: &rusqlite::Transaction<'_>,
    customer_id: i64,
    next: Option<&NextContact>,
    now: NaiveDateTime,
) -> rusqlite::Result<()> {
    if let Some(n) = next {
        add_follow_up_in(tx, customer_id, n.on, &n.what, "next_contact", now)?;
    }
    Ok(())
}
