//! A purchase and a grade change as the rep records them.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::customer::Grade;

/// One purchase: `amount` in the currency's minor unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    /// 0 for a record not yet stored.
    pub id: i64,
    pub customer_id: i64,
    pub date: NaiveDate,
    pub product: String,
    pub quantity: i64,
    pub amount: i64,
    pub note: String,
}

/// A grade change the rep accepted, kept in the grade history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeChange {
    pub customer_id: i64,
    pub at: NaiveDateTime,
    pub from: Grade,
    pub to: Grade,
    pub reason: String,
}

/// What the card shows about a customer's purchases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurchaseSummary {
    /// The latest few, newest first.
    pub recent: Vec<Purchase>,
    pub count: i64,
    pub lifetime: i64,
    pub last: Option<NaiveDate>,
    /// Purchases and amount in the window ending today.
    pub window_count: i64,
    pub window_amount: i64,
    /// Amount since 1 January of the current year.
    pub this_year: i64,
    /// The company's total this year over all its people, and how many people bought.
    pub account_this_year: i64,
    pub account_buyers: i64,
}
