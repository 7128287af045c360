//! A purchase and a grade change as the rep records them.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Abc, CnClass, CustomerValue, Reason, Segment};
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
    pub reason: GradeReason,
}

/// Why a grade changed, kept as data so each reader sees it in their own
/// language. Stored as a short code: `class:A`, `never`, `lapsed:40`,
/// `kept:at_risk` (a segment or Chinese class id), or `kept`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeReason {
    /// The ABC class of the buyer.
    Class(Abc),
    /// No purchase yet.
    Never,
    /// No purchase in the window; the last one this many days before.
    Lapsed(i64),
    /// Would be downgraded, but a valuable customer at risk: kept. The
    /// label says which kind (a segment or a Chinese class).
    Kept(Option<KeptLabel>),
    /// Written by an older version as a sentence: shown as it is.
    Text(String),
}

/// What makes a kept customer valuable and at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptLabel {
    Segment(Segment),
    Class(CnClass),
}

impl KeptLabel {
    /// The catalog key of its name.
    pub fn key(self) -> &'static str {
        match self {
            KeptLabel::Segment(s) => s.key(),
            KeptLabel::Class(c) => c.key(),
        }
    }
}

impl GradeReason {
    /// Why the analysis suggests this customer's grade.
    pub fn of(c: &CustomerValue) -> GradeReason {
        match c.reason {
            Reason::Class(abc) => GradeReason::Class(abc),
            Reason::NoPurchase => match c.recency_days {
                None => GradeReason::Never,
                Some(n) => GradeReason::Lapsed(n),
            },
            Reason::KeptAtRisk => GradeReason::Kept(Some(match (c.cn_class, c.segment) {
                (Some(CnClass::ImportantRetain), _) | (_, None) => KeptLabel::Class(CnClass::ImportantRetain),
                (_, Some(s)) => KeptLabel::Segment(s),
            })),
        }
    }

    /// The code kept in the grade history.
    pub fn stored(&self) -> String {
        match self {
            GradeReason::Class(abc) => format!("class:{}", abc.as_str()),
            GradeReason::Never => "never".into(),
            GradeReason::Lapsed(n) => format!("lapsed:{n}"),
            GradeReason::Kept(None) => "kept".into(),
            GradeReason::Kept(Some(KeptLabel::Segment(s))) => format!("kept:{}", s.as_str()),
            GradeReason::Kept(Some(KeptLabel::Class(c))) => format!("kept:{}", c.as_str()),
            GradeReason::Text(s) => s.clone(),
        }
    }

    /// Reads a stored code; anything else is an older row's sentence.
    pub fn from_stored(s: &str) -> GradeReason {
        let parsed = match s.split_once(':') {
            Some(("class", abc)) => Abc::parse(abc).map(GradeReason::Class),
            Some(("lapsed", n)) => n.parse().ok().map(GradeReason::Lapsed),
            Some(("kept", label)) => Segment::parse(label)
                .map(KeptLabel::Segment)
                .or_else(|| CnClass::parse(label).map(KeptLabel::Class))
                .map(|l| GradeReason::Kept(Some(l))),
            None if s == "never" => Some(GradeReason::Never),
            None if s == "kept" => Some(GradeReason::Kept(None)),
            _ => None,
        };
        parsed.unwrap_or_else(|| GradeReason::Text(s.to_string()))
    }
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
