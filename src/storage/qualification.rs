//! MAN qualification (DOMAIN §2): the current answers and their history.
//! One user edit is one transaction writing the new value and its history
//! row together, so a crash never leaves one without the other.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::customers::{parse_ts, ts};
use super::{Result, Store};
use crate::domain::customer::{Grade, Status};
use crate::domain::qualification::{Answer, Criterion, Decider, Evidence, Man, QualChange, Qualification, Topic};

/// Schema step 2.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE qualification (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        money TEXT NOT NULL DEFAULT 'unknown' CHECK (money IN ('yes','no','unknown')),
        money_note TEXT NOT NULL DEFAULT '',
        money_at TEXT,
        authority TEXT NOT NULL DEFAULT 'unknown' CHECK (authority IN ('yes','no','unknown')),
        authority_note TEXT NOT NULL DEFAULT '',
        authority_at TEXT,
        need TEXT NOT NULL DEFAULT 'unknown' CHECK (need IN ('yes','no','unknown')),
        need_note TEXT NOT NULL DEFAULT '',
        need_at TEXT,
        decider_customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        decider_name TEXT NOT NULL DEFAULT '',
        decider_role TEXT NOT NULL DEFAULT '',
        updated_at TEXT
    );
    CREATE TABLE qualification_history (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        criterion TEXT NOT NULL CHECK (criterion IN ('money','authority','need','decider')),
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX qualification_history_customer ON qualification_history(customer_id, at);
"#;

/// A prospect as the board lists it: enough to group, search and show.
#[derive(Debug, Clone, PartialEq)]
pub struct ProspectRow {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub status: Status,
    pub grade: Grade,
    pub man: Man,
    pub updated_at: Option<NaiveDateTime>,
    pub search_key: String,
    pub sort_key: String,
}

/// Another person in the book at the same company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
    pub role: String,
    /// The first phone (its last digits tell namesakes apart).
    pub phone: String,
}

/// Colleagues listed at most (the checklist and the card name a few).
const MAX_COLLEAGUES: i64 = 12;

const SELECT: &str = "SELECT money, money_note, money_at, authority, authority_note, authority_at,
    need, need_note, need_at, decider_customer_id, decider_name, decider_role, updated_at
    FROM qualification WHERE customer_id = ?1";

fn answer(s: &str) -> Answer {
    Answer::parse(s).unwrap_or_default()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Qualification> {
    let ev = |i: usize| -> rusqlite::Result<Evidence> {
        let a: String = r.get(i)?;
        let at: Option<String> = r.get(i + 2)?;
        Ok(Evidence {
            answer: answer(&a),
            note: r.get(i + 1)?,
            at: at.as_deref().and_then(parse_ts),
        })
    };
    let updated: Option<String> = r.get(12)?;
    Ok(Qualification {
        money: ev(0)?,
        authority: ev(3)?,
        need: ev(6)?,
        decider: Decider {
            customer_id: r.get(9)?,
            name: r.get(10)?,
            role: r.get(11)?,
        },
        updated_at: updated.as_deref().and_then(parse_ts),
    })
}

fn read_in(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Qualification> {
    Ok(tx.query_row(SELECT, [id], from_row).optional()?.unwrap_or_default())
}

/// Writes the whole record of customer `id` (insert or replace).
fn write_in(tx: &Transaction<'_>, id: i64, q: &Qualification) -> rusqlite::Result<()> {
    let at = |e: &Evidence| e.at.map(ts);
    tx.prepare_cached(
        "INSERT INTO qualification (customer_id, money, money_note, money_at, authority, authority_note,
            authority_at, need, need_note, need_at, decider_customer_id, decider_name, decider_role, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (customer_id) DO UPDATE SET money = ?2, money_note = ?3, money_at = ?4,
            authority = ?5, authority_note = ?6, authority_at = ?7, need = ?8, need_note = ?9,
            need_at = ?10, decider_customer_id = ?11, decider_name = ?12, decider_role = ?13,
            updated_at = ?14",
    )?
    .execute(params![
        id,
        q.money.answer.as_str(),
        q.money.note,
        at(&q.money),
        q.authority.answer.as_str(),
        q.authority.note,
        at(&q.authority),
        q.need.answer.as_str(),
        q.need.note,
        at(&q.need),
        q.decider.customer_id,
        q.decider.name,
        q.decider.role,
        q.updated_at.map(ts),
    ])?;
    Ok(())
}

fn history_in(tx: &Transaction<'_>, id: i64, c: &QualChange) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO qualification_history (customer_id, at, criterion, old, new, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, ts(c.at), c.topic.as_str(), c.old, c.new, c.note])?;
    Ok(tx.last_insert_rowid())
}

/// Names who decides for customer `id` inside `tx`; a colleague named
/// there becomes a decision maker of the account (DOMAIN §6).
fn decider_in(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    d: Decider,
    at: NaiveDateTime,
) -> Result<Option<(Qualification, QualChange)>> {
    let colleague = d.customer_id;
    let mut q = read_in(tx, id)?;
    let Some(change) = q.set_decider(d, at) else {
        return Ok(None);
    };
    write_in(tx, id, &q)?;
    history_in(tx, id, &change)?;
    if let Some(c) = colleague {
        tx.prepare_cached(
            "UPDATE customers SET roles = roles | 1 WHERE id = ?1 AND roles & 1 = 0
             AND company_id = (SELECT company_id FROM customers WHERE id = ?2)",
        )?
        .execute(params![c, id])?;
    }
    Ok(Some((q, change)))
}

/// A run of presses cycling one criterion: the evidence before it began,
/// and the history row it has written so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    pub before: Evidence,
    pub row: Option<i64>,
}

/// Saves a record built outside the app (sample data), with its history,
/// inside the caller's transaction.
pub fn write_with_history(
    tx: &Transaction<'_>,
    id: i64,
    q: &Qualification,
    history: &[QualChange],
) -> rusqlite::Result<()> {
    write_in(tx, id, q)?;
    for c in history {
        history_in(tx, id, c)?;
    }
    Ok(())
}

const PROSPECT_SELECT: &str = "SELECT c.id, c.name, COALESCE(co.name, ''), c.status, c.grade,
        COALESCE(q.money, 'unknown'), COALESCE(q.authority, 'unknown'), COALESCE(q.need, 'unknown'),
        q.updated_at, c.search_key, c.sort_key
     FROM customers c
     LEFT JOIN companies co ON co.id = c.company_id
     LEFT JOIN qualification q ON q.customer_id = c.id
     WHERE c.status IN ('potential', 'target')";

fn prospect_from(r: &Row<'_>) -> rusqlite::Result<ProspectRow> {
    let status: String = r.get(3)?;
    let grade: String = r.get(4)?;
    let (m, a, n): (String, String, String) = (r.get(5)?, r.get(6)?, r.get(7)?);
    let updated: Option<String> = r.get(8)?;
    Ok(ProspectRow {
        id: r.get(0)?,
        name: r.get(1)?,
        company: r.get(2)?,
        status: Status::parse(&status).unwrap_or(Status::Potential),
        grade: Grade::parse(&grade).unwrap_or(Grade::C),
        man: Man::new(answer(&m), answer(&a), answer(&n)),
        updated_at: updated.as_deref().and_then(parse_ts),
        search_key: r.get(9)?,
        sort_key: r.get(10)?,
    })
}

impl Store {
    /// The MAN record of customer `id` (all unknown if never assessed).
    pub fn qualification(&self, id: i64) -> Result<Qualification> {
        Ok(self
            .conn
            .prepare_cached(SELECT)?
            .query_row([id], from_row)
            .optional()?
            .unwrap_or_default())
    }

    /// Every change to customer `id`'s MAN record, oldest first.
    pub fn qualification_history(&self, id: i64) -> Result<Vec<QualChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, criterion, old, new, note FROM qualification_history
             WHERE customer_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let at: String = r.get(0)?;
            let topic: String = r.get(1)?;
            Ok((at, topic, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, topic, old, new, note): (String, String, String, String, String) = row?;
            // The CHECK constraint keeps unknown topics out.
            if let Some(topic) = Topic::parse(&topic) {
                out.push(QualChange {
                    at: parse_ts(&at).unwrap_or_default(),
                    topic,
                    old,
                    new,
                    note,
                });
            }
        }
        Ok(out)
    }

    /// One edit of customer `id`'s record: reads it, lets `edit` change it,
    /// and writes the new record with its history row in one transaction.
    /// Returns the change, or `None` when `edit` changed nothing (no write).
    fn edit_qualification(
        &mut self,
        id: i64,
        edit: impl FnOnce(&mut Qualification) -> Option<QualChange>,
    ) -> Result<Option<(Qualification, QualChange)>> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, id)?;
            let mut q = read_in(tx, id)?;
            let Some(change) = edit(&mut q) else {
                return Ok(None);
            };
            write_in(tx, id, &q)?;
            history_in(tx, id, &change)?;
            Ok(Some((q, change)))
        })
    }

    /// Sets one criterion's answer and evidence note (already validated).
    pub fn set_criterion(
        &mut self,
        id: i64,
        c: Criterion,
        answer: Answer,
        note: &str,
        at: NaiveDateTime,
    ) -> Result<Option<(Qualification, QualChange)>> {
        self.edit_qualification(id, |q| q.set(c, answer, note, at))
    }

    /// Cycles one criterion yes → no → unknown (the new answer starts
    /// with an empty note).
    pub fn toggle_criterion(
        &mut self,
        id: i64,
        c: Criterion,
        at: NaiveDateTime,
    ) -> Result<Option<(Qualification, QualChange)>> {
        self.edit_qualification(id, |q| q.toggle(c, at))
    }

    /// Cycles one criterion within a burst of presses that began with it
    /// at `burst.before`: the burst's history row (if any) is replaced, so
    /// the burst leaves one row for the answer it settles on, or none when
    /// it comes back to where it began. Returns the record and the burst
    /// as it now stands.
    pub fn toggle_criterion_in_burst(
        &mut self,
        id: i64,
        c: Criterion,
        burst: &Burst,
        at: NaiveDateTime,
    ) -> Result<(Qualification, Option<QualChange>, Burst)> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, id)?;
            let mut q = read_in(tx, id)?;
            let change = q.toggle_from(c, &burst.before, at);
            if let Some(row) = burst.row {
                tx.prepare_cached("DELETE FROM qualification_history WHERE id = ?1 AND customer_id = ?2")?
                    .execute(params![row, id])?;
            }
            write_in(tx, id, &q)?;
            let row = match &change {
                Some(ch) => Some(history_in(tx, id, ch)?),
                None => None,
            };
            let burst = Burst {
                before: burst.before.clone(),
                row,
            };
            Ok((q, change, burst))
        })
    }

    /// Names who holds the authority at the customer's company. A
    /// colleague named there becomes a decision maker of the account
    /// (DOMAIN §6), in the same transaction.
    pub fn set_decider(
        &mut self,
        id: i64,
        d: Decider,
        at: NaiveDateTime,
    ) -> Result<Option<(Qualification, QualChange)>> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, id)?;
            decider_in(tx, id, d, at)
        })
    }

    /// Names as who decides a person new to the book: they are added at
    /// the customer's company as one of its decision makers (with `d`'s
    /// name and role as their title) and linked, in one transaction.
    /// Returns the new person's id.
    pub fn set_new_decider(
        &mut self,
        id: i64,
        d: Decider,
        at: NaiveDateTime,
    ) -> Result<(i64, Option<(Qualification, QualChange)>)> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, id)?;
            let (company, grade): (Option<String>, String) = tx.query_row(
                "SELECT co.name, c.grade FROM customers c LEFT JOIN companies co ON co.id = c.company_id
                 WHERE c.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut c = crate::domain::customer::Customer::new(d.name.clone(), at);
            c.company = company.unwrap_or_default();
            c.role = d.role.clone();
            c.grade = crate::domain::customer::Grade::parse(&grade).unwrap_or(c.grade);
            c.status = crate::domain::customer::Status::Target;
            c.roles = crate::domain::account::Roles::of(&[crate::domain::account::Role::DecisionMaker]);
            let new = super::inserts::insert_in(tx, &c, "decider")?;
            let d = Decider {
                customer_id: Some(new),
                ..d
            };
            Ok((new, decider_in(tx, id, d, at)?))
        })
    }

    /// Every customer with status potential or target, with their MAN
    /// answers, in no particular order (the board sorts them).
    pub fn prospects(&self) -> Result<Vec<ProspectRow>> {
        let mut stmt = self.conn.prepare_cached(PROSPECT_SELECT)?;
        let rows = stmt
            .query_map([], prospect_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every stored MAN record's answers and when it last changed, by
    /// customer: with the in-memory index, enough to build the board
    /// without reading the customers table.
    pub fn qualification_answers(&self) -> Result<HashMap<i64, (Man, Option<NaiveDateTime>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer_id, money, authority, need, updated_at FROM qualification")?;
        let rows = stmt.query_map([], |r| {
            let (m, a, n): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let updated: Option<String> = r.get(4)?;
            Ok((
                r.get::<_, i64>(0)?,
                (
                    Man::new(answer(&m), answer(&a), answer(&n)),
                    updated.as_deref().and_then(parse_ts),
                ),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Customer `id`'s board row, or `None` when it is not a prospect.
    pub fn prospect(&self, id: i64) -> Result<Option<ProspectRow>> {
        let sql = format!("{PROSPECT_SELECT} AND c.id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], prospect_from)
            .optional()?)
    }

    /// The other people in the book at customer `id`'s company, by name.
    pub fn colleagues(&self, id: i64) -> Result<Vec<Colleague>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name, c.role, c.phones FROM customers c
             WHERE c.company_id = (SELECT company_id FROM customers WHERE id = ?1) AND c.id <> ?1
             ORDER BY c.sort_key, c.id LIMIT ?2",
        )?;
        let v = stmt
            .query_map(params![id, MAX_COLLEAGUES], |r| {
                let phones: String = r.get(3)?;
                Ok(Colleague {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    phone: phones.lines().next().unwrap_or("").to_string(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests;
