//! Complaints (DOMAIN §5): the record, its state and its timeline.
//! Times are stored in UTC ("YYYY-MM-DD HH:MM:SS"), so 24-hour deadlines
//! are right across daylight-saving changes; the UI shows local time.
//!
//! Every change is one transaction that writes the complaint's new state,
//! its timeline line, and the customer's last contact (a complaint step is
//! contact with the customer).

use chrono::NaiveDateTime;
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::customers::{DAY, parse_day, parse_ts, ts};
use super::{Result, StorageError, Store};
use crate::domain::agenda::ComplaintDeadline;
use crate::domain::complaint::deadline::Deadline;
use crate::domain::complaint::edit::{RecordEdit, record_edits};
use crate::domain::complaint::record::{Complaint, Details, NewComplaint};
use crate::domain::complaint::zone::Zone;
use crate::domain::complaint::{
    Category, ComplaintConfig, ComplaintError, EntryKind, Event, State, Step, Temperament, TimelineEntry,
};

/// Schema step 3.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE complaints (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        complainant TEXT NOT NULL,
        about TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL,
        received_at TEXT NOT NULL,
        purchase_date TEXT,
        product_use TEXT NOT NULL DEFAULT '',
        demand TEXT NOT NULL DEFAULT '',
        wanted_solution TEXT NOT NULL DEFAULT '',
        reach TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL,
        temperament TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'waiting', 'closed_resolved', 'closed_not_valid')),
        step INTEGER CHECK (step BETWEEN 1 AND 6),
        satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
        first_response_due TEXT NOT NULL,
        responded_at TEXT,
        promised_due TEXT,
        follow_up_at TEXT,
        waiting_since TEXT,
        closed_at TEXT,
        last_event_at TEXT NOT NULL
    );
    CREATE INDEX complaints_customer ON complaints(customer_id);
    CREATE INDEX complaints_state ON complaints(state);
    CREATE TABLE complaint_timeline (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 6),
        kind TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        due TEXT,
        satisfaction INTEGER
    );
    CREATE INDEX complaint_timeline_complaint ON complaint_timeline(complaint_id, at);
"#;

/// A complaint with the customer it belongs to, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintRow {
    pub complaint: Complaint,
    pub customer: String,
    pub company: String,
    /// The customer's search key (names, company, pinyin).
    pub customer_key: String,
}

const COLUMNS: &str = "c.id, c.customer_id, c.complainant, c.about, c.content, c.received_at, c.purchase_date,
    c.product_use, c.demand, c.wanted_solution, c.reach, c.category, c.temperament, c.state, c.step,
    c.satisfaction, c.first_response_due, c.responded_at, c.promised_due, c.follow_up_at, c.waiting_since,
    c.closed_at, c.last_event_at";

/// [`COLUMNS`] with the texts left empty: all a deadline needs, without
/// reading every open complaint's story.
const DEADLINE_COLUMNS: &str = "c.id, c.customer_id, '', '', '', c.received_at, c.purchase_date,
    '', '', '', '', c.category, c.temperament, c.state, c.step,
    c.satisfaction, c.first_response_due, c.responded_at, c.promised_due, c.follow_up_at, c.waiting_since,
    c.closed_at, c.last_event_at";

fn bad(col: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, format!("unexpected {what}").into())
}

fn time(r: &Row<'_>, col: usize) -> rusqlite::Result<NaiveDateTime> {
    let s: String = r.get(col)?;
    parse_ts(&s).ok_or_else(|| bad(col, "timestamp"))
}

fn opt_time(r: &Row<'_>, col: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let s: Option<String> = r.get(col)?;
    s.map(|s| parse_ts(&s).ok_or_else(|| bad(col, "timestamp"))).transpose()
}

fn step_of(n: Option<i64>, col: usize) -> rusqlite::Result<Step> {
    n.and_then(|n| u8::try_from(n).ok())
        .and_then(Step::from_number)
        .ok_or_else(|| bad(col, "step"))
}

/// The state from its columns (state, step, satisfaction).
fn state_of(r: &Row<'_>, col: usize) -> rusqlite::Result<State> {
    let kind: String = r.get(col)?;
    let step: Option<i64> = r.get(col + 1)?;
    let satisfaction: Option<i64> = r.get(col + 2)?;
    Ok(match kind.as_str() {
        "open" => State::Open(step_of(step, col + 1)?),
        "waiting" => State::Waiting {
            resume: step_of(step, col + 1)?,
        },
        "closed_resolved" => State::ClosedResolved {
            satisfaction: satisfaction
                .and_then(|s| u8::try_from(s).ok())
                .ok_or_else(|| bad(col + 2, "satisfaction"))?,
        },
        "closed_not_valid" => State::ClosedNotValid,
        _ => return Err(bad(col, "state")),
    })
}

fn complaint_of(r: &Row<'_>) -> rusqlite::Result<Complaint> {
    let purchase: Option<String> = r.get(6)?;
    let category: String = r.get(11)?;
    let temperament: String = r.get(12)?;
    Ok(Complaint {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        details: Details {
            complainant: r.get(2)?,
            about: r.get(3)?,
            content: r.get(4)?,
            purchase_date: purchase.as_deref().and_then(parse_day),
            product_use: r.get(7)?,
            demand: r.get(8)?,
            wanted_solution: r.get(9)?,
            reach: r.get(10)?,
        },
        received_at: time(r, 5)?,
        category: Category::parse(&category).ok_or_else(|| bad(11, "category"))?,
        temperament: Temperament::parse(&temperament).ok_or_else(|| bad(12, "temperament"))?,
        state: state_of(r, 13)?,
        first_response_due: time(r, 16)?,
        responded_at: opt_time(r, 17)?,
        promised_due: opt_time(r, 18)?,
        follow_up_at: opt_time(r, 19)?,
        waiting_since: opt_time(r, 20)?,
        closed_at: opt_time(r, 21)?,
        last_event_at: time(r, 22)?,
    })
}

/// The (state, step, satisfaction) columns of a state.
fn state_columns(s: State) -> (&'static str, Option<u8>, Option<u8>) {
    let satisfaction = match s {
        State::ClosedResolved { satisfaction } => Some(satisfaction),
        _ => None,
    };
    (s.as_str(), s.step().map(Step::number), satisfaction)
}

fn write_state(tx: &Transaction<'_>, c: &Complaint) -> rusqlite::Result<()> {
    let (state, step, satisfaction) = state_columns(c.state);
    tx.prepare_cached(
        "UPDATE complaints SET state = ?2, step = ?3, satisfaction = ?4, first_response_due = ?5,
            responded_at = ?6, promised_due = ?7, follow_up_at = ?8, waiting_since = ?9, closed_at = ?10,
            last_event_at = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        c.id,
        state,
        step,
        satisfaction,
        ts(c.first_response_due),
        c.responded_at.map(ts),
        c.promised_due.map(ts),
        c.follow_up_at.map(ts),
        c.waiting_since.map(ts),
        c.closed_at.map(ts),
        ts(c.last_event_at),
    ])?;
    Ok(())
}

fn insert_entry(tx: &Transaction<'_>, complaint_id: i64, e: &TimelineEntry) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO complaint_timeline (complaint_id, at, step, kind, text, due, satisfaction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        complaint_id,
        ts(e.at),
        e.step.number(),
        e.kind.as_str(),
        e.text,
        e.due.map(ts),
        e.satisfaction,
    ])?;
    Ok(())
}

/// Inserts a new complaint with its first timeline line and counts it as
/// contact (in the caller's transaction); returns it with its id. The demo
/// generator writes through here too.
pub(crate) fn insert_in(
    tx: &Transaction<'_>,
    new: NewComplaint,
    config: &ComplaintConfig,
    zone: Zone,
) -> rusqlite::Result<Complaint> {
    let d = &new.details;
    tx.prepare_cached(
        "INSERT INTO complaints (customer_id, complainant, about, content, received_at, purchase_date,
            product_use, demand, wanted_solution, reach, category, temperament, state, step,
            first_response_due, last_event_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'open', 1, ?5, ?5)",
    )?
    .execute(params![
        new.customer_id,
        d.complainant,
        d.about,
        d.content,
        ts(new.received_at),
        d.purchase_date.map(|p| p.format(DAY).to_string()),
        d.product_use,
        d.demand,
        d.wanted_solution,
        d.reach,
        new.category.as_str(),
        new.temperament.as_str(),
    ])?;
    let (complaint, entry) = Complaint::received(tx.last_insert_rowid(), new, config);
    write_state(tx, &complaint)?;
    insert_entry(tx, complaint.id, &entry)?;
    super::interactions::touch_in(tx, complaint.customer_id, zone.to_local(entry.at), true, false)?;
    Ok(complaint)
}

/// Applies events in order to a complaint inside the caller's
/// transaction: each writes the new state and its timeline line and counts
/// as contact. A refused event leaves the transaction to be rolled back.
pub(crate) fn apply_in(
    tx: &Transaction<'_>,
    id: i64,
    events: Vec<Event>,
    at: NaiveDateTime,
    now: NaiveDateTime,
    config: &ComplaintConfig,
    zone: Zone,
) -> rusqlite::Result<std::result::Result<Complaint, ComplaintError>> {
    let sql = format!("SELECT {COLUMNS} FROM complaints c WHERE c.id = ?1");
    let mut complaint = tx.prepare_cached(&sql)?.query_row([id], complaint_of)?;
    for event in events {
        let (next, entry) = match complaint.apply(event, at, now, config) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        write_state(tx, &next)?;
        insert_entry(tx, id, &entry)?;
        super::interactions::touch_in(tx, next.customer_id, zone.to_local(at), true, false)?;
        complaint = next;
    }
    Ok(Ok(complaint))
}

/// Records that could not be read: each id with why.
pub type Unreadable = Vec<(i64, StorageError)>;

impl Store {
    /// Records a complaint (one transaction); returns it with its id.
    pub fn add_complaint(&mut self, new: NewComplaint, config: &ComplaintConfig, zone: Zone) -> Result<Complaint> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, new.customer_id)?;
            Ok(insert_in(tx, new, config, zone)?)
        })
    }

    /// Applies one or more events (a promise and the step it completes) at
    /// `at`, checked against `now` (both UTC), in one transaction. The inner
    /// error is the workflow's refusal, and then nothing was written.
    pub fn complaint_events(
        &mut self,
        id: i64,
        events: Vec<Event>,
        at: NaiveDateTime,
        now: NaiveDateTime,
        config: &ComplaintConfig,
        zone: Zone,
    ) -> Result<std::result::Result<Complaint, ComplaintError>> {
        self.writable()?;
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = apply_in(&tx, id, events, at, now, config, zone)?;
        if out.is_ok() {
            tx.commit()?;
        }
        Ok(out)
    }

    /// Corrects a saved record: writes the changed fields and keeps each
    /// change (with its old value) as a timeline line at `at`, in one
    /// transaction. Returns the changes (none: nothing written). The
    /// workflow, its deadlines and the customer's contact dates stay as
    /// they are: a correction is not a step.
    pub fn edit_complaint_record(
        &mut self,
        id: i64,
        details: &Details,
        category: Category,
        temperament: Temperament,
        at: NaiveDateTime,
    ) -> Result<Vec<RecordEdit>> {
        self.write_batch(|tx| {
            let sql = format!("SELECT {COLUMNS} FROM complaints c WHERE c.id = ?1");
            let old = tx.query_row(&sql, [id], complaint_of)?;
            let edits = record_edits(&old, details, category, temperament);
            if edits.is_empty() {
                return Ok(edits);
            }
            tx.prepare_cached(
                "UPDATE complaints SET complainant = ?2, about = ?3, content = ?4, purchase_date = ?5,
                    product_use = ?6, demand = ?7, wanted_solution = ?8, reach = ?9, category = ?10,
                    temperament = ?11 WHERE id = ?1",
            )?
            .execute(params![
                id,
                details.complainant,
                details.about,
                details.content,
                details.purchase_date.map(|d| d.format(DAY).to_string()),
                details.product_use,
                details.demand,
                details.wanted_solution,
                details.reach,
                category.as_str(),
                temperament.as_str(),
            ])?;
            // The line belongs to the step the complaint is at (a closed one:
            // the step of its last line).
            let step = match old.state.step() {
                Some(s) => s,
                None => tx.query_row(
                    "SELECT step FROM complaint_timeline WHERE complaint_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
                    [id],
                    |r| step_of(r.get(0)?, 0),
                )?,
            };
            for e in &edits {
                let entry = TimelineEntry {
                    step,
                    kind: EntryKind::Edited,
                    at,
                    text: e.to_text(),
                    due: None,
                    satisfaction: None,
                };
                insert_entry(tx, id, &entry)?;
            }
            Ok(edits)
        })
    }

    pub fn complaint(&self, id: i64) -> Result<Complaint> {
        let sql = format!("SELECT {COLUMNS} FROM complaints c WHERE c.id = ?1");
        Ok(self.conn.query_row(&sql, [id], complaint_of)?)
    }

    /// A complaint's timeline, oldest first.
    pub fn complaint_timeline(&self, id: i64) -> Result<Vec<TimelineEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, step, kind, text, due, satisfaction FROM complaint_timeline
             WHERE complaint_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                let kind: String = r.get(2)?;
                let satisfaction: Option<i64> = r.get(5)?;
                Ok(TimelineEntry {
                    at: time(r, 0)?,
                    step: step_of(r.get(1)?, 1)?,
                    kind: EntryKind::parse(&kind).ok_or_else(|| bad(2, "timeline kind"))?,
                    text: r.get(3)?,
                    due: opt_time(r, 4)?,
                    satisfaction: satisfaction.and_then(|s| u8::try_from(s).ok()),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every complaint with its customer (`open_only`: open or waiting).
    pub fn complaint_rows(&self, open_only: bool) -> Result<Vec<ComplaintRow>> {
        let filter = if open_only {
            "WHERE c.state IN ('open', 'waiting')"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {COLUMNS}, k.name, coalesce(co.name, ''), k.search_key FROM complaints c
             JOIN customers k ON k.id = c.customer_id
             LEFT JOIN companies co ON co.id = k.company_id {filter} ORDER BY c.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ComplaintRow {
                    complaint: complaint_of(r)?,
                    customer: r.get(23)?,
                    company: r.get(24)?,
                    customer_key: r.get(25)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A customer's complaints, open ones first, newest first.
    pub fn customer_complaints(&self, customer_id: i64) -> Result<Vec<Complaint>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM complaints c WHERE c.customer_id = ?1
             ORDER BY c.state IN ('closed_resolved', 'closed_not_valid'), c.received_at DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([customer_id], complaint_of)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The next deadline of each open complaint that is not waiting, as
    /// local wall-clock times of the system's zone (what the agenda shows).
    pub fn complaint_deadlines(&self) -> Result<Vec<ComplaintDeadline>> {
        self.complaint_deadlines_in(Zone::Local)
    }

    /// [`Store::complaint_deadlines`] in a given zone; earliest first. One
    /// unreadable complaint fails the whole read (see
    /// [`Store::complaint_deadlines_each`] for the others anyway).
    pub fn complaint_deadlines_in(&self, zone: Zone) -> Result<Vec<ComplaintDeadline>> {
        let (out, mut unreadable) = self.complaint_deadlines_each(zone)?;
        match unreadable.pop() {
            Some((_, e)) => Err(e),
            None => Ok(out),
        }
    }

    /// The open complaints' next deadlines, earliest first, and the
    /// complaints that could not be read, each with its id and why: one
    /// unreadable row does not hide the others.
    pub fn complaint_deadlines_each(&self, zone: Zone) -> Result<(Vec<ComplaintDeadline>, Unreadable)> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DEADLINE_COLUMNS} FROM complaints c WHERE c.state = 'open'"
        ))?;
        let mut out = Vec::new();
        let mut unreadable = Vec::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, complaint_of(r))))?;
        for row in rows {
            let (id, c) = row?;
            let c = match c {
                Ok(c) => c,
                Err(e) => {
                    unreadable.push((id, StorageError::from(e)));
                    continue;
                }
            };
            if let Some(d) = c.next_deadline()
                && let Deadline::At(due) = d.deadline
            {
                out.push(ComplaintDeadline {
                    complaint_id: c.id,
                    customer_id: c.customer_id,
                    kind: d.kind,
                    due: zone.to_local(due),
                });
            }
        }
        out.sort_by_key(|d: &ComplaintDeadline| (d.due, d.complaint_id));
        Ok((out, unreadable))
    }

    /// How many complaints the file holds (tests, demo).
    pub fn complaint_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Whether complaint `id` exists.
    pub fn has_complaint(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM complaints WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
#[path = "complaints_tests.rs"]
mod tests;
