//! Sample qualification (MAN) for the prospects.

use chrono::NaiveDateTime;
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};

/// Adds sample qualification (MAN) for the prospects for the generated customers.
pub fn fill(
    _tx: &Transaction<'_>,
    _rng: &mut Rng,
    _customers: &[DemoCustomer],
    _now: NaiveDateTime,
) -> rusqlite::Result<()> {
    Ok(())
}
