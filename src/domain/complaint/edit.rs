//! Editing a recorded complaint: the record stays editable after it is
//! saved, and every changed field becomes a line of the timeline that keeps
//! the old value ("record everything", DOMAIN §5). The receipt time and the
//! customer are not edited: the 24-hour clock runs from the receipt.

use serde::{Deserialize, Serialize};

use super::record::{Complaint, Details};
use super::{Category, Temperament};

/// A field of the record that an edit can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditedField {
    Complainant,
    About,
    Content,
    PurchaseDate,
    ProductUse,
    Demand,
    WantedSolution,
    Reach,
    Category,
    Temperament,
}

impl EditedField {
    /// The catalog key of the field's label (the record form's labels).
    pub fn key(self) -> &'static str {
        match self {
            EditedField::Complainant => "complaints.field.complainant",
            EditedField::About => "complaints.field.about",
            EditedField::Content => "complaints.field.content",
            EditedField::PurchaseDate => "complaints.field.purchase_date",
            EditedField::ProductUse => "complaints.field.product_use",
            EditedField::Demand => "complaints.field.demand",
            EditedField::WantedSolution => "complaints.field.wanted_solution",
            EditedField::Reach => "complaints.field.reach",
            EditedField::Category => "complaints.field.category",
            EditedField::Temperament => "complaints.field.temperament",
        }
    }
}

/// One changed field: stored as data (the field and the stored values,
/// category and temperament by their ids) and shown in the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEdit {
    pub field: EditedField,
    pub old: String,
    pub new: String,
}

impl RecordEdit {
    /// The timeline text that keeps this change.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a timeline text written by [`RecordEdit::to_text`].
    pub fn from_text(s: &str) -> Option<RecordEdit> {
        serde_json::from_str(s).ok()
    }
}

/// The changes from complaint `old` to the edited record, field by field
/// in the form's order; empty when nothing changed.
pub fn record_edits(old: &Complaint, new: &Details, category: Category, temperament: Temperament) -> Vec<RecordEdit> {
    use EditedField as F;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let o = &old.details;
    let pairs = [
        (F::Complainant, o.complainant.clone(), new.complainant.clone()),
        (F::About, o.about.clone(), new.about.clone()),
        (F::Content, o.content.clone(), new.content.clone()),
        (F::PurchaseDate, day(o.purchase_date), day(new.purchase_date)),
        (F::ProductUse, o.product_use.clone(), new.product_use.clone()),
        (F::Demand, o.demand.clone(), new.demand.clone()),
        (
            F::WantedSolution,
            o.wanted_solution.clone(),
            new.wanted_solution.clone(),
        ),
        (F::Reach, o.reach.clone(), new.reach.clone()),
        (
            F::Category,
            old.category.as_str().to_string(),
            category.as_str().to_string(),
        ),
        (
            F::Temperament,
            old.temperament.as_str().to_string(),
            temperament.as_str().to_string(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, old, new)| RecordEdit { field, old, new })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::ComplaintConfig;
    use crate::domain::complaint::record::NewComplaint;
    use chrono::NaiveDate;

    fn complaint() -> Complaint {
        let at = NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let new = NewComplaint {
            customer_id: 1,
            details: Details {
                complainant: "王先生".into(),
                content: "冰柜不制冷".into(),
                ..Details::default()
            },
            category: Category::Quality,
            temperament: Temperament::Emotional,
            received_at: at,
        };
        Complaint::received(7, new, &ComplaintConfig::default()).0
    }

    #[test]
    fn only_changed_fields_become_edits_and_read_back() {
        let c = complaint();
        assert!(record_edits(&c, &c.details, c.category, c.temperament).is_empty());
        let mut d = c.details.clone();
        d.content = "冰柜不制冷，食品变质".into();
        d.purchase_date = NaiveDate::from_ymd_opt(2026, 10, 1);
        let edits = record_edits(&c, &d, Category::Delayed, c.temperament);
        let fields: Vec<EditedField> = edits.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [EditedField::Content, EditedField::PurchaseDate, EditedField::Category]
        );
        assert_eq!(
            (edits[0].old.as_str(), edits[0].new.as_str()),
            ("冰柜不制冷", "冰柜不制冷，食品变质")
        );
        assert_eq!((edits[1].old.as_str(), edits[1].new.as_str()), ("", "2026-10-01"));
        assert_eq!((edits[2].old.as_str(), edits[2].new.as_str()), ("quality", "delayed"));
        for e in &edits {
            assert_eq!(RecordEdit::from_text(&e.to_text()).as_ref(), Some(e));
        }
        assert_eq!(RecordEdit::from_text("plain note"), None);
    }
}
