//! Customers, their lifecycle status (DOMAIN §1), grade (§3), relationship
//! level (§8) and personality (§7).

use chrono::{NaiveDate, NaiveDateTime};

use super::dates::Birthday;
use crate::str_enum;

str_enum!(
    /// Lifecycle status (DOMAIN §1).
    Status, "status" {
        Potential => "potential",
        Target => "target",
        Active => "active",
        Loyal => "loyal",
        Lost => "lost",
        NonCustomer => "non_customer",
    }
);

str_enum!(
    /// Grade by importance (DOMAIN §3): A key, B secondary, C ordinary, D small.
    Grade, "grade" {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
    }
);

str_enum!(
    /// Kotler's five relationship levels (DOMAIN §8), lowest first.
    Relationship, "relationship" {
        Basic => "basic",
        Reactive => "reactive",
        Accountable => "accountable",
        Proactive => "proactive",
        Partnership => "partnership",
    }
);

str_enum!(
    /// Personality tag with a persuasion strategy (DOMAIN §7).
    Personality, "personality" {
        Rational => "rational",
        Impulsive => "impulsive",
        Stubborn => "stubborn",
        Combative => "combative",
        Indecisive => "indecisive",
        SelfAdmiring => "self_admiring",
        Arrogant => "arrogant",
        Suspicious => "suspicious",
        Taciturn => "taciturn",
        PennyPinching => "penny_pinching",
    }
);

impl Personality {
    /// Catalog key of the one-line strategy shown before a call.
    pub fn strategy_key(self) -> &'static str {
        match self {
            Personality::Rational => "strategy.rational",
            Personality::Impulsive => "strategy.impulsive",
            Personality::Stubborn => "strategy.stubborn",
            Personality::Combative => "strategy.combative",
            Personality::Indecisive => "strategy.indecisive",
            Personality::SelfAdmiring => "strategy.self_admiring",
            Personality::Arrogant => "strategy.arrogant",
            Personality::Suspicious => "strategy.suspicious",
            Personality::Taciturn => "strategy.taciturn",
            Personality::PennyPinching => "strategy.penny_pinching",
        }
    }
}

/// A customer (a person at a company) with everything the rep records.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// 0 for a record not yet stored.
    pub id: i64,
    pub name: String,
    pub company: String,
    pub role: String,
    /// The roles the person holds at the company (DOMAIN §6).
    pub roles: super::account::Roles,
    pub phones: Vec<String>,
    pub wechat: String,
    pub email: String,
    pub city: String,
    pub birthday: Option<Birthday>,
    pub grade: Grade,
    pub status: Status,
    pub relationship: Relationship,
    pub personality: Option<Personality>,
    pub hobbies: String,
    pub family: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// A stable identity for the contacts round trip (the vCard `UID`):
    /// given by storage when empty, never changed afterwards.
    pub uid: String,
    /// Maintained by storage from the interaction log.
    pub contact: ContactDates,
    pub created_at: NaiveDateTime,
    /// While never contacted, followed up as a new customer (within the
    /// new-customer days, DOMAIN §4): true for customers added by hand;
    /// an import says (by default not: a book brought from elsewhere
    /// follows the grade's cadence from the day it was imported).
    pub follow_up_as_new: bool,
}

/// When the customer was last touched, derived from the interaction log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContactDates {
    pub last_contact: Option<NaiveDateTime>,
    pub last_call: Option<NaiveDate>,
    pub last_visit: Option<NaiveDate>,
}

impl Customer {
    /// A blank record with the defaults a new customer gets.
    pub fn new(name: impl Into<String>, created_at: NaiveDateTime) -> Self {
        Customer {
            id: 0,
            name: name.into(),
            company: String::new(),
            role: String::new(),
            roles: super::account::Roles::NONE,
            phones: Vec::new(),
            wechat: String::new(),
            email: String::new(),
            city: String::new(),
            birthday: None,
            grade: Grade::C,
            status: Status::Potential,
            relationship: Relationship::Basic,
            personality: None,
            hobbies: String::new(),
            family: String::new(),
            notes: String::new(),
            tags: Vec::new(),
            uid: String::new(),
            contact: ContactDates::default(),
            created_at,
            follow_up_as_new: true,
        }
    }
}

/// One entry of a customer's status history: kept, never overwritten.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub at: NaiveDateTime,
    pub from: Option<Status>,
    pub to: Status,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_stored_names() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(*g));
        }
        for r in Relationship::ALL {
            assert_eq!(Relationship::parse(r.as_str()), Some(*r));
        }
        for p in Personality::ALL {
            assert_eq!(Personality::parse(p.as_str()), Some(*p));
            assert!(p.strategy_key().starts_with("strategy."));
        }
        assert_eq!(Status::parse("nonsense"), None);
        assert_eq!(Status::NonCustomer.key(), "status.non_customer");
    }
}
