//! Sample follow-ups and business events.

use chrono::NaiveDateTime;
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};

/// Adds sample follow-ups and business events for the generated customers.
pub fn fill(
    _tx: &Transaction<'_>,
    _rng: &mut Rng,
    _customers: &[DemoCustomer],
    _now: NaiveDateTime,
) -> rusqlite::Result<()> {
    Ok(())
}
