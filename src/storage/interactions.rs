//! The interaction log; logging one keeps the customer's contact dates.

use chrono::NaiveDateTime;
use rusqlite::{Transaction, params};

use super::stamps::{DAY, parse_ts, ts};
use super::{Result, Store};
use crate::domain::interaction::{Interaction, InteractionKind};

/// Inserts an interaction and moves the customer's contact dates forward.
pub(crate) fn log_in(
    tx: &Transaction<'_>,
    customer_id: i64,
    kind: InteractionKind,
    at: NaiveDateTime,
    note: &str,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO interactions (customer_id, at, kind, note) VALUES (?1, ?2, ?3, ?4)",
        params![customer_id, ts(at), kind.as_str(), note],
    )?;
    let id = tx.last_insert_rowid();
    // The columns keep the last phone call and the last visit as they were;
    // that a visit also counts as a call is decided by the domain
    // (`cadence::last_call`, `InteractionKind::counts_as_call`) on reading.
    touch_in(
        tx,
        customer_id,
        at,
        kind == InteractionKind::Call,
        kind.counts_as_visit(),
    )?;
    Ok(id)
}

/// Moves a customer's last-contact date (and, for a call or a visit, the
/// last-call or last-visit date) forward to `at`, never backward: a
/// back-dated entry keeps the later date. Any contact (an interaction, a
/// complaint step) goes through here, inside the caller's transaction.
pub(crate) fn touch_in(
    tx: &Transaction<'_>,
    customer_id: i64,
    at: NaiveDateTime,
    call: bool,
    visit: bool,
) -> rusqlite::Result<()> {
    let day = at.date().format(DAY).to_string();
    tx.prepare_cached(
        "UPDATE customers SET
            last_contact_at = CASE WHEN last_contact_at IS NULL OR last_contact_at < ?2 THEN ?2 ELSE last_contact_at END,
            last_call_on = CASE WHEN ?4 AND (last_call_on IS NULL OR last_call_on < ?3) THEN ?3 ELSE last_call_on END,
            last_visit_on = CASE WHEN ?5 AND (last_visit_on IS NULL OR last_visit_on < ?3) THEN ?3 ELSE last_visit_on END
         WHERE id = ?1",
    )?
    .execute(params![customer_id, ts(at), day, call, visit])?;
    super::due::refresh_due_in(tx, customer_id)
}

impl Store {
    /// Logs one interaction in one transaction; returns its id.
    pub fn log_interaction(
        &mut self,
        customer_id: i64,
        kind: InteractionKind,
        at: NaiveDateTime,
        note: &str,
    ) -> Result<i64> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, customer_id)?;
            Ok(log_in(tx, customer_id, kind, at, note)?)
        })
    }

    /// The latest `n` interactions of a customer, newest first.
    pub fn recent_interactions(&self, customer_id: i64, n: usize) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_id, at, kind, note FROM interactions
             WHERE customer_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
        )?;
        let v = stmt
            .query_map(params![customer_id, n as i64], |r| {
                let at: String = r.get(2)?;
                let kind: String = r.get(3)?;
                Ok(Interaction {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    at: parse_ts(&at).unwrap_or_default(),
                    kind: InteractionKind::parse(&kind).unwrap_or(InteractionKind::Other),
                    note: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    pub fn interaction_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}
