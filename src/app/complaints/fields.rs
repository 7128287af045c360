//! The complaint forms' fields: their names (the catalog labels), how
//! they are built and read, and the record's fields shared by recording a
//! complaint and correcting its record.

use chrono::{NaiveDate, NaiveDateTime};

use super::{App, now_utc};
use crate::app::form::{DateEntry, Field, FieldId, FieldKind, Form};
use crate::app::input::TextInput;
use crate::domain::complaint::record::{Details, NewComplaint, RecordField, RecordProblem};
use crate::domain::complaint::{Category, Temperament};
use crate::domain::dates;
use crate::domain::validate::FieldError;
use crate::i18n::{Lang, t, tf};

// Field labels double as the fields' names.
pub(super) const CUSTOMER: &str = "complaints.field.customer";
pub(super) const COMPLAINANT: &str = "complaints.field.complainant";
pub(super) const ABOUT: &str = "complaints.field.about";
pub(super) const CONTENT: &str = "complaints.field.content";
pub(super) const RECEIVED: &str = "complaints.field.received_at";
pub(super) const PURCHASE: &str = "complaints.field.purchase_date";
pub(super) const USE: &str = "complaints.field.product_use";
pub(super) const DEMAND: &str = "complaints.field.demand";
pub(super) const WANTED: &str = "complaints.field.wanted_solution";
pub(super) const REACH: &str = "complaints.field.reach";
pub(super) const CATEGORY: &str = "complaints.field.category";
pub(super) const TEMPERAMENT: &str = "complaints.field.temperament";
pub(super) const AT: &str = "complaints.field.at";
pub(super) const NOTE: &str = "complaints.field.note";
pub(super) const SOLUTION: &str = "complaints.field.solution";
pub(super) const DONE: &str = "complaints.field.done";
pub(super) const EXPLANATION: &str = "complaints.field.explanation";
pub(super) const VERDICT: &str = "complaints.field.verdict";
pub(super) const ACTION: &str = "complaints.field.promised_action";
pub(super) const DUE: &str = "complaints.field.due";
pub(super) const OUTCOME: &str = "complaints.field.outcome";
pub(super) const SATISFACTION: &str = "complaints.field.satisfaction";
pub(super) const REASON: &str = "complaints.field.reason";

/// The free texts that keep their lines.
const MULTILINE: [&str; 10] = [
    CONTENT,
    USE,
    DEMAND,
    WANTED,
    NOTE,
    SOLUTION,
    DONE,
    EXPLANATION,
    ACTION,
    REASON,
];

pub(super) fn text(label: &'static str, value: &str) -> Field {
    Field {
        id: FieldId::Note,
        label,
        required: false,
        kind: FieldKind::Text(TextInput::new(value)),
        hint: None,
        multiline: MULTILINE.contains(&label),
        error: None,
        date: None,
    }
}

pub(super) fn choice(label: &'static str, options: Vec<(&'static str, &'static str)>) -> Field {
    Field {
        id: FieldId::Kind,
        label,
        required: false,
        kind: FieldKind::Choice { options, selected: 0 },
        hint: None,
        multiline: false,
        error: None,
        date: None,
    }
}

pub(super) fn required(mut f: Field) -> Field {
    f.required = true;
    f
}

pub(super) fn hinted(mut f: Field, key: &'static str) -> Field {
    f.hint = Some(key);
    f
}

pub(super) fn value<'a>(form: &'a Form, label: &str) -> &'a str {
    form.fields
        .iter()
        .find(|f| f.label == label)
        .map(Field::value)
        .unwrap_or("")
}

/// Replaces a field's text (a default that follows another field).
pub(super) fn set_value(form: &mut Form, label: &str, value: &str) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.label == label)
        && let FieldKind::Text(input) = &mut f.kind
    {
        *input = TextInput::new(value);
    }
}

pub(super) fn set_error(form: &mut Form, label: &str, msg: String) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.label == label) {
        f.error = Some(msg);
    }
}

pub(super) fn field_message(lang: Lang, e: &FieldError) -> String {
    match e {
        FieldError::TooLong { max } => tf(lang, e.key(), &[("max", max)]),
        _ => t(lang, e.key()).to_string(),
    }
}

pub(super) use crate::app::form::when_message;

/// The record's own fields (complainant to temperament, without the
/// customer and the receipt), filled from `d`.
pub(super) fn record_fields(d: &Details, category: Category, temperament: Temperament) -> Vec<Field> {
    let mut category_field = choice(CATEGORY, Category::ALL.iter().map(|c| (c.as_str(), c.key())).collect());
    let mut temperament_field = choice(
        TEMPERAMENT,
        Temperament::ALL.iter().map(|c| (c.as_str(), c.key())).collect(),
    );
    select(&mut category_field, category.as_str());
    select(&mut temperament_field, temperament.as_str());
    vec![
        required(text(COMPLAINANT, &d.complainant)),
        text(ABOUT, &d.about),
        required(text(CONTENT, &d.content)),
        hinted(
            text(
                PURCHASE,
                &d.purchase_date
                    .map(|p| p.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
            "complaints.hint.date",
        )
        .date_entry(DateEntry::Day),
        text(USE, &d.product_use),
        text(DEMAND, &d.demand),
        text(WANTED, &d.wanted_solution),
        text(REACH, &d.reach),
        category_field,
        temperament_field,
    ]
}

pub(super) fn select(f: &mut Field, value: &str) {
    if let FieldKind::Choice { options, selected } = &mut f.kind {
        *selected = options.iter().position(|(v, _)| *v == value).unwrap_or(0);
    }
}

pub(super) fn past_date(input: &str, today: NaiveDate) -> Result<NaiveDate, dates::DateEntryError> {
    let d = dates::parse_date_entry(input, today)?;
    Ok(crate::app::form::latest(d, input, today))
}

/// Reads the record's fields into a complaint for `customer` received at
/// `received`, checked; every mistake is marked next to its field at once
/// (`None` then, or when the customer or the receipt is missing).
pub(super) fn read_record(
    app: &App,
    form: &mut Form,
    customer: Option<i64>,
    received: Option<NaiveDateTime>,
) -> Option<NewComplaint> {
    let lang = app.lang;
    let purchase_raw = value(form, PURCHASE).trim().to_string();
    let purchase = if purchase_raw.is_empty() {
        Some(None)
    } else {
        match past_date(&purchase_raw, app.today()) {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                set_error(form, PURCHASE, e.message(lang.is_zh()));
                None
            }
        }
    };
    // Check the whole record even when the customer or a time is wrong, so
    // every mistake shows at once (an unreadable time is not checked again).
    let now = now_utc(app);
    let new = NewComplaint {
        customer_id: customer.unwrap_or_default(),
        details: Details {
            complainant: value(form, COMPLAINANT).to_string(),
            about: value(form, ABOUT).to_string(),
            content: value(form, CONTENT).to_string(),
            purchase_date: purchase.flatten(),
            product_use: value(form, USE).to_string(),
            demand: value(form, DEMAND).to_string(),
            wanted_solution: value(form, WANTED).to_string(),
            reach: value(form, REACH).to_string(),
        },
        category: Category::parse(value(form, CATEGORY)).unwrap_or(Category::Quality),
        temperament: Temperament::parse(value(form, TEMPERAMENT)).unwrap_or(Temperament::Emotional),
        received_at: received.unwrap_or(now),
    };
    match new.checked(now, app.complaints.zone) {
        Ok(n) if customer.is_some() && received.is_some() && purchase.is_some() => Some(n),
        Ok(_) => None,
        Err(problems) => {
            for (field, problem) in problems {
                let label = match field {
                    RecordField::Complainant => COMPLAINANT,
                    RecordField::About => ABOUT,
                    RecordField::Content => CONTENT,
                    RecordField::ReceivedAt => RECEIVED,
                    RecordField::PurchaseDate => PURCHASE,
                    RecordField::ProductUse => USE,
                    RecordField::Demand => DEMAND,
                    RecordField::WantedSolution => WANTED,
                    RecordField::Reach => REACH,
                };
                let msg = match &problem {
                    RecordProblem::Field(e) => field_message(lang, e),
                    other => t(lang, other.key()).to_string(),
                };
                set_error(form, label, msg);
            }
            None
        }
    }
}
