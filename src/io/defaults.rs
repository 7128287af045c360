//! What an import gives rows that say nothing of status or grade, and
//! whether the customers it brings are followed up as new ones.

use crate::domain::customer::{Customer, Grade, Status};

/// Whether a row gave its status and its grade (otherwise the import's
/// [`Defaults`] decide them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    pub status: bool,
    pub grade: bool,
}

/// What imported customers get where their row is silent, and whether
/// they are followed up as new customers (DOMAIN §4). A book brought from
/// elsewhere is not a list of new acquaintances: by default its customers
/// follow the grade's cadence from the day of the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    pub status: Status,
    pub grade: Grade,
    pub as_new: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            status: Status::Potential,
            grade: Grade::C,
            as_new: false,
        }
    }
}

impl Defaults {
    /// Fills what the row did not give.
    pub fn apply(&self, c: &mut Customer, given: Given) {
        if !given.status {
            c.status = self.status;
        }
        if !given.grade {
            c.grade = self.grade;
        }
        c.follow_up_as_new = self.as_new;
    }
}
