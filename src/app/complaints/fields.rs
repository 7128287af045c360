//! The complaint forms' fields: their names (the catalog labels), how
//! they are built and read, and the record's fields shared by recording a
//! complaint and correcting its record.

use chrono::{NaiveDate, NaiveDateTime};

use super::{App, now_utc};
use crate::app::form::kinds::COMPLAINT_FIELDS;
use crate::app::form::{DateEntry, Field, FieldId, FieldKind, Form};
use crate::app::input::TextInput;
use crate::domain::complaint::record::{Details, NewComplaint, RecordField, RecordProblem};
use crate::domain::complaint::{Category, Temperament};
use crate::domain::dates;
use crate::domain::validate::FieldError;
use crate::i18n::{Lang, t, tf};

// The fields, by typed id (their labels: `kinds::COMPLAINT_FIELDS`).
pub(super) const CUSTOMER: FieldId = FieldId::Customer;
pub(super) const COMPLAINANT: FieldId = FieldId::Complainant;
pub(super) const ABOUT: FieldId = FieldId::About;
pub(super) const CONTENT: FieldId = FieldId::Content;
pub(super) const RECEIVED: FieldId = FieldId::Received;
pub(super) const PURCHASE: FieldId = FieldId::PurchaseDate;
pub(super) const USE: FieldId = FieldId::ProductUse;
pub(super) const DEMAND: FieldId = FieldId::Demand;
pub(super) const WANTED: FieldId = FieldId::WantedSolution;
pub(super) const REACH: FieldId = FieldId::Reach;
pub(super) const CATEGORY: FieldId = FieldId::Category;
pub(super) const TEMPERAMENT: FieldId = FieldId::Temperament;
pub(super) const AT: FieldId = FieldId::At;
pub(super) const NOTE: FieldId = FieldId::Note;
pub(super) const SOLUTION: FieldId = FieldId::Solution;
pub(super) const DONE: FieldId = FieldId::CarriedOut;
pub(super) const EXPLANATION: FieldId = FieldId::Explanation;
pub(super) const VERDICT: FieldId = FieldId::Verdict;
pub(super) const ACTION: FieldId = FieldId::PromisedAction;
pub(super) const DUE: FieldId = FieldId::Due;
pub(super) const OUTCOME: FieldId = FieldId::Outcome;
pub(super) const SATISFACTION: FieldId = FieldId::Satisfaction;
pub(super) const REASON: FieldId = FieldId::Reason;

/// The catalog key of a complaint field's label.
fn label(id: FieldId) -> &'static str {
    COMPLAINT_FIELDS
        .iter()
        .find(|(f, _)| *f == id)
        .map_or("complaints.field.note", |(_, l)| l)
}

/// The option of a closed set chosen in choice field `id` (the first of
/// `all` when the field holds none of them).
fn chosen<T: Copy>(form: &Form, id: FieldId, all: &[T], as_str: fn(T) -> &'static str) -> T {
    let value = form.get(id);
    all.iter().copied().find(|v| as_str(*v) == value).unwrap_or(all[0])
}

/// A choice of the judge form: whether the complaint holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Valid,
    NotValid,
}

impl Verdict {
    pub(super) const ALL: [Verdict; 2] = [Verdict::Valid, Verdict::NotValid];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::NotValid => "not_valid",
        }
    }

    pub(super) fn key(self) -> &'static str {
        match self {
            Verdict::Valid => "complaints.verdict.valid",
            Verdict::NotValid => "complaints.verdict.not_valid",
        }
    }

    /// The verdict chosen in `form`.
    pub(super) fn chosen(form: &Form) -> Verdict {
        chosen(form, VERDICT, &Verdict::ALL, Verdict::as_str)
    }
}

/// A choice of the follow-up form: how the customer found the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Satisfied,
    Unsatisfied,
}

impl Outcome {
    pub(super) const ALL: [Outcome; 2] = [Outcome::Satisfied, Outcome::Unsatisfied];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Outcome::Satisfied => "satisfied",
            Outcome::Unsatisfied => "unsatisfied",
        }
    }

    pub(super) fn key(self) -> &'static str {
        match self {
            Outcome::Satisfied => "complaints.outcome.satisfied",
            Outcome::Unsatisfied => "complaints.outcome.unsatisfied",
        }
    }

    /// The outcome chosen in `form`.
    pub(super) fn chosen(form: &Form) -> Outcome {
        chosen(form, OUTCOME, &Outcome::ALL, Outcome::as_str)
    }
}

/// The free texts that keep their lines.
const MULTILINE: [FieldId; 10] = [
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

pub(super) fn text(id: FieldId, value: &str) -> Field {
    Field {
        id,
        label: label(id),
        required: false,
        kind: FieldKind::Text(TextInput::new(value)),
        hint: None,
        multiline: MULTILINE.contains(&id),
        error: None,
        note: None,
        date: None,
    }
}

pub(super) fn choice(id: FieldId, options: Vec<(&'static str, &'static str)>) -> Field {
    Field {
        id,
        label: label(id),
        required: false,
        kind: FieldKind::Choice { options, selected: 0 },
        hint: None,
        multiline: false,
        error: None,
        note: None,
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

pub(super) fn value(form: &Form, id: FieldId) -> &str {
    form.get(id)
}

/// Replaces a field's text (a default that follows another field).
pub(super) fn set_value(form: &mut Form, id: FieldId, value: &str) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.id == id)
        && let FieldKind::Text(input) = &mut f.kind
    {
        *input = TextInput::new(value);
    }
}

/// Sets the line under a field that says what its text stands for.
pub(super) fn set_note(form: &mut Form, id: FieldId, note: Option<String>) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.id == id) {
        f.note = note;
    }
}

pub(super) fn set_error(form: &mut Form, id: FieldId, msg: String) {
    form.set_error(id, msg);
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
                let id = match field {
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
                set_error(form, id, msg);
            }
            None
        }
    }
}
