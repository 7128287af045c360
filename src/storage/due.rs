//! Each customer's next due date and churn date, kept in indexed columns
//! (what the agenda reads): two SQL functions, `rapport_next_due` and
//! `rapport_churn_on`, run the domain's cadence rules inside SQLite, and
//! every write that changes a contact date or a grade recomputes them
//! through [`refresh_due_in`].

use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Transaction};

use super::stamps::{day_str, parse_day};
use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::Grade;

fn day_arg(v: rusqlite::types::ValueRef<'_>) -> Option<NaiveDate> {
    let s = v.as_str().ok()?;
    parse_day(s.get(..10)?)
}

/// A customer's next due date as stored, from their grade, contact dates,
/// the day they were added and whether they are followed up as new: what
/// `rapport_next_due` returns (a bulk import computes it beforehand).
pub(crate) fn next_due_on(
    c: &Cadence,
    grade: Grade,
    (call, visit): (Option<NaiveDate>, Option<NaiveDate>),
    added: NaiveDate,
    as_new: bool,
) -> Option<String> {
    match c.next_due_since(grade, call, visit, added, as_new) {
        Due::On(d) => Some(day_str(d)),
        Due::Now => Some(day_str(added)),
        Due::Never => None,
    }
}

/// Registers the due-date functions with `cadence` on a connection.
pub(super) fn register(conn: &Connection, cadence: &Cadence) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let c = cadence.clone();
    conn.create_scalar_function("rapport_next_due", 5, flags, move |ctx| {
        let grade = Grade::parse(ctx.get_raw(0).as_str().unwrap_or("C")).unwrap_or(Grade::C);
        let (call, visit) = (day_arg(ctx.get_raw(1)), day_arg(ctx.get_raw(2)));
        let added = day_arg(ctx.get_raw(3)).unwrap_or_default();
        let as_new = ctx.get_raw(4).as_i64() != Ok(0);
        Ok(next_due_on(&c, grade, (call, visit), added, as_new))
    })?;
    let c = cadence.clone();
    conn.create_scalar_function("rapport_churn_on", 2, flags, move |ctx| {
        let grade = Grade::parse(ctx.get_raw(0).as_str().unwrap_or("C")).unwrap_or(Grade::C);
        Ok(c.churn_from(grade, day_arg(ctx.get_raw(1))).map(day_str))
    })
}

pub(crate) const REFRESH: &str =
    "next_due_on = rapport_next_due(grade, last_call_on, last_visit_on, created_at, follow_up_as_new),
    churn_on = rapport_churn_on(grade, last_contact_at)";

/// Recomputes one customer's due dates inside the caller's transaction.
pub(crate) fn refresh_due_in(tx: &Transaction<'_>, customer_id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!("UPDATE customers SET {REFRESH} WHERE id = ?1"))?
        .execute([customer_id])?;
    Ok(())
}

/// A fingerprint of the cadence, so a changed config recomputes due dates.
pub fn fingerprint(c: &Cadence) -> String {
    format!(
        "{:?}|{:?}|{}|{}",
        c.call_months, c.visit_months, c.churn_factor, c.new_customer_days
    )
}
